/**
 * The trickle of identity verifications: every `--verify-every` seconds one person is invited
 * by the admin and verifies as the web app does it: startVerification (API key), the ID photo
 * PUT to its presigned URL on the local S3, startLivenessCheck, the liveness check streamed to the
 * local Face Liveness with the real client (a clip filmed here for the session's challenge from
 * another photo of the person: test/helpers/verification.ts), submitVerification (the liveness
 * result, image checks, the offline face matcher, the decision), and then the token it answers is
 * used once (`me`). The outcome is checked: each uses a genuine pair (an ID card and another photo
 * of the same person, pairs test/integration/verification.test.ts verifies), so anything but
 * VERIFIED is an error. Filming the clip is the browser's work, timed as its own step; the
 * stand-in's decision on the video is part of the stream's step.
 *
 * One at a time: when the next is due while one is still running, it is skipped and counted.
 * Their requests are timed in their own table; they are not part of the board's p99, but
 * the CPU the face matcher takes from the board's requests is.
 */
import { performance } from 'node:perf_hooks';
import { createFaceEngine, type PooledFaceEngine } from '../../local/faces/index.ts';
import { contentTypeOf, face } from '../../test/helpers/faces.ts';
import { sourceImage, type SourceImage } from '../../test/helpers/liveness-video.ts';
import { LIVENESS_CHECK_FIELDS, put, runLivenessCheck, VERIFICATION_FIELDS, type LivenessCheck, type LivenessTarget, type Upload } from '../../test/helpers/verification.ts';
import { sleep } from '../realtime/stats.ts';
import type { BoardUser } from './board.ts';
import { graphqlClient, type Answer, type GraphqlClient } from './graphql.ts';
import { Recorder } from './recorder.ts';

/**
 * Genuine pairs from ../shared/faces (read from there, never copied), each with the name the
 * person types: the ID's printed name must match it (as test/integration/verification does it).
 */
const PAIRS = [
  { card: 'cards/facerec_obama_card.jpg', selfie: 'photos/obama_2.jpg', name: 'Obama' },
  { card: 'cards/facerec_obama_card_on_desk.jpg', selfie: 'photos/obama_4.jpg', name: 'Obama' },
  { card: 'cards/facerec_biden_card_on_desk.jpg', selfie: 'photos/biden_2.jpg', name: 'Biden' },
  { card: 'cards/facerec_obama_card_far.jpg', selfie: 'photos/obama_5.jpg', name: 'Obama' },
];

/** The trickle's counts. Latencies and errors are in `recorder`. */
export interface VerificationCounts {
  started: number;
  /** Reached a decision (any final state). */
  decided: number;
  verified: number;
  /** Due while the previous one was still running. */
  skipped: number;
  /** Whole flows, invitation to `me`, in ms. */
  durations: number[];
}

export class VerificationTrickle {
  readonly recorder = new Recorder();
  readonly counts: VerificationCounts = { started: 0, decided: 0, verified: 0, skipped: 0, durations: [] };
  private readonly anonymous: GraphqlClient;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private images: { card: Buffer; person: SourceImage; name: string }[] = [];
  /** Finds the face in each person's photo once, for the clip maker; closed after that. */
  private engine: PooledFaceEngine | undefined;
  private readonly runId = Date.now().toString(36);

  constructor(
    private readonly graphqlUrl: string,
    apiKey: string,
    private readonly admin: BoardUser,
    private readonly timeoutMs: number,
    /** Where the runtime's liveness stand-in is (its runtime info). */
    private readonly liveness: LivenessTarget,
  ) {
    this.anonymous = graphqlClient(graphqlUrl, { 'x-api-key': apiKey }, 2, timeoutMs);
  }

  /** Reads the images (once) and starts one verification now and then one every `everyMs`. */
  async start(everyMs: number): Promise<void> {
    this.engine = await createFaceEngine();
    try {
      this.images = await Promise.all(PAIRS.map(async (p) => ({ card: await face(p.card), person: await sourceImage(this.engine!, p.selfie), name: p.name })));
    } finally {
      await this.engine.close();
    }
    const tick = () => {
      if (this.running) this.counts.skipped += 1;
      else this.running = this.verifyOne().finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, everyMs);
  }

