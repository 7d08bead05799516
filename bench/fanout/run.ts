/**
 * bench/fanout: how many task events the fan-out moves end to end (Tasks stream -> task-stream
 * -> SNS -> publisher -> AppSync -> WebSocket), and how late, while the API takes task writes
 * as fast as it can; and how many DynamoDB calls that costs, per event and when idle.
 *
 *   npm run bench:fanout                                  # 1 and 100 subscribers, 30 s of writes each
 *   npm run bench:fanout -- --subscribers 1 --seconds 10  # a short check
 *   npm run bench:fanout -- --project ../main             # the same figures for another checkout
 *   npm run bench:fanout -- --json                        # machine-readable results on stdout
 *
 * The runtime is `securetask start` in a child process (bench/realtime's target) with
 * count-dynamodb-calls.mjs preloaded, which counts each DynamoDB call by operation and caller
 * without touching the code measured; the counts are read through the child's inspector.
 * Loopback only; every phase is bounded in time.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { graphqlClient, type GraphqlClient } from '../load/graphql.ts';
import { headerMaker } from '../realtime/auth.ts';
import { SubscriberPool } from '../realtime/clients.ts';
import { Inspector } from '../realtime/inspector.ts';
import { sleep, spread, type Spread } from '../realtime/stats.ts';
import { startLocalTarget, type LocalTarget } from '../realtime/target.ts';
import { printReport, type PhaseResult } from './report.ts';
import { say } from '../say.ts';

const { values: args } = parseArgs({
  options: {
    project: { type: 'string' },
    subscribers: { type: 'string', default: '1,100' },
    seconds: { type: 'string', default: '30' },
    writers: { type: 'string', default: '16' },
    tasks: { type: 'string', default: '400' },
    'idle-seconds': { type: 'string', default: '30' },
    json: { type: 'boolean', default: false },
  },
});
/** The board the benchmark's token lands on (`securetask token` puts a new user on `main`). */
const BOARD = 'main';
const SUBSCRIPTION = `subscription Fanout { onTaskEvent(boardId: "${BOARD}") { sequence taskId task { version } } }`;
const UPDATE = `mutation Write($input: UpdateTaskInput!) { updateTask(boardId: "${BOARD}", input: $input) { id version } }`;
const MAX_DRAIN_MS = 180_000;

type Calls = Record<string, number>;

async function main(): Promise<void> {
  const projectRoot = args.project ? path.resolve(args.project) : undefined;
  const counter = path.join(import.meta.dirname, 'count-dynamodb-calls.mjs');
  const target = await startLocalTarget({ nodeFlags: ['--import', counter], projectRoot, say });
  const stopOnSignal = () => void target.stop().then(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  try {
    const inspector = await Inspector.open(target.inspectorUrl!);
    const calls = async (): Promise<Calls> => {
      const answer = await inspector.call<{ result: { value: string } }>('Runtime.evaluate', { expression: 'JSON.stringify(globalThis.__dynamodbCalls ?? null)', returnByValue: true });
      const value = JSON.parse(answer.result.value) as Calls | null;
      if (!value) throw new Error('the runtime does not count DynamoDB calls: was count-dynamodb-calls.mjs preloaded?');
      return value;
    };
    const client = graphqlClient(target.graphqlUrl, { authorization: target.token }, 64, 15_000);
    const tasks = await seed(client, Number(args.tasks));
    await settle(client, tasks.size);

    say(`idle: counting DynamoDB calls for ${args['idle-seconds']} s`);
    const idleStart = await calls();
    await sleep(Number(args['idle-seconds']) * 1000);
    const idle = difference(await calls(), idleStart);
    const idleSeconds = Number(args['idle-seconds']);

    const phases: PhaseResult[] = [];
    for (const subscribers of args.subscribers.split(',').map(Number)) {
      phases.push(await phase(target, client, tasks, subscribers, calls));
      await settle(client, 0);
    }
    inspector.close();
    client.close();
    const result = { project: projectRoot ?? path.resolve(import.meta.dirname, '../..'), idle: { seconds: idleSeconds, calls: idle, perSecond: total(idle) / idleSeconds }, phases };
    if (args.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else printReport(result);
  } finally {
    await target.stop();
  }
}

/** Creates the tasks the writers update; answers each task's version. */
async function seed(client: GraphqlClient, count: number): Promise<Map<string, number>> {
  say(`creating ${count} tasks`);
  const tasks = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const n = next++;
        const answer = await client.call(`mutation Seed($t: String!) { createTask(boardId: "${BOARD}", input: { title: $t }) { id version } }`, { t: `fan-out ${n}` });
        if (!answer.ok) throw new Error(`createTask failed: ${answer.errorKind} ${answer.errorMessage}`);
        tasks.set(answer.data.createTask.id, answer.data.createTask.version);
      }
    }),
  );
  return tasks;
}

/** Waits until the event log has stopped growing for 3 s (the fan-out is idle again). */
async function settle(client: GraphqlClient, atLeast: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  let answer;
  for (const deadline = Date.now() + MAX_DRAIN_MS; Date.now() < deadline; await sleep(500)) {
    answer = await client.call(`{ lastTaskEventSequence(boardId: "${BOARD}") }`);
    const sequence = answer.ok ? (answer.data.lastTaskEventSequence ?? 0) : -1;
    if (sequence !== last) [last, since] = [sequence, Date.now()];
    if (sequence >= atLeast && Date.now() - since >= 3_000) return;
  }
  throw new Error(`the fan-out did not settle: the event log is at ${last}, expected at least ${atLeast} (${JSON.stringify(answer)})`);
}

