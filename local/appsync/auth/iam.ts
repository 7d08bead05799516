/**
 * AWS_IAM authorization for the local AppSync endpoint: checks a Signature Version 4 request the
 * way AppSync does. The signature itself is recomputed by the AWS SDK's own signer
 * (`@smithy/signature-v4`, hashing with `node:crypto`), so the canonical request is exactly the one real clients produce;
 * this module only decides which inputs the signer sees and compares the result.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html and
 * https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-iam-authorization.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** A locally configured IAM principal that may sign requests to the emulator. */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry this exact `x-amz-security-token` (temporary credentials). */
  sessionToken?: string;
  accountId: string;
  userArn: string;
  username: string;
  /**
   * The top-level fields this principal may call (`appsync:GraphQL` on
   * `.../types/<Type>/fields/<field>`), when its policy does not allow the whole API: AppSync
   * evaluates the caller's identity-based policy per field and answers a field it does not allow
   * with "Not Authorized to access <field> on type <Type>".
   */
  mayCall?: (typeName: string, fieldName: string) => boolean;
}

/** The parts of an incoming HTTP request that take part in a SigV4 signature. */
export interface IncomingSignedRequest {
  method: string;
  host: string;
  /** Path as it arrived on the wire (percent-encoded), without the query string. */
  path: string;
  /** Raw query string, without the leading `?`. */
  query?: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** `ctx.identity` for AWS_IAM callers, in the shape AppSync gives resolvers. */
export interface AppSyncIamIdentity {
  accountId: string;
  cognitoIdentityPoolId: null;
  cognitoIdentityId: null;
  /** Left empty here: the HTTP layer knows the peer address and fills it in. */
  sourceIp: string[];
  username: string;
  userArn: string;
  cognitoIdentityAuthType: null;
  cognitoIdentityAuthProvider: null;
}

/**
 * Why a signature was refused, for services whose error codes differ by protocol (JSON services
 * answer UnrecognizedClientException where query services answer InvalidClientTokenId, ...).
 */
export type SignatureFailure = 'missing' | 'malformed' | 'unknown-key' | 'mismatch' | 'stale';

/** Outcome of {@link verifySigV4}; `reason` uses the wording AWS returns to clients. */
export type IamVerification = { ok: true; identity: AppSyncIamIdentity } | { ok: false; reason: string; failure: SignatureFailure };

const ALGORITHM = 'AWS4-HMAC-SHA256';
const DEFAULT_SKEW_MS = 5 * 60 * 1000;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

interface ParsedAuthorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

function lowerCaseHeaders(headers: IncomingSignedRequest['headers']): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(',') : value;
    const key = name.toLowerCase();
    // Repeated headers are signed as one comma-joined value, in arrival order.
    out.set(key, out.has(key) ? `${out.get(key)},${joined}` : joined);
  }
  return out;
}

function parseAuthorization(header: string): ParsedAuthorization | string {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return `Unsupported authorization algorithm '${algorithm}'; AppSync accepts ${ALGORITHM} only.`;
  }
  const params = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders']
    .filter((p) => !params.get(p))
    .map((p) => `Authorization header requires '${p}' parameter.`);
  if (missing.length > 0) return missing.join(' ');
  const credential = (params.get('Credential') ?? '').split('/');
  if (credential.length !== 5 || credential.some((c) => c === '')) {
    return `Credential should be of the form AccessKeyId/yyyyMMdd/region/service/aws4_request, not '${params.get('Credential')}'.`;
  }
  const [accessKeyId, scopeDate, region, service, terminator] = credential;
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    terminator,
    signedHeaders: (params.get('SignedHeaders') ?? '').split(';'),
    signature: params.get('Signature') ?? '',
  };
}

/** `20240101T000000Z` from a Date, the form AWS prints in its skew messages. */
function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  // Round-tripping rejects impossible values such as month 13 that Date would roll over.
  return Number.isNaN(date.getTime()) || amzDate(date) !== value ? undefined : date;
}

