import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  CompareFacesCommand,
  CreateFaceLivenessSessionCommand,
  DetectFacesCommand,
  GetFaceLivenessSessionResultsCommand,
  SessionNotFoundException,
  ThrottlingException,
  type GetFaceLivenessSessionResultsResponse,
} from '@aws-sdk/client-rekognition';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s3 } from '../../functions/shared/aws-clients.ts';
import type { Requester } from '../../functions/verification/context.ts';
import { cancelVerification } from '../../functions/verification/cancel.ts';
import { VerificationError } from '../../functions/verification/errors.ts';
import { startLivenessCheck } from '../../functions/verification/liveness-check.ts';
import { startVerification } from '../../functions/verification/start.ts';
import { submitVerification } from '../../functions/verification/submit.ts';
import { copyOf, faceDetail, onCard, texturePicture, type Picture } from '../helpers/pictures.ts';
import { LIVENESS_ROLE_ARN, REGION, startVerificationWorld, type VerificationWorld } from '../helpers/verification-world.ts';

/**
 * Onboarding cannot reach VERIFIED without a liveness check that passed, read by the server:
 * the verification function's operations over real tables and a real (local) S3, with
 * Rekognition and STS answering through aws-sdk-client-mock.
 */
const requester: Requester = { caller: null, sourceIp: '203.0.113.7' };
let world: VerificationWorld;
let person: Picture; // the live face
let idPhoto: Picture; // an ID card with another picture of the same person on it
/** What GetFaceLivenessSessionResults answers, by liveness session id. */
const results = new Map<string, GetFaceLivenessSessionResultsResponse>();
let similarity = 95;

beforeAll(async () => {
  world = await startVerificationWorld();
  person = await texturePicture(1);
  idPhoto = await onCard(await texturePicture(2));
}, 60_000);
afterAll(() => world?.stop());

beforeEach(() => {
  world.rekognition.reset();
  world.sts.reset();
  results.clear();
  similarity = 95;
  world.rekognition.on(CreateFaceLivenessSessionCommand).callsFake(() => ({ SessionId: randomUUID() }));
  world.rekognition.on(GetFaceLivenessSessionResultsCommand).callsFake((input: { SessionId: string }) => {
    const result = results.get(input.SessionId);
    if (!result) throw new SessionNotFoundException({ $metadata: {}, message: 'Session not found' });
    return result;
  });
  world.rekognition.on(DetectFacesCommand).callsFake(() => ({ FaceDetails: [faceDetail(person)] }));
  world.rekognition.on(CompareFacesCommand).callsFake(() => ({
    SourceImageFace: { BoundingBox: faceDetail(person).BoundingBox, Confidence: 99.9 },
    FaceMatches: [{ Similarity: similarity, Face: faceDetail(idPhoto) }],
  }));
  world.sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIATEMP', SecretAccessKey: 'temp-secret', SessionToken: 'temp-token', Expiration: new Date(Date.now() + 900_000) } });
});

let n = 0;
/** Starts onboarding and uploads the ID photo with the presigned URL, as a browser does. */
async function onboarding(): Promise<string> {
  const view = await startVerification(world.context, { email: `live-${++n}@example.com`, name: 'Live Person', consent: true, idDocument: { contentType: 'image/jpeg', size: idPhoto.bytes.length } }, requester);
  expect(view.uploads.map((u) => u.purpose)).toEqual(['ID_DOCUMENT']);
  const upload = view.uploads[0]!;
  const response = await fetch(upload.url, { method: 'PUT', headers: { 'Content-Type': 'image/jpeg' }, body: idPhoto.bytes });
  expect(response.status).toBe(200);
  return view.id;
}

/** What Rekognition does when the browser finishes the check: its images in the bucket, its result. */
let frames = 0;
async function finishCheck(sessionId: string, livenessSessionId: string, outcome: { status?: GetFaceLivenessSessionResultsResponse['Status']; confidence?: number; image?: Picture } = {}) {
  const prefix = `uploads/${sessionId}/liveness/${livenessSessionId}/`;
  // Every check takes a new frame of the person (the same bytes twice would be a replay).
  const image = outcome.image ?? (await texturePicture(1000 + ++frames));
  await world.putImage(`${prefix}reference.jpg`, image.bytes);
  await world.putImage(`${prefix}audit_1.jpg`, image.bytes);
  results.set(livenessSessionId, {
    SessionId: livenessSessionId,
    Status: outcome.status ?? 'SUCCEEDED',
    Confidence: outcome.confidence ?? 96.5,
    ReferenceImage: { S3Object: { Bucket: world.context.bucket, Name: `${prefix}reference.jpg` } },
    AuditImages: [{ S3Object: { Bucket: world.context.bucket, Name: `${prefix}audit_1.jpg` } }],
  });
}

