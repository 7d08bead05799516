/**
 * Attack: find out which emails have an account, with nothing but the public API key. Face
 * sign-in answers an unknown email exactly as it answers a verified one (a session, then "no
 * match"); onboarding refuses a verified, a disabled, an uninvited email and one whose
 * invitation expired in the same words. The comparison ignores only what differs between any
 * two sessions (ids, times, URLs).
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { writeObject } from '../../functions/shared/uploads.ts';
import { face, facesAvailable } from '../helpers/faces.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import type { SourceImage } from '../helpers/liveness-video.ts';
import { onboardingClient, personOf } from '../helpers/verification.ts';
import { setUserAttribute } from '../helpers/users.ts';

describe.skipIf(!facesAvailable)('which emails have an account', () => {
  let stack: TestStack;
  let client: ReturnType<typeof onboardingClient>;
  /** The attacker in front of the camera (a live person, not the account's owner). */
  let attacker: SourceImage;

  beforeAll(async () => {
    stack = await startTestStack({ config: { verification: { ...defaultVerificationPolicy, attemptsPerSource: 1_000, attemptsPerEmail: 1_000 } } });
    client = onboardingClient(stack);
    attacker = await personOf(stack, 'photos/rose_1.jpg');
    // A verified user (with a reference face that is not the attacker's), and a disabled one.
    const verified = await stack.tokenFor('known@example.com', 'MEMBER');
    await stack.functionAccess.runAs('verification', async () => writeObject(stack.imagesBucket, `faces/${verified.userId}/reference`, await face('photos/obama_1.jpg'), 'image/jpeg'));
    await setUser(verified.userId, 'referenceFaceKey', `faces/${verified.userId}/reference`);
    const disabled = await stack.tokenFor('disabled@example.com', 'MEMBER');
    await setUser(disabled.userId, 'status', 'DISABLED');
    // An invitation that expired yesterday (DynamoDB's TTL has not removed it yet).
    await stack.dynamodb.send(
      new PutItemCommand({
        TableName: stack.tableName('Invitations'),
        Item: { email: { S: 'expired@example.com' }, id: { S: 'inv-expired' }, role: { S: 'MEMBER' }, invitedBy: { S: 'x' }, createdAt: { S: '2026-01-01T00:00:00Z' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) - 86_400) } },
      }),
    );
  }, 120_000);
  afterAll(() => stack?.stop());

  const setUser = (userId: string, attribute: string, value: string) => setUserAttribute(stack, userId, attribute, value);

  /** An answer with what differs between any two sessions blanked out. */
  function shape(answer: unknown): string {
    return JSON.stringify(answer, (key, value) => (['id', 'expiresAt', 'createdAt', 'url', 'headers'].includes(key) ? '<varies>' : value));
  }

  it('face sign-in: a verified, a disabled and an unknown email get the same session and the same refusal', async () => {
    const answers: Record<string, { started: string; submitted: string }> = {};
    for (const email of ['known@example.com', 'disabled@example.com', 'nobody@example.com']) {
      const started = await client.startFaceLogin(email);
      expect(started.errors, email).toBeUndefined();
      const session = started.data!.startFaceLogin;
      expect((await client.liveness(session.id, { kind: 'genuine', person: attacker })).errors, email).toBeUndefined();
      const submitted = await client.submit(session.id);
      answers[email] = { started: shape(started), submitted: shape(submitted) };
    }
    expect(JSON.parse(answers['nobody@example.com'].submitted).data.submitVerification).toMatchObject({ state: 'REQUIRES_INPUT', token: null });
    expect(answers['known@example.com']).toEqual(answers['nobody@example.com']);
    expect(answers['disabled@example.com']).toEqual(answers['nobody@example.com']);
  });

  it('onboarding: a verified, a disabled, an uninvited email and an expired invitation get the very same refusal', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const answers: Record<string, string> = {};
    for (const email of ['known@example.com', 'disabled@example.com', 'nobody@example.com', 'expired@example.com']) {
      const answer = await client.start({ email, idDocument: png });
      expect(answer.errors?.[0]?.errorType, email).toBe('Unauthorized');
      answers[email] = shape(answer);
    }
    expect(new Set(Object.values(answers)).size).toBe(1);
  });
});
