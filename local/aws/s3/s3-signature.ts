/**
 * Signature Version 4 as S3 checks it, for both ways of signing: the `Authorization` header (SDK
 * calls) and the query string (presigned URLs). As in local/appsync/auth/iam.ts, the canonical
 * request is built by the AWS SDK's own signer (`@smithy/signature-v4`), so it is byte for byte the
 * one real clients sign; this module decides which inputs the signer sees, in S3's way:
 * - the path is not encoded twice (S3 is the one service that signs the path as sent), but each
 *   segment is decoded and re-encoded by RFC 3986 so every correct client's form compares equal;
 * - the payload hash is `x-amz-content-sha256` for header auth and `UNSIGNED-PAYLOAD` for
 *   presigned URLs; checking a claimed hash against the body is left to the body reader;
 * - errors carry S3's codes, statuses and wording, checked in S3's order.
 * See https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html.
 */
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { getCanonicalHeaders, SignatureV4 } from '@smithy/signature-v4';
import { checkTime, parseCredential, readHeaderAuthorization, readQueryAuthorization } from './s3-authorization.ts';
import { accessDenied, S3Error, SIGNATURE_MISMATCH } from './s3-errors.ts';

/** A key pair the local S3 accepts. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The parts of an incoming request that take part in its signature. */
export interface S3IncomingRequest {
  method: string;
  /** Path as it arrived on the wire (percent-encoded), without the query string. */
  path: string;
  /** Raw query string, without the leading `?`. */
  query: string;
  /** Lower-case names, every value in arrival order (Node's `headersDistinct`). */
  headers: Record<string, string[] | undefined>;
}

/** A request whose signature holds. */
export interface S3Authentication {
  accessKeyId: string;
  mode: 'header' | 'query';
  /** What the signature says of the body: a hex SHA-256 the body must match, `UNSIGNED-PAYLOAD`, or `STREAMING-…`. */
  payloadHash: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Exposes the SDK signer's canonical request and string to sign, which S3 shows on a mismatch. */
class S3Signer extends SignatureV4 {
  constructor(credentials: S3Credentials, region: string) {
    // uriEscapePath false: S3 signs the path as sent instead of encoding it a second time.
    super({ service: 's3', region, credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  }

  async recompute(request: HttpRequest, headers: Record<string, string>, payloadHash: string, signedAt: Date, scope: string) {
    const canonicalRequest = this.createCanonicalRequest(request, headers, payloadHash);
    const stringToSign = await this.createStringToSign(this.formatDate(signedAt).longDate, scope, canonicalRequest, ALGORITHM);
    const signature = await this.sign(stringToSign, { signingDate: signedAt, signingService: 's3' });
    return { canonicalRequest, stringToSign, signature };
  }
}

/**
 * Checks a request's SigV4 signature as S3 does and says what it covers, or throws the
 * {@link S3Error} S3 would answer with: 403 AccessDenied without credentials, InvalidAccessKeyId,
 * SignatureDoesNotMatch, RequestTimeTooSkewed (header auth, 15 minutes), AccessDenied "Request has
 * expired" (presigned), and 400 for malformed authorization or an `X-Amz-Expires` over a week.
 */
export async function verifyS3Signature(
  request: S3IncomingRequest,
  credentialsFor: (accessKeyId: string) => S3Credentials | undefined,
  options: { region: string; now?: Date },
): Promise<S3Authentication> {
  const now = options.now ?? new Date();
  const query = new URLSearchParams(request.query);
  const header = (name: string) => request.headers[name]?.[0];
  const authorization = header('authorization');
  const presigned = query.has('X-Amz-Algorithm');
  const v2 = query.has('AWSAccessKeyId') || query.has('Signature') || /^AWS /.test(authorization ?? '');
  if (authorization !== undefined && (presigned || query.has('Signature'))) {
    throw new S3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', { ArgumentName: 'Authorization' });
  }
  if (v2 && !presigned) throw new S3Error(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  if (authorization === undefined && !presigned) throw accessDenied();

  const claim = presigned ? readQueryAuthorization(query) : readHeaderAuthorization(authorization!, header);
  const scope = parseCredential(claim, options.region);
  const credentials = credentialsFor(scope.accessKeyId);
  if (credentials === undefined) {
    throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: scope.accessKeyId });
  }
  // Local keys are long-term keys: a session token can only belong to credentials S3 would not know.
  if (header('x-amz-security-token') !== undefined || query.has('X-Amz-Security-Token')) {
    throw new S3Error(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
  }
  checkTime(claim, now);

  const signedNames = claim.signedHeaders.split(';');
  const unsigned = Object.keys(request.headers)
    .filter((name) => (name === 'host' || name.startsWith('x-amz-')) && name !== 'x-amz-content-sha256' && !signedNames.includes(name))
    .sort();
  if (unsigned.length > 0) {
    throw new S3Error(403, 'AccessDenied', 'There were headers present in the request which were not signed', { HeadersNotSigned: unsigned.join(', ') });
  }

  const bag: Record<string, string> = {};
  for (const name of signedNames) {
    const values = request.headers[name];
    if (values !== undefined) bag[name] = values.map((v) => v.trim()).join(',');
  }
  const canonicalHeaders = getCanonicalHeaders(new HttpRequest({ headers: bag }), undefined, new Set(signedNames));
  const pairs: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    const prior = pairs[key];
    pairs[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  const signer = new S3Signer(credentials, options.region);
  const canonical = new HttpRequest({ method: request.method.toUpperCase(), path: canonicalPath(request.path), query: pairs });
  const credentialScope = `${scope.date}/${scope.region}/s3/aws4_request`;
  const expected = await signer.recompute(canonical, canonicalHeaders, claim.payloadHash, claim.signedAt, credentialScope);
  const sameHeaders = Object.keys(canonicalHeaders).sort().join(';') === claim.signedHeaders;
  if (!sameHeaders || !sameHex(expected.signature, claim.signature)) {
    throw new S3Error(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, {
      AWSAccessKeyId: scope.accessKeyId,
      StringToSign: expected.stringToSign,
      SignatureProvided: claim.signature,
      StringToSignBytes: hexBytes(expected.stringToSign),
      CanonicalRequest: expected.canonicalRequest,
      CanonicalRequestBytes: hexBytes(expected.canonicalRequest),
    });
  }
  return { accessKeyId: scope.accessKeyId, mode: presigned ? 'query' : 'header', payloadHash: claim.payloadHash };
}

/** S3's canonical URI: each segment decoded, then encoded by RFC 3986 (unreserved characters kept). */
function canonicalPath(path: string): string {
  try {
    return path
      .split('/')
      .map((segment) => encodeURIComponent(decodeURIComponent(segment)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
      .join('/');
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function hexBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
