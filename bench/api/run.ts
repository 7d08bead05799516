/**
 * bench/api: throughput and latency of the local AppSync runtime beside raw AWS SDK v3 calls
 * against the same DynamoDB Local, in the same run.
 *
 *   npm run bench:api -- [--seconds 5] [--warmup 1] [--tasks 10000] [--concurrency 1,16,64] [--json]
 *
 * Measured, for each concurrency: the `tasks(boardId: "main")` list query (a page of 50 of the seeded tasks) and
 * a raw `QueryCommand` on the same index; `createTask` and a raw `PutItemCommand`. Then the
 * runtime's own overhead per request, three ways (see BENCHMARKS.md). The load generator runs
 * in this process, beside the runtime; DynamoDB Local is a Java process on the same machine.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { SecureTaskConfig } from '../../api/config.ts';
import { api } from '../../api/definition.ts';
import { tableEnvironment } from '../../api/naming.ts';
import { createAuthenticator } from '../../local/appsync/auth/authenticate.ts';
import { createLambdaAuthorizer, type AuthorizerEvent } from '../../local/appsync/auth/lambda-authorizer.ts';
import { createEngine, type Engine } from '../../local/appsync/engine.ts';
import type { IncomingRequest } from '../../local/appsync/request.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_API_ID, type LocalStack } from '../../local/stack/index.ts';
import { startScratchStack } from '../../local/stack/scratch.ts';
import { DynamoDBTimer } from './dynamodb-time.ts';
import { createHttpClient, graphqlOk, runCell, summarize, type CellResult, type CellTiming, type HttpClient } from './load.ts';
import { seedTasks, taskItem } from './seed.ts';
import { say } from '../say.ts';



const TASKS_QUERY = '{ tasks(boardId: "main", limit: 50) { items { id title status priority version } nextToken } }';
const CREATE_TASK = 'mutation Create($input: CreateTaskInput!) { createTask(boardId: "main", input: $input) { id title status priority version } }';
const TYPENAME_QUERY = '{ __typename }';
const PAGE_SIZE = 50;
/** The goals stated by the issue. */
const THROUGHPUT_GOAL = 0.7;
const OVERHEAD_GOAL_MS = 1;

/** A spread of figures in milliseconds. */
export interface Spread {
  p50: number;
  p99: number;
  mean: number;
  samples: number;
}

/**
 * The runtime's own time per request: the request's time minus its time in
 * `DynamoDBClient.send` (the spread is of that difference). Each request alternates with the
 * equivalent raw SDK call, whose p50 is `rawP50`.
 */
export interface Overhead extends Spread {
  /** p50 of the whole request (engine: engine.handle + JSON.stringify of the answer; HTTP: as the client sees it). */
  totalP50: number;
  /** p50 of the request's time in DynamoDBClient.send. */
  dynamodbP50: number;
  /** p50 of the raw SDK call made right after each request. */
  rawP50: number;
}

/** Everything one run measured; what `--json` prints. */
export interface BenchResults {
  meta: {
    date: string;
    node: string;
    cpus: number;
    cpuModel: string;
    tasks: number;
    seconds: number;
    warmupSeconds: number;
    concurrency: number[];
    notes: string[];
  };
  cells: CellResult[];
  overhead: {
    /** `tasks(boardId: "main")` through engine.handle in process (no HTTP): the goal's figure. */
    engineTasks: Overhead;
    /** `createTask` through engine.handle in process (no HTTP). */
    engineCreateTask: Overhead;
    /** `tasks(boardId: "main")` over HTTP at concurrency 1: adds the HTTP client and server to the engine's time. */
    httpTasks: Overhead;
    /** p50 of `tasks(boardId: "main")` over HTTP minus p50 of the raw QueryCommand, both at concurrency 1. */
    httpTasksMinusRawQueryP50: number;
    /** p50 of `{ __typename }` minus p50 of an HTTP 404, both at concurrency 1. */
    typenameMinus404P50: number;
  };
  goals: {
    throughput: { ratios: Record<string, number>; met: boolean };
    overhead: { p50Ms: number; met: boolean };
  };
}

/** A bad command-line option: reported without a stack trace. */
class UsageError extends Error {}

interface Options {
  seconds: number;
  warmupSeconds: number;
  tasks: number;
  concurrency: number[];
  json: boolean;
}

/** The command line, as `node:util` parses it. */
function parseCommandLine() {
  return parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      tasks: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '1,16,64' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
}