function parseQuery(query: string | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query ?? '')) {
    const prior = out[key];
    out[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

const signers = new Map<string, SignatureV4>();

/**
 * One signer per key, service and region, kept: it derives the day's signing key once and
 * reuses it (hashing with `node:crypto`, as the SDK does in Node), so checking a signature costs
 * a canonical request and two HMACs.
 */
function signerFor(credentials: LocalCredentials, service: string, region: string): SignatureV4 {
  const key = `${credentials.accessKeyId}\n${credentials.secretAccessKey}\n${service}\n${region}`;
  let signer = signers.get(key);
  if (!signer) {
    // No session token here: the signer would overwrite the header with it instead of checking it.
    const secret = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
    signer = new SignatureV4({ service, region, credentials: secret, sha256: Sha256, applyChecksum: false });
    if (signers.size >= 64) signers.clear();
    signers.set(key, signer);
  }
  return signer;
}

/**
 * Verifies the SigV4 `Authorization` header of a request to the local AppSync endpoint and, when
 * it holds, returns the caller's IAM identity. Checks, in AppSync's order: header shape, credential
 * scope (service, region, date), access key, session token, clock skew (5 minutes by default),
 * that `host` is signed, that `x-amz-content-sha256` matches the real body, then the signature
 * itself, recomputed over the request's actual headers, path, query and body.
 */
export async function verifySigV4(
  request: IncomingSignedRequest,
  credentialsByAccessKeyId: (id: string) => LocalCredentials | undefined,
  options: { region: string; service?: string; now?: Date; maxSkewMs?: number },
): Promise<IamVerification> {
  const fail = (reason: string, failure: SignatureFailure = 'malformed'): IamVerification => ({ ok: false, reason, failure });
  const service = options.service ?? 'appsync';
  const headers = lowerCaseHeaders(request.headers);

  const authorization = headers.get('authorization');
  if (authorization === undefined || authorization.trim() === '') return fail('Missing Authentication Token', 'missing');
  const auth = parseAuthorization(authorization.trim());
  if (typeof auth === 'string') return fail(auth);

  const rawDate = headers.get('x-amz-date');
  if (rawDate === undefined) {
    // The SDK signer always signs X-Amz-Date; a Date-only signature cannot be recomputed with it.
    return fail(
      headers.has('date')
        ? "Signing with the 'Date' header alone is not supported by the local endpoint; send 'X-Amz-Date'."
        : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const signedAt = parseAmzDate(rawDate);
  if (signedAt === undefined) return fail(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'", not '${rawDate}'.`);

  if (auth.terminator !== 'aws4_request') {
    return fail(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'.`);
  }
  if (auth.service !== service) return fail(`Credential should be scoped to correct service: '${service}'.`);
  if (auth.region !== options.region) return fail(`Credential should be scoped to a valid region, not '${auth.region}'.`);
  if (auth.scopeDate !== rawDate.slice(0, 8)) {
    return fail(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${rawDate.slice(0, 8)}'.`);
  }

  const credentials = credentialsByAccessKeyId(auth.accessKeyId);
  if (credentials === undefined) return fail(INVALID_TOKEN, 'unknown-key');
  const token = headers.get('x-amz-security-token');
  if (credentials.sessionToken !== undefined || token !== undefined) {
    if (credentials.sessionToken === undefined || token === undefined || !safeEqual(token, credentials.sessionToken)) {
      return fail(INVALID_TOKEN, 'unknown-key');
    }
    if (!auth.signedHeaders.includes('x-amz-security-token')) return fail(MISMATCH, 'mismatch');
  }

  const now = options.now ?? new Date();
  const skew = options.maxSkewMs ?? DEFAULT_SKEW_MS;
  const minutes = `${Math.round(skew / 60000)} min.`;
  if (signedAt.getTime() < now.getTime() - skew) {
    return fail(`Signature expired: ${rawDate} is now earlier than ${amzDate(new Date(now.getTime() - skew))} (${amzDate(now)} - ${minutes})`, 'stale');
  }
  if (signedAt.getTime() > now.getTime() + skew) {
    return fail(`Signature not yet current: ${rawDate} is still later than ${amzDate(new Date(now.getTime() + skew))} (${amzDate(now)} + ${minutes})`, 'stale');
  }

  if (!auth.signedHeaders.includes('host')) {
    return fail("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const bodyHash = createHash('sha256').update(request.body, 'utf8').digest('hex');
  const claimedHash = headers.get('x-amz-content-sha256');
  // The signer trusts this header over the body, so a stale value would hide a swapped body.
  if (claimedHash !== undefined && claimedHash !== bodyHash) {
    return fail('The provided x-amz-content-sha256 header does not match what was computed.', 'mismatch');
  }

  let path: string;
  try {
    path = request.path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return fail(MISMATCH, 'mismatch');
  }
  // Only the headers the client listed go to the signer, taken from what actually arrived.
  const signedBag: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = name === 'host' ? (headers.get('host') ?? request.host) : headers.get(name);
    if (value !== undefined) signedBag[name] = value;
  }
  const signer = signerFor(credentials, service, options.region);
  const recomputed = await signer.sign(
    new HttpRequest({
      method: request.method.toUpperCase(),
      protocol: 'https:',
      hostname: request.host,
      path,
      query: parseQuery(request.query),
      headers: signedBag,
      body: request.body,
    }),
    {
      signingDate: signedAt,
      signingRegion: options.region,
      signingService: service,
      signableHeaders: new Set(auth.signedHeaders),
    },
  );
  const expected = /SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(String(recomputed.headers.authorization));
  if (expected === null || expected[1] !== auth.signedHeaders.join(';') || !safeEqual(expected[2], auth.signature)) {
    return fail(MISMATCH, 'mismatch');
  }

  return {
    ok: true,
    identity: {
      accountId: credentials.accountId,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp: [],
      username: credentials.username,
      userArn: credentials.userArn,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    },
  };
}
