/**
 * StartFaceLivenessSession with the real `@aws-sdk/client-rekognitionstreaming` client, as the
 * browser runs it (the SDK's own WebSocket handler, wss://, the presigned URL signed with
 * credentials the local STS vended): a person who follows the challenge is live, with a reference
 * image in S3; and every way of getting the stream wrong gets Rekognition's error or a FAILED
 * session. Videos are made from ../shared/faces by test/helpers/liveness-video.ts.
 */
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facesAvailable } from '../helpers/faces.ts';
import { runLivenessStream, type Keys } from '../helpers/liveness-client.ts';
import { OUTPUT_BUCKET, REGION, startLivenessStack, type LivenessStack } from '../helpers/liveness-stack.ts';
import { makeLivenessClip, sourceImage, type SourceImage } from '../helpers/liveness-video.ts';

const PASS = 80;
let stack: LivenessStack;
let person: SourceImage;

beforeAll(async () => {
  stack = await startLivenessStack();
  if (facesAvailable) person = await sourceImage(stack.engine, 'lfw/CarlosMoya_0003.jpg');
});
afterAll(async () => {
  await stack?.stop();
});

const genuine = (seed: number) => (challenge: Parameters<typeof makeLivenessClip>[0]['challenge']) => makeLivenessClip({ kind: 'genuine', person, challenge, seed });
/** A genuine clip for the challenge the session will get, filmed before the stream (from the session file). */
const clipFor = async (sessionId: string, type: 'FaceMovementChallenge' | 'FaceMovementAndLightChallenge' = 'FaceMovementChallenge', seed = 1) =>
  makeLivenessClip({ kind: 'genuine', person, challenge: await stack.plannedChallenge(sessionId, type), seed });
const stream = (sessionId: string, credentials: Keys, extra: Partial<Parameters<typeof runLivenessStream>[0]> = {}) =>
  runLivenessStream({ endpoint: stack.streamingEndpoint, region: REGION, credentials, sessionId, film: genuine(1), ...extra });

describe.skipIf(!facesAvailable)('a person who follows the challenge', () => {
  it('is live: SUCCEEDED over the threshold, with the reference and audit images in the output bucket', { timeout: 240_000 }, async () => {
    const sessionId = await stack.createSession();
    const run = await stream(sessionId, await stack.browserCredentials(), { clip: await clipFor(sessionId) });
    expect(run.error).toBeUndefined();
    expect(run.received).toEqual(['ChallengeEvent', 'ServerSessionInformationEvent', 'DisconnectionEvent']);
    const result = await stack.results(sessionId);
    expect(result).toMatchObject({ Status: 'SUCCEEDED', Challenge: { Type: 'FaceMovementChallenge', Version: '1.0.0' } });
    expect(result.Confidence, JSON.stringify((await stack.sessionFile(sessionId)).Result?.Checks)).toBeGreaterThanOrEqual(PASS);
    expect(result.ReferenceImage?.S3Object).toEqual({ Bucket: OUTPUT_BUCKET, Name: `liveness/${sessionId}/reference.jpg` });
    expect(result.AuditImages?.map((a) => a.S3Object?.Name)).toEqual([`liveness/${sessionId}/audit_images/1.jpg`, `liveness/${sessionId}/audit_images/2.jpg`]);
    const reference = await stack.object(OUTPUT_BUCKET, result.ReferenceImage!.S3Object!.Name!);
    expect(await sharp(reference).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    // The reference image is a frame with the face in the session's oval: large, near the oval's centre.
    const box = result.ReferenceImage!.BoundingBox!;
    expect(box.Width!).toBeGreaterThan(0.3);
    // What the component needs to draw the oval came over the stream, and is in the session file.
    const file = await stack.sessionFile(sessionId);
    expect(file.Challenge?.OvalParameters).toEqual(run.challenge?.OvalParameters);
    expect(file.StreamedBy).toMatch(/^arn:aws:sts::000000000000:assumed-role\/securetask-local-liveness-browser\/browser$/);
  });

  it('is live under the light challenge too, when the client offers only that one', { timeout: 240_000 }, async () => {
    const sessionId = await stack.createSession({ Settings: { AuditImagesLimit: 0 } });
    const clip = await clipFor(sessionId, 'FaceMovementAndLightChallenge', 2);
    const run = await stream(sessionId, stack.keys, { clip, behaviour: { challengeVersions: 'FaceMovementAndLightChallenge_2.0.0' } });
    expect(run.error).toBeUndefined();
    expect(run.challenge?.ColorSequences?.length).toBe(8);
    const result = await stack.results(sessionId);
    expect(result).toMatchObject({ Status: 'SUCCEEDED', Challenge: { Type: 'FaceMovementAndLightChallenge', Version: '2.0.0' } });
    expect(result.Confidence, JSON.stringify((await stack.sessionFile(sessionId)).Result?.Checks)).toBeGreaterThanOrEqual(PASS);
    // Without OutputConfig the reference image comes as bytes.
    expect(await sharp(Buffer.from(result.ReferenceImage!.Bytes!)).metadata()).toMatchObject({ format: 'jpeg' });
    expect(result.AuditImages).toEqual([]);
  });
});

describe('who may stream', () => {
  const refused = async (credentials: Keys) => {
    const sessionId = await stack.createSession();
    const run = await stream(sessionId, credentials);
    return { run, status: (await stack.results(sessionId)).Status };
  };

  it('refuses credentials whose policies do not allow rekognition:StartFaceLivenessSession, and leaves the session unused', async () => {
    const readOnly = await stack.browserCredentials(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'rekognition:Get*', Resource: '*' }] }));
    const { run, status } = await refused(readOnly);
    expect(run.error).toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('is not authorized to perform: rekognition:StartFaceLivenessSession') });
    expect(status).toBe('CREATED');
  });

  it('refuses a wrong secret, a key nobody issued, and a vended key without its session token', async () => {
    const vended = await stack.browserCredentials();
    expect((await refused({ ...stack.keys, secretAccessKey: 'wrong' })).run.error?.name).toBe('InvalidSignatureException');
    expect((await refused({ accessKeyId: 'ASIANOBODYISSUEDTHIS', secretAccessKey: 'x', sessionToken: 'y' })).run.error?.name).toBe('UnrecognizedClientException');
    expect((await refused({ accessKeyId: vended.accessKeyId, secretAccessKey: vended.secretAccessKey })).run.error?.name).toBe('UnrecognizedClientException');
  });

  it('refuses vended credentials once they expired', async () => {
    const expired = await startLivenessStack({
      engine: stack.engine,
      // The STS's shortest session is 15 minutes: this one ends in the past.
      principals: (base) => (id) => {
        const found = base(id);
        return found?.sessionToken ? { ...found, expiration: new Date(Date.now() - 1000) } : found;
      },
    });
    try {
      const sessionId = await expired.createSession();
      const run = await runLivenessStream({ endpoint: expired.streamingEndpoint, region: REGION, credentials: await expired.browserCredentials(), sessionId, film: genuine(2) });
      expect(run.error).toMatchObject({ name: 'ExpiredTokenException' });
      expect((await expired.results(sessionId)).Status).toBe('CREATED');
    } finally {
      await expired.stop();
    }
  });
});

