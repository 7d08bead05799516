/**
 * The Face Liveness benchmark: genuine and attack sessions made from ../shared/faces, each run end
 * to end against the local stand-in with the real streaming client (create, stream over wss://,
 * decide, read the results), as ISO/IEC 30107-3 counts them:
 *
 * - APCER, per attack kind: the share of attack presentations accepted (SUCCEEDED with a
 *   confidence at or over the threshold);
 * - BPCER: the share of genuine (bona fide) presentations refused (FAILED, or under the threshold);
 * - the time to decide a session (last byte sent to DisconnectionEvent) p50/p95, the video sent in
 *   real time as the component's MediaRecorder sends it (a chunk a second; `--burst` sends it all at
 *   once, which leaves every frame's analysis for after the last byte), the process's peak
 *   memory, and what Human's passive antispoof and liveness models scored on each kind.
 *
 *   node --import tsx bench/liveness/run.ts [--half report|tuning|both] [--photos 2] [--cards 2]
 *     [--movement-every 3] [--burst] [--limit <people, taken in turn from each folder>] [--threshold 80] [--budget-minutes <m>] [--json] [--root ../shared/faces]
 *
 * How each kind is made: test/helpers/liveness-video.ts. Who is in which half: cast.ts. Replays
 * come two ways: `replay` is the recording of the person's genuine session of this run, played
 * into a new session through a virtual camera (decoded and encoded anew); `replay-unseen` is a
 * genuine clip filmed for another session's challenge (drawn by the stand-in's own challenge
 * function) that this service never received. Goals: APCER 0 % for still photos, ID cards and
 * replays, BPCER at most 5 %, decision p50 at most 2 s.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { challengeFromPlan, planChallenge, type ChallengeType } from '../../local/aws/rekognition/liveness/challenge.ts';
import { createFaceEngine } from '../../local/faces/engine.ts';
import { distribution, peakRssMb } from '../faces/measure.ts';
import { runLivenessStream } from '../../test/helpers/liveness-client.ts';
import { REGION, startLivenessStack } from '../../test/helpers/liveness-stack.ts';
import { locateFace, makeLivenessClip, type ClipKind, type LivenessClip, type SourceImage } from '../../test/helpers/liveness-video.ts';
import { cast, type Half } from './cast.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    half: { type: 'string', default: 'report' },
    photos: { type: 'string', default: '2' },
    cards: { type: 'string', default: '2' },
    'movement-every': { type: 'string', default: '3' },
    burst: { type: 'boolean' },
    limit: { type: 'string' },
    threshold: { type: 'string', default: '80' },
    'budget-minutes': { type: 'string' },
    json: { type: 'boolean' },
    root: { type: 'string', default: path.resolve(projectRoot, '..', 'shared', 'faces') },
  },
});
const root = path.resolve(values.root as string);
if (!existsSync(path.join(root, 'lfw'))) {
  console.error(`liveness bench: ${root} has no lfw/ (use --root)`);
  process.exit(2);
}
const threshold = Number(values.threshold);
const halves: Half[] = values.half === 'both' ? ['tuning', 'report'] : [values.half as Half];
const GOALS = { apcer: { 'still-photo': 0, 'id-card': 0, replay: 0, 'replay-unseen': 0 } as Record<string, number>, bpcer: 0.05, decideP50Ms: 2000 };

type TrialKind = ClipKind | 'replay-unseen';

interface Trial {
  half: Half;
  kind: TrialKind;
  challenge: ChallengeType;
  person: string;
  status?: string;
  confidence?: number;
  decisionMs?: number;
  /** The part of it spent judging the frames once all were analysed (the rest: frames still being analysed). */
  judgeMs?: number;
  error?: string;
  scores?: Record<string, number>;
  passive?: { antispoof: number[]; liveness: number[] };
}

const engine = await createFaceEngine();
const stack = await startLivenessStack({ engine });
const sources = new Map<string, Promise<SourceImage>>();
const source = (file: string) => {
  if (!sources.has(file)) sources.set(file, readFile(path.join(root, file)).then(async (bytes) => ({ bytes, face: await locateFace(engine, bytes) })));
  return sources.get(file)!;
};

