import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { verifySigV4, type LocalCredentials } from '../appsync/index.ts';
import { createFaceEngine } from '../faces/index.ts';
import { descriptorSimilarity } from '../faces/index.ts';
import type { FaceEngine } from '../faces/index.ts';
import { startLocalRekognition } from '../aws/index.ts';
import { startLocalS3 } from '../aws/index.ts';
import { startLocalSes } from '../aws/index.ts';
import { startLocalTextract, type LocalTextract } from '../aws/index.ts';

/** The local stand-ins for S3, SES, Rekognition and Textract, and how to reach them. */
export interface LocalAwsServices {
  /** For `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_SESV2`, `AWS_ENDPOINT_URL_REKOGNITION`, `AWS_ENDPOINT_URL_TEXTRACT`. */
  endpoints: { s3: string; sesv2: string; rekognition: string; textract: string };
  outboxDir: string;
  /** The offline face engine behind the Rekognition endpoint (loaded on first use, or by `warm`). */
  faces: FaceEngine & { warm(): Promise<void> };
  /** The offline ID reader behind the Textract endpoint (its OCR starts on first use, or by `warm`). */
  documents: Pick<LocalTextract, 'warm'>;
  stop(): Promise<void>;
}

/**
 * Starts the services the verification functions call, each on loopback and each checking
 * SigV4 signatures against the local IAM credentials as AWS would: S3 (s3rver behind a
 * signature check; objects under `<data>/s3`), SES (emails as `.eml` files in `<data>/outbox`),
 * Rekognition (the offline face matcher in worker threads) and Textract (the offline ID reader:
 * Tesseract in worker threads).
 */
export async function startLocalAwsServices(options: {
  dataDir: string;
  region: string;
  credentials: LocalCredentials;
  buckets: string[];
  /** Browser origins allowed to upload images (CORS). */
  allowedOrigins: string[];
  /** Service log lines (failures). */
  log: (line: string) => void;
  /** Progress a person waits for (the face models loading). */
  progress: (line: string) => void;
}): Promise<LocalAwsServices> {
  const { credentials, region } = options;
  const lookup = (id: string) => (id === credentials.accessKeyId ? credentials : undefined);
  const signedBy = (service: string) => async (req: IncomingMessage, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const verified = await verifySigV4(
      { method: req.method ?? 'POST', host: req.headers.host ?? '', path: url.pathname, query: url.search.slice(1), headers: req.headers, body: body.toString('utf8') },
      lookup,
      { region, service },
    );
    return verified.ok;
  };

  const outboxDir = path.join(options.dataDir, 'outbox');
  const faces = lazyFaceEngine(options.progress);
  const started: { stop(): Promise<void> }[] = [];
  try {
    const s3 = await startLocalS3({
      dataDir: path.join(options.dataDir, 's3'),
      region,
      credentials: lookup,
      buckets: options.buckets,
      allowedOrigins: options.allowedOrigins,
      log: process.env.SECURETASK_LOG_S3 ? options.log : undefined,
    });
    started.push(s3);
    const ses = await startLocalSes({ outboxDir, verifyRequest: signedBy('ses') });
    started.push(ses);
    const rekognition = await startLocalRekognition({ engine: faces, verifyRequest: signedBy('rekognition') });
    started.push(rekognition);
    const textract = await startLocalTextract({ verifyRequest: signedBy('textract') });
    started.push(textract);
    return {
      endpoints: { s3: s3.endpoint, sesv2: ses.endpoint, rekognition: rekognition.endpoint, textract: textract.endpoint },
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
function lazyFaceEngine(log: (line: string) => void): FaceEngine & { warm(): Promise<void> } {
  let engine: Promise<FaceEngine> | undefined;
  const get = () => {
    if (!engine) {
      const started = Date.now();
      engine = createFaceEngine().then((ready: FaceEngine) => {
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
