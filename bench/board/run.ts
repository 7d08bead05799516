/**
 * bench/board: the board API per board: 10 boards of 1,000 tasks and 50 users, 16 concurrent
 * clients, each client working on one board (client c on board c mod 10).
 *
 *   node --import tsx bench/board/run.ts [--boards 10] [--tasks 1000] [--users 50] [--concurrency 16] [--requests 100]
 *
 * Measured (p50/p99/mean over every request of every client, after a warm-up), each beside its
 * raw DynamoDB peer in the same run, same clients: the filtered page `tasks(boardId, filter:
 * { status })` (a page of 50; peer: one SDK `Query` of the same column on the byColumn index),
 * the assignee and label pages, `updateTask` (each client changes its own tasks at the versions
 * it holds, so nothing conflicts; peers: one conditional `UpdateItem` of a task, the floor, and
 * the calls updateTask makes, a `GetItem` then a `TransactWriteItems` of the membership and board
 * checks, the update and its history entry, its equal in DynamoDB work), `moveTasks` of
 * 10 tasks (peer: one `TransactWriteItems` of 10 conditional updates), and `boardStats(boardId)`
 * (peer: one `GetItem` of the board's counters). The tasks are seeded with BatchWriteItem; the
 * stream consumers (task events, board counters) catch up before measuring, and run beside the
 * write cells as they would in the same process locally.
 *
 * Boards do not queue behind each other: while 15 clients write to board 0, one client writes to
 * board 1 and times each write until its event is in board 1's catch-up (`taskEvents(after)`),
 * against the same with board 0 idle.
 *
 * Each cell also reports the CPU time one request costs in this process and in DynamoDB Local's
 * Java, and the floor that sets: with every core busy, `clients x CPU per request / cores` is
 * the least mean latency closed-loop clients can see, whatever the code does with its time.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { BatchWriteItemCommand, DynamoDBClient, GetItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ensureActiveUser } from '../../local/dev-users.ts';
import { startDynamoDBLocal } from '../../local/aws/dynamodb/dynamodb-local.ts';
import { startScratchStack } from '../../local/stack/scratch.ts';
import { createHttpClient, summarize, type HttpClient } from '../api/load.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { say } from '../say.ts';
import { formatReport, type Row } from './report.ts';

const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'];
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

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
      boards: { type: 'string', default: '10' },
      tasks: { type: 'string', default: '1000' },
      users: { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '16' },
      requests: { type: 'string', default: '100' },
    },
  });
  const boardCount = Number(values.boards);
  const tasksPerBoard = Number(values.tasks);
  const taskCount = boardCount * tasksPerBoard;
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
    const raw = new DynamoDBClient({ endpoint: dynamodbLocal.endpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    cleanups.unshift(() => raw.destroy());

    say(`making ${userCount} users`);
    const users: Awaited<ReturnType<typeof ensureActiveUser>>[] = [];
    for (let i = 0; i < userCount; i++) users.push(await ensureActiveUser(raw, table, `user${i}@bench.local`, i === 0 ? 'ADMIN' : 'MEMBER', { board: null }));

    say(`making ${boardCount} boards`);
    const setup = (await stack.tokenFor(users[0].email, 'ADMIN', { board: null })).token;
    const boards: { id: string; key: string }[] = [];
    for (let b = 0; b < boardCount; b++) {
      const key = `B${String.fromCharCode(65 + (b % 26))}${Math.floor(b / 26) || ''}`;
      const response = await fetch(stack.graphqlUrl, {
        method: 'POST',
        headers: { authorization: setup, 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { createBoard(input: { key: "${key}", name: "Board ${key}" }) { id key } }` }),
      });
      boards.push(((await response.json()) as { data: { createBoard: { id: string; key: string } } }).data.createBoard);
    }
    // A token made after the boards: the authorizer reads its memberships (the creator is each board's admin).
    const { token } = await stack.tokenFor(users[0].email, 'ADMIN', { board: null });

    say(`seeding ${boardCount} x ${tasksPerBoard} tasks (BatchWriteItem)`);
    const next = seededRandom(1);
    const now = Date.now();
    const tasks = Array.from({ length: taskCount }, (_, i) => {
      const created = new Date(now - (taskCount - i) * 1000).toISOString();
      const status = STATUSES[Math.floor(next() * 4)];
      const board = boards[i % boardCount];
      return {
        id: `bench-${String(i).padStart(6, '0')}`,
        board: board.id,
        key: `${board.key}-${Math.floor(i / boardCount) + 1}`,
        column: `${board.id}#${status}`,
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

    // Client c works on board c mod boards, and owns a disjoint slice of that board's tasks.
    const boardOf = (c: number) => boards[c % boardCount];
    const versions = new Map(tasks.map((t) => [t.id, 1]));
    const owned = Array.from({ length: concurrency }, (_, c) => {
      const sharing = Array.from({ length: concurrency }, (_, k) => k).filter((k) => k % boardCount === c % boardCount);
      const slot = sharing.indexOf(c);
      return tasks.filter((t) => t.board === boardOf(c).id).filter((_, i) => i % sharing.length === slot).map((t) => t.id);
    });
    // The raw peers' writes go to tasks no API cell touches (the first 200 of each client's slice are the API's).
    const rawOwned = owned.map((ids) => ids.slice(Math.floor(ids.length / 2)));

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

    const TASKS = 'query ($b: ID!, $f: TaskFilter) { tasks(boardId: $b, filter: $f, limit: 50) { items { id key title status priority assigneeId rank version } nextToken } }';
    const UPDATE = 'mutation ($b: ID!, $i: UpdateTaskInput!) { updateTask(boardId: $b, input: $i) { id version } }';
    const MOVE = 'mutation ($b: ID!, $m: [TaskMoveInput!]!) { moveTasks(boardId: $b, moves: $m) { id version } }';
    const STATS = 'query ($b: ID!) { boardStats(boardId: $b) { total overdue byStatus { status count } byPriority { priority count } openByAssignee { assigneeId count } completedPerDay { day count } } }';
    const rows: Row[] = [];
    say(`measuring at ${concurrency} concurrent clients on ${boardCount} boards, ${perClient} requests each per operation`);
    const status = (c: number, i: number) => STATUSES[(c + i + 8) % 4];

    rows.push(
      await cell('peer: Query byColumn (raw SDK), page of 50', perClient, async (c, i) => {
        const answer = await raw.send(new QueryCommand({ TableName: table('Tasks'), IndexName: 'byColumn', KeyConditionExpression: '#c = :c', ExpressionAttributeNames: { '#c': 'column' }, ExpressionAttributeValues: { ':c': { S: `${boardOf(c).id}#${status(c, i)}` } }, Limit: 50 }));
        return (answer.Items?.length ?? 0) > 0;
      }),
    );
    rows.push(await cell('tasks(boardId, filter: { status }) page of 50', perClient, async (c, i) => (await post(TASKS, { b: boardOf(c).id, f: { status: status(c, i) } })).ok));
    rows.push(await cell('tasks(boardId, filter: { assigneeId }) page of 50', perClient, async (c, i) => (await post(TASKS, { b: boardOf(c).id, f: { assigneeId: users[1 + ((c * 7 + i + 100) % (userCount - 1))].id } })).ok));
    rows.push(await cell('tasks(boardId, filter: { status, label }) page of 50', perClient, async (c, i) => (await post(TASKS, { b: boardOf(c).id, f: { status: status(c, i), label: 'bug' } })).ok));

    const rawVersion = async (id: string, i: number) => {
      const version = versions.get(id)!;
      await raw.send(new UpdateItemCommand({
        TableName: table('Tasks'),
        Key: { id: { S: id } },
        UpdateExpression: 'SET priority = :p, description = :d, version = :next, updatedAt = :at',
        ConditionExpression: 'version = :v AND board = :b',
        ExpressionAttributeValues: { ':p': { S: PRIORITIES[(i + 10) % 4] }, ':d': { S: `raw edit ${i}` }, ':next': { N: String(version + 1) }, ':v': { N: String(version) }, ':b': { S: tasks[Number(id.slice(6))].board }, ':at': { S: new Date().toISOString() } },
      }));
      versions.set(id, version + 1);
      return true;
    };
    rows.push(await cell('peer: UpdateItem of a task, conditional (raw SDK)', perClient, async (c, i) => rawVersion(rawOwned[c][(i + 10) % rawOwned[c].length], i)));
    // The same DynamoDB work updateTask asks for: read the task, then one transaction of the
    // writer's membership check, the board's open check, the conditional update and its history entry.
    const rawUpdateTaskCalls = async (c: number, id: string, i: number) => {
      const current = await raw.send(new GetItemCommand({ TableName: table('Tasks'), Key: { id: { S: id } }, ConsistentRead: true }));
      const version = Number(current.Item!.version.N);
      const board = boardOf(c).id;
      const at = new Date().toISOString();
      await raw.send(new TransactWriteItemsCommand({
        TransactItems: [
          { ConditionCheck: { TableName: table('BoardMembers'), Key: { boardId: { S: board }, userId: { S: users[0].id } }, ConditionExpression: '#r IN (:admin, :member)', ExpressionAttributeNames: { '#r': 'role' }, ExpressionAttributeValues: { ':admin': { S: 'ADMIN' }, ':member': { S: 'MEMBER' } } } },
          { ConditionCheck: { TableName: table('Boards'), Key: { id: { S: board } }, ConditionExpression: 'attribute_exists(id) AND attribute_not_exists(archivedAt)' } },
          {
            Update: {
              TableName: table('Tasks'),
              Key: { id: { S: id } },
              UpdateExpression: 'SET priority = :p, description = :d, version = :next, updatedAt = :at, updatedBy = :by',
              ConditionExpression: 'version = :v AND board = :b',
              ExpressionAttributeValues: { ':p': { S: PRIORITIES[(i + 10) % 4] }, ':d': { S: `raw edit ${i}` }, ':next': { N: String(version + 1) }, ':v': { N: String(version) }, ':b': { S: board }, ':at': { S: at }, ':by': { S: users[0].id } },
            },
          },
          { Put: { TableName: table('TaskHistory'), Item: marshall({ taskId: id, version: version + 1, boardId: board, action: 'UPDATED', actorId: users[0].id, at, changes: [{ field: 'description', from: current.Item!.description?.S ?? null, to: `raw edit ${i}` }] }), ConditionExpression: 'attribute_not_exists(taskId)' } },
        ],
      }));
      versions.set(id, version + 1);
      return true;
    };
    rows.push(await cell("peer: updateTask's calls: GetItem + TransactWriteItems of 4 (raw SDK)", perClient, async (c, i) => rawUpdateTaskCalls(c, rawOwned[c][(i + 10) % rawOwned[c].length], i)));
    rows.push(
      await cell('updateTask', perClient, async (c, i) => {
        const id = owned[c][(i + 10) % Math.min(200, owned[c].length)];
        const { ok, body } = await post(UPDATE, { b: boardOf(c).id, i: { id, expectedVersion: versions.get(id), priority: PRIORITIES[(i + 10) % 4], description: `edit ${i}` } });
        if (ok) versions.set(id, body.data!.updateTask.version);
        return ok;
      }),
    );
    const moveRounds = Math.max(1, Math.floor(perClient / 3));
    rows.push(
      await cell('peer: TransactWriteItems of 10 conditional updates (raw SDK)', moveRounds, async (c, i) => {
        const start = ((i + 10) * 10) % Math.max(1, rawOwned[c].length - 10);
        const ids = rawOwned[c].slice(start, start + 10);
        await raw.send(new TransactWriteItemsCommand({
          TransactItems: ids.map((id, k) => ({
            Update: {
              TableName: table('Tasks'),
              Key: { id: { S: id } },
              UpdateExpression: 'SET #s = :s, #col = :col, version = :next',
              ConditionExpression: 'version = :v',
              ExpressionAttributeNames: { '#s': 'status', '#col': 'column' },
              ExpressionAttributeValues: { ':s': { S: STATUSES[(i + k + 10) % 4] }, ':col': { S: `${boardOf(c).id}#${STATUSES[(i + k + 10) % 4]}` }, ':next': { N: String(versions.get(id)! + 1) }, ':v': { N: String(versions.get(id)) } },
            },
          })),
        }));
        for (const id of ids) versions.set(id, versions.get(id)! + 1);
        return true;
      }),
    );
    rows.push(
      await cell('moveTasks (10 tasks)', moveRounds, async (c, i) => {
        const slice = owned[c].slice(0, Math.min(200, owned[c].length));
        const start = ((i + 10) * 10) % Math.max(1, slice.length - 10);
        const ids = slice.slice(start, start + 10);
        const { ok, body } = await post(MOVE, { b: boardOf(c).id, m: ids.map((id, k) => ({ id, expectedVersion: versions.get(id), status: STATUSES[(i + k + 10) % 4] })) });
        if (ok) for (const t of body.data!.moveTasks) versions.set(t.id, t.version);
        return ok;
      }),
    );
    await stack.fanOut.settled();
    rows.push(
      await cell("peer: GetItem of a board's counters (raw SDK)", perClient, async (c) => {
        const answer = await raw.send(new GetItemCommand({ TableName: table('BoardStats'), Key: { id: { S: boardOf(c).id } }, ConsistentRead: true }));
        return answer.Item !== undefined;
      }),
    );
    rows.push(await cell('boardStats(boardId)', perClient, async (c) => (await post(STATS, { b: boardOf(c).id })).ok));

    // Boards do not queue behind each other: one writer on board 1, timed to its event, alone and
    // beside 15 clients writing to board 0.
    await stack.fanOut.settled();
    const eventLatency = async (label: string, busy: boolean): Promise<Row> => {
      const quiet = boards[1 % boardCount];
      const loud = boards[0];
      const mine = tasks.filter((t) => t.board === quiet.id).slice(-40).map((t) => t.id);
      const loudTasks = tasks.filter((t) => t.board === loud.id).slice(-300).map((t) => t.id);
      let stop = false;
      const load = busy
        ? Promise.all(Array.from({ length: concurrency - 1 }, async (_, c) => {
            for (let i = 0; !stop; i++) {
              const id = loudTasks[(c * 20 + i) % loudTasks.length];
              const { body } = await post(UPDATE, { b: loud.id, i: { id, expectedVersion: versions.get(id), description: `load ${c} ${i}` } });
              if (body.data?.updateTask) versions.set(id, body.data.updateTask.version);
            }
          }))
        : Promise.resolve([]);
      const times: number[] = [];
      const nodeBefore = process.cpuUsage();
      const javaBefore = processCpuMs(dynamodbLocal.javaPid);
      for (let i = 0; i < Math.min(40, perClient); i++) {
        const id = mine[i % mine.length];
        const start = performance.now();
        const { body } = await post(UPDATE, { b: quiet.id, i: { id, expectedVersion: versions.get(id), description: `timed ${label} ${i}` } });
        const version = body.data!.updateTask.version as number;
        versions.set(id, version);
        for (;;) {
          const last = await post('query ($b: ID!) { lastTaskEventSequence(boardId: $b) }', { b: quiet.id });
          const feed = await post('query ($b: ID!, $a: Int) { taskEvents(boardId: $b, after: $a, limit: 100) { items { taskId task { version } } } }', { b: quiet.id, a: Math.max(0, (last.body.data!.lastTaskEventSequence ?? 0) - 20) });
          if (feed.body.data!.taskEvents.items.some((e: { taskId: string; task: { version: number } | null }) => e.taskId === id && e.task?.version === version)) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        times.push(performance.now() - start);
      }
      stop = true;
      await load;
      const nodeCpu = process.cpuUsage(nodeBefore);
      const s = summarize(times);
      say(`  ${label}: p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`);
      return { name: label, ...s, requests: times.length, errors: 0, cpuNodeMs: (nodeCpu.user + nodeCpu.system) / 1000 / times.length, cpuJavaMs: (processCpuMs(dynamodbLocal.javaPid) - javaBefore) / times.length };
    };
    const events = [
      await eventLatency('board 1: updateTask to its event in catch-up, board 0 idle', false),
      await eventLatency(`board 1: updateTask to its event in catch-up, ${concurrency - 1} clients writing to board 0`, true),
    ];

    process.stdout.write(formatReport({ rows, events, boardCount, tasksPerBoard, userCount, concurrency }));
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