const trials: Trial[] = [];
const started = Date.now();
const budgetMs = values['budget-minutes'] ? Number(values['budget-minutes']) * 60_000 : undefined;
let stoppedEarly: string | undefined;
for (const half of halves) {
  let people = cast(root).filter((p) => p.half === half);
  if (values.limit) people = spread(people, Number(values.limit));
  const plan: { kind: TrialKind; challenge: ChallengeType; person: (typeof people)[number]; photo: string; card?: string; second?: string; seed: number }[] = [];
  people.forEach((person, i) => {
    const photos = person.photos.slice(0, Number(values.photos));
    const seed = i * 101;
    // SecureTask asks for the light challenge (functions/verification/liveness-check.ts): every
    // kind runs under it. The movement challenge alone is measured on a few people too, to say
    // what it lets through (a recording made for another session whose oval is close to this one's).
    const asked: ChallengeType = 'FaceMovementAndLightChallenge';
    for (const [j, photo] of photos.entries()) plan.push({ kind: 'genuine', challenge: asked, person, photo, seed: seed + j });
    plan.push({ kind: 'still-photo', challenge: asked, person, photo: photos[0], seed: seed + 11 });
    plan.push({ kind: 'replay', challenge: asked, person, photo: photos[0], seed: seed + 12 });
    plan.push({ kind: 'replay-unseen', challenge: asked, person, photo: photos[0], seed: seed + 14 });
    plan.push({ kind: 'two-faces', challenge: asked, person, photo: photos[0], second: people[(i + 1) % people.length].photos[0], seed: seed + 13 });
    if (person.card) for (let k = 0; k < Number(values.cards); k++) plan.push({ kind: 'id-card', challenge: asked, person, photo: photos[0], card: person.card, seed: seed + 20 + k });
    if (i % Number(values['movement-every']) === 0) {
      plan.push({ kind: 'genuine', challenge: 'FaceMovementChallenge', person, photo: photos[0], seed: seed + 30 });
      plan.push({ kind: 'replay-unseen', challenge: 'FaceMovementChallenge', person, photo: photos[0], seed: seed + 31 });
    }
  });
  /** Each person's last genuine clip of this run, which their `replay` sends again. */
  const recordings = new Map<string, LivenessClip>();
  for (const [n, item] of plan.entries()) {
    // A loaded machine may not finish the plan: stop between sessions, and report what was run
    // (each figure says how many presentations it rests on).
    if (budgetMs !== undefined && Date.now() - started > budgetMs) {
      stoppedEarly = `stopped after ${n} of ${plan.length} planned sessions of the ${half} half (--budget-minutes ${values['budget-minutes']})`;
      break;
    }
    const trial: Trial = { half, kind: item.kind, challenge: item.challenge, person: item.person.name };
    try {
      const person = await source(item.photo);
      const card = item.card ? await source(item.card) : undefined;
      const second = item.second ? await source(item.second) : undefined;
      const sessionId = await stack.createSession({ Settings: { AuditImagesLimit: 1, ChallengePreferences: [{ Type: item.challenge }] } });
      // Filmed before the stream, for the challenge the session file says it will get (as a browser scenario does).
      const challenge = await stack.plannedChallenge(sessionId, item.challenge);
      // A recording made for another session: its own oval (and colours), from the stand-in's own draw.
      const replayOf = item.kind === 'replay-unseen' ? challengeFromPlan(planChallenge(), challenge.Type, challenge.Version, challenge.VideoWidth, challenge.VideoHeight) : undefined;
      const recording = item.kind === 'replay' ? recordings.get(item.person.name) : undefined;
      if (item.kind === 'replay' && !recording) throw new Error('no genuine recording of this person to replay');
      const kind: ClipKind = item.kind === 'replay-unseen' ? 'replay' : item.kind;
      const clip = await makeLivenessClip({ kind, person, card, second, challenge, replayOf, recording, seed: item.seed });
      if (item.kind === 'genuine' && item.challenge === 'FaceMovementAndLightChallenge') recordings.set(item.person.name, clip);
      const run = await runLivenessStream({ endpoint: stack.streamingEndpoint, region: REGION, credentials: stack.keys, sessionId, clip, behaviour: { realtime: !values.burst } });
      const result = await stack.results(sessionId);
      const file = await stack.sessionFile(sessionId);
      const checks = file.Result?.Checks as { scores?: Record<string, number>; passive?: { antispoof: number[]; liveness: number[] }; decideMs?: number } | undefined;
      Object.assign(trial, { status: result.Status, confidence: result.Confidence, decisionMs: run.decisionMs, judgeMs: checks?.decideMs, error: run.error?.name ?? file.FailureReason, scores: checks?.scores, passive: checks?.passive });
    } catch (error) {
      trial.error = error instanceof Error ? error.message : String(error);
    }
    trials.push(trial);
    if (!values.json) process.stderr.write(`  ${half} ${n + 1}/${plan.length} ${item.kind} ${item.challenge} ${item.person.name}: ${trial.status ?? 'error'} ${trial.confidence ?? ''} ${trial.error ?? ''}\n`);
  }
}
await stack.stop();
await engine.close();

