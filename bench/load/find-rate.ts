/**
 * `--find-rate`: short steps at rising rates; a step passes when its p99 is under the goal,
 * nothing failed (board requests and verifications), nothing was dropped or left unanswered,
 * the load generator sent on time, the answered rate is within 5 % of the target, and the
 * fan-out kept up (every event of the step reached every subscriber within
 * {@link FAN_OUT_GRACE_MS} of its end).
 * The steps stop at the first failure; one more step then tries the middle between the last
 * pass and the failure. The highest passing rate is the one to hold.
 */
import type { PhaseResult, LoadRun } from './phase.ts';
import { runPhase } from './phase.ts';

/** One step and its verdict. */
export interface Step {
  phase: PhaseResult;
  /** Every event acknowledged so far had reached every subscriber by the end of the drain. */
  fanOutKeptUp: boolean;
  /** Empty when the step passed. */
  failures: string[];
}

export interface FindRateSettings {
  startRate: number;
  stepFactor: number;
  stepSeconds: number;
  maxRate: number;
  p99GoalMs: number;
}

/** Runs the steps; `chosen` is undefined when not even the first step passed. */
export async function findRate(run: LoadRun, settings: FindRateSettings): Promise<{ steps: Step[]; chosen?: number }> {
  const steps: Step[] = [];
  let passed: number | undefined;
  let failed: number | undefined;
  let rate = settings.startRate;
  let refined = false;
  while (!run.signal.aborted && run.budget.left > 0) {
    const step = await runStep(run, settings, rate);
    steps.push(step);
    run.say(step.failures.length ? `  step at ${rate}/s fails: ${step.failures.join('; ')}` : `  step at ${rate}/s passes`);
    if (step.failures.length === 0) passed = rate;
    else failed = Math.min(failed ?? Infinity, rate);

    if (failed === undefined) {
      if (rate >= settings.maxRate) break;
      rate = Math.min(settings.maxRate, Math.max(rate + 5, Math.round(rate * settings.stepFactor)));
      continue;
    }
    // One refinement: the middle of the last pass and the first failure, when they are far enough apart.
    if (refined || passed === undefined || failed / passed < 1.1) break;
    refined = true;
    rate = Math.round((passed + failed) / 2);
  }
  return { steps, chosen: passed };
}

/**
 * How far behind the fan-out may be when a step ends. A fan-out slower than the writes builds a
 * backlog that grows with time: 30 s steps with a longer grace (15 s at first) passed rates at
 * which a 10-minute hold then fell minutes behind.
 */
export const FAN_OUT_GRACE_MS = 3_000;

async function runStep(run: LoadRun, settings: FindRateSettings, rate: number): Promise<Step> {
  const phase = await runPhase(run, `step ${rate}/s`, rate, settings.stepSeconds);
  const fanOutKeptUp = await run.subscribers.drain(run.expected, FAN_OUT_GRACE_MS, FAN_OUT_GRACE_MS);
  const overall = phase.recorder.overall();
  const failures: string[] = [];
  if (!(overall.p99 < settings.p99GoalMs)) failures.push(`p99 ${overall.p99.toFixed(1)} ms`);
  if (phase.recorder.errors > 0) failures.push(`${phase.recorder.errors} error(s)`);
  if (phase.verificationErrors > 0) failures.push(`${phase.verificationErrors} verification error(s)`);
  if (phase.loop.dropped > 0) failures.push(`${phase.loop.dropped} dropped`);
  if (phase.loop.abandoned > 0) failures.push(`${phase.loop.abandoned} unanswered`);
  if (phase.loop.late > phase.loop.sent * 0.01) failures.push(`${phase.loop.late} sent late (the load generator could not keep up)`);
  if (phase.achievedRate < rate * 0.95) failures.push(`answered ${phase.achievedRate.toFixed(1)}/s`);
  if (!fanOutKeptUp) failures.push(`the fan-out fell behind (events still missing ${FAN_OUT_GRACE_MS / 1000} s after the step)`);
  return { phase, fanOutKeptUp, failures };
}
