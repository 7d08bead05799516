/**
 * CORS for the local S3, answered by the front rather than by s3rver so that only the configured
 * origins get CORS headers. One rule for every bucket, the shape of the image bucket's rule in
 * cdk/constructs/storage.ts: the browser PUTs to presigned URLs and GETs presigned links.
 * Evaluated as S3 does (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html): a
 * preflight that matches no rule is refused with 403; an actual request from an origin that
 * matches nothing is served without CORS headers, and the browser then hides the response.
 */
import { S3Error } from './s3-errors.ts';

/** Methods a browser may use across origins. */
export const CORS_METHODS = ['GET', 'PUT', 'HEAD'] as const;
/** Request headers a browser may send: a presigned PUT sends Content-Type (Content-Length is the browser's own). */
export const CORS_ALLOWED_HEADERS = ['content-type', 'content-length'] as const;
/** Response headers a page may read: the ETag of what it uploaded. */
export const CORS_EXPOSE_HEADERS = ['ETag'] as const;
/** How long a browser may cache a preflight, as the CDK rule says. */
export const CORS_MAX_AGE_SECONDS = 300;

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/** The CORS headers S3 adds to a response for an allowed origin (preflight or actual request). */
function allowHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': CORS_METHODS.join(', '),
    'access-control-expose-headers': CORS_EXPOSE_HEADERS.join(', '),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    // S3 sends this whenever the matched rule names an origin rather than '*'.
    'access-control-allow-credentials': 'true',
    vary: VARY,
  };
}

/**
 * Answers an `OPTIONS` preflight: the headers to send with a 200, or the S3 error to send
 * (400 without Origin or Access-Control-Request-Method, 403 when no rule matches).
 */
export function preflight(allowedOrigins: readonly string[], headers: Record<string, string[] | undefined>): Record<string, string> {
  const origin = headers.origin?.[0];
  const method = headers['access-control-request-method']?.[0];
  if (!origin) throw new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  if (!method) throw new S3Error(400, 'BadRequest', 'Invalid Access-Control-Request-Method: null');
  const requested = (headers['access-control-request-headers'] ?? [])
    .flatMap((value) => value.split(','))
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const allowed =
    allowedOrigins.includes(origin) &&
    (CORS_METHODS as readonly string[]).includes(method) &&
    requested.every((name) => (CORS_ALLOWED_HEADERS as readonly string[]).includes(name));
  if (!allowed) {
    throw new S3Error(
      403,
      'AccessForbidden',
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      { Method: method, ResourceType: 'OBJECT' },
    );
  }
  return { ...allowHeaders(origin), ...(requested.length > 0 ? { 'access-control-allow-headers': requested.join(', ') } : {}) };
}

/** CORS headers for an actual (non-preflight) response, empty unless the origin and method are allowed. */
export function corsHeaders(allowedOrigins: readonly string[], origin: string | undefined, method: string): Record<string, string> {
  if (origin === undefined || !allowedOrigins.includes(origin) || !(CORS_METHODS as readonly string[]).includes(method)) return {};
  return allowHeaders(origin);
}
