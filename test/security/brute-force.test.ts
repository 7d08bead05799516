/**
 * Attack: try faces until one passes. Every liveness check costs an attempt of the session, of
 * the email and of the source address in the window; going over cools the email or the address
 * down. The attacker here signs in as a victim by showing their own face to the liveness check
 * (a live person, just the wrong one): from many sessions (the email limit holds), under many
 * spellings of the email (one counter), for many emails from one address (the address limit
 * holds), and with a forged X-Forwarded-For (the address is the last hop, which the client cannot
 * write). Limits are small so that few checks are filmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { writeObject } from '../../functions/shared/uploads.ts';
import { face, facesAvailable } from '../helpers/faces.ts';
import type { SourceImage } from '../helpers/liveness-video.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient, personOf } from '../helpers/verification.ts';
import { setUserAttribute } from '../helpers/users.ts';

const POLICY = { ...defaultVerificationPolicy, attemptsPerSession: 3, attemptsPerEmail: 2, attemptsPerSource: 5 };

describe.skipIf(!facesAvailable)('brute-forcing face sign-in', () => {
  let stack: TestStack;
  let impostor: SourceImage;

  beforeAll(async () => {
    stack = await startTestStack({ config: { verification: POLICY } });
    impostor = await personOf(stack, 'photos/rose_1.jpg');
  }, 120_000);
  afterAll(() => stack?.stop());

  /** A verified victim: an active user whose reference face is someone else than the impostor. */
  async function victim(email: string) {
    const { userId } = await stack.tokenFor(email, 'MEMBER');
    const key = `faces/${userId}/reference`;
    await stack.functionAccess.runAs('verification', async () => writeObject(stack.imagesBucket, key, await face('photos/obama_1.jpg'), 'image/jpeg'));
    await setUserAttribute(stack, userId, 'referenceFaceKey', key);
  }

  /** One attempt: a new face sign-in session for `email`, the impostor live in front of the camera, submit. */
  async function attempt(email: string, headers: Record<string, string> = {}) {
    const answer = await onboardingClient(stack, headers).faceLogin(email, { kind: 'genuine', person: impostor });
    return answer.errors?.[0] ?? answer.data!.submitVerification;
  }

  it('per email: new sessions do not bring new attempts, nor does another spelling of the email', async () => {
    await victim('ceo@example.com');
    for (let i = 0; i < POLICY.attemptsPerEmail; i++) {
      expect(await attempt('ceo@example.com')).toMatchObject({ state: 'REQUIRES_INPUT', token: null });
    }
    const over = await attempt('CEO@Example.COM');
    expect(over).toMatchObject({ errorType: 'RateLimited', data: { retryAfterSeconds: POLICY.coolDownMinutes * 60 } });
    // Cooling down: even starting a session is refused now.
    expect(await attempt('ceo@example.com')).toMatchObject({ errorType: 'RateLimited' });
  });

  it('per address: many emails from one address, with a forged X-Forwarded-For, stop at the address limit', async () => {
    // 3 uses of this address so far (2 checks + the refused one above); the limit is 5.
    await victim('cfo@example.com');
    await victim('cto@example.com');
    expect(await attempt('cfo@example.com', { 'x-forwarded-for': '198.51.100.1' })).toMatchObject({ state: 'REQUIRES_INPUT' });
    expect(await attempt('cto@example.com', { 'x-forwarded-for': '198.51.100.2' })).toMatchObject({ state: 'REQUIRES_INPUT' });
    // cfo has one attempt of its own left; the address has none.
    const over = await attempt('cfo@example.com', { 'x-forwarded-for': '198.51.100.3' });
    expect(over).toMatchObject({ errorType: 'RateLimited' });
    // And the address is cooling down for a brand-new email too, whatever the header says.
    expect(await attempt('cio@example.com', { 'x-forwarded-for': '203.0.113.99' })).toMatchObject({ errorType: 'RateLimited' });
  });

  it('every refusal is audited with the real address, not the forged one', async () => {
    const admin = await stack.tokenFor('admin@example.com', 'ADMIN');
    const { body } = await stack.graphql('{ auditLog(filter: { action: RATE_LIMITED }, limit: 50) { items { sourceIp } } }', undefined, { authorization: admin.token });
    const addresses = new Set((body.data.auditLog.items as { sourceIp: string }[]).map((e) => e.sourceIp));
    expect(addresses.size).toBeGreaterThan(0);
    for (const address of addresses) expect(address).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});
