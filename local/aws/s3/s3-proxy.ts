/**
 * Hands a request whose signature and body the front has checked to s3rver, and its answer back
 * to the client, streaming both ways. What the client signed with is not passed on: s3rver is
 * given its own built-in account instead, whose signature it does not check. It needs an account
 * at all only because it refuses `response-*` overrides (as S3 does) on anonymous GETs.
 */
import { createReadStream } from 'node:fs';
import { request, type Agent, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { S3Error } from './s3-errors.ts';

/** The query parameters of a presigned URL that only the front's signature check reads. */
const AUTH_QUERY_PARAMS = new Set([
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-signature',
  'x-amz-security-token',
  'x-amz-content-sha256',
]);
/** Request headers s3rver must not see: the client's credentials, hop-by-hop headers, and CORS (the front's business). */
const DROPPED_REQUEST_HEADERS = /^(authorization|x-amz-date|x-amz-content-sha256|x-amz-security-token|host|origin|access-control-request-.*|connection|keep-alive|expect|te|trailer|transfer-encoding|upgrade|proxy-.*|content-length)$/;
/** Response headers the front sets itself: its own CORS and request ids, and hop-by-hop headers. */
const DROPPED_RESPONSE_HEADERS = /^(access-control-.*|vary|x-amz-request-id|x-amz-id-2|connection|keep-alive|transfer-encoding)$/;

/** A checked request, ready for s3rver. */
export interface BackendRequest {
  method: string;
  /** Path as it arrived (path-style: `/bucket/key`), percent-encoded. */
  path: string;
  /** Raw query string without `?`; auth parameters are removed here. */
  query: string;
  headers: IncomingHttpHeaders;
  /** The spooled body, if there is one. */
  bodyFile?: { path: string; length: number };
}

/**
 * Refuses paths s3rver cannot store safely: it keeps an object at `<dataDir>/<bucket>/<key>`, so a
 * `.` or `..` segment (which S3 stores as a plain name) would alias another object or reach
 * outside the data folder. A local limitation, answered with S3's code for an unusable key.
 */
export function checkStorablePath(path: string): void {
  let segments: string[];
  try {
    segments = path.split('/').slice(1).map((segment) => decodeURIComponent(segment));
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
  if (segments.some((segment) => segment === '.' || segment === '..' || segment.includes('\0'))) {
    throw new S3Error(400, 'InvalidArgument', "The local S3 stores objects as files: it does not take '.' or '..' path segments or NUL characters.");
  }
}

/** The raw query string without the presigned-URL auth parameters, other parameters untouched. */
export function withoutAuthParams(query: string): string {
  return query
    .split('&')
    .filter((pair) => {
      if (pair === '') return false;
      const name = pair.split('=', 1)[0];
      try {
        return !AUTH_QUERY_PARAMS.has(decodeURIComponent(name).toLowerCase());
      } catch {
        return true;
      }
    })
    .join('&');
}

/**
 * Sends the request to s3rver on `port` and streams its response to `res` with `extraHeaders`
 * (request ids, CORS) added. Resolves with the status once the response is sent.
 */
export async function forwardToBackend(
  port: number,
  agent: Agent,
  region: string,
  incoming: BackendRequest,
  res: ServerResponse,
  extraHeaders: Record<string, string>,
): Promise<number> {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined && !DROPPED_REQUEST_HEADERS.test(name)) headers[name] = value;
  }
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  Object.assign(headers, {
    host: `127.0.0.1:${port}`,
    'content-length': String(incoming.bodyFile?.length ?? 0),
    'x-amz-date': now,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/${now.slice(0, 8)}/${region}/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
  });
  const query = withoutAuthParams(incoming.query);
  const upstream = request({ host: '127.0.0.1', port, agent, method: incoming.method, path: query ? `${incoming.path}?${query}` : incoming.path, headers });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    upstream.once('response', resolve);
    upstream.once('error', reject);
  });
  // Whichever of sending and answering fails first is the error to report; the other must not go unhandled.
  answered.catch(() => {});
  if (incoming.bodyFile) await pipeline(createReadStream(incoming.bodyFile.path), upstream);
  else upstream.end();
  const response = await answered;

  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !DROPPED_RESPONSE_HEADERS.test(name)) out[name] = value;
  }
  res.writeHead(response.statusCode ?? 502, { ...out, ...extraHeaders });
  await pipeline(response, res);
  return response.statusCode ?? 502;
}
