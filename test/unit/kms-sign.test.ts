import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { derToJose, kmsSigner } from '../../functions/shared/tokens/kms-sign.ts';
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
