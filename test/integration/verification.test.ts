import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { readdir } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api as productApi } from '../../api/definition.ts';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { PROCESSING_LEASE_SECONDS } from '../../functions/verification/sessions.ts';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { dataFiles } from '../../local/data-dir.ts';
import { face, facesAvailable } from '../helpers/faces.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient, personOf, put, type Presentation } from '../helpers/verification.ts';
import { syntheticPng } from '../helpers/png.ts';

/**
 * Identity verification end to end on the local stack: the real resolvers and verify function,
 * the local S3 behind its signature check, the Rekognition endpoint over the offline face
 * matcher and its Face Liveness stand-in (each live face comes from a liveness check streamed
 * with the real client, filmed from a shared photo), the outbox, with the real face images of
 * ../shared/faces.
 */
/** The name printed on a shared card (`cards/facerec_obama_card.jpg`: OBAMA): the document checks compare it with the name entered. */
const nameOnCard = (card: string) => card.split('/').pop()!.split('_')[1]!;

describe.skipIf(!facesAvailable)('identity verification', () => {
  let stack: TestStack;
  let client: ReturnType<typeof onboardingClient>;
  let admin: { token: string; userId: string };
  let n = 0;
  const email = (who: string) => `${who}-${++n}@example.com`;

  const asAdmin = async (query: string, variables: Record<string, unknown> = {}) => (await stack.graphql(query, variables, { authorization: admin.token })).body;
  const invite = async (address: string, role = 'MEMBER') => {
    const body = await asAdmin(`mutation ($e: AWSEmail!, $r: Role!) { inviteUser(email: $e, role: $r) { email } }`, { e: address, r: role });
    expect(body.errors).toBeUndefined();
  };
  const exists = async (key: string) =>
    stack.s3
      .send(new HeadObjectCommand({ Bucket: stack.imagesBucket, Key: key }))
      .then(() => true, (error: { name?: string }) => (error.name === 'NotFound' ? false : Promise.reject(error)));
  /** A genuine person in front of the camera: this shared photo, filmed following the challenge. */
  const live = async (file: string): Promise<Presentation> => ({ kind: 'genuine', person: await personOf(stack, file) });
  const session = async (id: string) =>
    (await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName('VerificationSessions'), Key: { id: { S: id } } }))).Item;

  beforeAll(async () => {
    // The authorizer caches nothing here, so revocation and disabling show on the next request.
    stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0, verification: { ...defaultVerificationPolicy, attemptsPerSource: 10_000, attemptsPerEmail: 5 } } });
    client = onboardingClient(stack);
    admin = await stack.tokenFor('admin@example.com', 'ADMIN');
  }, 120_000);
  afterAll(() => stack?.stop());

  it('verifies a person whose live face matches their ID: token, board, reference face, ID deleted, audit, email', async () => {
    const who = email('obama');
    await invite(who);
    const answer = await client.verify({ email: who, name: 'Obama', idDocument: await face('cards/facerec_obama_card.jpg'), person: await live('photos/obama_2.jpg') });
    expect(answer.errors).toBeUndefined();
    const verified = answer.data!.submitVerification;
    expect(verified.state).toBe('VERIFIED');
    expect(verified.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(new Date(verified.tokenExpiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 60_000);

    // The token works, as this person, with the invited role (on the boards the invitation names: none here).
    const me = await stack.graphql('{ me { email role status } myBoards { role } }', {}, { authorization: verified.token });
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data.me).toMatchObject({ email: who, role: 'MEMBER', status: 'ACTIVE' });

    // The liveness check's reference image is the reference face; the ID photo is gone.
    const user = (await stack.graphql('{ me { id } }', {}, { authorization: verified.token })).body.data.me;
    expect(await exists(`faces/${user.id}/reference`)).toBe(true);
    expect(await exists(`uploads/${verified.id}/id-document`)).toBe(false);

    // Polling shows the outcome, never the token again.
    const polled = (await client.get(verified.id)).data!.verification;
    expect(polled).toMatchObject({ state: 'VERIFIED', token: null });

    // Audited: start, attempt, decision, activation, token.
    const audit = await asAdmin('{ auditLog(limit: 50) { items { action targetId outcome sourceIp actorId } } }');
    const actions = audit.data.auditLog.items.filter((e: any) => e.targetId === verified.id || e.targetId === user.id).map((e: any) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['VERIFICATION_STARTED:REQUIRES_INPUT', 'VERIFICATION_ATTEMPT:ACCEPT', 'VERIFICATION_DECIDED:VERIFIED', 'USER_ACTIVATED:ACTIVE', 'TOKEN_ISSUED:ISSUED']));
    expect(audit.data.auditLog.items.find((e: any) => e.action === 'VERIFICATION_ATTEMPT').sourceIp).toMatch(/127\.0\.0\.1/);

    // The welcome email is in the outbox, readable at /outbox.
    const page = await (await fetch(stack.graphqlUrl.replace('/graphql', '/outbox'))).text();
    expect(page).toContain(who);
    expect(page).toContain('Welcome to SecureTask');
  });

  // The cards are printed from photos/obama_1 (and obama_5 is that photo letterboxed): the live
  // person is always another picture, or the same-picture check rightly refuses it.
  it.each([
    ['card alone', 'cards/facerec_obama_card.jpg', 'photos/obama_3.jpg'],
    ['card on a desk', 'cards/facerec_obama_card_on_desk.jpg', 'photos/obama_4.jpg'],
    ['card far away (face ~50 px)', 'cards/facerec_obama_card_far.jpg', 'photos/obama_2.jpg'],
    ['card of another person on a desk', 'cards/facerec_biden_card_on_desk.jpg', 'photos/biden_2.jpg'],
  ])('verifies an ID photographed as %s against another photo of the same person', async (_scene, card, photo) => {
    const who = email('card');
    await invite(who);
    const answer = await client.verify({ email: who, name: nameOnCard(card), idDocument: await face(card), person: await live(photo) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.submitVerification.state).toBe('VERIFIED');
  });

  it('rejects different people with a reason and the attempts left, then FAILED, then RateLimited', async () => {
    const who = email('impostor');
    await invite(who);
    const idDocument = await face('cards/facerec_obama_card.jpg');
    const biden = await live('photos/biden_1.jpg');
    const started = (await client.startWithId({ email: who, idDocument })).data!.startVerification;

    const first = (await client.attempt(started.id, biden)).data!.submitVerification;
    expect(first).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: 2, token: null });
    expect(first.reason).toMatch(/does not match.*2 attempts left/);
    expect((await client.attempt(started.id, biden)).data!.submitVerification.attemptsLeft).toBe(1);
    const last = (await client.attempt(started.id, biden)).data!.submitVerification;
    expect(last).toMatchObject({ state: 'FAILED', attemptsLeft: 0, token: null });
    expect(await exists(`uploads/${started.id}/id-document`)).toBe(false);

    const again = await client.submit(started.id);
    expect(again.errors?.[0]?.errorType).toBe('RateLimited');
    expect((await client.startLivenessCheck(started.id)).errors?.[0]?.errorType).toBe('RateLimited');
    // The email is cooling down: a new session does not bring new attempts.
    const fresh = await client.start({ email: who, idDocument });
    expect(fresh.errors?.[0]?.errorType).toBe('RateLimited');
    expect(fresh.errors?.[0]?.data.retryAfterSeconds).toBeGreaterThan(0);
  });

  describe('ID photo checks, before any model sees an image', () => {
    const startWith = async (declared: { contentType: string; size: number }) => {
      const who = email('images');
      await invite(who);
      return client.call(`mutation ($input: StartVerificationInput!) { startVerification(input: $input) { id uploads { purpose url headers } } }`, {
        input: { email: who, name: 'X', consent: true, idDocument: declared },
      });
    };
    /** Uploads `idDocument` with the URL made for its declared type and size, then submits: the ID photo is checked before the liveness result is read. */
    const submitId = async (idDocument: Uint8Array) => {
      const body = await startWith({ contentType: idDocument[0] === 0x89 ? 'image/png' : 'image/jpeg', size: idDocument.length });
      expect(body.errors).toBeUndefined();
      const started = body.data!.startVerification;
      expect((await put(started.uploads[0], idDocument)).status).toBe(200);
      return { id: started.id as string, answer: await client.submit(started.id) };
    };

    it('garbage bytes: refused, no attempt spent, the session waits for a retake', async () => {
      const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('this is not really a jpeg at all'.repeat(20))]);
      const { id, answer } = await submitId(garbage);
      expect(answer.errors?.[0]?.errorType).toBe('InvalidImage');
      expect(answer.errors?.[0].data.verification).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: 3 });
      expect((await client.get(id)).data!.verification.state).toBe('REQUIRES_INPUT');
    });

    it('a GIF declared as a JPEG', async () => {
      const gif = await sharp({ create: { width: 120, height: 120, channels: 3, background: '#fff' } }).gif().toBuffer();
      const body = await startWith({ contentType: 'image/jpeg', size: gif.length });
      const started = body.data!.startVerification;
      expect((await put(started.uploads[0], gif, 'image/jpeg')).status).toBe(200);
      const answer = await client.submit(started.id);
      expect(answer.errors?.[0]).toMatchObject({ errorType: 'InvalidImage', message: expect.stringMatching(/JPEG or PNG/) });
    });

    it('a 6 MB file: refused before upload, and refused if one lands in the bucket anyway', async () => {
      const big = Buffer.alloc(6 * 1024 * 1024, 1);
      const refused = await startWith({ contentType: 'image/jpeg', size: big.length });
      expect(refused.errors?.[0]).toMatchObject({ errorType: 'InvalidImage', message: expect.stringMatching(/larger than 5 MB/) });

      const ok = await startWith({ contentType: 'image/jpeg', size: 1000 });
      const id = ok.data!.startVerification.id;
      await stack.s3.send(new PutObjectCommand({ Bucket: stack.imagesBucket, Key: `uploads/${id}/id-document`, Body: big, ContentType: 'image/jpeg' }));
      const answer = await client.submit(id);
      expect(answer.errors?.[0]).toMatchObject({ errorType: 'InvalidImage', message: expect.stringMatching(/larger than 5 MB/) });
    });

    it('a PNG claiming 100,000 x 100,000 pixels (a decompression bomb)', async () => {
      const { answer } = await submitId(syntheticPng(100_000, 100_000, Buffer.alloc(64)));
      expect(answer.errors?.[0]).toMatchObject({ errorType: 'InvalidImage' });
      expect(answer.errors?.[0].data.reason).toBe('TOO_MANY_PIXELS');
    });

    it('a tiny image', async () => {
      const tiny = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#777' } }).png().toBuffer();
      const { answer } = await submitId(tiny);
      expect(answer.errors?.[0]).toMatchObject({ errorType: 'InvalidImage', message: expect.stringMatching(/at least 80/) });
    });

    it('an upload of another content type or size than signed is refused by S3', async () => {
      const idDocument = await face('cards/facerec_obama_card.jpg');
      const body = await startWith({ contentType: 'image/jpeg', size: idDocument.length });
      const upload = body.data!.startVerification.uploads.find((u: any) => u.purpose === 'ID_DOCUMENT');
      expect((await put(upload, idDocument, 'image/png')).status).toBe(403);
      expect((await put(upload, idDocument.subarray(0, idDocument.length - 10))).status).toBe(403);
      expect((await put(upload, idDocument)).status).toBe(200);
    });

    it('submitting before uploading asks for the ID photo, and costs nothing', async () => {
      const body = await startWith({ contentType: 'image/jpeg', size: 1000 });
      const answer = await client.submit(body.data!.startVerification.id);
      expect(answer.errors?.[0]).toMatchObject({ errorType: 'ValidationError', message: 'Upload the photo of your ID first.' });
    });
  });

  it('a retake: a bad ID photo is refused, a fresh upload URL takes the new one, and it verifies', async () => {
    const who = email('retake');
    await invite(who);
    const idDocument = await face('cards/facerec_kit_card_on_desk.jpg');
    const tiny = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#333' } }).jpeg().toBuffer();
    const started = (await client.start({ email: who, name: 'Kit', idDocument: tiny })).data!.startVerification;
    await put(started.uploads[0], tiny);
    expect((await client.submit(started.id)).errors?.[0]?.errorType).toBe('InvalidImage');

    const renewed = await client.requestUpload(started.id, idDocument);
    expect(renewed.errors).toBeUndefined();
    expect((await put(renewed.data!.requestUpload, idDocument)).status).toBe(200);
    const answer = (await client.attempt(started.id, await live('photos/kit_3.jpg'))).data!.submitVerification;
    expect(answer).toMatchObject({ state: 'VERIFIED', attemptsLeft: 2 });
    // Finished: no more uploads.
    expect((await client.requestUpload(started.id, idDocument)).errors?.[0]?.errorType).toBe('ConflictError');
    const audit = await asAdmin('{ auditLog(filter: { action: UPLOAD_REQUESTED }) { items { targetId outcome } } }');
    expect(audit.data.auditLog.items).toContainEqual({ targetId: started.id, outcome: 'ISSUED' });
  });

  describe('who may start', () => {
    const images = async () => ({ name: 'Kit', idDocument: await face('cards/facerec_kit_card.jpg') });

    it('refuses an email nobody invited (invite-only is the default)', async () => {
      const answer = await client.start({ email: email('stranger'), ...(await images()) });
      expect(answer.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: expect.stringMatching(/not been invited/) });
    });

    it('requires consent', async () => {
      const who = email('noconsent');
      await invite(who);
      const answer = await client.start({ email: who, consent: false, ...(await images()) });
      expect(answer.errors?.[0]).toMatchObject({ errorType: 'ValidationError', message: expect.stringMatching(/Consent is required/) });
    });

    it('gives an invited admin the ADMIN role', async () => {
      const who = email('kit');
      await invite(who, 'ADMIN');
      const answer = await client.verify({ email: who, ...(await images()), person: await live('photos/kit_2.jpg') });
      const token = answer.data!.submitVerification.token;
      expect((await stack.graphql('{ me { role } }', {}, { authorization: token })).body.data.me.role).toBe('ADMIN');
      // Already verified: a second onboarding is refused (in the words an uninvited email gets,
      // see test/security/enumeration); the way back in is the face.
      expect((await client.start({ email: who, ...(await images()) })).errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: expect.stringMatching(/Sign in with your face/) });
    });
  });

  describe('face sign-in and tokens', () => {
    let who: string;
    beforeAll(async () => {
      who = email('rose');
      await invite(who);
      const answer = await client.verify({ email: who, name: 'Rose', idDocument: await face('cards/facerec_rose_card.jpg'), person: await live('photos/rose_2.jpg') });
      expect(answer.data!.submitVerification.token).toBeTruthy();
    });

    it('signs a verified user in with a new liveness check, and emails "was this you?"', async () => {
      const answer = await client.faceLogin(who, await live('photos/rose_1.jpg'));
      expect(answer.errors).toBeUndefined();
      const session = answer.data!.submitVerification;
      expect(session).toMatchObject({ kind: 'FACE_LOGIN', state: 'VERIFIED' });
      expect((await stack.graphql('{ me { email } }', {}, { authorization: session.token })).body.data.me.email).toBe(who);
      const outbox = await readdir(stack.services.outboxDir);
      const page = await (await fetch(stack.graphqlUrl.replace('/graphql', '/outbox'))).text();
      expect(outbox.length).toBeGreaterThan(0);
      expect(page).toContain('was this you?');
    });

    it("refuses another person's face without saying whether the email exists", async () => {
      // A genuine clip the offline check does not confirm is filmed again before submitting (client.attempt), so both reach the faces.
      const impostor = (await client.faceLogin(who, await live('photos/kit_1.jpg'))).data!.submitVerification;
      expect(impostor).toMatchObject({ state: 'REQUIRES_INPUT', token: null });
      const unknown = (await client.faceLogin(email('nobody'), await live('photos/rose_1.jpg'))).data!.submitVerification;
      expect(unknown).toMatchObject({ state: 'REQUIRES_INPUT', token: null });
      expect(unknown.reason).toMatch(/^We could not sign you in with this face and email\./);
      expect(unknown.reason).toBe(impostor.reason);
    });
  });

  it('a token from verification stops working after signOut, when expired, and when the user is disabled', async () => {
    const who = email('alex');
    await invite(who);
    const onboarded = (await client.verify({ email: who, name: 'Alex', idDocument: await face('cards/facerec_alex_card.jpg'), person: await live('photos/alex_2.jpg') })).data!.submitVerification;
    const me = (token: string) => stack.graphql('{ me { id email } }', {}, { authorization: token }).then((r) => r.body);
    const userId = (await me(onboarded.token)).data.me.id;

    expect((await stack.graphql('mutation { signOut }', {}, { authorization: onboarded.token })).body.data.signOut).toBe(true);
    expect((await me(onboarded.token)).errors?.[0]?.errorType).toBe('UnauthorizedException');

    // The face opens it again, with a token of the new generation.
    const again = (await client.faceLogin(who, await live('photos/alex_3.png'))).data!.submitVerification;
    expect(again.state).toBe('VERIFIED');
    expect((await me(again.token)).data.me.email).toBe(who);

    // A token past its expiry is refused (minted here with the stack's own key, an hour ago).
    const keys = await loadLocalKeys(dataFiles(stack.dataDir).keysDir);
    const expired = await mintSessionToken({ sub: userId, email: who, role: 'MEMBER', generation: 1 }, keys.active, {
      issuer: stack.config.tokenIssuer, audience: stack.config.tokenAudience, lifetimeSeconds: 1800, now: new Date(Date.now() - 3600_000),
    });
    expect((await me(expired.token)).errors?.[0]?.errorType).toBe('UnauthorizedException');

    // Disabled by an admin: the valid token stops working, and the face cannot bring it back.
    expect((await asAdmin('mutation ($id: ID!) { setUserStatus(userId: $id, status: DISABLED) { status } }', { id: userId })).errors).toBeUndefined();
    expect((await me(again.token)).errors?.[0]?.errorType).toBe('UnauthorizedException');
    const back = await client.faceLogin(who, await live('photos/alex_3.png'));
    expect(back.data!.submitVerification.token).toBeNull();
  });

  it('cancels a session and deletes its images', async () => {
    const who = email('cancel');
    await invite(who);
    const idDocument = await face('cards/facerec_alex_card.jpg');
    const started = (await client.startWithId({ email: who, idDocument })).data!.startVerification;
    expect(await exists(`uploads/${started.id}/id-document`)).toBe(true);
    const canceled = (await client.cancel(started.id)).data!.cancelVerification;
    expect(canceled.state).toBe('CANCELED');
    expect(await exists(`uploads/${started.id}/id-document`)).toBe(false);
    expect((await client.startLivenessCheck(started.id)).errors?.[0]?.errorType).toBe('ConflictError');
    expect((await client.submit(started.id)).errors?.[0]?.errorType).toBe('ConflictError');
  });

  it('expires a session nobody finished: EXPIRED, images deleted by the sweeper', async () => {
    const who = email('expire');
    await invite(who);
    const idDocument = await face('cards/facerec_alex_card.jpg');
    const started = (await client.startWithId({ email: who, idDocument })).data!.startVerification;
    // Time passes: the session's expiry moves into the past.
    await stack.dynamodb.send(
      new UpdateItemCommand({ TableName: stack.tableName('VerificationSessions'), Key: { id: { S: started.id } }, UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': { N: String(Math.floor(Date.now() / 1000) - 1) } } }),
    );
    expect((await client.get(started.id)).data!.verification.state).toBe('EXPIRED');
    expect(await stack.api.invokeFunction('verificationSweeper', {})).toMatchObject({ expired: expect.any(Number) });
    expect((await session(started.id))!.state.S).toBe('EXPIRED');
    // The record (no images) is kept recordDays (30) after it ended, then DynamoDB TTL deletes it.
    const keptFor = Number((await session(started.id))!.purgeAt.N) - Math.floor(Date.now() / 1000);
    expect(keptFor).toBeGreaterThan(defaultVerificationPolicy.recordDays * 86_400 - 120);
    expect(keptFor).toBeLessThanOrEqual(defaultVerificationPolicy.recordDays * 86_400);
    expect(await exists(`uploads/${started.id}/id-document`)).toBe(false);
    expect((await client.submit(started.id)).data!.submitVerification.state).toBe('EXPIRED');
  });


  it('a check interrupted by a crash (left PROCESSING): refused while it may still be running, then offered again and decided', async () => {
    const who = email('crash');
    await invite(who);
    const idDocument = await face('cards/facerec_obama_card.jpg');
    const started = (await client.startWithId({ email: who, name: 'Obama', idDocument })).data!.startVerification;
    // The liveness check ran; the process died while it was being judged.
    expect((await client.liveness(started.id, await live('photos/obama_2.jpg'))).errors).toBeUndefined();
    // What a process killed in the middle of the check leaves behind.
    const leftProcessing = (secondsAgo: number) =>
      stack.dynamodb.send(
        new UpdateItemCommand({
          TableName: stack.tableName('VerificationSessions'),
          Key: { id: { S: started.id } },
          UpdateExpression: 'SET #state = :processing, updatedAt = :at',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':processing': { S: 'PROCESSING' }, ':at': { S: new Date(Date.now() - secondsAgo * 1000).toISOString() } },
        }),
      );

    // Just now: the check may still be running, so nobody may start a second one or cancel it.
    await leftProcessing(5);
    expect((await client.get(started.id)).data!.verification.state).toBe('PROCESSING');
    expect((await client.submit(started.id)).errors?.[0]?.errorType).toBe('ConflictError');
    expect((await client.cancel(started.id)).errors?.[0]?.errorType).toBe('ConflictError');

    // Past the lease (longer than the function's timeout): the person is told and may submit again, the same check.
    await leftProcessing(PROCESSING_LEASE_SECONDS + 1);
    const shown = (await client.get(started.id)).data!.verification;
    expect(shown).toMatchObject({ state: 'REQUIRES_INPUT', reason: expect.stringMatching(/interrupted/), attemptsLeft: defaultVerificationPolicy.attemptsPerSession });
    const decided = await client.submit(started.id);
    expect(decided.errors).toBeUndefined();
    expect(decided.data!.submitVerification.state).toBe('VERIFIED');
  });

  it("the lease outlasts the verification function's timeout, so a running check is never overtaken", () => {
    expect(PROCESSING_LEASE_SECONDS).toBeGreaterThan(productApi.functions.verification.timeoutSeconds ?? 3);
  });
  it('erases a deleted user: reference face and sessions', async () => {
    const who = email('erase');
    await invite(who);
    const answer = await client.verify({ email: who, name: 'Biden', idDocument: await face('cards/facerec_biden_card.jpg'), person: await live('photos/biden_2.jpg') });
    const verified = answer.data!.submitVerification;
    const userId = (await stack.graphql('{ me { id } }', {}, { authorization: verified.token })).body.data.me.id;
    expect(await exists(`faces/${userId}/reference`)).toBe(true);
    expect((await asAdmin('mutation ($id: ID!) { deleteUser(userId: $id) }', { id: userId })).errors).toBeUndefined();
    await stack.fanOut.settled();
    expect(await exists(`faces/${userId}/reference`)).toBe(false);
    expect(await session(verified.id)).toBeUndefined();
    const audit = await asAdmin('{ auditLog(filter: { action: USER_ERASED }) { items { targetId outcome } } }');
    expect(audit.data.auditLog.items).toContainEqual({ targetId: userId, outcome: 'ERASED' });
  });

  it('answers NotFound for a session that does not exist', async () => {
    expect((await client.submit('AAAAAAAAAAAAAAAAAAAAAA')).errors?.[0]?.errorType).toBe('NotFound');
    expect((await client.get('nonsense')).data!.verification).toBeNull();
  });
});
