import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { api } from '../../api/definition.ts';
import type { LocalCredentials } from '../appsync/index.ts';
import { assertFfmpegPresent, authenticateSignedRequest, startLocalRekognition, startLocalS3, startLocalSes, startLocalSts, startLocalTextract, type LocalRole, type LocalTextract, type PrincipalLookup } from '../aws/index.ts';
import { createFaceEngine, descriptorSimilarity, type FaceEngine, type FrameAnalyzer, type PooledFaceEngine } from '../faces/index.ts';
import { localCertificate } from '../tls.ts';
import type { LocalPermissions } from './permissions.ts';

/** The local stand-ins for S3, SES, Rekognition (Face Liveness too), STS and Textract, and how to reach them. */
export interface LocalAwsServices {
  /** For `AWS_ENDPOINT_URL_S3`, `_SESV2`, `_REKOGNITION` (streaming too: wss:// on the same port), `_STS` and `_TEXTRACT`. */
  endpoints: { s3: string; sesv2: string; rekognition: string; sts: string; textract: string };
  outboxDir: string;
  /** The offline face engine behind the Rekognition endpoint (loaded on first use, or by `warm`). */
  faces: FaceEngine & FrameAnalyzer & { warm(): Promise<void> };
  /** The offline ID reader behind the Textract endpoint (its OCR starts on first use, or by `warm`). */
  documents: Pick<LocalTextract, 'warm'>;
  stop(): Promise<void>;
}

/**
 * The role the verification function assumes (with a session policy) to vend a browser
 * credentials for one Face Liveness stream: it may call rekognition:StartFaceLivenessSession and
 * nothing else (`actions`: the description's), for 15 minutes to an hour. `arn` is where the description's deployment puts it.
 */
export function livenessBrowserRole(arn: string, actions: string[] = api.liveness?.browserActions ?? []): LocalRole {
  return {
    arn,
    // The description's browser actions, as CDK's role has them (cdk/constructs/liveness.ts).
    policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }],
    maxSessionDurationSeconds: 3600,
  };
}

/**
 * Starts the services the verification functions call, each on loopback and each checking
 * SigV4 signatures and what the signer may do as AWS would: the local IAM user's keys and each
 * function role's, with their grants (local/stack/permissions.ts), and at Rekognition and STS
 * also the temporary keys the local STS issued (with their policies): S3 (s3rver behind a
 * signature check; objects under `<data>/s3`), SES (emails as `.eml` files in `<data>/outbox`), Rekognition (the offline face
 * matcher in worker threads, and Face Liveness with its streaming WebSocket on the same port,
 * sessions under `<data>/rekognition/liveness`), STS (AssumeRole, `<data>/sts`) and Textract
 * (the offline ID reader: Tesseract in worker threads).
 */
export async function startLocalAwsServices(options: {
  dataDir: string;
  region: string;
  /** Whose signatures are good, and what each signer may do. */
  permissions: LocalPermissions;
  /** The local IAM user, whose keys Rekognition writes Face Liveness images to S3 with. */
  localUser: LocalCredentials;
  buckets: string[];
  /** Browser origins allowed to upload images (CORS). */
  allowedOrigins: string[];
  /** Service log lines (failures). */
  log: (line: string) => void;
  /** Progress a person waits for (the face models loading). */
  progress: (line: string) => void;
  /** The roles the local STS lets callers assume (the browser's Face Liveness role). */
  roles: LocalRole[];
}): Promise<LocalAwsServices> {
  const { permissions, region, localUser } = options;
  const lookup = (id: string) => permissions.secretOf(id) as LocalCredentials | undefined;
  const access = permissions.access;
  // The local IAM user and the function roles decide by their grants; the role sessions the local
  // STS issued (the browser's liveness credentials) by their policies, at Rekognition and STS only.
  let sts: Awaited<ReturnType<typeof startLocalSts>> | undefined;
  const principals: PrincipalLookup = (id) => permissions.signer(id) ?? sts?.principal(id);
  const signedBy = (service: string) => (req: IncomingMessage, body: Buffer) => authenticateSignedRequest(req, body, principals, { region, service });

  // Face Liveness decodes the browser's video with ffmpeg: without it, say how to install it now.
  await assertFfmpegPresent();
  const outboxDir = path.join(options.dataDir, 'outbox');
  const faces = lazyFaceEngine(options.progress);
  const started: { stop(): Promise<void> }[] = [];
  try {
    const s3 = await startLocalS3({
      dataDir: path.join(options.dataDir, 's3'),
      region,
      credentials: lookup,
      access,
      buckets: options.buckets,
      allowedOrigins: options.allowedOrigins,
      log: process.env.SECURETASK_LOG_S3 ? options.log : undefined,
    });
    started.push(s3);
    const ses = await startLocalSes({ outboxDir, access });
    started.push(ses);
    sts = await startLocalSts({ dataDir: path.join(options.dataDir, 'sts'), roles: options.roles, authenticate: signedBy('sts') });
    started.push(sts);
    const rekognition = await startLocalRekognition({
      engine: faces,
      authenticate: signedBy('rekognition'),
      // The streaming client always opens wss://, on the same port.
      tls: await localCertificate(options.dataDir),
      liveness: {
        dataDir: path.join(options.dataDir, 'rekognition'),
        region,
        analyzer: faces,
        principals,
        // Rekognition writes reference and audit images with the account's own access to the bucket.
        output: { endpoint: s3.endpoint, region, credentials: { accessKeyId: localUser.accessKeyId, secretAccessKey: localUser.secretAccessKey } },
      },
      log: options.log,
    });
    started.push(rekognition);
    const textract = await startLocalTextract({ access });
    started.push(textract);
    return {
      endpoints: { s3: s3.endpoint, sesv2: ses.endpoint, rekognition: rekognition.endpoint, sts: sts.endpoint, textract: textract.endpoint },
      outboxDir,
      faces,
      documents: textract,
      async stop() {
        await Promise.all(started.map((service) => service.stop()));
        await faces.close();
      },
    };
  } catch (error) {
    await Promise.all(started.map((service) => service.stop()));
    throw error;
  }
}

/**
 * The face engine, started on first use: a runtime that never compares a face (most tests, a
 * board-only session) never pays for loading the models; `npm start` warms it at once.
 */
function lazyFaceEngine(log: (line: string) => void): FaceEngine & FrameAnalyzer & { warm(): Promise<void> } {
  let engine: Promise<PooledFaceEngine> | undefined;
  const get = () => {
    if (!engine) {
      const started = Date.now();
      engine = createFaceEngine().then((ready) => {
        log(`face matcher ready: models loaded in worker threads (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        return ready;
      });
      engine.catch(() => (engine = undefined)); // a failed start is retried by the next request
    }
    return engine;
  };
  return {
    async analyze(image) {
      return (await get()).analyze(image);
    },
    async analyzeFrame(frame, options) {
      return (await get()).analyzeFrame(frame, options);
    },
    // The score is plain arithmetic on two descriptors: no model needed.
    similarity: descriptorSimilarity,
    async warm() {
      await get();
    },
    async close() {
      const running = engine;
      engine = undefined;
      if (running) await (await running.catch(() => undefined))?.close();
    },
  };
}
