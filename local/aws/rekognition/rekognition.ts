/**
 * A local Amazon Rekognition that the unchanged AWS clients talk to:
 *
 * - `RekognitionClient` over awsJson1_1 (POST /, `X-Amz-Target: RekognitionService.<Op>`):
 *   DetectFaces and CompareFaces over the offline face engine (face-operations.ts), and
 *   CreateFaceLivenessSession and GetFaceLivenessSessionResults (liveness/operations.ts);
 * - `RekognitionStreamingClient` (and Amplify's FaceLivenessDetector) on the same port, over a
 *   WebSocket with a SigV4-presigned query: StartFaceLivenessSession (liveness/stream/), with the
 *   decision made offline on the video (liveness/decision/).
 *
 * It answers in Rekognition's shapes and with its errors. The verify function reaches it through
 * `AWS_ENDPOINT_URL_REKOGNITION` and cannot tell it from the real service, except by the scores.
 * Whatever it needs from the project comes in as options: the engine, who holds which keys, where
 * the output bucket is, the data folder. See README.md.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { FaceEngine, FrameAnalyzer } from '../../faces/types.ts';
import { readLimitedBody } from '../aws-json.ts';
import { serveOnLoopback, type LoopbackOptions } from '../loopback-server.ts';
import { verifyPresignedUrl } from '../sigv4/presigned-url.ts';
import { accessDeniedMessage, JSON_PROTOCOL_AUTHENTICATION_ERRORS, type Authentication, type PrincipalLookup } from '../sigv4/principal.ts';
import { RekognitionError } from './errors.ts';
import { faceOperations } from './face-operations.ts';
import { evidenceStore, type EvidenceOutput } from './liveness/evidence.ts';
import { livenessOperations } from './liveness/operations.ts';
import { openLivenessSessions } from './liveness/sessions.ts';
import type { StreamLimits } from './liveness/stream/liveness-stream.ts';
import { livenessWebSocket } from './liveness/stream/websocket.ts';

export type { QualityFilter } from './face-operations.ts';

/** Options of {@link startLocalRekognition}. */
export interface LocalRekognitionOptions {
  /** The face engine: DetectFaces and CompareFaces; with `liveness`, the frames too. */
  engine: FaceEngine;
  /**
   * Checks a JSON request's SigV4 signature and says who signed it; the caller's policies must
   * then allow `rekognition:<Operation>`. Without it requests are not checked (unit tests).
   */
  authenticate?: (req: IncomingMessage, body: Buffer) => Promise<Authentication>;
  /** Face Liveness; without it the liveness operations answer UnknownOperationException. */
  liveness?: LivenessOptions;
  /** Also answer https:// and wss:// on the port (the streaming client always opens wss://). */
  tls?: { cert: string; key: string };
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Structured log lines (sessions decided or failed, streams that broke). */
  log?: (line: string) => void;
}

/** What Face Liveness needs. */
export interface LivenessOptions {
  /** The stand-in's folder: sessions go to `<dataDir>/liveness/<SessionId>.json`. */
  dataDir: string;
  region: string;
  /** Looks at the video's frames (the face engine's `analyzeFrame`). */
  analyzer: FrameAnalyzer;
  /** Who holds which keys, to check the presigned stream URL (the local IAM user, the STS's role sessions). */
  principals: PrincipalLookup;
  /** Where OutputConfig buckets are (the local S3) and the keys to write there with. */
  output?: EvidenceOutput;
  /** The ffmpeg command (`ffmpeg` on PATH by default). */
  ffmpeg?: string;
  limits?: Partial<StreamLimits>;
  /** Sessions nobody streams expire after this long (Rekognition: 3 minutes). */
  unusedLifetimeMs?: number;
}

/** A running local Rekognition. */
export interface LocalRekognition {
  /** `http://host:port`: give it to `RekognitionClient` as `endpoint` or `AWS_ENDPOINT_URL_REKOGNITION`; streaming clients open `wss://host:port`. */
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * A person may read the component's instructions for a while before recording starts: a minute of
 * silence, three minutes in all. Decoding 6 frames a second, up to 640 px wide, from up to 20 s of video.
 */
export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  idleMs: 60_000,
  maxStreamMs: 180_000,
  maxVideoBytes: 10_000_000,
  maxConcurrent: 4,
  fps: 6,
  maxWidth: 640,
  maxVideoSeconds: 20,
};

