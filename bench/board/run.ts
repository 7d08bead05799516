/**
 * bench/board: the board API at 10,000 tasks and 50 users, 16 concurrent clients.
 *
 *   node --import tsx bench/board/run.ts [--tasks 10000] [--users 50] [--concurrency 16] [--requests 100]
 *
 * Measured (p50/p99/mean over every request of every client, after a warm-up): the filtered
 * `tasks` query (by status, and by assignee; a page of 50), `updateTask` (each client changes
 * its own tasks at the versions it holds, so nothing conflicts), `moveTasks` of 10 tasks, and
 * `boardStats`. The tasks are seeded with BatchWriteItem; the stream consumers (task events,
 * board counters) are allowed to catch up before measuring. During the write cells they run
 * beside the load, as they would in the same process locally.
 *
 * The peer: the status page as one raw SDK `Query` on the same index, same clients, same run.
 * Each cell also reports the CPU time one request costs in this process and in DynamoDB Local's
 * Java, and the floor that sets: with every core busy, `clients × CPU per request / cores` is
 * the least mean latency closed-loop clients can see, whatever the code does with its time.
 */
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { BatchWriteItemCommand, DynamoDBClient, QueryCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ensureActiveUser } from '../../local/dev-users.ts';
import { startDynamoDBLocal } from '../../local/aws/dynamodb/dynamodb-local.ts';
import { startScratchStack } from '../../local/stack/scratch.ts';
import { createHttpClient, summarize, type HttpClient } from '../api/load.ts';
import { seededRandom } from '../../test/helpers/seeded-random.ts';
import { say } from '../say.ts';

const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'];
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

interface Row {
  name: string;
  p50: number;
  p99: number;
  mean: number;
  requests: number;
  errors: number;
  /** CPU time per request: this process (runtime and clients) and DynamoDB Local's Java. */
  cpuNodeMs: number;
  cpuJavaMs: number;
}