async function refusal(promise: Promise<unknown>): Promise<VerificationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VerificationError);
  return error as VerificationError;
}

describe('startLivenessCheck', () => {
  it('creates a liveness session that writes under the session prefix and vends credentials for it alone', async () => {
    const id = await onboarding();
    const check = await startLivenessCheck(world.context, id, requester);
    const create = world.rekognition.commandCalls(CreateFaceLivenessSessionCommand)[0]!.args[0].input;
    expect(create.Settings).toEqual({
      OutputConfig: { S3Bucket: world.context.bucket, S3KeyPrefix: `uploads/${id}/liveness/` },
      AuditImagesLimit: 2,
      ChallengePreferences: [{ Type: 'FaceMovementAndLightChallenge' }],
    });
    // Idempotent per check, and nothing in it reveals the session id (CloudTrail logs it).
    expect(create.ClientRequestToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(create.ClientRequestToken).not.toContain(id);
    const assume = world.sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    expect(assume).toMatchObject({ RoleArn: LIVENESS_ROLE_ARN, DurationSeconds: 900 });
    expect(JSON.parse(assume.Policy!).Statement).toEqual([{ Effect: 'Allow', Action: ['rekognition:StartFaceLivenessSession'], Resource: '*' }]);
    expect(assume.RoleSessionName).not.toContain(id);

    expect(check).toMatchObject({ region: REGION, credentials: { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'temp-token' } });
    expect(Date.parse(check.expiresAt) - Date.now()).toBeLessThanOrEqual(180_000);
    expect(await world.session(id)).toMatchObject({ livenessSessionId: check.sessionId, livenessChecks: 1, state: 'REQUIRES_INPUT' });
    expect((await world.audit(id)).map((a) => a.entry)).toContain('LIVENESS_CHECK_STARTED:ISSUED');
  });

  it("asks for the policy's challenge", async () => {
    world.context.policy = { ...world.context.policy, livenessChallenge: 'FaceMovementChallenge' };
    try {
      await startLivenessCheck(world.context, await onboarding(), requester);
      expect(world.rekognition.commandCalls(CreateFaceLivenessSessionCommand).at(-1)!.args[0].input.Settings?.ChallengePreferences).toEqual([{ Type: 'FaceMovementChallenge' }]);
    } finally {
      world.context.policy = { ...world.context.policy, livenessChallenge: 'FaceMovementAndLightChallenge' };
    }
  });

  it('answers ServiceUnavailable with the reason code when Rekognition or STS fails, recording nothing', async () => {
    const id = await onboarding();
    world.rekognition.on(CreateFaceLivenessSessionCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'Rate exceeded' }));
    const error = await refusal(startLivenessCheck(world.context, id, requester));
    expect([error.type, error.data?.reason]).toEqual(['ServiceUnavailable', 'THROTTLED']);
    expect((await world.session(id)).livenessSessionId).toBeUndefined();
  });

  it('counts every check against the email: over the limit is RateLimited, with no liveness session made', async () => {
    const id = await onboarding();
    world.context.policy = { ...world.context.policy, attemptsPerEmail: 2 };
    try {
      await startLivenessCheck(world.context, id, requester);
      await startLivenessCheck(world.context, id, requester);
      const error = await refusal(startLivenessCheck(world.context, id, requester));
      expect(error.type).toBe('RateLimited');
      expect(world.rekognition.commandCalls(CreateFaceLivenessSessionCommand)).toHaveLength(2);
    } finally {
      world.context.policy = { ...world.context.policy, attemptsPerEmail: 100 };
    }
  });
});

