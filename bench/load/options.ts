/** The command line of bench/load: every knob, its default, and the checks on it. */
import { parseArgs } from 'node:util';

export const USAGE = `usage: node --import tsx bench/load/run.ts [options]

  --minutes 10            how long to hold the rate (the measured run)
  --rate <n>              hold this many requests per second (open loop)
  --find-rate             (the default without --rate) step the rate up first, pick the highest
                          step with p99 < --p99-goal ms, no errors, nothing dropped and the
                          fan-out keeping up; then hold it for --minutes
  --start-rate 20         find-rate: the first step's rate
  --step-factor 1.25      find-rate: each step is this much faster (at least +5/s)
  --step-seconds 30       find-rate: the length of a step
  --max-rate 2000         find-rate: never step above this
  --subscribers 4         onTaskEvent WebSocket subscribers held open for the whole run
  --verify-every 30       seconds between identity verifications (0: none)
  --tasks 2000            tasks seeded before measuring (createTask, assigned to members)
  --users 20              users: one admin and the rest members
  --warmup-seconds 15     unmeasured load before the first measured phase
  --max-in-flight 256     requests out at once; an arrival beyond it is dropped (and counted)
  --timeout-ms 10000      a request still unanswered after this counts as a timeout error
  --p99-goal 100          the latency goal, in ms
  --progress-seconds 10   how often progress is printed (stderr)
  --sample-seconds 10     how often the runtime's memory is read (no GC)
  --gc-every 60           seconds between forced-GC heap readings while holding (0: start and end only)
  --max-requests 2000000  hard cap on requests sent in the whole run
  --max-total-minutes <m> hard cap on the whole run, set-up included (default: --minutes + 30)
  --seed 1                seed of the workload's random choices
  --json                  print the results as JSON instead of the Markdown report`;

/** Everything a run is told. */
export interface LoadOptions {
  minutes: number;
  /** Undefined: find the rate first. */
  rate?: number;
  startRate: number;
  stepFactor: number;
  stepSeconds: number;
  maxRate: number;
  subscribers: number;
  verifyEverySeconds: number;
  tasks: number;
  users: number;
  warmupSeconds: number;
  maxInFlight: number;
  timeoutMs: number;
  p99GoalMs: number;
  progressSeconds: number;
  sampleSeconds: number;
  gcEverySeconds: number;
  maxRequests: number;
  maxTotalMinutes: number;
  seed: number;
  json: boolean;
}

/** Reads argv; prints USAGE and exits on --help; throws with a clear message on nonsense. */
export function readOptions(args = process.argv.slice(2)): LoadOptions {
  const { values } = parseArgs({
    args,
    options: {
      minutes: { type: 'string', default: '10' },
      rate: { type: 'string' },
      'find-rate': { type: 'boolean', default: false },
      'start-rate': { type: 'string', default: '20' },
      'step-factor': { type: 'string', default: '1.25' },
      'step-seconds': { type: 'string', default: '30' },
      'max-rate': { type: 'string', default: '2000' },
      subscribers: { type: 'string', default: '4' },
      'verify-every': { type: 'string', default: '30' },
      tasks: { type: 'string', default: '2000' },
      users: { type: 'string', default: '20' },
      'warmup-seconds': { type: 'string', default: '15' },
      'max-in-flight': { type: 'string', default: '256' },
      'timeout-ms': { type: 'string', default: '10000' },
      'p99-goal': { type: 'string', default: '100' },
      'progress-seconds': { type: 'string', default: '10' },
      'sample-seconds': { type: 'string', default: '10' },
      'gc-every': { type: 'string', default: '60' },
      'max-requests': { type: 'string', default: '2000000' },
      'max-total-minutes': { type: 'string' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const number = (name: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  if (values.rate !== undefined && values['find-rate']) throw new Error('give either --rate <n> or --find-rate, not both');
  const minutes = number('minutes', values.minutes, 0.1, 24 * 60);
  const users = Math.floor(number('users', values.users, 2, 1000));
  return {
    minutes,
    rate: values.rate === undefined ? undefined : number('rate', values.rate, 0.1, 100_000),
    startRate: number('start-rate', values['start-rate'], 0.1, 100_000),
    stepFactor: number('step-factor', values['step-factor'], 1.01, 10),
    stepSeconds: number('step-seconds', values['step-seconds'], 1, 3600),
    maxRate: number('max-rate', values['max-rate'], 1, 100_000),
    subscribers: Math.floor(number('subscribers', values.subscribers, 0, 10_000)),
    verifyEverySeconds: number('verify-every', values['verify-every'], 0, 3600),
    // Each member owns tasks; moves take 5 of one member's idle tasks at once.
    tasks: Math.floor(number('tasks(boardId: "main")', values.tasks, (users - 1) * 10, 1_000_000)),
    users,
    warmupSeconds: number('warmup-seconds', values['warmup-seconds'], 0, 3600),
    maxInFlight: Math.floor(number('max-in-flight', values['max-in-flight'], 1, 100_000)),
    timeoutMs: number('timeout-ms', values['timeout-ms'], 100, 600_000),
    p99GoalMs: number('p99-goal', values['p99-goal'], 1, 60_000),
    progressSeconds: number('progress-seconds', values['progress-seconds'], 1, 3600),
    sampleSeconds: number('sample-seconds', values['sample-seconds'], 1, 3600),
    gcEverySeconds: number('gc-every', values['gc-every'], 0, 24 * 3600),
    maxRequests: Math.floor(number('max-requests', values['max-requests'], 1)),
    maxTotalMinutes: values['max-total-minutes'] === undefined ? minutes + 30 : number('max-total-minutes', values['max-total-minutes'], 1, 48 * 60),
    seed: Math.floor(number('seed', values.seed, 0)),
    json: values.json,
  };
}
