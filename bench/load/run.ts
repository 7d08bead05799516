/**
 * bench/load (issue #8): a mixed workload against the local runtime, on loopback, at the
 * highest rate the machine sustains with p99 under 100 ms, for at least 10 minutes.
 *
 *   node --import tsx bench/load/run.ts [--minutes 10] [--rate N | --find-rate] [--subscribers 4] ... (--help)
 *
 * The run, top to bottom:
 *
 * 1. Start the runtime as people do, `securetask start` in a child process on a temporary data
 *    folder with PORT=0 (runtime.ts says why a child process).
 * 2. Seed the board: an admin and members with tokens, 2,000 tasks through createTask; wait for
 *    the fan-out to settle (board.ts).
 * 3. Open the onTaskEvent subscribers (subscribers.ts) and start the verification trickle
 *    (verifications.ts); sample the runtime's memory (memory.ts).
 * 4. Warm up, then (with --find-rate, the default) step the rate up (find-rate.ts), then hold the
 *    chosen rate for --minutes: an open loop (scheduler.ts) of the mix in mix.ts (phase.ts).
 * 5. Stop the trickle, let the subscribers drain, read the server's event log, and compare
 *    acknowledged writes, published events and each subscriber's deliveries (events.ts).
 * 6. Print progress to stderr as it goes and the Markdown report (report.ts) to stdout; exit 1
 *    on any error or any lost or duplicated event.
 *
 * Bounded: --max-requests and --max-total-minutes are hard caps; Ctrl-C (or SIGTERM) stops the
 * phase, and everything started here (the runtime, and DynamoDB Local with it) is stopped on any
 * way out. A second Ctrl-C stops the runtime at once and exits.
 */
import { performance } from 'node:perf_hooks';
import { facesAvailable, facesDir } from '../../test/helpers/faces.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { makeTeam, seedTasks, waitForSettle, type Team } from './board.ts';
import { auditPublished, ExpectedEvents, lastSequence, readPublished } from './events.ts';
import { findRate, type Step } from './find-rate.ts';
import { MemorySampler, type MemorySample } from './memory.ts';
import { readOptions, type LoadOptions } from './options.ts';
import { runPhase, type LoadRun, type PhaseResult } from './phase.ts';
import { formatReport, judge, memorySection, meta, summarizePhase, verificationSection, type LoadResults } from './report.ts';
import { deadLetters, startRuntime, type Runtime } from './runtime.ts';
import { Subscribers } from './subscribers.ts';
import { VerificationTrickle } from './verifications.ts';
import { isAlive } from '../../lib/processes.ts';
import { say } from '../say.ts';

/** Requests per user's keep-alive agent: about what a browser opens to one host. */
const SOCKETS_PER_USER = 16;