describe('which session', () => {
  it('answers SessionNotFoundException for a session nobody created', async () => {
    const run = await stream('0b4e2d5c-1111-4222-8333-944455556666', stack.keys);
    expect(run.error).toMatchObject({ name: 'SessionNotFoundException' });
  });

  it.skipIf(!facesAvailable)('refuses a second stream on a session (single use)', { timeout: 240_000 }, async () => {
    const sessionId = await stack.createSession();
    await stream(sessionId, stack.keys, { clip: await clipFor(sessionId) });
    const decided = await stack.results(sessionId);
    const again = await stream(sessionId, stack.keys);
    expect(again.error).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('already been used') });
    expect(await stack.results(sessionId)).toMatchObject({ Status: decided.Status, Confidence: decided.Confidence });
  });

  it('expires a session nobody streams within its lifetime (Rekognition: 3 minutes)', async () => {
    const short = await startLivenessStack({ engine: stack.engine, liveness: { unusedLifetimeMs: 1000 } });
    try {
      const sessionId = await short.createSession();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await short.results(sessionId)).Status).toBe('EXPIRED');
      const run = await runLivenessStream({ endpoint: short.streamingEndpoint, region: REGION, credentials: short.keys, sessionId, film: genuine(3) });
      expect(run.error).toMatchObject({ name: 'SessionNotFoundException' });
    } finally {
      await short.stop();
    }
  });
});

describe.skipIf(!facesAvailable)('a stream that breaks', () => {
  /** No ffmpeg of this process is left running: a stopped one may take a moment to exit on a loaded machine (10 s at most). */
  const noFfmpegLeft = async () => {
    const ffmpegChildren = () => {
      try {
        return execFileSync('pgrep', ['-P', String(process.pid), 'ffmpeg'], { encoding: 'utf8' }).trim();
      } catch {
        return ''; // pgrep exits 1 when nothing matches.
      }
    };
    const since = Date.now();
    while (ffmpegChildren() !== '' && Date.now() - since < 10_000) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ffmpegChildren()).toBe('');
  };

  it('FAILS the session when the client disconnects before the video ends, and stops ffmpeg', { timeout: 240_000 }, async () => {
    const sessionId = await stack.createSession();
    const run = await stream(sessionId, stack.keys, { clip: await clipFor(sessionId), behaviour: { stopAfterChunks: 2 } });
    expect(run.received).not.toContain('DisconnectionEvent');
    const result = await stack.results(sessionId);
    expect(result.Status).toBe('FAILED');
    expect((await stack.sessionFile(sessionId)).FailureReason).toMatch(/disconnected before the video ended|ended the stream before the video ended/);
    await noFfmpegLeft();
  });

  it('FAILS the session when the video does not decode', { timeout: 240_000 }, async () => {
    const sessionId = await stack.createSession();
    const run = await stream(sessionId, stack.keys, { clip: await clipFor(sessionId), behaviour: { video: () => Buffer.from('%PDF-1.4 not a video at all '.repeat(2000)) } });
    expect(run.error).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('could not be decoded') });
    expect((await stack.results(sessionId)).Status).toBe('FAILED');
    await noFfmpegLeft();
  });

  it('judges a video cut off halfway on what it shows: the face never reached the oval', { timeout: 240_000 }, async () => {
    const sessionId = await stack.createSession();
    await stream(sessionId, stack.keys, { clip: await clipFor(sessionId), behaviour: { video: (clip) => clip.webm.subarray(0, Math.round(clip.webm.length * 0.4)) } });
    const result = await stack.results(sessionId);
    expect(result.Status === 'FAILED' || (result.Confidence ?? 100) < 50).toBe(true);
    await noFfmpegLeft();
  });
});
