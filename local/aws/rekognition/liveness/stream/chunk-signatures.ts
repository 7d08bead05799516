/**
 * The signatures on a stream's events: each envelope the client sends carries a SigV4 event
 * signature over its `:date` header and payload, chained to the previous signature, the first one
 * to the presigned URL's (AWS4-HMAC-SHA256-PAYLOAD; the SDK's `SignatureV4.signMessage`). The
 * same signer recomputes each one here, so an event cut out, replayed, reordered, altered or
 * signed with other keys breaks the chain.
 */
import { timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@smithy/core/checksum';
import type { SigningPrincipal } from '../../../sigv4/principal.ts';
import type { SignedEnvelope } from './event-stream.ts';

/** How far an event's `:date` may be from now. */
const MAX_SKEW_MS = 5 * 60_000;

/** A verifier for one stream: `verify` each envelope in the order received. */
export function chunkSignatureChain(principal: SigningPrincipal, scope: { region: string; service: string }, seedSignature: string) {
  const signer = new SignatureV4({
    service: scope.service,
    region: scope.region,
    credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey, sessionToken: principal.sessionToken },
    sha256: Sha256,
  });
  let prior = seedSignature;
  return {
    /** Throws a message saying what is wrong when the envelope's signature does not hold. */
    async verify(envelope: SignedEnvelope, now = new Date()): Promise<void> {
      if (Math.abs(envelope.date.getTime() - now.getTime()) > MAX_SKEW_MS) throw new Error('the event is signed with a date more than 5 minutes from now');
      const { signature } = await signer.signMessage(
        { message: { headers: { ':date': { type: 'timestamp', value: envelope.date } }, body: envelope.payload }, priorSignature: prior },
        { signingDate: envelope.date },
      );
      const expected = Buffer.from(signature, 'hex');
      const given = Buffer.from(envelope.signature, 'hex');
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new Error('the event signature does not match');
      prior = envelope.signature;
    },
  };
}
