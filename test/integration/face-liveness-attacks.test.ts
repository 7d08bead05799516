/**
 * Presentation attacks against the local Face Liveness, each streamed with the real client as a
 * browser would and each refused (a confidence under the threshold, or a FAILED session), with
 * the check that stopped it. How each video is made: test/helpers/liveness-video.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeType } from '../../local/aws/rekognition/liveness/challenge.ts';
import { challengeFromPlan, planChallenge } from '../../local/aws/rekognition/liveness/challenge.ts';
import { iou, ovalRect } from '../../local/aws/rekognition/liveness/geometry.ts';
import { facesAvailable } from '../helpers/faces.ts';
import { runLivenessStream, type StreamBehaviour } from '../helpers/liveness-client.ts';
import { REGION, startLivenessStack, type LivenessStack } from '../helpers/liveness-stack.ts';
import { makeLivenessClip, sourceImage, type ClipOptions, type SourceImage } from '../helpers/liveness-video.ts';

const PASS = 80;
let stack: LivenessStack;
let person: SourceImage;

beforeAll(async () => {
  stack = await startLivenessStack();
  if (facesAvailable) person = await sourceImage(stack.engine, 'lfw/JenniferCapriati_0004.jpg');
});
afterAll(async () => {
  await stack?.stop();
});

/** Creates a session, films `options` for its planned challenge, streams it, and returns the verdict and the checks' scores. */
async function present(options: Omit<ClipOptions, 'challenge'>, type: ChallengeType = 'FaceMovementChallenge', behaviour: StreamBehaviour = {}) {
  const sessionId = await stack.createSession({ Settings: { ChallengePreferences: [{ Type: type }] } });
  const clip = await makeLivenessClip({ ...options, challenge: await stack.plannedChallenge(sessionId, type) });
  const run = await runLivenessStream({ endpoint: stack.streamingEndpoint, region: REGION, credentials: stack.keys, sessionId, clip, behaviour });
  const result = await stack.results(sessionId);
  const file = await stack.sessionFile(sessionId);
  const checks = file.Result?.Checks as { scores: Record<string, number> } | undefined;
  return { run, clip, result, file, scores: checks?.scores, refused: result.Status === 'FAILED' || (result.Confidence ?? 0) < PASS };
}

describe.skipIf(!facesAvailable)('presentation attacks', { timeout: 300_000 }, () => {
  it('refuses a still photo, even one held where the oval is: the face never moved into it', async () => {
    const { refused, scores } = await present({ kind: 'still-photo', person, seed: 21 });
    expect(refused).toBe(true);
    expect(scores?.challenge).toBe(0);
  });

  it('refuses an ID card held up and moved into the oval: what surrounds the face moves with it', async () => {
    const card = await sourceImage(stack.engine, 'cards/bbt_penny_card.jpg');
    const { refused, scores } = await present({ kind: 'id-card', person, card, seed: 22 });
    expect(refused).toBe(true);
    expect(scores?.medium).toBeLessThan(0.5);
  });

  it('refuses two faces', async () => {
    const second = await sourceImage(stack.engine, 'lfw/KofiAnnan_0002.jpg');
    const { refused, scores, file } = await present({ kind: 'two-faces', person, second, seed: 23 });
    expect(refused, JSON.stringify(file.Result?.Checks)).toBe(true);
    expect(scores?.oneFace).toBe(0);
  });

  it('refuses the recording of an earlier session sent again, even through a virtual camera', async () => {
    const first = await present({ kind: 'genuine', person, seed: 24 });
    expect(first.result.Confidence, JSON.stringify(first.file.Result?.Checks)).toBeGreaterThanOrEqual(PASS);
    // The same video, decoded and encoded anew, into a new session (whatever its oval).
    const again = await present({ kind: 'replay', person, recording: first.clip, seed: 25 });
    expect(again.refused).toBe(true);
    expect(again.scores?.replay).toBe(0);
  });

  it('refuses, under the light challenge, a recording made for another session: it shows the other colours', async () => {
    const sessionOf = () => challengeFromPlan(planChallenge(), 'FaceMovementAndLightChallenge', '2.0.0', 640, 480);
    const other = sessionOf();
    const { refused, scores } = await present({ kind: 'replay', person, replayOf: other, seed: 26 }, 'FaceMovementAndLightChallenge', {
      // The client reports this session's oval and colours, at the times the video shows the other's.
    });
    expect(refused).toBe(true);
    expect(scores?.light).toBeLessThan(0.5);
  });

  it("refuses a recording made for another session's oval when the ovals differ, whatever the client claims", async () => {
    // Another session's oval far enough from this one's that a fit to one is no fit to the other:
    // the oval farthest from this session's (smallest, in the opposite corner). Near the middle no
    // oval is that far (drawing ovals at random until one was looped for ever), so sessions are
    // started until one's oval has such a far one.
    let sessionId = '';
    let mine;
    let far;
    for (let tries = 0; tries < 40 && !(far && mine && iou(ovalRect(far.OvalParameters), ovalRect(mine.OvalParameters)) <= 0.3); tries++) {
      sessionId = await stack.createSession();
      const seeds = (await stack.sessionFile(sessionId)).ChallengePlan.OvalSeeds;
      mine = await stack.plannedChallenge(sessionId);
      const opposite = { Width: 0, CenterX: seeds.CenterX < 0.5 ? 1 : 0, CenterY: seeds.CenterY < 0.5 ? 1 : 0 };
      far = challengeFromPlan({ OvalSeeds: opposite, ColorSequences: [] }, 'FaceMovementChallenge', '1.0.0', 640, 480);
    }
    expect(iou(ovalRect(far!.OvalParameters), ovalRect(mine!.OvalParameters)), 'no session of 40 had an oval far from the opposite corner').toBeLessThanOrEqual(0.3);
    const clip = await makeLivenessClip({ kind: 'replay', person, challenge: mine!, replayOf: far!, seed: 27 });
    await runLivenessStream({ endpoint: stack.streamingEndpoint, region: REGION, credentials: stack.keys, sessionId, clip });
    const result = await stack.results(sessionId);
    expect((result.Confidence ?? 0) < PASS || result.Status === 'FAILED').toBe(true);
  });

  it('refuses a client that lies about where the face started, or about the oval it reached', async () => {
    const liar = await present({ kind: 'genuine', person, seed: 28 }, 'FaceMovementChallenge', {
      // Says the face started in the far corner; the frames show it elsewhere.
      report: (honest) => ({ ...honest, initialFace: { left: 0, top: 0, right: 60, bottom: 100 } }),
    });
    expect(liar.refused).toBe(true);
    expect(liar.scores?.challenge).toBe(0);
    const otherOval = await present({ kind: 'genuine', person, seed: 29 }, 'FaceMovementChallenge', {
      report: (honest) => ({ ...honest, target: { left: 10, top: 10, right: 200, bottom: 330 } }),
    });
    expect(otherOval.refused).toBe(true);
  });
});
