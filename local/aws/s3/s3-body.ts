/**
 * A request body as S3 takes it: whole or not at all. The body is streamed to a spool file while
 * its hashes are computed, and only a body that arrived complete and matches every hash the
 * request claims (`x-amz-content-sha256`, `Content-MD5`, `x-amz-checksum-*`) goes on to s3rver.
 * Streaming straight into s3rver would not do: it writes in place, so a client that drops the
 * connection halfway leaves a truncated object where S3 keeps the old one, and a body that fails
 * its checksum would already be stored.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { S3Error } from './s3-errors.ts';

/**
 * The largest body the local S3 takes: 10 MiB. S3 allows 5 GiB in one PUT; this stand-in only
 * carries 5 MB images and small API calls, so anything bigger is a mistake or an attack.
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The checksums S3 verifies that this stand-in can compute; CRC32C and CRC64NVME are refused as not implemented. */
const CHECKSUMS = { crc32: 4, sha1: 20, sha256: 32 } as const;
const UNSUPPORTED_CHECKSUMS = ['crc32c', 'crc64nvme'];
type ChecksumName = keyof typeof CHECKSUMS;

/** What a request says its body is, checked for shape but not yet against the bytes. */
export interface BodyClaims {
  length: number;
  /** Hex SHA-256 from a header-signed request's `x-amz-content-sha256`. */
  sha256?: string;
  /** Base64 MD5 from `Content-MD5`. */
  md5?: string;
  checksum?: { name: ChecksumName; value: string };
}

/** A client that went away before sending its whole body: there is no one left to answer. */
export class BodyAborted extends Error {
  constructor() {
    super('the client closed the connection before the body was complete');
    this.name = 'BodyAborted';
  }
}

/**
 * Reads what the request claims about its body, refusing like S3 what it would refuse before
 * reading it: aws-chunked bodies (not implemented here), a missing length (411), a length over
 * {@link MAX_BODY_BYTES} (400 EntityTooLarge), a malformed digest or checksum (400).
 */
export function readBodyClaims(method: string, headers: Record<string, string[] | undefined>, query: URLSearchParams, payloadHash: string): BodyClaims {
  const header = (name: string) => headers[name]?.[0];
  if (payloadHash.startsWith('STREAMING-')) {
    throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented (the local S3 does not decode aws-chunked bodies: send the body with a Content-Length).', {
      Header: 'x-amz-content-sha256',
    });
  }
  const rawLength = header('content-length');
  if (rawLength === undefined) {
    if (method === 'PUT' || method === 'POST' || header('transfer-encoding') !== undefined) {
      throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    }
  }
  const length = rawLength === undefined ? 0 : Number(rawLength);
  if (length > MAX_BODY_BYTES) {
    throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(length),
      MaxSizeAllowed: String(MAX_BODY_BYTES),
    });
  }
  const claims: BodyClaims = { length };
  if (/^[0-9a-f]{64}$/.test(payloadHash)) claims.sha256 = payloadHash;

  const md5 = header('content-md5');
  if (md5 !== undefined) {
    if (Buffer.from(md5, 'base64').length !== 16) throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': md5 });
    claims.md5 = md5;
  }

  // A presigned URL carries x-amz-* values in its query; S3 treats them as headers.
  const sent = [...Object.keys(CHECKSUMS), ...UNSUPPORTED_CHECKSUMS].flatMap((name) => {
    const value = header(`x-amz-checksum-${name}`) ?? query.get(`x-amz-checksum-${name}`) ?? undefined;
    return value === undefined ? [] : [{ name, value }];
  });
  if (sent.length > 1) throw new S3Error(400, 'InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const checksum = sent[0];
  if (checksum !== undefined) {
    if (!Object.hasOwn(CHECKSUMS, checksum.name)) {
      throw new S3Error(501, 'NotImplemented', `A header you provided implies functionality that is not implemented (the local S3 does not compute ${checksum.name.toUpperCase()}).`, {
        Header: `x-amz-checksum-${checksum.name}`,
      });
    }
    const name = checksum.name as ChecksumName;
    if (Buffer.from(checksum.value, 'base64').length !== CHECKSUMS[name]) {
      throw new S3Error(400, 'InvalidRequest', `Value for x-amz-checksum-${name} header is invalid.`);
    }
    claims.checksum = { name, value: checksum.value };
  }
  return claims;
}

/**
 * Receives the body into `spoolPath` (nothing is written for an empty body) and checks it
 * against the claims. Resolves with the spool path, or undefined for an empty body; rejects
 * with {@link BodyAborted} if the client left, or with S3's 400 XAmzContentSHA256Mismatch or
 * BadDigest; the spool file is removed on every failure.
 */
export async function receiveBody(req: IncomingMessage, claims: BodyClaims, spoolPath: string): Promise<string | undefined> {
  const sha256 = claims.sha256 === undefined ? undefined : createHash('sha256');
  const md5 = claims.md5 === undefined ? undefined : createHash('md5');
  const checksum = claims.checksum === undefined ? undefined : runningChecksum(claims.checksum.name);
  if (claims.length > 0) {
    const hasher = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sha256?.update(chunk);
        md5?.update(chunk);
        checksum?.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(req, hasher, createWriteStream(spoolPath, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await rm(spoolPath, { force: true });
      if (req.destroyed || !req.complete) throw new BodyAborted();
      throw error;
    }
  } else {
    req.resume();
  }
  const fail = async (error: S3Error) => {
    await rm(spoolPath, { force: true });
    throw error;
  };
  const sha256Hex = sha256?.digest('hex');
  if (claims.sha256 !== undefined && sha256Hex !== claims.sha256) {
    await fail(new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
      ClientComputedContentSHA256: claims.sha256,
      S3ComputedContentSHA256: sha256Hex ?? '',
    }));
  }
  const md5Base64 = md5?.digest('base64');
  if (claims.md5 !== undefined && md5Base64 !== claims.md5) {
    await fail(new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', {
      ExpectedDigest: claims.md5,
      CalculatedDigest: md5Base64 ?? '',
    }));
  }
  if (claims.checksum !== undefined && checksum!.digest() !== claims.checksum.value) {
    await fail(new S3Error(400, 'BadDigest', `The ${claims.checksum.name.toUpperCase()} you specified did not match the calculated checksum.`));
  }
  return claims.length > 0 ? spoolPath : undefined;
}

/** An incremental checksum whose digest is base64, as `x-amz-checksum-*` carries it. */
function runningChecksum(name: ChecksumName): { update(chunk: Buffer): void; digest(): string } {
  if (name === 'crc32') {
    let value = 0;
    return {
      update: (chunk) => void (value = crc32(chunk, value)),
      digest: () => {
        const out = Buffer.alloc(4);
        out.writeUInt32BE(value >>> 0);
        return out.toString('base64');
      },
    };
  }
  const hash: Hash = createHash(name);
  return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest('base64') };
}