  /** Stops the trickle and waits for the one running, if any. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.anonymous.close();
  }

  /** Whether one is running now (the end of the run waits for it). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  private async verifyOne(): Promise<void> {
    const n = this.counts.started++;
    const { card, person, name } = this.images[n % this.images.length];
    const email = `verify-${this.runId}-${n}@bench.example.com`;
    const began = performance.now();
    try {
      await this.step('inviteUser', () => this.admin.client.call('mutation Invite($e: AWSEmail!) { inviteUser(email: $e, role: MEMBER) { email } }', { e: email }));
      const started = await this.step('startVerification', () =>
        this.anonymous.call(`mutation Start($input: StartVerificationInput!) { startVerification(input: $input) { ${VERIFICATION_FIELDS} } }`, {
          input: {
            email,
            name,
            consent: true,
            idDocument: { contentType: contentTypeOf(card), size: card.length },
          },
        }),
      );
      const session = started.data.startVerification as { id: string; uploads: Upload[] };
      await this.step('upload (ID photo PUT)', async () => {
        const response = await put(session.uploads[0]!, card);
        if (!response.ok) return { ok: false, errorKind: `upload HTTP ${response.status}`, errorMessage: (await response.text()).slice(0, 200) };
        return { ok: true };
      });
      const check = (await this.step('startLivenessCheck', () => this.anonymous.call(`mutation Check($id: ID!) { startLivenessCheck(id: $id) { ${LIVENESS_CHECK_FIELDS} } }`, { id: session.id }))).data
        .startLivenessCheck as LivenessCheck;
      await this.step('liveness check (film + stream + decision)', async () => {
        const run = await runLivenessCheck(this.liveness, check, { kind: 'genuine', person, seed: n + 1 });
        return run.error ? { ok: false, errorKind: `liveness stream ${run.error.name}`, errorMessage: run.error.message } : { ok: true };
      });
      let decided = (await this.step('submitVerification', () => this.anonymous.call(`mutation Submit($id: ID!) { submitVerification(id: $id) { ${VERIFICATION_FIELDS} } }`, { id: session.id }))).data
        .submitVerification as { state: string; token: string | null; reason: string | null };
      // The decision is in submit's answer; should a session ever say PROCESSING, poll for it.
      for (let polls = 0; decided.state === 'PROCESSING' && polls < 120; polls++) {
        await sleep(500);
        decided = (await this.step('verification (poll)', () => this.anonymous.call(`query Get($id: ID!) { verification(id: $id) { ${VERIFICATION_FIELDS} } }`, { id: session.id }))).data.verification;
      }
      if (decided.state !== 'PROCESSING') this.counts.decided += 1;
      if (decided.state !== 'VERIFIED' || !decided.token) {
        this.recorder.error('verification', `verification ended ${decided.state}`, decided.reason ?? '');
        return;
      }
      const token = decided.token;
      const asNewUser = graphqlClient(this.graphqlUrl, { authorization: token }, 1, this.timeoutMs);
      try {
        const me = await this.step('me (new token)', () => asNewUser.call('{ me { email role } }'));
        if (me.data.me?.email !== email) this.recorder.error('verification', 'token of the wrong user', JSON.stringify(me.data.me));
        else this.counts.verified += 1;
      } finally {
        asNewUser.close();
      }
      this.counts.durations.push(performance.now() - began);
    } catch (error) {
      // A step failed: already recorded as its error; the flow stops here.
      if (!(error instanceof StepFailed)) this.recorder.error('verification', 'exception', error instanceof Error ? error.message : String(error));
    }
  }

  /** Times one step; a failed answer is recorded and ends the flow. */
  private async step(name: string, send: () => Promise<Answer>): Promise<Answer> {
    const t0 = performance.now();
    let answer: Answer;
    try {
      answer = await send();
    } catch (error) {
      answer = { ok: false, errorKind: 'exception', errorMessage: error instanceof Error ? error.message : String(error) };
    }
    this.recorder.record(name, performance.now() - t0, answer.ok ? undefined : { kind: answer.errorKind ?? 'error', message: answer.errorMessage });
    if (!answer.ok) throw new StepFailed();
    return answer;
  }
}

class StepFailed extends Error {}
