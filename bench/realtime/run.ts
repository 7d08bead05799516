/**
 * bench/realtime: delivery latency, throughput and memory of an AppSync-protocol real-time
 * endpoint. By default it starts SecureTask's local stack as a child process; with `--endpoint`
 * it measures any AppSync-protocol server (see USAGE, and BENCHMARKS.md for what each figure is).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { headerMaker, parseAuth, realtimeUrlOf, type AuthSpec } from './auth.ts';
import { createPublisher, SubscriberPool } from './clients.ts';
import { measureLatency, measureThroughput, type EventSource, type LatencyResult } from './delivery.ts';
import { profileServer } from './inspector.ts';
import { measureMemory } from './memory.ts';
import { formatReport, judgeGoals, type RealtimeResults } from './report.ts';
import { measureStreamPath } from './stream.ts';
import { cpuSeconds, startLocalTarget, type LocalTarget } from './target.ts';
import { say } from '../say.ts';

const USAGE = `usage: node --import tsx bench/realtime/run.ts [options]

  (no --endpoint)              start the local stack as a child process and measure it
  --endpoint <graphql url>     measure this AppSync-protocol endpoint instead
  --realtime-endpoint <url>    its real-time URL (default: derived as AppSync clients do)
  --auth <a>                   subscribers: apikey:<key> | lambda:<token> | iam (AWS_* env)
                               (local default: lambda:<token for bench@example.com>)
  --publish-auth <a>           the mutation side, same forms (default: iam; locally the local IAM user)
  --subscription <doc>         default: subscription { onTaskEvent(boardId: "main") { sequence taskId type } }
  --mutation <doc>             default: publishTaskEvent(event: $event) { boardId sequence taskId type }
                               (AppSync filters subscribers on the fields the mutation selects: boardId must be there)
  --variables <json>           the mutation's variables; "{{sequence}}" and {{now}} are filled in
  --subscribers 1,100,1000     subscriber counts for figure (1); the largest also serves (2)
  --events 20                  measured events per count in (1), after --warmup 3
  --seconds 10                 length of (2); --publishers 4 publishing loops
  --memory 1000,2000           idle connection counts for (3) (local only)
  --stream-samples 30          samples for (4) (local only)
  --only latency,throughput,memory,stream
  --server-profile <prefix>    CPU-profile the local server through its inspector during (1) at the
                               largest count and during (2): <prefix>-latency.cpuprofile, <prefix>-throughput.cpuprofile
  --server-node-flags "<f>"    extra Node flags for the local child (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p")
  --project <dir>              run another checkout's server (local only), for a before/after in one session
  --json                       machine-readable results on stdout (progress stays on stderr)`;

const DEFAULT_SUBSCRIPTION = 'subscription OnTaskEvent { onTaskEvent(boardId: "main") { sequence taskId type } }';
const DEFAULT_MUTATION = 'mutation Publish($event: TaskEventInput!) { publishTaskEvent(event: $event) { boardId sequence taskId type } }';
const DEFAULT_VARIABLES = JSON.stringify({ event: { boardId: 'main', sequence: '{{sequence}}', type: 'TASK_UPDATED', taskId: 'bench-{{sequence}}', changes: [], at: '{{now}}' } });
const FIGURES = ['latency', 'throughput', 'memory', 'stream'];

function readOptions() {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      'realtime-endpoint': { type: 'string' },
      auth: { type: 'string' },
      'publish-auth': { type: 'string' },
      subscription: { type: 'string', default: DEFAULT_SUBSCRIPTION },
      mutation: { type: 'string', default: DEFAULT_MUTATION },
      variables: { type: 'string', default: DEFAULT_VARIABLES },
      subscribers: { type: 'string', default: '1,100,1000' },
      events: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '10' },
      publishers: { type: 'string', default: '4' },
      memory: { type: 'string', default: '1000,2000' },
      'stream-samples': { type: 'string', default: '30' },
      only: { type: 'string', default: FIGURES.join(',') },
      'server-node-flags': { type: 'string', default: '' },
      'server-profile': { type: 'string' },
      project: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const count = (name: string, raw: string, min = 1) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}, got "${raw}"`);
    return n;
  };
  const list = (name: string, raw: string) => raw.split(',').filter(Boolean).map((r) => count(name, r.trim()));
  const only = new Set(values.only.split(',').map((f) => f.trim()));
  for (const figure of only) if (!FIGURES.includes(figure)) throw new Error(`--only takes ${FIGURES.join(', ')}; got "${figure}"`);
  JSON.parse(values.variables); // fails early on bad JSON
  if (values.endpoint && !values.auth) throw new Error('--endpoint needs --auth (apikey:<key> | lambda:<token> | iam)');
  return {
    ...values,
    subscriberCounts: list('subscribers', values.subscribers).sort((a, b) => a - b),
    events: count('events', values.events),
    warmup: count('warmup', values.warmup, 0),
    seconds: count('seconds', values.seconds),
    publishers: count('publishers', values.publishers),
    memorySteps: list('memory', values.memory).sort((a, b) => a - b),
    streamSamples: count('stream-samples', values['stream-samples']),
    only,
  };
}

function openFilesLimit(): string {
  try {
    return /Max open files\s+(\S+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const describeAuth = (spec: AuthSpec) => (spec.mode === 'iam' ? `iam (${spec.region})` : spec.mode);

async function main(): Promise<number> {
  const options = readOptions();
  const limit = openFilesLimit();
  const notes: string[] = [];
  const biggest = Math.max(...options.subscriberCounts, ...(options.only.has('memory') && !options.endpoint ? options.memorySteps : [0]));
  if (limit !== 'unlimited' && Number(limit) < Math.max(4096, biggest + 100)) {
    notes.push(`ulimit -n is ${limit}: below ~4096, so large subscriber counts may fail with EMFILE (the benchmark does not raise it).`);
    say(`warning: ${notes.at(-1)}`);
  }

  let local: LocalTarget | undefined;
  let failed: string | undefined;
  const onSignal = () => void (local?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!options.endpoint) {
      say('starting the local stack as a child process (node bin/securetask.js start)');
      local = await startLocalTarget({ nodeFlags: options['server-node-flags'].split(/\s+/).filter(Boolean), projectRoot: options.project && path.resolve(options.project), say });
    }
    const graphqlUrl = options.endpoint ?? local!.graphqlUrl;
    const realtimeUrl = options['realtime-endpoint'] ?? (local ? local.realtimeUrl : realtimeUrlOf(graphqlUrl));
    const iamDefaults = local ? { credentials: local.iam, region: local.region } : undefined;
    const subscriberAuth = options.auth ? parseAuth(options.auth, iamDefaults) : { mode: 'lambda' as const, token: local!.token };
    const publishAuth = parseAuth(options['publish-auth'] ?? 'iam', iamDefaults);
    const subscriberHeaders = headerMaker(subscriberAuth);
    const pool = new SubscriberPool({ graphqlUrl, realtimeUrl, headers: subscriberHeaders, subscription: options.subscription });
    const publisher = createPublisher(graphqlUrl, headerMaker(publishAuth), options.publishers);
    let sequence = Math.floor(Date.now() / 1000) * 1000; // unique across runs against a shared endpoint, within Int range for a while
    sequence %= 2 ** 31 - 10_000_000;
    const source: EventSource = { publisher, mutation: options.mutation, variables: options.variables, nextSequence: () => sequence++ };
    const results: RealtimeResults = {
      meta: {
        date: new Date().toISOString(),
        target: local ? 'local stack (child process)' : 'external endpoint',
        graphqlUrl,
        subscriberAuth: describeAuth(subscriberAuth),
        publishAuth: describeAuth(publishAuth),
        node: process.version,
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model ?? 'unknown',
        openFilesLimit: limit,
        notes,
      },
      latency: [],
      skipped: [],
      goals: [],
    };
    /** Runs `phase`, CPU-profiling the local server meanwhile when --server-profile asks for it. */
    const profiled = async <T>(name: string, phase: () => Promise<T>): Promise<T> => {
      const prefix = options['server-profile'];
      if (!prefix || !local?.inspectorUrl) return phase();
      const stop = await profileServer(local.inspectorUrl, `${prefix}-${name}.cpuprofile`);
      try {
        return await phase();
      } finally {
        await stop();
        say(`  server CPU profile: ${prefix}-${name}.cpuprofile`);
      }
    };
    const largest = options.subscriberCounts.at(-1)!;
    const progress = (what: string) => (opened: number) => {
      if (opened % 250 === 0) say(`  ${what}: ${opened} connections open`);
    };

    if (options.only.has('memory')) {
      if (!local) results.skipped.push({ figure: 'memory per idle connection', reason: 'the server is not a child process of this benchmark, so its memory cannot be read' });
      else {
        say(`(3) memory per idle connection: ${options.memorySteps.join(', ')} connections`);
        results.memory = await measureMemory(pool, local.pid, local.inspectorUrl, options.memorySteps, say);
      }
    }

    if (options.only.has('latency') || options.only.has('throughput')) {
      for (const subscribers of options.only.has('latency') ? options.subscriberCounts : [largest]) {
        say(`opening subscribers: ${pool.open.length} -> ${subscribers}`);
        const started = Date.now();
        await pool.grow(subscribers - pool.open.length, 50, progress('subscribers'));
        say(`  ${subscribers} subscribers acknowledged in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        if (!options.only.has('latency')) break;
        say(`(1) latency: ${options.events} events one at a time to ${subscribers} subscriber(s)`);
        const measure = () => measureLatency(pool, source, options.events, options.warmup);
        const latency: LatencyResult = subscribers === largest ? await profiled('latency', measure) : await measure();
        say(`  p50 ${latency.fromResponse.p50.toFixed(2)} ms, p99 ${latency.fromResponse.p99.toFixed(2)} ms, missing ${latency.missing}, duplicates ${latency.duplicates}`);
        results.latency.push(latency);
      }
      if (options.only.has('throughput')) {
        say(`(2) throughput: ${options.publishers} publishers for ${options.seconds} s to ${pool.open.length} subscribers`);
        const wall0 = performance.now();
        const [server0, client0] = [local ? await cpuSeconds(local.pid) : undefined, process.cpuUsage()];
        results.throughput = await profiled('throughput', () => measureThroughput(pool, source, options.publishers, options.seconds));
        const wallSeconds = (performance.now() - wall0) / 1000;
        const client = process.cpuUsage(client0);
        results.throughput.cpu = {
          server: local && server0 !== undefined ? ((await cpuSeconds(local.pid)) - server0) / wallSeconds : undefined,
          loadGenerator: (client.user + client.system) / 1e6 / wallSeconds,
        };
        say(`  ${Math.round(results.throughput.deliveriesPerSecond)} deliveries/s (${results.throughput.eventsPerSecond.toFixed(1)} events/s)`);
      }
      await pool.shrinkTo(0);
    }
    if (pool.unexpectedCount) notes.push(`subscribers received ${pool.unexpectedCount} unexpected message(s), e.g. ${pool.unexpected[0]}`);

    if (options.only.has('stream')) {
      if (!local) results.skipped.push({ figure: 'stream path', reason: "it needs SecureTask's createTask and its DynamoDB stream fan-out, which only the local stack is known to have" });
      else {
        say(`(4) stream path: ${options.streamSamples} createTask -> TASK_CREATED samples, one at a time`);
        const lambda = headerMaker({ mode: 'lambda', token: local.token });
        const tasks = createPublisher(graphqlUrl, lambda, 1);
        try {
          results.stream = await measureStreamPath({ graphqlUrl, realtimeUrl, headers: lambda, publisher: tasks, samples: options.streamSamples, say });
        } catch (error) {
          // The figures already taken are still reported; the run exits non-zero.
          failed = `stream path failed: ${error instanceof Error ? error.message : String(error)}`;
          results.skipped.push({ figure: 'stream path', reason: failed });
        } finally {
          tasks.close();
        }
      }
    }
    publisher.close();
    results.goals = judgeGoals(results);
    process.stdout.write(options.json ? JSON.stringify(results, null, 2) + '\n' : formatReport(results));
    if (failed) say(`bench/realtime: ${failed}`);
    return failed ? 1 : 0;
  } finally {
    if (local) {
      say('stopping the local stack');
      await local.stop();
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`bench/realtime failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
