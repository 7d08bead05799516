/**
 * SigV4 in the query string (a presigned URL) for services other than S3: what the AWS SDK's
 * WebSocket clients (Rekognition streaming, Transcribe streaming) put in the URL they open. The
 * canonical request is rebuilt by the SDK's own signer (`@smithy/signature-v4`'s `presign`) from
 * the URL as it arrived, so it is byte for byte what the client signed.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#query-string-auth.
 */
import { timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@smithy/core/checksum';
import { checkExpiry, type Authentication, type PrincipalLookup, type SigningPrincipal } from './principal.ts';

/** SigV4's limit on a presigned URL's life: seven days. */
const MAX_EXPIRES_SECONDS = 604_800;
const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTH_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token'];
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** A presigned URL's authentication, with the signature that starts the event-stream signing chain. */
export type PresignedAuthentication = (Authentication & { ok: true; signature: string; signedAt: Date }) | (Authentication & { ok: false });

/**
 * Checks the presigned query of `url` (path and query as they arrived) for `service` in
 * `region`: shape, scope, expiry, the access key and session token, then the signature over
 * method, path, query and the signed headers (`host`).
 */
export async function verifyPresignedUrl(
  request: { method: string; url: string; headers: Record<string, string | string[] | undefined> },
  lookup: PrincipalLookup,
  options: { region: string; service: string; now?: Date },
): Promise<PresignedAuthentication> {
  const malformed = (message: string): PresignedAuthentication => ({ ok: false, failure: 'malformed', message });
  const now = options.now ?? new Date();
  const url = new URL(request.url, 'http://local');
  const query = url.searchParams;
  if (!query.has('X-Amz-Signature') && !query.has('X-Amz-Credential')) return { ok: false, failure: 'missing', message: 'Missing Authentication Token' };
  const missing = AUTH_PARAMS.slice(0, 6).filter((name) => !query.get(name));
  if (missing.length > 0) return malformed(`AWS query-string parameters must include ${missing.map((m) => `'${m}'`).join(', ')}.`);
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) return malformed(`Unsupported AWS 'algorithm': '${query.get('X-Amz-Algorithm')}'.`);

  const [accessKeyId, scopeDate, region, service, terminator, ...rest] = query.get('X-Amz-Credential')!.split('/');
  if (rest.length > 0 || !terminator) return malformed(`Credential should be of the form AccessKeyId/yyyyMMdd/region/service/aws4_request.`);
  if (terminator !== 'aws4_request') return malformed(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  if (service !== options.service) return malformed(`Credential should be scoped to correct service: '${options.service}'.`);
  if (region !== options.region) return malformed(`Credential should be scoped to a valid region, not '${region}'.`);
  const rawDate = query.get('X-Amz-Date')!;
  const signedAt = parseAmzDate(rawDate);
  if (!signedAt) return malformed(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'", not '${rawDate}'.`);
  if (scopeDate !== rawDate.slice(0, 8)) return malformed(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${rawDate.slice(0, 8)}'.`);
  const expires = Number(query.get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) return malformed(`X-Amz-Expires must be between 1 and ${MAX_EXPIRES_SECONDS} seconds.`);
  if (signedAt.getTime() > now.getTime() + 5 * 60_000) return { ok: false, failure: 'stale', message: `Signature not yet current: ${rawDate} is still later than the current time.` };
  if (signedAt.getTime() + expires * 1000 < now.getTime()) return { ok: false, failure: 'stale', message: `Signature expired: ${rawDate} is now earlier than ${amzDate(new Date(now.getTime() - expires * 1000))} (${amzDate(now)} - ${expires} sec.)` };

  const principal = lookup(accessKeyId);
  if (!principal) return { ok: false, failure: 'unknown-key', message: INVALID_TOKEN };
  const token = query.get('X-Amz-Security-Token') ?? undefined;
  if ((principal.sessionToken ?? '') !== (token ?? '') || (token !== undefined && !sameText(token, principal.sessionToken!))) {
    return { ok: false, failure: 'unknown-key', message: INVALID_TOKEN };
  }

  const signedHeaders = query.get('X-Amz-SignedHeaders')!.split(';');
  if (!signedHeaders.includes('host')) return malformed("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return { ok: false, failure: 'mismatch', message: MISMATCH };
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // The SDK's WebSocket middleware signs the host name without the port (on AWS the port is the
  // implied 443), while the Host header it then sends carries it: both forms are tried.
  const given = query.get('X-Amz-Signature')!;
  let expected = '';
  for (const host of new Set([headers.host, headers.host?.replace(/:\d+$/, '')])) {
    expected = await presignedSignature(principal, { method: request.method, path: url.pathname, query, headers: { ...headers, ...(host !== undefined ? { host } : {}) } }, { region, service, signedAt, expires, signedHeaders });
    if (sameText(expected, given)) break;
  }
  if (!sameText(expected, given)) return { ok: false, failure: 'mismatch', message: MISMATCH };
  const checked = checkExpiry(principal, now);
  return checked.ok ? { ...checked, signature: expected, signedAt } : checked;
}

/** The signature the SDK's signer computes for this request: every query parameter but the signature itself is signed. */
async function presignedSignature(
  principal: SigningPrincipal,
  request: { method: string; path: string; query: URLSearchParams; headers: Record<string, string> },
  scope: { region: string; service: string; signedAt: Date; expires: number; signedHeaders: string[] },
): Promise<string> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of request.query) {
    // presign() adds the authentication parameters itself, from the credentials and options below.
    if (AUTH_PARAMS.includes(key)) continue;
    const prior = params[key];
    params[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  const signer = new SignatureV4({
    service: scope.service,
    region: scope.region,
    credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey, sessionToken: principal.sessionToken },
    sha256: Sha256,
  });
  let path: string;
  try {
    path = request.path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return '';
  }
  const presigned = await signer.presign(new HttpRequest({ method: request.method.toUpperCase(), protocol: 'https:', hostname: request.headers.host ?? '', path, query: params, headers: request.headers, body: '' }), {
    signingDate: scope.signedAt,
    expiresIn: scope.expires,
    signableHeaders: new Set(scope.signedHeaders),
    unsignableHeaders: new Set(Object.keys(request.headers).filter((name) => !scope.signedHeaders.includes(name))),
  });
  return String(presigned.query?.['X-Amz-Signature'] ?? '');
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) || amzDate(date) !== value ? undefined : date;
}

function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
