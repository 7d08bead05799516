import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { startS3Backend } from './s3-backend.ts';
import { BodyAborted, MAX_BODY_BYTES, readBodyClaims, receiveBody } from './s3-body.ts';
import { corsHeaders, preflight } from './s3-cors.ts';
import { errorDocument, newRequestIds, S3Error } from './s3-errors.ts';
import { checkStorablePath, forwardToBackend } from './s3-proxy.ts';
import { verifyS3Signature, type S3Credentials } from './s3-signature.ts';
import { checkS3Access, s3AccessRequests, spooledText } from './s3-access.ts';
import type { AccessControl } from '../iam/index.ts';

/** Options for {@link startLocalS3}. */
export interface LocalS3Options {
  /** Where objects live (s3rver's directory); they survive a restart on the same folder. */
  dataDir: string;
  /** The only region credential scopes may name, as a real bucket lives in one region. */
  region: string;
  /** The secret for an access key id, or undefined if the key is unknown (403 InvalidAccessKeyId). */
  credentials: (accessKeyId: string) => S3Credentials | undefined;
  /** Created at start when missing. */
  buckets: string[];
  /** Browser origins that get CORS headers (exact match, e.g. `http://127.0.0.1:5173`). */
  allowedOrigins: string[];
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** Port to listen on; a free one by default. */
  port?: number;
  /**
   * One JSON line per request: method, bucket, key, status (and S3 error code). Never a URL or
   * query string. Without it, only failures of the store itself (a 500: the disk full, the folder
   * gone) are reported, on stderr, so an upload that fails for such a reason is never silent.
   */
  log?: (line: string) => void;
  /** Who may do what (`s3:GetObject` on `arn:aws:s3:::bucket/key`, ...): without it, every valid signature may do anything. */
  access?: AccessControl;
}

/** A running local S3. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`: give it to `S3Client` as `endpoint` (with `forcePathStyle`) or as `AWS_ENDPOINT_URL_S3`. */
  endpoint: string;
  /** Stops both servers; objects stay on disk. */
  stop(): Promise<void>;
}

const SPOOL_FILE = /^\.s3-upload-[0-9a-f-]+\.part$/;

/**
 * A local S3 that the real SDK and browsers talk to: s3rver for storage, behind a front on
 * loopback that does what s3rver does not, as S3 does it: it verifies every request's SigV4
 * signature (header-signed SDK calls and presigned URLs), checks the body against the hashes
 * the request claims before anything is stored, and answers CORS for `allowedOrigins` only.
 * Path-style addressing only (`forcePathStyle: true`); bodies up to {@link MAX_BODY_BYTES}.
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const log = options.log ?? (() => {});
  const logFailure = options.log ?? storeFailureToStderr;
  await mkdir(options.dataDir, { recursive: true });
  // Bodies are spooled next to the objects (plain files, which s3rver does not list as buckets);
  // a crash can leave one behind.
  for (const name of await readdir(options.dataDir)) {
    if (SPOOL_FILE.test(name)) await rm(join(options.dataDir, name), { force: true });
  }
  const backend = await startS3Backend({ directory: options.dataDir, buckets: options.buckets });
  const agent = new Agent({ keepAlive: true });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const ids = newRequestIds();
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const query = mark < 0 ? '' : url.slice(mark + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = req.headersDistinct;
    const idHeaders = { 'x-amz-request-id': ids.requestId, 'x-amz-id-2': ids.hostId };
    const cors = method === 'OPTIONS' ? {} : corsHeaders(options.allowedOrigins, headers.origin?.[0], method);
    const record = (status: number, code?: string) => log(JSON.stringify({ level: 'info', msg: 'local s3', method, ...target(path), status, ...(code ? { code } : {}) }));
    let spool: string | undefined;
    try {
      if (method === 'OPTIONS') {
        const allow = preflight(options.allowedOrigins, headers);
        await drain(req);
        res.writeHead(200, { ...allow, ...idHeaders }).end();
        record(200);
        return;
      }
      const auth = await verifyS3Signature({ method, path, query, headers }, options.credentials, { region: options.region });
      checkStorablePath(path);
      const claims = readBodyClaims(method, headers, new URLSearchParams(query), auth.payloadHash);
      spool = await receiveBody(req, claims, join(options.dataDir, `.s3-upload-${randomUUID()}.part`));
      const bodyFile = spool === undefined ? undefined : { path: spool, length: claims.length };
      const received = spool;
      if (options.access) await checkS3Access(options.access, auth.accessKeyId, s3AccessRequests(method, path, query, () => spooledText(received), headers['x-amz-copy-source']?.[0]));
      const status = await forwardToBackend(backend.port, agent, options.region, { method, path, query, headers: req.headers, bodyFile }, res, { ...idHeaders, ...cors });
      record(status);
    } catch (error) {
      if (error instanceof BodyAborted) {
        record(499, 'ClientClosedRequest');
        return;
      }
      const s3Error = error instanceof S3Error ? error : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (!(error instanceof S3Error)) {
        logFailure(JSON.stringify({ level: 'error', msg: 'local s3 request failed', method, ...target(path), error: String(error) }));
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      await sendError(req, res, method, s3Error, ids, { ...idHeaders, ...cors });
      record(s3Error.status, s3Error.code);
    } finally {
      if (spool !== undefined) await rm(spool, { force: true });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    agent.destroy();
    await backend.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    stop() {
      stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        agent.destroy();
        await backend.close();
      })();
      return stopped;
    },
  };
}

/**
 * Sends S3's error document (no body for HEAD, as S3). A body the client is still sending is
 * read and dropped first when it is within the size limit, so the client finishes writing and
 * reads the answer; a larger or unbounded one is not read and the connection is closed instead.
 */
async function sendError(req: IncomingMessage, res: ServerResponse, method: string, error: S3Error, ids: { requestId: string; hostId: string }, headers: Record<string, string>): Promise<void> {
  const out: Record<string, string> = { 'content-type': 'application/xml', ...headers };
  if (!req.complete) {
    const declared = Number(req.headers['content-length']);
    if (Number.isInteger(declared) && declared <= MAX_BODY_BYTES) await drain(req);
    else out.connection = 'close';
  }
  res.writeHead(error.status, out).end(method === 'HEAD' ? undefined : errorDocument(error, ids));
}

/** Reads and discards the rest of a request body; a client that goes away meanwhile is fine. */
async function drain(req: IncomingMessage): Promise<void> {
  req.resume();
  await finished(req).catch(() => {});
}

/** Where a store failure goes when nobody asked for request lines: the terminal, unless logs are silenced. */
function storeFailureToStderr(line: string): void {
  if (process.env.SECURETASK_LOG_LEVEL !== 'silent') process.stderr.write(line + '\n');
}

/** Bucket and key of a path-style request, for logs (decoded; never the query string). */
function target(path: string): { bucket?: string; key?: string } {
  const [, bucket, ...rest] = path.split('/');
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  return { ...(bucket ? { bucket: decode(bucket) } : {}), ...(rest.length > 0 && rest.join('/') !== '' ? { key: decode(rest.join('/')) } : {}) };
}