/** `limit` people taken in turn from each folder (lfw, people, photos), so a short run still has ID cards. */
function spread<T extends { name: string }>(people: T[], limit: number): T[] {
  const byFolder = new Map<string, T[]>();
  for (const p of people) byFolder.set(p.name.split('/')[0], [...(byFolder.get(p.name.split('/')[0]) ?? []), p]);
  const folders = [...byFolder.values()];
  const chosen: T[] = [];
  for (let i = 0; chosen.length < limit && folders.some((f) => i < f.length); i++) for (const f of folders) if (i < f.length && chosen.length < limit) chosen.push(f[i]);
  return chosen;
}

const accepted = (t: Trial) => t.status === 'SUCCEEDED' && (t.confidence ?? 0) >= threshold;
const report = halves.map((half) => {
  // A session that never reached the stand-in (the clip could not be made: no face found in the
  // source photo) is not a presentation: it is listed apart, not counted as an error.
  const mine = trials.filter((t) => t.half === half && t.status !== undefined);
  const kinds = [...new Set(mine.map((t) => `${t.kind} ${t.challenge}`))];
  const rows = kinds.map((key) => {
    const of = mine.filter((t) => `${t.kind} ${t.challenge}` === key);
    const wrong = of.filter((t) => (t.kind === 'genuine' ? !accepted(t) : accepted(t)));
    const mean = (k: 'antispoof' | 'liveness') => {
      const all = of.flatMap((t) => t.passive?.[k] ?? []);
      return all.length ? all.reduce((a, b) => a + b, 0) / all.length : NaN;
    };
    return { kind: key, presentations: of.length, errors: wrong.length, rate: wrong.length / of.length, metric: key.startsWith('genuine') ? 'BPCER' : 'APCER', antispoof: mean('antispoof'), liveness: mean('liveness') };
  });
  const decide = distribution(mine.map((t) => t.decisionMs).filter((v): v is number => v !== undefined));
  const judge = distribution(mine.map((t) => t.judgeMs).filter((v): v is number => v !== undefined));
  return { half, people: new Set(mine.map((t) => t.person)).size, rows, decide, judge };
});

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores`;
const summary = { date: new Date().toISOString(), stoppedEarly, machine, load: loadavg().map((l) => l.toFixed(2)).join(' '), threshold, minutes: (Date.now() - started) / 60_000, peakRssMb: peakRssMb(), report, trials };
if (values.json) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  console.log(`\nFace Liveness benchmark (${summary.date}, ${machine}, load ${summary.load}, threshold ${threshold}, ${summary.minutes.toFixed(1)} min)`);
  for (const half of report) {
    console.log(`\n${half.half} half: ${half.people} people`);
    console.log('  kind                                       n  errors  rate     goal    antispoof liveness');
    for (const row of half.rows) {
      const goal = row.metric === 'BPCER' ? GOALS.bpcer : GOALS.apcer[row.kind.split(' ')[0]];
      const mark = goal === undefined ? '' : row.rate <= goal ? 'ok' : 'MISSED';
      console.log(`  ${row.metric} ${row.kind.padEnd(36)} ${String(row.presentations).padStart(3)} ${String(row.errors).padStart(6)}  ${(row.rate * 100).toFixed(1).padStart(5)} %  ${goal === undefined ? '   -' : `${(goal * 100).toFixed(0)} % ${mark}`.padEnd(8)} ${row.antispoof.toFixed(2).padStart(8)} ${row.liveness.toFixed(2).padStart(8)}`);
    }
    console.log(`  time to decide (${values.burst ? 'video sent at once' : 'video sent in real time'}): p50 ${half.decide.p50.toFixed(0)} ms, p95 ${half.decide.p95.toFixed(0)} ms (goal p50 <= ${GOALS.decideP50Ms} ms), ${half.decide.count} sessions; of which judging the analysed frames p50 ${half.judge.p50.toFixed(0)} ms`);
  }
  const notRun = trials.filter((t) => t.status === undefined);
  if (notRun.length) console.log(`\nnot run (not counted): ${notRun.map((t) => `${t.kind} ${t.person}: ${t.error}`).join('; ')}`);
  // Each wrong decision with the checks' scores, to see which check decided it.
  const wrong = trials.filter((t) => t.status !== undefined && (t.kind === 'genuine' ? !accepted(t) : accepted(t)));
  if (wrong.length) console.log(`\nwrong decisions:\n${wrong.map((t) => `  ${t.kind} ${t.challenge} ${t.person}: ${t.status ?? 'error'} ${t.confidence?.toFixed(1) ?? ''} ${t.error ?? ''} ${JSON.stringify(t.scores ?? {})}`).join('\n')}`);
  if (stoppedEarly) console.log(`\n${stoppedEarly}`);
  console.log(`\npeak memory (process, all threads; ffmpeg not included): ${summary.peakRssMb?.toFixed(0) ?? '?'} MB`);
}