describe('submitVerification without a liveness check that passed', () => {
  it('refuses a submit with no liveness check at all, spending nothing', async () => {
    const id = await onboarding();
    const error = await refusal(submitVerification(world.context, id, requester));
    expect([error.type, error.data?.missing]).toEqual(['ValidationError', 'LIVENESS']);
    expect(await world.session(id)).toMatchObject({ state: 'REQUIRES_INPUT', attempts: 0 });
  });

  it('refuses a check still running, and takes it once it is finished', async () => {
    const id = await onboarding();
    const check = await startLivenessCheck(world.context, id, requester);
    results.set(check.sessionId, { SessionId: check.sessionId, Status: 'IN_PROGRESS' });
    const error = await refusal(submitVerification(world.context, id, requester));
    expect([error.type, error.data?.livenessStatus]).toEqual(['ValidationError', 'IN_PROGRESS']);
    await finishCheck(id, check.sessionId);
    expect((await submitVerification(world.context, id, requester)).state).toBe('VERIFIED');
  });

  it('rejects a FAILED check: an attempt spent, a reason to act on, audited', async () => {
    const id = await onboarding();
    const check = await startLivenessCheck(world.context, id, requester);
    await finishCheck(id, check.sessionId, { status: 'FAILED', confidence: 3 });
    const view = await submitVerification(world.context, id, requester);
    expect(view).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: 2, token: null });
    expect(view.reason).toMatch(/could not confirm a live person.*2 attempts left/);
    const attempt = (await world.audit(id)).find((a) => a.entry === 'VERIFICATION_ATTEMPT:REJECT')!;
    expect(attempt.details).toMatchObject({ reason: 'LIVENESS_FAILED', livenessStatus: 'FAILED' });
    // No face comparison was paid for a person who is not live.
    expect(world.rekognition.commandCalls(CompareFacesCommand)).toHaveLength(0);
  });

  it('rejects a confidence below the threshold and accepts one at it', async () => {
    const threshold = world.context.policy.livenessThreshold;
    const below = await onboarding();
    const low = await startLivenessCheck(world.context, below, requester);
    await finishCheck(below, low.sessionId, { confidence: threshold - 0.1 });
    expect(await submitVerification(world.context, below, requester)).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: 2 });

    const at = await onboarding();
    const enough = await startLivenessCheck(world.context, at, requester);
    await finishCheck(at, enough.sessionId, { confidence: threshold });
    expect((await submitVerification(world.context, at, requester)).state).toBe('VERIFIED');
  });

  it.each([
    ['Rekognition says EXPIRED', async (liveness: string) => void results.set(liveness, { SessionId: liveness, Status: 'EXPIRED' })],
    ['Rekognition has forgotten it (SessionNotFound)', async () => {}],
    ['its 3 minutes are over by our clock', async (liveness: string, id: string) => (await finishCheck(id, liveness), world.advance(181))],
  ])('voids an expired check (%s) without spending an attempt', async (_case, expire) => {
    const id = await onboarding();
    const check = await startLivenessCheck(world.context, id, requester);
    try {
      await expire(check.sessionId, id);
      const view = await submitVerification(world.context, id, requester);
      expect(view).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: 3 });
      expect(view.reason).toMatch(/expired.*Start a new one/);
      expect((await world.session(id)).livenessSessionId).toBeUndefined();
      expect((await world.audit(id)).map((a) => a.entry)).toContain('LIVENESS_CHECK_EXPIRED:REQUIRES_INPUT');
    } finally {
      world.advance(-181 * (_case.includes('clock') ? 1 : 0));
    }
  });

  it("refuses a liveness check that belongs to another verification session", async () => {
    const mine = await onboarding();
    const theirs = await onboarding();
    const their = await startLivenessCheck(world.context, theirs, requester);
    await finishCheck(theirs, their.sessionId);
    await startLivenessCheck(world.context, mine, requester);
    // The server only ever reads the liveness session it recorded; were another session's check
    // recorded here, its images (under the other session's prefix) would still give it away.
    const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    const { dynamodb } = await import('../../functions/shared/aws-clients.ts');
    await dynamodb().send(new UpdateItemCommand({ TableName: world.context.tables.sessions, Key: { id: { S: mine } }, UpdateExpression: 'SET livenessSessionId = :their', ExpressionAttributeValues: { ':their': { S: their.sessionId } } }));
    const view = await submitVerification(world.context, mine, requester);
    expect(view).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: 2 });
    expect(view.reason).toMatch(/belongs to another verification/);
    expect((await world.audit(mine)).find((a) => a.entry === 'VERIFICATION_ATTEMPT:REJECT')!.details.reason).toBe('LIVENESS_OTHER_SESSION');
  });

  it('uses a liveness check once: a second submit of it is refused, and two at once run one check', async () => {
    const id = await onboarding();
    const check = await startLivenessCheck(world.context, id, requester);
    await finishCheck(id, check.sessionId, { confidence: 10 });
    const [first, second] = await Promise.allSettled([submitVerification(world.context, id, requester), submitVerification(world.context, id, requester)]);
    const outcomes = [first, second].map((o) => (o.status === 'fulfilled' ? o.value.state : (o.reason as VerificationError).type)).sort();
    expect(outcomes).toEqual(['ConflictError', 'REQUIRES_INPUT']);
    const again = await refusal(submitVerification(world.context, id, requester));
    expect([again.type, again.data?.missing]).toEqual(['ValidationError', 'LIVENESS']);
    expect((await world.session(id)).attempts).toBe(1);
  });

  it('audits a move once, by the one that made it: of two cancels at once, one ends the session and one entry says so', async () => {
    const id = await onboarding();
    const both = await Promise.all([cancelVerification(world.context, id, requester), cancelVerification(world.context, id, requester)]);
    expect(both.map((view) => view.state)).toEqual(['CANCELED', 'CANCELED']);
    expect((await world.audit(id)).map((a) => a.entry).filter((entry) => entry.startsWith('VERIFICATION_CANCELED'))).toEqual(['VERIFICATION_CANCELED:CANCELED']);
  });

  it('voids the earlier check when a new one starts: the server reads the newest only', async () => {
    const id = await onboarding();
    const old = await startLivenessCheck(world.context, id, requester);
    await finishCheck(id, old.sessionId);
    const fresh = await startLivenessCheck(world.context, id, requester);
    results.set(fresh.sessionId, { SessionId: fresh.sessionId, Status: 'CREATED' });
    const error = await refusal(submitVerification(world.context, id, requester));
    expect(error.type).toBe('ValidationError'); // the new one has not run yet
    const read = world.rekognition.commandCalls(GetFaceLivenessSessionResultsCommand).map((c) => c.args[0].input.SessionId);
    expect(read).toEqual([fresh.sessionId]);
  });

  it('answers ServiceUnavailable, spending nothing, when the result cannot be read', async () => {
    const id = await onboarding();
    const check = await startLivenessCheck(world.context, id, requester);
    world.rekognition.on(GetFaceLivenessSessionResultsCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'Rate exceeded' }));
    const error = await refusal(submitVerification(world.context, id, requester));
    expect([error.type, error.data?.reason]).toEqual(['ServiceUnavailable', 'THROTTLED']);
    expect(await world.session(id)).toMatchObject({ state: 'REQUIRES_INPUT', attempts: 0, livenessSessionId: check.sessionId });
  });
});

