/**
 * The authorization a request claims, read and checked for shape, scope and time as S3 does
 * before it computes anything: the `Authorization` header of SDK calls, or the `X-Amz-*` query
 * parameters of a presigned URL. Whether the signature holds is s3-signature.ts's business.
 */
import { S3Error } from './s3-errors.ts';

/** S3's limit on a presigned URL's life: seven days. */
export const MAX_PRESIGNED_EXPIRY_SECONDS = 604_800;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const MAX_SKEW_MS = 15 * 60 * 1000;
const QUERY_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
const PAYLOAD_HASH = /^(UNSIGNED-PAYLOAD|STREAMING-(UNSIGNED-PAYLOAD-TRAILER|AWS4-HMAC-SHA256-PAYLOAD(-TRAILER)?|AWS4-ECDSA-P256-SHA256-PAYLOAD(-TRAILER)?)|[0-9a-f]{64})$/;

/** What a request claims about its signature, before any of it is believed. */
export interface Claim {
  credential: string;
  signedHeaders: string;
  signature: string;
  signedAt: Date;
  rawDate: string;
  /** Presigned URLs only. */
  expiresSeconds?: number;
  payloadHash: string;
  /** The error S3 uses for a malformed value in this kind of authorization. */
  malformed: (detail: string, details?: Record<string, string>) => S3Error;
}

/**
 * Reads an `Authorization: AWS4-HMAC-SHA256 …` header with its date and `x-amz-content-sha256`
 * (required by S3 for header auth), or throws S3's 400/403 for a malformed or missing part.
 */
export function readHeaderAuthorization(authorization: string, header: (name: string) => string | undefined): Claim {
  const malformed = (detail: string, details?: Record<string, string>) =>
    new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, details);
  const space = authorization.indexOf(' ');
  if (space < 0 || authorization.slice(0, space) !== ALGORITHM) {
    throw new S3Error(400, 'InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization' });
  }
  const parts = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const [credential, signedHeaders, signature] = ['Credential', 'SignedHeaders', 'Signature'].map((name) => parts.get(name));
  if (!credential || !signedHeaders || !signature) {
    throw malformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const rawDate = header('x-amz-date') ?? header('date');
  const signedAt = rawDate === undefined ? undefined : (parseAmzDate(rawDate) ?? parseHttpDate(rawDate));
  if (rawDate === undefined || signedAt === undefined) throw new S3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  const payloadHash = header('x-amz-content-sha256');
  if (payloadHash === undefined) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  if (!PAYLOAD_HASH.test(payloadHash)) {
    throw new S3Error(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.', {
      ArgumentName: 'x-amz-content-sha256',
      ArgumentValue: payloadHash,
    });
  }
  return { credential, signedHeaders, signature, signedAt, rawDate, payloadHash, malformed };
}

/**
 * Reads a presigned URL's `X-Amz-*` parameters, or throws S3's 400
 * AuthorizationQueryParametersError (missing parameter, bad date, `X-Amz-Expires` over a week).
 */
export function readQueryAuthorization(query: URLSearchParams): Claim {
  const malformed = (detail: string, details?: Record<string, string>) => new S3Error(400, 'AuthorizationQueryParametersError', detail, details);
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) throw malformed(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  if (QUERY_PARAMS.some((name) => !query.get(name))) {
    throw malformed('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  const expires = query.get('X-Amz-Expires')!;
  if (!/^-?\d+$/.test(expires)) throw malformed('X-Amz-Expires should be a number');
  const expiresSeconds = Number(expires);
  if (expiresSeconds < 0) throw malformed('X-Amz-Expires must be non-negative');
  if (expiresSeconds > MAX_PRESIGNED_EXPIRY_SECONDS) {
    throw malformed(`X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_PRESIGNED_EXPIRY_SECONDS} seconds`);
  }
  const rawDate = query.get('X-Amz-Date')!;
  const signedAt = parseAmzDate(rawDate);
  if (signedAt === undefined) throw malformed(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  return {
    credential: query.get('X-Amz-Credential')!,
    signedHeaders: query.get('X-Amz-SignedHeaders')!,
    signature: query.get('X-Amz-Signature')!,
    signedAt,
    rawDate,
    expiresSeconds,
    payloadHash: query.get('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD,
    malformed: (detail, details) => malformed(`Error parsing the X-Amz-Credential parameter; ${detail}`, details),
  };
}

/** The credential scope of a claim, checked against this endpoint's region and service and the request's date. */
export function parseCredential(claim: Claim, region: string): { accessKeyId: string; date: string; region: string } {
  const { malformed } = claim;
  const parts = claim.credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '')) {
    throw malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const [accessKeyId, date, scopeRegion, service, terminal] = parts;
  if (scopeRegion !== region) throw malformed(`the region '${scopeRegion}' is wrong; expecting '${region}'`, { Region: region });
  if (service !== 's3') throw malformed(`incorrect service "${service}". This endpoint belongs to "s3".`);
  if (terminal !== 'aws4_request') throw malformed(`incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
  if (date !== amzDate(claim.signedAt).slice(0, 8)) throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  return { accessKeyId, date, region: scopeRegion };
}

/** Header auth: 15 minutes either way (RequestTimeTooSkewed). Presigned: not before its date (same 15-minute grace), not after its expiry. */
export function checkTime(claim: Claim, now: Date): void {
  const age = now.getTime() - claim.signedAt.getTime();
  const serverTime = amzIso(now);
  if (claim.expiresSeconds === undefined) {
    if (Math.abs(age) > MAX_SKEW_MS) {
      throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
        RequestTime: claim.rawDate,
        ServerTime: serverTime,
        MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
      });
    }
    return;
  }
  if (age < -MAX_SKEW_MS) throw new S3Error(403, 'AccessDenied', 'Request is not valid yet');
  if (age > claim.expiresSeconds * 1000) {
    throw new S3Error(403, 'AccessDenied', 'Request has expired', {
      'X-Amz-Expires': String(claim.expiresSeconds),
      Expires: amzIso(new Date(claim.signedAt.getTime() + claim.expiresSeconds * 1000)),
      ServerTime: serverTime,
    });
  }
}

function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function amzIso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  // Round-tripping rejects impossible values such as month 13 that Date would roll over.
  return Number.isNaN(date.getTime()) || amzDate(date) !== value ? undefined : date;
}

function parseHttpDate(value: string): Date | undefined {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