/** A process's CPU time so far in ms, from /proc (Linux); NaN elsewhere. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return Number.NaN;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string', default: '10000' },
      users: { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '16' },
      requests: { type: 'string', default: '100' },
    },
  });
  const taskCount = Number(values.tasks);
  const userCount = Number(values.users);
  const concurrency = Number(values.concurrency);
  const perClient = Number(values.requests);
  process.env.SECURETASK_LOG_LEVEL = 'silent';

  const cleanups: (() => Promise<unknown> | void)[] = [];
  try {
    say('starting DynamoDB Local (in memory) and the local stack');
    const dynamodbLocal = await startDynamoDBLocal({});
    cleanups.unshift(() => dynamodbLocal.stop());
    // Its own DynamoDB Local, whose Java process's CPU is measured per request.
    const stack = await startScratchStack({ config: { stage: 'boardbench' }, dynamodbEndpoint: dynamodbLocal.endpoint });
    cleanups.unshift(() => stack.stop());
    const { config, tableName: table } = stack;
    const raw = new DynamoDBClient({ endpoint: dynamodbLocal.endpoint, region: config.region });
    cleanups.unshift(() => raw.destroy());

    say(`making ${userCount} users`);
    const users: Awaited<ReturnType<typeof ensureActiveUser>>[] = [];
    for (let i = 0; i < userCount; i++) users.push(await ensureActiveUser(raw, table('Users'), `user${i}@bench.local`, i === 0 ? 'ADMIN' : 'MEMBER'));
    const { token } = await stack.tokenFor(users[0].email, 'ADMIN');

    say(`seeding ${taskCount} tasks (BatchWriteItem)`);
    const next = seededRandom(1);
    const now = Date.now();
    const tasks = Array.from({ length: taskCount }, (_, i) => {
      const created = new Date(now - (taskCount - i) * 1000).toISOString();
      const status = STATUSES[Math.floor(next() * 4)];
      return {
        id: `bench-${String(i).padStart(6, '0')}`,
        board: 'main',
        title: `Task ${i}`,
        status,
        priority: PRIORITIES[Math.floor(next() * 4)],
        assigneeId: users[1 + Math.floor(next() * (userCount - 1))].id,
        labels: next() < 0.2 ? ['bug'] : ['feature'],
        dueDate: new Date(now + (Math.floor(next() * 60) - 20) * 86_400_000).toISOString().slice(0, 10),
        rank: `V${Math.floor(next() * 1e12).toString(36)}V`,
        ...(status === 'DONE' ? { completedAt: created } : {}),
        createdBy: users[0].id,
        createdAt: created,
        updatedBy: users[0].id,
        updatedAt: created,
        version: 1,
      };
    });
    const requests: WriteRequest[] = tasks.map((t) => ({ PutRequest: { Item: marshall(t) } }));
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let batch = batches.shift(); batch; batch = batches.shift()) {
          let left: WriteRequest[] | undefined = batch;
          while (left?.length) left = (await raw.send(new BatchWriteItemCommand({ RequestItems: { [table('Tasks')]: left } }))).UnprocessedItems?.[table('Tasks')];
        }
      }),
    );
    say('waiting for the stream consumers to catch up (task events, board counters)');
    const settleStart = Date.now();
    await stack.fanOut.settled();
    say(`  settled in ${((Date.now() - settleStart) / 1000).toFixed(1)} s`);

    const headers = { authorization: token };
    const client: HttpClient = createHttpClient(stack.graphqlUrl, concurrency, headers);
    cleanups.unshift(() => client.close());
    const graphqlPath = new URL(stack.graphqlUrl).pathname;
    const post = async (query: string, variables: Record<string, unknown>) => {
      const answer = await client.send('POST', graphqlPath, Buffer.from(JSON.stringify({ query, variables })));
      const body = JSON.parse(answer.text) as { data?: Record<string, any>; errors?: unknown[] };
      return { ok: answer.status === 200 && !body.errors, body };
    };

    // Each client owns a disjoint slice of the tasks and the versions of those.
    const versions = new Map(tasks.map((t) => [t.id, 1]));
    const owned = Array.from({ length: concurrency }, (_, c) => tasks.filter((_, i) => i % concurrency === c).map((t) => t.id));

    const cell = async (name: string, count: number, step: (clientIndex: number, i: number) => Promise<boolean>): Promise<Row> => {
      // Warm-up: a few requests per client, not measured.
      await Promise.all(Array.from({ length: concurrency }, (_, c) => (async () => { for (let i = 0; i < 3; i++) await step(c, -1 - i); })()));
      const nodeBefore = process.cpuUsage();
      const javaBefore = processCpuMs(dynamodbLocal.javaPid);
      const times: number[] = [];
      let errors = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, c) => {
          for (let i = 0; i < count; i++) {
            const start = performance.now();
            const ok = await step(c, i);
            times.push(performance.now() - start);
            if (!ok) errors += 1;
          }
        }),
      );
      const nodeCpu = process.cpuUsage(nodeBefore);
      const cpuNodeMs = (nodeCpu.user + nodeCpu.system) / 1000 / times.length;
      const cpuJavaMs = (processCpuMs(dynamodbLocal.javaPid) - javaBefore) / times.length;
      const s = summarize(times);
      say(`  ${name}: p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms; CPU per request ${cpuNodeMs.toFixed(2)} ms here + ${cpuJavaMs.toFixed(2)} ms in Java`);
      return { name, ...s, requests: times.length, errors, cpuNodeMs, cpuJavaMs };
    };

    const TASKS = 'query ($f: TaskFilter) { tasks(filter: $f, limit: 50) { items { id title status priority assigneeId rank version } nextToken } }';
    const UPDATE = 'mutation ($i: UpdateTaskInput!) { updateTask(input: $i) { id version } }';
    const MOVE = 'mutation ($m: [TaskMoveInput!]!) { moveTasks(moves: $m) { id version } }';
    const rows: Row[] = [];
    say(`measuring at ${concurrency} concurrent clients, ${perClient} requests each per operation`);
    // The peer: what the status page costs as one raw Query on the same index (items not unmarshalled).
    rows.push(
      await cell('peer: Query byStatus (raw SDK), page of 50', perClient, async (c, i) => {
        const answer = await raw.send(new QueryCommand({ TableName: table('Tasks'), IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: STATUSES[(c + i + 8) % 4] } }, Limit: 50 }));
        return (answer.Items?.length ?? 0) > 0;
      }),
    );
    rows.push(await cell('tasks(filter: { status }) page of 50', perClient, async (c, i) => (await post(TASKS, { f: { status: STATUSES[(c + i + 8) % 4] } })).ok));
    rows.push(await cell('tasks(filter: { assigneeId }) page of 50', perClient, async (c, i) => (await post(TASKS, { f: { assigneeId: users[1 + ((c * 7 + i + 100) % (userCount - 1))].id } })).ok));
    rows.push(await cell('tasks(filter: { status, label }) page of 50', perClient, async (c, i) => (await post(TASKS, { f: { status: STATUSES[(c + i + 8) % 4], label: 'bug' } })).ok));
    rows.push(
      await cell('updateTask', perClient, async (c, i) => {
        const id = owned[c][(i + 10) % owned[c].length];
        const { ok, body } = await post(UPDATE, { i: { id, expectedVersion: versions.get(id), priority: PRIORITIES[(i + 10) % 4], description: `edit ${i}` } });
        if (ok) versions.set(id, body.data!.updateTask.version);
        return ok;
      }),
    );
    const moveRounds = Math.max(1, Math.floor(perClient / 3));
    rows.push(
      await cell('moveTasks (10 tasks)', moveRounds, async (c, i) => {
        const start = ((i + 10) * 10) % owned[c].length;
        const ids = owned[c].slice(start, start + 10);
        const { ok, body } = await post(MOVE, { m: ids.map((id, k) => ({ id, expectedVersion: versions.get(id), status: STATUSES[(i + k + 10) % 4] })) });
        if (ok) for (const t of body.data!.moveTasks) versions.set(t.id, t.version);
        return ok;
      }),
    );
    rows.push(await cell('boardStats', perClient, async () => (await post('{ boardStats { total overdue byStatus { status count } byPriority { priority count } openByAssignee { assigneeId count } completedPerDay { day count } } }', {})).ok));

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const lines = [
      '',
      `bench/board — ${new Date().toISOString()} — ${availableParallelism()} CPU(s), ${cpu}, Node ${process.version}`,
      `${taskCount} tasks, ${userCount} users, ${concurrency} concurrent clients; DynamoDB Local (in memory) and the runtime on this machine`,
      '',
      '| operation | requests | errors | p50 ms | p99 ms | mean ms | CPU/request: here + Java ms | floor of the mean ms |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map((r) => {
        const floor = (concurrency * (r.cpuNodeMs + r.cpuJavaMs)) / availableParallelism();
        return `| ${r.name} | ${r.requests} | ${r.errors} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.mean.toFixed(2)} | ${r.cpuNodeMs.toFixed(2)} + ${r.cpuJavaMs.toFixed(2)} | ${floor.toFixed(1)} |`;
      }),
      '',
      `floor of the mean = ${concurrency} clients x CPU per request / ${availableParallelism()} cores: the least mean latency ${concurrency} back-to-back clients can see once the cores are the limit.`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    return rows.some((r) => r.errors > 0) ? 1 : 0;
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