/**
 * One measurement: `subscribers` open WebSockets; `--writers` closed-loop writers update their
 * own tasks as fast as the API answers for `--seconds`; then every subscriber gets up to 3
 * minutes to receive every acknowledged write's event.
 */
async function phase(target: LocalTarget, client: GraphqlClient, tasks: Map<string, number>, subscribers: number, calls: () => Promise<Calls>): Promise<PhaseResult> {
  say(`${subscribers} subscriber(s): opening`);
  const pool = new SubscriberPool({ graphqlUrl: target.graphqlUrl, realtimeUrl: target.realtimeUrl, headers: headerMaker({ mode: 'lambda', token: target.token }), subscription: SUBSCRIPTION });
  const arrivals = Array.from({ length: subscribers }, () => new Map<string, number>());
  let deliveries = 0;
  pool.sink = (index, data, at) => {
    const event = (data as { onTaskEvent?: { taskId: string; task: { version: number } | null } }).onTaskEvent;
    if (!event?.task) return;
    deliveries += 1;
    const key = `${event.taskId}@${event.task.version}`;
    if (!arrivals[index]!.has(key)) arrivals[index]!.set(key, at);
  };
  await pool.grow(subscribers);

  const acked = new Map<string, number>();
  const latencies: number[] = [];
  let errors = 0;
  const seconds = Number(args.seconds);
  const ids = [...tasks.keys()];
  const writers = Number(args.writers);
  const before = await calls();
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  say(`${subscribers} subscriber(s): ${writers} writers for ${seconds} s`);
  const closed = () => pool.open.filter((s) => s.ws.readyState !== s.ws.OPEN).length;
  const progress = setInterval(() => say(`  acknowledged ${acked.size}, delivered to the slowest subscriber ${Math.min(...arrivals.map((a) => a.size))} (${deliveries} messages, ${closed()} sockets closed, ${pool.unexpectedCount} unexpected messages${pool.unexpected[0] ? `: ${pool.unexpected[0].slice(0, 200)}` : ''})`), 5_000);
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const mine = ids.filter((_, i) => i % writers === w);
      for (let n = 0; performance.now() < stopAt; n++) {
        const id = mine[n % mine.length]!;
        const sent = performance.now();
        const answer = await client.call(UPDATE, { input: { id, expectedVersion: tasks.get(id), description: `write ${n} of writer ${w}` } });
        if (!answer.ok) {
          errors += 1;
          continue;
        }
        const at = performance.now();
        latencies.push(at - sent);
        tasks.set(id, answer.data.updateTask.version);
        acked.set(`${id}@${answer.data.updateTask.version}`, at);
      }
    }),
  );
  const writeEnd = performance.now();
  const backlogAtEnd = acked.size - Math.min(...arrivals.map((a) => [...acked.keys()].filter((k) => a.has(k)).length));
  const deadline = writeEnd + MAX_DRAIN_MS;
  while (performance.now() < deadline && arrivals.some((a) => [...acked.keys()].some((k) => !a.has(k)))) await sleep(250);
  clearInterval(progress);
  const drained = performance.now();
  const after = await calls();
  await pool.shrinkTo(0);

  const lags: number[] = [];
  const slices = new Map<number, number[]>();
  let missing = 0;
  let lastArrival = started;
  for (const perSubscriber of arrivals) {
    for (const [key, ackAt] of acked) {
      const at = perSubscriber.get(key);
      if (at === undefined) {
        missing += 1;
        continue;
      }
      lastArrival = Math.max(lastArrival, at);
      lags.push(at - ackAt);
      const slice = Math.floor((ackAt - started) / 5_000);
      const lagsOfSlice = slices.get(slice) ?? [];
      if (lagsOfSlice.length === 0) slices.set(slice, lagsOfSlice);
      lagsOfSlice.push(at - ackAt);
    }
  }
  const used = difference(after, before);
  const events = acked.size;
  const windowSeconds = (writeEnd - started) / 1000;
  const deliveredInWindow = arrivals.map((a) => [...a.values()].filter((at) => at <= writeEnd).length);
  return {
    subscribers,
    writers,
    seconds: windowSeconds,
    writes: { acknowledged: events, perSecond: events / windowSeconds, errors, latency: spread(latencies) },
    delivered: {
      perSubscriberPerSecondDuringWrites: average(deliveredInWindow) / windowSeconds,
      perSubscriberPerSecondToLast: events / ((lastArrival - started) / 1000),
      deliveriesPerSecondToLast: (events * subscribers - missing) / ((lastArrival - started) / 1000),
      missing,
      wireMessages: deliveries,
      backlogAtEndOfWrites: backlogAtEnd,
      drainSeconds: (drained - writeEnd) / 1000,
    },
    lag: spread(lags),
    lagBySlice: [...slices].sort(([a], [b]) => a - b).map(([slice, values]) => ({ fromSecond: slice * 5, lag: spread(values) as Spread })),
    dynamodb: { calls: used, total: total(used), perEvent: total(used) / Math.max(1, events) },
  };
}

function difference(after: Calls, before: Calls): Calls {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
}
const total = (calls: Calls) => Object.values(calls).reduce((a, b) => a + b, 0);
const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

await main();
