import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { DescribeKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { derToJose, kmsAliasSigner, kmsSigner } from '../../functions/shared/tokens/kms-sign.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { verifySessionToken } from '../../functions/shared/tokens/verify.ts';

/** A P-256 key pair standing in for the KMS key: KMS signs with the private half, returning DER. */
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const audience = { issuer: 'https://securetask.test', audience: 'securetask-api' };

describe('tokens signed by KMS', () => {
  it('sends the signing input to KMS Sign (ECDSA_SHA_256, RAW) and makes a token jose verifies', async () => {
    const kms = mockClient(KMSClient);
    kms.on(SignCommand).callsFake((input) => ({ Signature: sign('sha256', input.Message, { key: privateKey, dsaEncoding: 'der' }), KeyId: input.KeyId }));
    const signer = kmsSigner('key-1234', new KMSClient({ region: 'eu-west-1' }));
    const { token } = await mintSessionToken({ sub: 'u1', email: 'ada@example.com', role: 'ADMIN', generation: 3 }, signer, { ...audience, lifetimeSeconds: 600 });

    const call = kms.commandCalls(SignCommand)[0].args[0].input;
    expect(call).toMatchObject({ KeyId: 'key-1234', MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(new TextDecoder().decode(call.Message)).toBe(token.split('.').slice(0, 2).join('.'));

    const key = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ES256');
    const { payload, protectedHeader } = await jwtVerify(token, key, { algorithms: ['ES256'], ...audience });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'key-1234', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'u1', role: 'ADMIN', gen: 3 });
    const session = await verifySessionToken(token, () => key, audience);
    expect(session.generation).toBe(3);
    kms.restore();
  });

  it('turns DER signatures into fixed 64-byte R || S, whatever their integer padding', () => {
    // 200 signatures: about one in 128 has an R or S short enough to lose a byte, one in 2 a sign pad.
    for (let i = 0; i < 200; i++) {
      const message = Buffer.from(`message ${i}`);
      const converted = derToJose(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }), 32);
      expect(converted).toHaveLength(64);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, converted)).toBe(true);
    }
    expect(() => derToJose(new Uint8Array([0x31, 0x00]), 32)).toThrow(/not a DER/);
  });
});

describe('tokens signed through the KMS alias (the deployed stack)', () => {
  const ALIAS = 'alias/securetask-prod-tokens';
  const arn = (id: string) => `arn:aws:kms:eu-west-1:123456789012:key/${id}`;
  const second = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys: Record<string, typeof privateKey> = { 'key-old': privateKey, 'key-new': second.privateKey };
  const publicKeys = async () => ({
    'key-old': await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ES256'),
    'key-new': await importSPKI(second.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ES256'),
  });
  /** A KMS whose alias names `target.id`, which a test moves as a rotation would. */
  const kmsWithAlias = (target: { id: string }) => {
    const kms = mockClient(KMSClient);
    kms.on(DescribeKeyCommand, { KeyId: ALIAS }).callsFake(() => ({ KeyMetadata: { KeyId: target.id, Arn: arn(target.id) } }));
    kms.on(SignCommand).callsFake((input) => {
      // Like KMS: the function may only sign through the alias, and KMS answers with the key it used.
      if (input.KeyId !== ALIAS) throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
      return { Signature: sign('sha256', input.Message, { key: keys[target.id], dsaEncoding: 'der' }), KeyId: arn(target.id) };
    });
    return kms;
  };
  const claims = { sub: 'u1', email: 'ada@example.com', role: 'MEMBER' as const };

  it('looks the key up once through the alias, then signs through the alias with that key as kid', async () => {
    const kms = kmsWithAlias({ id: 'key-old' });
    const signer = kmsAliasSigner(ALIAS, new KMSClient({ region: 'eu-west-1' }));
    const first = await mintSessionToken(claims, await signer(), { ...audience, lifetimeSeconds: 600 });
    const again = await mintSessionToken(claims, await signer(), { ...audience, lifetimeSeconds: 600 });
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(SignCommand).map((c) => c.args[0].input.KeyId)).toEqual([ALIAS, ALIAS]);
    const verifying = await publicKeys();
    for (const { token } of [first, again]) {
      const session = await verifySessionToken(token, (kid) => verifying[kid as keyof typeof verifying], audience);
      expect(session.userId).toBe('u1');
      expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ kid: 'key-old' });
    }
    kms.restore();
  });

  it('after the alias moves (a rotation), signs once more with the new key, and both tokens verify against the ring', async () => {
    const target = { id: 'key-old' };
    const kms = kmsWithAlias(target);
    const signer = kmsAliasSigner(ALIAS, new KMSClient({ region: 'eu-west-1' }));
    const before = await mintSessionToken(claims, await signer(), { ...audience, lifetimeSeconds: 600 });
    target.id = 'key-new';
    // The signer still believes the alias names the old key; KMS signs with the new one.
    const after = await mintSessionToken(claims, await signer(), { ...audience, lifetimeSeconds: 600 });
    const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { kid: string };
    expect(header(before.token).kid).toBe('key-old');
    expect(header(after.token).kid).toBe('key-new');
    expect(kms.commandCalls(SignCommand)).toHaveLength(3);
    const verifying = await publicKeys();
    const ring = (kid: string) => verifying[kid as keyof typeof verifying];
    await expect(verifySessionToken(before.token, ring, audience)).resolves.toMatchObject({ userId: 'u1' });
    await expect(verifySessionToken(after.token, ring, audience)).resolves.toMatchObject({ userId: 'u1' });
    // From now on the new key is known: one signature per token again, no second look-up.
    await mintSessionToken(claims, await signer(), { ...audience, lifetimeSeconds: 600 });
    expect(kms.commandCalls(SignCommand)).toHaveLength(4);
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(1);
    kms.restore();
  });
});
