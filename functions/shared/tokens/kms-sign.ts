import { DescribeKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { tracer } from '../observability.ts';
import { SigningKeyMovedError, type RemoteSigner } from './sign.ts';

/**
 * A signer whose private key stays in KMS (an ECC_NIST_P256 SIGN_VERIFY key): the token's
 * signing input goes to KMS `Sign` (ECDSA_SHA_256) and the DER signature KMS returns is
 * turned into the raw R || S form JWS requires (RFC 7518 section 3.4). The `kid` is the key id,
 * which is what the authorizer looks keys up by.
 */
export function kmsSigner(keyId: string, client = tracer.captureAWSv3Client(new KMSClient({}))): RemoteSigner {
  return {
    kid: keyId,
    async sign(signingInput) {
      const { Signature } = await client.send(
        new SignCommand({ KeyId: keyId, Message: signingInput, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }),
      );
      if (!Signature) throw new Error(`KMS returned no signature for key ${keyId}`);
      return derToJose(Signature, 32);
    },
  };
}

/**
 * A signer through a KMS alias (`alias/securetask-prod-tokens`): the key that signs is the one
 * the alias names, which a rotation changes. The key id (the token's `kid`) is looked up once
 * (`DescribeKey` through the alias) and kept; every signature goes through the alias too, which
 * is all the function's permission allows (`kms:RequestAlias`), and KMS says which key signed.
 * When that is not the key in the header (the alias moved), the signer learns the new key and
 * throws {@link SigningKeyMovedError}, and `mintSessionToken` signs once more with it.
 */
export function kmsAliasSigner(alias: string, client = tracer.captureAWSv3Client(new KMSClient({}))) {
  let current: Promise<string> | undefined;
  const keyId = (arnOrId: string) => arnOrId.slice(arnOrId.lastIndexOf('/') + 1);
  const signerFor = (kid: string): RemoteSigner => ({
    kid,
    async sign(signingInput) {
      const { Signature, KeyId } = await client.send(new SignCommand({ KeyId: alias, Message: signingInput, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));
      if (!Signature || !KeyId) throw new Error(`KMS returned no signature for ${alias}`);
      if (keyId(KeyId) !== kid) {
        current = Promise.resolve(keyId(KeyId));
        throw new SigningKeyMovedError(signerFor(keyId(KeyId)));
      }
      return derToJose(Signature, 32);
    },
  });
  return async (): Promise<RemoteSigner> => {
    current ??= (async () => {
      const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: alias }));
      if (!KeyMetadata?.KeyId) throw new Error(`KMS could not describe ${alias}`);
      return KeyMetadata.KeyId;
    })();
    current.catch(() => (current = undefined)); // a failed look-up is tried again next time
    return signerFor(await current);
  };
}

/** An ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }` as fixed-width `r || s`. */
export function derToJose(der: Uint8Array, size: number): Uint8Array {
  let offset = 0;
  const expect = (tag: number) => {
    if (der[offset++] !== tag) throw new Error('not a DER ECDSA signature');
    let length = der[offset++];
    if (length & 0x80) {
      const bytes = length & 0x7f;
      length = 0;
      for (let i = 0; i < bytes; i++) length = (length << 8) | der[offset++];
    }
    return length;
  };
  expect(0x30);
  const out = new Uint8Array(size * 2);
  for (const half of [0, 1]) {
    const length = expect(0x02);
    let value = der.subarray(offset, offset + length);
    offset += length;
    while (value.length > size && value[0] === 0) value = value.subarray(1); // sign padding
    if (value.length > size) throw new Error('DER integer longer than the curve size');
    out.set(value, half * size + (size - value.length));
  }
  return out;
}