async function main(): Promise<number> {
  const options = readOptions();
  const notes: string[] = [];
  const abort = new AbortController();
  const stopReason = (reason: string) => {
    if (abort.signal.aborted) return;
    notes.push(`The run was cut short: ${reason}.`);
    say(`\nbench/load: ${reason}: stopping`);
    abort.abort();
  };

  // Hard cap on the whole run; a run that cannot stop within 2 more minutes is ended outright.
  const capTimer = setTimeout(() => {
    stopReason(`--max-total-minutes (${options.maxTotalMinutes}) reached`);
    setTimeout(() => void emergencyStop('the run did not stop within 2 minutes of its time cap'), 120_000).unref();
  }, options.maxTotalMinutes * 60_000).unref();

  let runtime: Runtime | undefined;
  let starting: Promise<Runtime> | undefined;
  let runtimeWatch: NodeJS.Timeout | undefined;
  let subscribers: Subscribers | undefined;
  let trickle: VerificationTrickle | undefined;
  let sampler: MemorySampler | undefined;
  let team: Team | undefined;
  const emergencyStop = async (why: string, code = 1) => {
    say(`bench/load: ${why}; stopping the runtime`);
    // A runtime still starting has no handle yet: wait for it, then stop it (startLocalTarget stops it itself if it fails).
    if (!runtime && starting) runtime = await starting.catch(() => undefined);
    await runtime?.stop();
    process.exit(code);
  };
  // During set-up a signal stops at once; during the load the first one ends the phase and still reports.
  let loadStarted = false;
  let signals = 0;
  const onSignal = (signal: string) => {
    signals += 1;
    if (signals === 1 && loadStarted) stopReason(`${signal} received (again to stop at once)`);
    else void emergencyStop(`${signal} received`, 130);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  try {
    say(`bench/load: ${describe(options)}`);
    say('starting the runtime: securetask start (child process, temporary data folder, PORT=0)');
    starting = startRuntime({ tokenLifetimeSeconds: options.maxTotalMinutes * 60 + 600, say });
    runtime = await starting;
    // A runtime that dies mid-run ends the load (and the report says so) instead of a flood of errors.
    const watched = runtime;
    runtimeWatch = setInterval(() => {
      if (!isAlive(watched.pid)) stopReason(`the runtime process (pid ${watched.pid}) exited`);
    }, 2_000).unref();

    say(`making ${options.users} users (1 admin, ${options.users - 1} members) with session tokens`);
    team = await makeTeam(runtime, options.users, SOCKETS_PER_USER, options.timeoutMs);
    const random = seededRandom(options.seed);
    say(`seeding ${options.tasks} tasks through createTask`);
    const seedStart = performance.now();
    const book = await seedTasks(team, options.tasks, random, say);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    say('waiting for the fan-out to settle (task events, board counters, notifications)');
    const settleStart = performance.now();
    await waitForSettle(runtime, team, options.tasks, say);
    const settleSeconds = (performance.now() - settleStart) / 1000;
    say(`  settled in ${settleSeconds.toFixed(0)} s`);

    sampler = await MemorySampler.open(runtime);
    if (!runtime.inspectorUrl) notes.push('The runtime has no inspector: memory is RSS only, without forced GCs.');
    await sampler.read(true);
    sampler.every(options.sampleSeconds * 1000);

    const firstSequence = await lastSequence(team.admin.client);
    say(`opening ${options.subscribers} onTaskEvent subscriber(s) (the event log is at sequence ${firstSequence})`);
    subscribers = await Subscribers.open(runtime.graphqlUrl, runtime.realtimeUrl, team.everyone, options.subscribers);
    if (options.verifyEverySeconds > 0 && !facesAvailable) notes.push(`No verifications: the face images are not in ${facesDir}.`);
    if (options.verifyEverySeconds > 0 && facesAvailable) {
      trickle = new VerificationTrickle(runtime.graphqlUrl, runtime.apiKey, team.admin, Math.max(options.timeoutMs, 60_000), runtime.liveness);
      await trickle.start(options.verifyEverySeconds * 1000);
      say(`verifications: one every ${options.verifyEverySeconds} s`);
    }

    const expected = new ExpectedEvents();
    loadStarted = true;
    const run: LoadRun = {
      runtime,
      team,
      book,
      expected,
      subscribers,
      trickle,
      sampler,
      budget: { left: options.maxRequests },
      random,
      signal: abort.signal,
      maxInFlight: options.maxInFlight,
      timeoutMs: options.timeoutMs,
      progressSeconds: options.progressSeconds,
      say,
    };

    if (options.warmupSeconds > 0 && !abort.signal.aborted) {
      const warmRate = options.rate ?? options.startRate;
      say(`warming up: ${options.warmupSeconds} s at ${warmRate} req/s (not measured)`);
      await runPhase(run, 'warm-up', warmRate, options.warmupSeconds);
      await subscribers.drain(expected, 5_000, 15_000);
    }

    let steps: Step[] = [];
    let foundRate: number | undefined;
    if (options.rate === undefined && !abort.signal.aborted) {
      say(`finding the rate: ${options.stepSeconds} s steps from ${options.startRate} req/s, x${options.stepFactor}`);
      ({ steps, chosen: foundRate } = await findRate(run, options));
      if (foundRate === undefined) notes.push(`No find-rate step met the goal; the hold ran at the first step's rate (${options.startRate} req/s).`);
    }
    const holdRate = options.rate ?? foundRate ?? options.startRate;

    let hold: PhaseResult | undefined;
    if (!abort.signal.aborted) {
      say(`holding ${holdRate} req/s for ${options.minutes} min`);
      sampler.phase = 'hold';
      await sampler.read(true);
      sampler.forceGcEvery(options.gcEverySeconds * 1000);
      hold = await runPhase(run, 'hold', holdRate, options.minutes * 60);
      sampler.stopForcedGc();
    }

    say('stopping the verification trickle and letting the subscribers drain');
    await trickle?.stop();
    // Patient: on a busy machine the fan-out can run seconds behind; 30 s without a single delivery means stuck.
    const drainStart = performance.now();
    const drained = await subscribers.drain(expected, 30_000, 180_000);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    sampler.phase = 'end';
    const lastMemory: MemorySample | undefined = await sampler.read(true).catch((error: Error) => {
      notes.push(`The last memory reading failed: ${error.message}`);
      return undefined;
    });
    const heap = lastMemory?.heapUsedBytes === undefined ? '–' : `${(lastMemory.heapUsedBytes / 2 ** 20).toFixed(1)} MiB`;
    say(`  ${drained ? 'every subscriber has every acknowledged event' : 'NOT every subscriber caught up'} after ${drainSeconds.toFixed(1)} s; runtime heap after GC ${heap}`);

    say('reading the server\'s task event log');
    const published = await readPublished(team.admin.client, firstSequence).then(
      (events) => events,
      (error: Error) => {
        notes.push(`The event log could not be read: ${error.message}`);
        return undefined;
      },
    );
    sampler.stop();

    const partial: Omit<LoadResults, 'verdict'> = {
      meta: meta(runtime.graphqlUrl, notes),
      options,
      setup: { tasks: options.tasks, users: options.users, subscribers: options.subscribers, seedSeconds, settleSeconds },
      steps: steps.map((s) => ({ ...summarizePhase(s.phase), failures: s.failures })),
      foundRate,
      hold: hold && summarizePhase(hold),
      verifications: trickle && verificationSection(trickle.counts, trickle.recorder.byOperation([]), trickle.recorder.errorKinds()),
      memory: memorySection(sampler.samples),
      events: {
        published: published && auditPublished(expected, published),
        subscribers: published ? subscribers.audit(published, expected) : [],
        drained,
        drainSeconds,
        unexpectedMessages: subscribers.unexpectedMessages(),
        deadLetters: await deadLetters(runtime.dataDir),
      },
    };
    if (book.retiredCount) notes.push(`${book.retiredCount} task(boardId: "main", s) took no more writes after a write on them failed.`);
    const results: LoadResults = { ...partial, verdict: judge(partial, options.p99GoalMs, abort.signal.aborted) };
    process.stdout.write(options.json ? JSON.stringify(results, null, 2) + '\n' : formatReport(results));
    return results.verdict.failures.length ? 1 : 0;
  } finally {
    clearTimeout(capTimer);
    clearInterval(runtimeWatch);
    sampler?.stop();
    await trickle?.stop().catch(() => {});
    await subscribers?.close().catch(() => {});
    for (const user of team?.everyone ?? []) user.client.close();
    if (runtime) {
      say('stopping the runtime');
      await runtime.stop();
    }
  }
}

function describe(o: LoadOptions): string {
  const rate = o.rate === undefined ? `find the rate (${o.stepSeconds} s steps from ${o.startRate}/s) then hold it` : `hold ${o.rate} req/s`;
  return `${rate} for ${o.minutes} min; ${o.tasks} tasks, ${o.users} users, ${o.subscribers} subscribers, verification every ${o.verifyEverySeconds || '–'} s; ` +
    `caps: ${o.maxRequests.toLocaleString('en-US')} requests, ${o.maxTotalMinutes} min in all`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`bench/load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