describe('submitVerification with a liveness check that passed', () => {
  it('verifies: token, the live reference image kept as the reference face, every image of the session deleted, audited', async () => {
    const id = await onboarding();
    const check = await startLivenessCheck(world.context, id, requester);
    await finishCheck(id, check.sessionId);
    const view = await submitVerification(world.context, id, requester);
    expect(view.state).toBe('VERIFIED');
    expect(view.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // CompareFaces got the live reference image from the bucket, against the ID photo.
    const compare = world.rekognition.commandCalls(CompareFacesCommand)[0]!.args[0].input;
    const reference = await s3().send(new GetObjectCommand({ Bucket: world.context.bucket, Key: `faces/${(await world.session(id)).userId}/reference` }));
    expect(Buffer.from(compare.SourceImage!.Bytes!)).toEqual(Buffer.from(await reference.Body!.transformToByteArray()));
    expect(Buffer.from(compare.TargetImage!.Bytes!)).toEqual(idPhoto.bytes);
    const left = await s3().send(new ListObjectsV2Command({ Bucket: world.context.bucket, Prefix: `uploads/${id}/` }));
    expect(left.KeyCount ?? 0).toBe(0);
    expect((await world.audit(id)).map((a) => a.entry)).toEqual(
      expect.arrayContaining(['VERIFICATION_STARTED:REQUIRES_INPUT', 'LIVENESS_CHECK_STARTED:ISSUED', 'VERIFICATION_ATTEMPT:ACCEPT', 'VERIFICATION_DECIDED:VERIFIED']),
    );
    expect((await world.audit(id)).find((a) => a.entry === 'VERIFICATION_ATTEMPT:ACCEPT')!.details).toMatchObject({ liveness: 96.5, similarity: 95 });
  });

  it('sends a close call to review, with the liveness confidence and the live image kept for the reviewer', async () => {
    similarity = 85;
    const id = await onboarding();
    const check = await startLivenessCheck(world.context, id, requester);
    await finishCheck(id, check.sessionId);
    expect((await submitVerification(world.context, id, requester)).state).toBe('NEEDS_REVIEW');
    const session = await world.session(id);
    expect(session).toMatchObject({ livenessConfidence: 96.5, referenceImageKey: `uploads/${id}/liveness/${check.sessionId}/reference.jpg` });
    expect(session.auditImageKeys).toEqual([`uploads/${id}/liveness/${check.sessionId}/audit_1.jpg`]);
  });
});
