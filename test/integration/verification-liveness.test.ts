/**
 * No selfie without a liveness check, end to end on the local stack: the API client onboards and
 * signs in through real Face Liveness sessions on the stand-in (the real streaming client on
 * wss://, with the credentials the verification function vended through the local STS, and a
 * video filmed from ../shared/faces that follows the session's own challenge), and cannot
 * without one that passed; the live image may not be the ID photo, nor an image that already
 * served another session.
 */
import { HeadObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { face, facesAvailable } from '../helpers/faces.ts';
import type { SourceImage } from '../helpers/liveness-video.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient, personOf } from '../helpers/verification.ts';

describe.skipIf(!facesAvailable)('verification through a liveness check', { timeout: 600_000 }, () => {
  let stack: TestStack;
  let client: ReturnType<typeof onboardingClient>;
  let admin: { token: string; userId: string };
  let obama: SourceImage;
  let n = 0;
  const email = (who: string) => `${who}-${++n}@example.com`;
  const card = 'cards/facerec_obama_card.jpg';

  const asAdmin = async (query: string, variables: Record<string, unknown> = {}) => (await stack.graphql(query, variables, { authorization: admin.token })).body;
  const invite = async (role = 'MEMBER') => {
    const who = email('live');
    expect((await asAdmin(`mutation ($e: AWSEmail!, $r: Role!) { inviteUser(email: $e, role: $r) { email } }`, { e: who, r: role })).errors).toBeUndefined();
    return who;
  };
  const exists = (key: string) =>
    stack.s3
      .send(new HeadObjectCommand({ Bucket: stack.imagesBucket, Key: key }))
      .then(() => true, (error: { name?: string }) => (error.name === 'NotFound' ? false : Promise.reject(error)));
  const object = async (key: string) => Buffer.from(await (await stack.s3.send(new GetObjectCommand({ Bucket: stack.imagesBucket, Key: key }))).Body!.transformToByteArray());
  const attempts = async (id: string) =>
    (await asAdmin('{ auditLog(limit: 100) { items { action targetId outcome details } } }')).data.auditLog.items
      .filter((e: any) => e.targetId === id && e.action === 'VERIFICATION_ATTEMPT')
      .map((e: any) => `${e.outcome}:${JSON.parse(e.details ?? '{}').reason ?? ''}`)
      .reverse(); // the log answers newest first; oldest first here
  /** Where the stand-in stores a check's reference image: under the session's prefix, as Rekognition does with the OutputConfig we give it. */
  const referenceKey = (id: string, livenessSessionId: string) => `uploads/${id}/liveness/${livenessSessionId}/reference.jpg`;

  beforeAll(async () => {
    stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0, verification: { ...defaultVerificationPolicy, attemptsPerSource: 10_000, attemptsPerEmail: 20 } } });
    client = onboardingClient(stack);
    admin = await stack.tokenFor('admin@example.com', 'ADMIN');
    obama = await personOf(stack, 'photos/obama_2.jpg');
  }, 300_000);
  afterAll(() => stack?.stop());

  it('onboards a person who follows the challenge: VERIFIED, the live image kept as the reference face, every liveness image deleted', async () => {
    const who = await invite();
    const started = await client.startWithId({ email: who, name: 'Obama', idDocument: await face(card) });
    const id = started.data!.startVerification.id as string;
    const checked = await client.liveness(id, { kind: 'genuine', person: obama });
    expect(checked.errors).toBeUndefined();
    const check = checked.data!.startLivenessCheck;
    // The browser got a live session and credentials from the local STS, temporary ones.
    expect(check.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(new Date(check.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(180_000);
    expect(await exists(referenceKey(id, check.sessionId))).toBe(true);

    let answer = await client.submit(id);
    expect(answer.errors).toBeUndefined();
    // The offline check refuses a few genuine sessions (its BPCER, bench/liveness); a person then
    // runs a new check, as the reason tells them. Only that refusal may come before VERIFIED.
    for (let retry = 0; retry < 2 && answer.data!.submitVerification.state === 'REQUIRES_INPUT'; retry++) {
      expect((await attempts(id)).at(-1)).toBe('REJECT:LIVENESS_FAILED');
      answer = await client.attempt(id, { kind: 'genuine', person: obama });
    }
    const verified = answer.data!.submitVerification;
    expect(verified).toMatchObject({ state: 'VERIFIED', kind: 'ONBOARDING' });
    const me = (await stack.graphql('{ me { id email } }', {}, { authorization: verified.token })).body.data.me;
    expect(me.email).toBe(who);
    expect(await exists(`faces/${me.id}/reference`)).toBe(true);
    expect(await exists(referenceKey(id, check.sessionId))).toBe(false);
    expect(await exists(`uploads/${id}/id-document`)).toBe(false);
    expect((await attempts(id)).at(-1)).toBe('ACCEPT:');

    // Its face signs them in again, through a new liveness check.
    const again = await client.faceLogin(who, { kind: 'genuine', person: await personOf(stack, 'photos/obama_3.jpg') });
    expect(again.errors).toBeUndefined();
    expect(again.data!.submitVerification).toMatchObject({ kind: 'FACE_LOGIN', state: 'VERIFIED' });
  });

  it('cannot reach VERIFIED without a liveness check that passed', async () => {
    const who = await invite();
    const id = (await client.startWithId({ email: who, name: 'Obama', idDocument: await face(card) })).data!.startVerification.id as string;

    // No check at all: nothing to judge, nothing spent.
    const none = await client.submit(id);
    expect(none.errors?.[0]).toMatchObject({ errorType: 'ValidationError', data: { missing: 'LIVENESS' } });
    // A check started but never streamed: not finished, nothing spent.
    const unstreamed = await client.startLivenessCheck(id);
    expect(unstreamed.errors).toBeUndefined();
    const early = await client.submit(id);
    expect(early.errors?.[0]).toMatchObject({ errorType: 'ValidationError', data: { missing: 'LIVENESS' } });

    // A printed photo held still where the oval is: the stand-in finds no live person; an attempt spent, audited.
    const still = await client.attempt(id, { kind: 'still-photo', person: obama });
    expect(still.errors).toBeUndefined();
    expect(still.data!.submitVerification).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: 2, token: null });
    expect(still.data!.submitVerification.reason).toMatch(/could not confirm a live person/);
    expect(await attempts(id)).toEqual(['REJECT:LIVENESS_FAILED']);

    // The check is used up: submitting it again is not a second try.
    expect((await client.submit(id)).errors?.[0]).toMatchObject({ errorType: 'ValidationError', data: { missing: 'LIVENESS' } });
  });

  it("refuses the ID photo itself as the live face (the card's portrait fed to the camera stream)", async () => {
    const who = await invite();
    const id = (await client.startWithId({ email: who, name: 'Obama', idDocument: await face(card) })).data!.startVerification.id as string;
    // A virtual camera plays the ID's own portrait moving into the oval as a head would: live to the stand-in, the same picture to us.
    const portrait = await personOf(stack, card);
    const answer = await client.attempt(id, { kind: 'genuine', person: portrait });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.submitVerification).toMatchObject({ state: 'REQUIRES_INPUT', token: null });
    // Refused either way: by us as the same picture as the ID (what a print-like portrait that the
    // stand-in takes for live gets), or already by the stand-in as not live; both cost an attempt.
    // test/unit/verification-replay.test.ts pins the same-picture refusal on its own.
    const [refusal] = await attempts(id);
    expect(['REJECT:SAME_PICTURE_AS_ID', 'REJECT:LIVENESS_FAILED']).toContain(refusal);
    if (refusal === 'REJECT:SAME_PICTURE_AS_ID') expect(answer.data!.submitVerification.reason).toMatch(/is the photo on your ID/);
  });

  it('refuses a live image that already served another session, even for the same person', async () => {
    // One person verifies; their live image is kept as their reference face.
    const first = await invite();
    const onboarded = await client.verify({ email: first, name: 'Obama', idDocument: await face(card), person: { kind: 'genuine', person: await personOf(stack, 'photos/obama_3.jpg') } });
    expect(onboarded.errors).toBeUndefined();
    const verified = onboarded.data!.submitVerification;
    expect(verified.state).toBe('VERIFIED');
    const userId = (await stack.graphql('{ me { id } }', {}, { authorization: verified.token })).body.data.me.id;
    const served = await object(`faces/${userId}/reference`);

    // Another session runs a genuine check, but its reference image is swapped for those bytes
    // before the submit (no camera gives the same bytes twice: only an image fed into the flow does).
    const second = await invite();
    const id = (await client.startWithId({ email: second, name: 'Obama', idDocument: await face(card) })).data!.startVerification.id as string;
    const checked = await client.liveness(id, { kind: 'genuine', person: await personOf(stack, 'photos/obama_4.jpg') });
    const key = referenceKey(id, checked.data!.startLivenessCheck.sessionId);
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.imagesBucket, Key: key, Body: served, ContentType: 'image/jpeg' }));
    const answer = await client.submit(id);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.submitVerification).toMatchObject({ state: 'REQUIRES_INPUT', token: null });
    expect(answer.data!.submitVerification.reason).toMatch(/already used for a verification/);
    expect(await attempts(id)).toEqual(['REJECT:REFERENCE_IMAGE_REUSED']);
  });
});