function readOptions(): Options {
  let values: ReturnType<typeof parseCommandLine>['values'];
  try {
    ({ values } = parseCommandLine());
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  if (values.help) {
    process.stdout.write('usage: npm run bench:api -- [--seconds 5] [--warmup 1] [--tasks 10000] [--concurrency 1,16,64] [--json]\n');
    process.exit(0);
  }
  const positive = (name: string, raw: string, integer: boolean): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be a positive ${integer ? 'whole ' : ''}number, got "${raw}"`);
    return n;
  };
  const concurrency = values.concurrency.split(',').map((c) => positive('concurrency', c.trim(), true));
  if (!concurrency.includes(1)) concurrency.unshift(1); // the overhead figures are taken at concurrency 1
  const tasks = positive('tasks(boardId: "main")', values.tasks, true);
  if (tasks < PAGE_SIZE) throw new UsageError(`--tasks must be at least ${PAGE_SIZE}, so a page is full`);
  return {
    seconds: positive('seconds', values.seconds, false),
    warmupSeconds: values.warmup.trim() === '0' ? 0 : positive('warmup', values.warmup, false),
    tasks,
    concurrency,
    json: values.json,
  };
}


async function main(): Promise<number> {
  const options = readOptions();
  process.env.SECURETASK_LOG_LEVEL = 'silent';
  const timing: CellTiming = { warmupSeconds: options.warmupSeconds, seconds: options.seconds };
  const notes = [
    `DynamoDB Local (Java) and this Node process share the machine's ${availableParallelism()} CPU(s).`,
    'The load generator runs in the same Node process as the runtime: its CPU competes with the runtime\'s.',
    'Both DynamoDB clients (the stack\'s and the raw one) use the SDK default agent: keep-alive, at most 50 sockets.',
  ];
  for (const note of notes) say(`note: ${note}`);

  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    say('starting DynamoDB Local (in memory) and the local stack in process');
    const stack = await startScratchStack({ config: { stage: 'bench' } });
    cleanups.unshift(() => stack.stop());
    const { config, tableName } = stack;
    const tasksTable = tableName('Tasks');

    // Built as the stack's own client is (DynamoDB Local takes any credentials); the functions' own
    // credentials are theirs alone now, not in this process's environment.
    const raw = new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    cleanups.unshift(() => raw.destroy());

    const { token, userId } = await stack.tokenFor('bench@securetask.local', 'ADMIN');

    say(`seeding ${options.tasks} tasks into ${tasksTable} (BatchWriteItem, 25 per batch, 8 in flight)`);
    const seedStart = Date.now();
    let lastShown = 0;
    await seedTasks({
      client: raw,
      tableName: tasksTable,
      userId,
      count: options.tasks,
      progress: (written) => {
        if (written - lastShown >= 1000 || written === options.tasks) {
          lastShown = written;
          say(`  seeded ${written}/${options.tasks}`);
        }
      },
    });
    say(`  done in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    // The seeded writes flow through the fan-out (task events, notifications, board figures) like
    // any change; let it finish, so background work neither competes for the two cores nor counts
    // as DynamoDB time of the measured requests.
    say('waiting for the fan-out to process the seeded changes (streams -> SNS -> functions)');
    const settleStart = Date.now();
    await stack.fanOut.settled();
    say(`  settled in ${((Date.now() - settleStart) / 1000).toFixed(1)} s`);

    // --- the operations -------------------------------------------------------------------
    const headers = { authorization: token };
    const tasksBody = Buffer.from(JSON.stringify({ query: TASKS_QUERY }));
    const typenameBody = Buffer.from(JSON.stringify({ query: TYPENAME_QUERY }));
    const createBody = Buffer.from(JSON.stringify({ query: CREATE_TASK, variables: { input: { title: 'Benchmark task', priority: 'HIGH' } } }));
    const rawQuery = () =>
      new QueryCommand({ TableName: tasksTable, IndexName: 'byBoard', KeyConditionExpression: 'board = :board', ExpressionAttributeValues: { ':board': { S: 'main' } }, Limit: PAGE_SIZE, ScanIndexForward: false });
    const rawPut = () => {
      const now = new Date().toISOString();
      const item = taskItem({ id: randomUUID(), title: 'Benchmark task', userId, createdAt: now });
      item.priority = { S: 'HIGH' };
      item.status = { S: 'TODO' };
      return new PutItemCommand({ TableName: tasksTable, Item: item, ConditionExpression: 'attribute_not_exists(id)' });
    };

    const clients: HttpClient[] = [];
    const http = (concurrency: number): HttpClient => {
      const client = createHttpClient(stack.graphqlUrl, concurrency, headers);
      clients.push(client);
      return client;
    };
    cleanups.unshift(() => clients.forEach((c) => c.close()));
    const graphqlPath = new URL(stack.graphqlUrl).pathname;

    // --- sanity checks: the figures mean nothing if the answers are wrong -----------------------
    {
      const client = http(1);
      const answer = await client.send('POST', graphqlPath, tasksBody);
      const body = JSON.parse(answer.text) as { data?: { tasks?: { items?: unknown[]; nextToken?: string | null } }; errors?: unknown };
      if (answer.status !== 200 || body.errors || body.data?.tasks?.items?.length !== PAGE_SIZE || !body.data.tasks.nextToken) {
        throw new Error(`the tasks query did not return a full page: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
      }
      const direct = await raw.send(rawQuery());
      if (direct.Items?.length !== PAGE_SIZE) throw new Error(`the raw QueryCommand returned ${direct.Items?.length} items, not ${PAGE_SIZE}`);
      const typename = await client.send('POST', graphqlPath, typenameBody);
      if (!graphqlOk(typename)) throw new Error(`{ __typename } failed: HTTP ${typename.status} ${typename.text.slice(0, 300)}`);
      client.close();
    }

    const cells: CellResult[] = [];
    const record = (cell: CellResult): void => {
      cells.push(cell);
      say(
        `  ${cell.operation.padEnd(22)} c=${String(cell.concurrency).padStart(2)}  ${cell.requestsPerSecond.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${cell.p50Ms.toFixed(2)} ms  p99 ${cell.p99Ms.toFixed(2)} ms  errors ${cell.errors}`,
      );
    };
    const tasksCell = (c: number) => {
      const client = http(c);
      return runCell('tasks (GraphQL)', c, timing, () => async () => graphqlOk(await client.send('POST', graphqlPath, tasksBody)));
    };
    const rawQueryCell = (c: number) => runCell('Query (raw SDK)', c, timing, () => async () => (await raw.send(rawQuery())).Items?.length === PAGE_SIZE);

    say('warming up (2 s of each read at concurrency 16, not reported)');
    await runCell('warm-up', 16, { warmupSeconds: 0, seconds: 2 }, () => async () => (await raw.send(rawQuery())).Items?.length === PAGE_SIZE);
    {
      const client = http(16);
      await runCell('warm-up', 16, { warmupSeconds: 0, seconds: 2 }, () => async () => graphqlOk(await client.send('POST', graphqlPath, tasksBody)));
    }

    say(`reads: ${options.seconds} s per cell after a ${options.warmupSeconds} s warm-up`);
    for (const c of options.concurrency) {
      record(await rawQueryCell(c));
      record(await tasksCell(c));
    }

    // --- overhead, three ways, all at concurrency 1 ---------------------------------------------
    say('overhead: transport floor and a query without data-source work');
    {
      const client = http(1);
      record(await runCell('HTTP 404 (transport)', 1, timing, () => async () => (await client.send('GET', '/bench-not-found')).status === 404));
      record(await runCell('{ __typename }', 1, timing, () => async () => graphqlOk(await client.send('POST', graphqlPath, typenameBody))));
    }

    const timer = new DynamoDBTimer();
    timer.install();
    cleanups.unshift(() => timer.uninstall());

    /**
     * One runtime request, then the equivalent raw SDK call, alternately and one at a time (so
     * the global DynamoDB timer is exact, and drift in DynamoDB Local's speed hits both alike).
     * The overhead of a request is its time minus its own time in DynamoDBClient.send.
     */
    const measureSequential = async (
      label: string,
      runtimeCall: () => Promise<{ status: number; text: string }>,
      rawCommand: () => QueryCommand | PutItemCommand,
    ): Promise<Overhead> => {
      const overhead: number[] = [];
      const total: number[] = [];
      const inDynamoDB: number[] = [];
      const rawTotal: number[] = [];
      await sequential(timing, async (measured) => {
        timer.reset();
        const t0 = process.hrtime.bigint();
        const answer = await runtimeCall();
        const t1 = process.hrtime.bigint();
        if (!graphqlOk(answer)) throw new Error(`${label} failed while measuring overhead: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
        if (timer.calls === 0) throw new Error(`the ${label} request made no DynamoDB call: is the timer wrapping the stack's client?`);
        const dynamodbNs = timer.ns;
        const r0 = process.hrtime.bigint();
        await raw.send(rawCommand() as QueryCommand);
        const r1 = process.hrtime.bigint();
        if (!measured) return;
        overhead.push(Number(t1 - t0 - dynamodbNs) / 1e6);
        total.push(Number(t1 - t0) / 1e6);
        inDynamoDB.push(Number(dynamodbNs) / 1e6);
        rawTotal.push(Number(r1 - r0) / 1e6);
      });
      return {
        ...summarize(overhead),
        samples: overhead.length,
        totalP50: summarize(total).p50,
        dynamodbP50: summarize(inDynamoDB).p50,
        rawP50: summarize(rawTotal).p50,
      };
    };

    say('overhead: tasks over HTTP, minus each request\'s own time in DynamoDBClient.send');
    const httpClient = http(1);
    const httpTasks = await measureSequential('tasks(boardId: "main")', () => httpClient.send('POST', graphqlPath, tasksBody), rawQuery);

    say('overhead: engine.handle called in process (no HTTP), minus its time in DynamoDBClient.send');
    const engine = buildEngine(stack, config);
    const engineCall = (body: Buffer) => {
      const url = new URL(stack.graphqlUrl);
      const request: IncomingRequest = {
        method: 'POST',
        host: url.host,
        path: url.pathname,
        headers: { host: url.host, connection: 'keep-alive', 'content-type': 'application/json', 'content-length': String(body.length), authorization: token },
        body: body.toString('utf8'),
        sourceIp: '127.0.0.1',
      };
      return async () => {
        const response = await engine.handle({ ...request, headers: { ...request.headers } });
        return { status: response.status, text: JSON.stringify(response.body) }; // as the HTTP adapter serialises it
      };
    };
    const engineTasks = await measureSequential('tasks(boardId: "main")', engineCall(tasksBody), rawQuery);

    // --- writes -------------------------------------------------------------------------------
    say(`writes: ${options.seconds} s per cell after a ${options.warmupSeconds} s warm-up`);
    timer.uninstall();
    for (const c of options.concurrency) {
      record(await runCell('PutItem (raw SDK)', c, timing, () => async () => (await raw.send(rawPut())).$metadata.httpStatusCode === 200));
      const client = http(c);
      record(await runCell('createTask (GraphQL)', c, timing, () => async () => graphqlOk(await client.send('POST', graphqlPath, createBody))));
    }
    timer.install();
    const engineCreateTask = await measureSequential('createTask', engineCall(createBody), rawPut);
    timer.uninstall();

    // --- results ------------------------------------------------------------------------------
    const find = (operation: string, c: number) => cells.find((cell) => cell.operation === operation && cell.concurrency === c)!;
    const ratios: Record<string, number> = {};
    for (const c of options.concurrency) ratios[String(c)] = find('tasks (GraphQL)', c).requestsPerSecond / find('Query (raw SDK)', c).requestsPerSecond;
    const results: BenchResults = {
      meta: {
        date: new Date().toISOString(),
        node: process.version,
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model ?? 'unknown',
        tasks: options.tasks,
        seconds: options.seconds,
        warmupSeconds: options.warmupSeconds,
        concurrency: options.concurrency,
        notes,
      },
      cells,
      overhead: {
        engineTasks,
        engineCreateTask,
        httpTasks,
        httpTasksMinusRawQueryP50: find('tasks (GraphQL)', 1).p50Ms - find('Query (raw SDK)', 1).p50Ms,
        typenameMinus404P50: find('{ __typename }', 1).p50Ms - find('HTTP 404 (transport)', 1).p50Ms,
      },
      goals: {
        throughput: { ratios, met: Object.values(ratios).every((r) => r >= THROUGHPUT_GOAL) },
        overhead: { p50Ms: engineTasks.p50, met: engineTasks.p50 < OVERHEAD_GOAL_MS },
      },
    };

    if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else process.stdout.write(report(results));
    const failed = cells.filter((c) => c.errors > 0);
    if (failed.length) say(`WARNING: errors in ${failed.map((c) => `${c.operation} c=${c.concurrency} (${c.errors})`).join(', ')}`);
    return 0;
  } finally {
    say('stopping');
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (error) {
        say(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/**
 * Calls `step` one request at a time: for the warm-up with `measured = false`, then for the
 * measured duration with `measured = true`.
 */
async function sequential(timing: CellTiming, step: (measured: boolean) => Promise<void>): Promise<void> {
  const start = process.hrtime.bigint();
  const measureFrom = start + BigInt(Math.round(timing.warmupSeconds * 1e9));
  const stopAt = measureFrom + BigInt(Math.round(timing.seconds * 1e9));
  for (let now = start; now < stopAt; now = process.hrtime.bigint()) await step(now >= measureFrom);
}

/**
 * An engine over the stack's own schema, rules and resolvers (so the same data sources and
 * DynamoDB client), with an authenticator built as `startLocalStack` builds it. It lets the
 * benchmark call `engine.handle` without HTTP, which the stack does not expose.
 */
function buildEngine(stack: LocalStack, config: SecureTaskConfig): Engine {
  const lambdaMode = api.authModes.find((m) => m.type === 'AWS_LAMBDA');
  if (lambdaMode?.type !== 'AWS_LAMBDA') throw new Error('the API has no AWS_LAMBDA auth mode');
  const authenticate = createAuthenticator({
    modes: api.authModes.map((m) => m.type),
    lambda: createLambdaAuthorizer({
      invoke: (event: AuthorizerEvent) => stack.api.invokeFunction(lambdaMode.function, event),
      resultTtlSeconds: config.authorizerResultTtlSeconds,
      identityValidationExpression: lambdaMode.identityValidationExpression,
    }),
    apiKeys: () => [],
    iamCredentials: () => undefined,
    region: config.region,
    apiId: LOCAL_API_ID,
    accountId: LOCAL_ACCOUNT_ID,
  });
  return createEngine({
    schema: stack.api.schema,
    rules: stack.api.rules,
    resolvers: stack.api.resolvers,
    authenticate,
    env: { ...tableEnvironment(api, config.stage), ...api.resolverEnvironment },
    domainName: new URL(stack.graphqlUrl).host,
  });
}

/** The human-readable report: the table, the overhead figures and the two goals. */
function report(results: BenchResults): string {
  const lines: string[] = [];
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
  const { meta, overhead, goals } = results;
  lines.push('', `bench/api  ${meta.date}  node ${meta.node}  ${meta.cpus} CPU(s) ${meta.cpuModel}`);
  lines.push(`${meta.tasks} tasks seeded; ${meta.seconds} s per cell after ${meta.warmupSeconds} s warm-up`);
  for (const note of meta.notes) lines.push(`note: ${note}`);
  lines.push('');
  const header = ['operation', 'concurrency', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const rows = results.cells.map((c) => [c.operation, String(c.concurrency), c.requestsPerSecond.toFixed(0), ms(c.p50Ms), ms(c.p99Ms), `${c.errors}/${c.requests}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cols: string[]) => cols.map((col, i) => (i === 0 ? col.padEnd(widths[i]) : col.padStart(widths[i]))).join('  ');
  lines.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), '');

  lines.push('runtime overhead per request: its time minus its own time in DynamoDBClient.send; one request at a time,');
  lines.push('each followed by the equivalent raw SDK call:');
  const overheadLines = (name: string, o: Overhead, whole: string, rawName: string) => [
    `  ${name}`,
    `      p50 ${ms(o.p50)} ms  p99 ${ms(o.p99)} ms  [${whole} ${ms(o.totalP50)} ms p50, of which DynamoDB ${ms(o.dynamodbP50)} ms p50; ` +
      `raw ${rawName} ${ms(o.rawP50)} ms p50; ${o.samples} requests]`,
  ];
  lines.push(...overheadLines('tasks, engine.handle in process (no HTTP)', overhead.engineTasks, 'engine + JSON answer', 'Query'));
  lines.push(...overheadLines('createTask, engine.handle in process (no HTTP)', overhead.engineCreateTask, 'engine + JSON answer', 'PutItem'));
  lines.push(...overheadLines('tasks over HTTP (adds the HTTP client and server)', overhead.httpTasks, 'HTTP round trip', 'Query'));
  lines.push(`  tasks p50 minus raw Query p50, table cells at c=1 (adds HTTP, and any difference in DynamoDB time): ${ms(overhead.httpTasksMinusRawQueryP50)} ms`);
  lines.push(`  { __typename } p50 minus HTTP 404 p50 (auth from cache, cached parse/validate, execute; no resolver): ${ms(overhead.typenameMinus404P50)} ms`);
  lines.push('');

  const ratios = Object.entries(goals.throughput.ratios).map(([c, r]) => `c=${c} ${(r * 100).toFixed(0)} %`).join(', ');
  lines.push(`goal: tasks >= ${THROUGHPUT_GOAL * 100} % of raw Query throughput at every concurrency: ${ratios}  ${goals.throughput.met ? 'PASS' : 'MISS'}`);
  lines.push(`goal: runtime overhead < ${OVERHEAD_GOAL_MS} ms at p50 (tasks, engine in process): ${ms(goals.overhead.p50Ms)} ms  ${goals.overhead.met ? 'PASS' : 'MISS'}`);
  lines.push('');
  return lines.join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const detail = error instanceof UsageError || !(error instanceof Error) ? '' : `\n${error.stack ?? ''}`;
    process.stderr.write(`bench/api failed: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
    process.exit(1);
  },
);