const MIB = 1024 * 1024;
/** Two images of at most 5 MB (image-input.ts) each, as base64 in JSON, and then some. */
const MAX_BODY_BYTES = 16 * MIB;
const SWEEP_INTERVAL_MS = 60_000;

/** Starts the local Rekognition; `stop()` closes it (the engine is the caller's to close). */
export async function startLocalRekognition(options: LocalRekognitionOptions): Promise<LocalRekognition> {
  const log = options.log ?? (() => {});
  const operations: Record<string, (request: any) => Promise<unknown>> = { ...faceOperations(options.engine) };
  let liveness: { stop(): Promise<void> } | undefined;
  let upgrade: LoopbackOptions['upgrade'];
  if (options.liveness) {
    const settings = options.liveness;
    const sessions = await openLivenessSessions({ dir: path.join(settings.dataDir, 'liveness'), unusedLifetimeMs: settings.unusedLifetimeMs });
    const evidence = evidenceStore(settings.output);
    Object.assign(operations, livenessOperations(sessions, evidence));
    const socket = livenessWebSocket({
      sessions,
      analyzer: settings.analyzer,
      evidence,
      region: settings.region,
      authenticate: (request) => verifyPresignedUrl(request, settings.principals, { region: settings.region, service: 'rekognition' }),
      limits: { ...DEFAULT_STREAM_LIMITS, ...settings.limits },
      ffmpeg: settings.ffmpeg,
      active: new Set(),
      log,
    });
    upgrade = socket.upgrade;
    const sweeper = setInterval(() => void sessions.sweep().catch(() => undefined), SWEEP_INTERVAL_MS).unref();
    liveness = {
      async stop() {
        clearInterval(sweeper);
        await socket.close();
        await sessions.flushed();
        evidence.close();
      },
    };
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }).end(JSON.stringify(body));
    try {
      const body = await readLimitedBody(req, MAX_BODY_BYTES, () => new RekognitionError('ImageTooLargeException', 'Image size is too large.'));
      const target = String(req.headers['x-amz-target'] ?? '');
      const name = target.startsWith('RekognitionService.') ? target.slice('RekognitionService.'.length) : '';
      if (options.authenticate) {
        const caller = await options.authenticate(req, body);
        if (!caller.ok) {
          const [status, code] = JSON_PROTOCOL_AUTHENTICATION_ERRORS[caller.failure];
          throw new RekognitionError(code, caller.message, status);
        }
        const decision = caller.principal.decide(`rekognition:${name || 'Unknown'}`);
        if (decision !== 'allow') throw new RekognitionError('AccessDeniedException', accessDeniedMessage(caller.principal, `rekognition:${name}`, decision), 400);
      }
      const operation = req.method === 'POST' && Object.hasOwn(operations, name) ? operations[name] : undefined;
      // Coral's own errors carry their namespace; the SDK strips everything up to '#'.
      if (!operation) throw new RekognitionError('com.amazon.coral.service#UnknownOperationException', `The local Rekognition does not implement ${target || 'an operation without X-Amz-Target'}`);
      let request: unknown;
      try {
        request = JSON.parse(body.toString('utf8'));
      } catch {
        throw new RekognitionError('com.amazon.coral.service#SerializationException', 'The request body is not valid JSON');
      }
      answer(200, await operation(request ?? {}));
    } catch (error) {
      const known = error instanceof RekognitionError ? error : new RekognitionError('InternalServerError', `The local Rekognition failed: ${String(error)}`, 500);
      const type = known.code.split('#').pop()!;
      answer(known.status, { __type: known.code, Code: type, Message: known.message, Logref: requestId });
    }
  };

  const server = await serveOnLoopback((req, res) => void handle(req, res), { host: options.host, port: options.port, tls: options.tls, upgrade });
  return {
    endpoint: server.endpoint,
    async stop() {
      await liveness?.stop();
      await server.stop();
    },
  };
}
