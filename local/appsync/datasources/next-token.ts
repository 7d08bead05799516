import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Turns DynamoDB's `LastEvaluatedKey` into an opaque `nextToken` and back. AppSync "encrypts and
 * obfuscates the pagination token returned from DynamoDB" so keys do not leak to callers and a
 * token cannot be used with another resolver; `scope` carries that binding (table, index,
 * operation) as authenticated data, so a token minted for one scope fails in another.
 */
export interface NextTokenCodec {
  encode(lastEvaluatedKey: Record<string, AttributeValue>, scope?: string): string;
  /** Throws {@link InvalidNextTokenError} on a token that was tampered with, forged or minted for another scope. */
  decode(token: string, scope?: string): Record<string, AttributeValue>;
}

/** A nextToken this process did not mint for this scope. */
export class InvalidNextTokenError extends Error {
  constructor() {
    super('Invalid pagination token given.');
    this.name = 'InvalidNextTokenError';
  }
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM codec. The key is derived from `secret` (any length) with SHA-256, so callers can
 * pass a random per-run secret or a persisted one to keep tokens valid across restarts.
 */
export function createNextTokenCodec(secret: Buffer): NextTokenCodec {
  if (secret.length < 16) throw new Error('nextToken secret must be at least 16 bytes');
  const key = createHash('sha256').update('securetask-next-token\0').update(secret).digest();
  const aad = (scope: string | undefined): Buffer => Buffer.from(`v${VERSION}\0${scope ?? ''}`, 'utf8');

  return {
    encode(lastEvaluatedKey, scope) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(scope));
      const body = Buffer.concat([cipher.update(JSON.stringify(toJson(lastEvaluatedKey)), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    decode(token, scope) {
      if (typeof token !== 'string' || !/^[A-Za-z0-9_-]+$/.test(token)) throw new InvalidNextTokenError();
      const raw = Buffer.from(token, 'base64url');
      if (raw.length < 1 + IV_BYTES + TAG_BYTES + 2 || raw[0] !== VERSION) throw new InvalidNextTokenError();
      const iv = raw.subarray(1, 1 + IV_BYTES);
      const tag = raw.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(aad(scope));
        decipher.setAuthTag(tag);
        const plain = Buffer.concat([decipher.update(raw.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
        const parsed: unknown = JSON.parse(plain.toString('utf8'));
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidNextTokenError();
        return fromJson(parsed as Record<string, Record<string, string>>);
      } catch {
        throw new InvalidNextTokenError();
      }
    },
  };
}

/** Key attributes are S, N or B; B is bytes, which JSON cannot carry as is. */
function toJson(key: Record<string, AttributeValue>): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(key).map(([name, value]) => {
      if (value.B !== undefined) return [name, { B64: Buffer.from(value.B).toString('base64') }];
      return [name, value as unknown as Record<string, string>];
    }),
  );
}

function fromJson(key: Record<string, Record<string, string>>): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(key).map(([name, value]) => {
      if (!value || typeof value !== 'object') throw new InvalidNextTokenError();
      if (typeof value.B64 === 'string') return [name, { B: Buffer.from(value.B64, 'base64') }];
      return [name, value as unknown as AttributeValue];
    }),
  );
}
