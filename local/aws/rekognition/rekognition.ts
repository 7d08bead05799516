/**
 * A local Amazon Rekognition that the real `RekognitionClient` talks to: DetectFaces and
 * CompareFaces over the awsJson1_1 protocol (POST /, `X-Amz-Target: RekognitionService.<Op>`,
 * images as base64 `Bytes`), answered from the offline `FaceEngine` in Rekognition's shapes and
 * with Rekognition's errors. The verify function reaches it through `AWS_ENDPOINT_URL_REKOGNITION`
 * and cannot tell it from the real service, except by the scores (see `local/faces/`).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsJsonError as RekognitionError, readLimitedBody } from '../aws-json.ts';
import { serveOnLoopback } from '../loopback-server.ts';
import { passesQualityFilter, type QualityFilter } from '../../faces/quality-filter.ts';
import { imageInputProblem } from './image-input.ts';
import { ImageDecodeError, type AnalyzedFace, type FaceEngine, type ImageAnalysis } from '../../faces/types.ts';

/** Options of {@link startLocalRekognition}. */
export interface LocalRekognitionOptions {
  engine: FaceEngine;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Checks the request's signature (e.g. with SigV4); false answers 403 as AWS does. */
  verifyRequest?: (req: IncomingMessage, body: Buffer) => boolean | Promise<boolean>;
}

/** A running local Rekognition. */
export interface LocalRekognition {
  /** `http://host:port`: give it to `RekognitionClient` as `endpoint` or `AWS_ENDPOINT_URL_REKOGNITION`. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Rekognition's QualityFilter values (the same names `FaceMatcher` takes). */
export type { QualityFilter };


const MIB = 1024 * 1024;
/** Two images of at most 5 MB (image-input.ts) each, as base64 in JSON, and then some. */
const MAX_BODY_BYTES = 16 * MIB;
const FILTERS = new Set<QualityFilter>(['NONE', 'AUTO', 'LOW', 'MEDIUM', 'HIGH']);
const invalidParameter = (detail: string) => new RekognitionError('InvalidParameterException', `Request has invalid parameters: ${detail}`);

/** Starts the local Rekognition; `stop()` closes it (the engine is the caller's to close). */
export async function startLocalRekognition(options: LocalRekognitionOptions): Promise<LocalRekognition> {
  const { engine } = options;

  const operations: Record<string, (request: any) => Promise<unknown>> = {
    async DetectFaces(request) {
      const attributes = request.Attributes ?? ['DEFAULT'];
      if (!Array.isArray(attributes) || attributes.some((a) => typeof a !== 'string')) throw invalidParameter('Attributes must be a list of strings');
      // ALL and single attributes are accepted; the engine has no age, emotions and the like, so
      // every request gets the DEFAULT set: BoundingBox, Confidence, Landmarks, Pose, Quality.
      const analysis = await analyze(engine, readImage(request.Image, 'Image'));
      return { FaceDetails: analysis.faces.map((face) => comparedFace(face, analysis)) };
    },

    async CompareFaces(request) {
      const threshold = request.SimilarityThreshold ?? 80;
      if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 100)) throw invalidParameter('SimilarityThreshold must be between 0 and 100');
      const filter: QualityFilter = request.QualityFilter ?? 'NONE';
      if (!FILTERS.has(filter)) throw invalidParameter(`QualityFilter must be one of ${[...FILTERS].join(', ')}`);
      const sourceBytes = readImage(request.SourceImage, 'SourceImage');
      const targetBytes = readImage(request.TargetImage, 'TargetImage');
      const [source, target] = await Promise.all([analyze(engine, sourceBytes), analyze(engine, targetBytes)]);

      if (source.faces.length === 0) throw invalidParameter('no face was detected in the source image');
      if (target.faces.length === 0) throw invalidParameter('no face was detected in the target image');
      // Filtered faces are not compared: the largest face that passes the bar is the source face.
      const sourceFace = largest(source.faces.filter((f) => passesQualityFilter(f, filter)));
      if (!sourceFace) throw invalidParameter(`no face in the source image passed QualityFilter ${filter}`);
      const targets = target.faces
        .filter((f) => passesQualityFilter(f, filter))
        .sort((a, b) => area(b) - area(a))
        .slice(0, 100)
        .map((face) => ({ face, similarity: clamp(engine.similarity(sourceFace.descriptor, face.descriptor)) }));
      const matches = targets.filter((t) => t.similarity >= threshold).sort((a, b) => b.similarity - a.similarity);
      return {
        SourceImageFace: { BoundingBox: boundingBox(sourceFace, source), Confidence: percent(sourceFace.confidence) },
        FaceMatches: matches.map((m) => ({ Similarity: m.similarity, Face: comparedFace(m.face, target) })),
        UnmatchedFaces: targets.filter((t) => t.similarity < threshold).map((t) => comparedFace(t.face, target)),
      };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }).end(JSON.stringify(body));
    try {
      const body = await readLimitedBody(req, MAX_BODY_BYTES, () => new RekognitionError('ImageTooLargeException', 'Image size is too large.'));
      if (options.verifyRequest && !(await options.verifyRequest(req, body))) {
        throw new RekognitionError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.', 403);
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const name = target.startsWith('RekognitionService.') ? target.slice('RekognitionService.'.length) : '';
      const operation = req.method === 'POST' && Object.hasOwn(operations, name) ? operations[name] : undefined;
      // Coral's own errors carry their namespace; the SDK strips everything up to '#'.
      if (!operation) throw new RekognitionError('com.amazon.coral.service#UnknownOperationException', `The local Rekognition implements DetectFaces and CompareFaces, not ${target || 'an operation without X-Amz-Target'}`);
      let request: unknown;
      try {
        request = JSON.parse(body.toString('utf8'));
      } catch {
        throw new RekognitionError('com.amazon.coral.service#SerializationException', 'The request body is not valid JSON');
      }
      answer(200, await operation(request ?? {}));
    } catch (error) {
      const known =
        error instanceof RekognitionError ? error : new RekognitionError('InternalServerError', `The local Rekognition failed: ${String(error)}`, 500);
      const type = known.code.split('#').pop()!;
      answer(known.status, { __type: known.code, Code: type, Message: known.message, Logref: requestId });
    }
  };

  return serveOnLoopback((req, res) => void handle(req, res), options);
}

/** The image's bytes, checked as Rekognition checks them before looking for faces. */
function readImage(image: unknown, field: string): Uint8Array {
  const value = image as { Bytes?: unknown; S3Object?: unknown } | undefined;
  if (value?.S3Object !== undefined) throw invalidParameter(`${field}: the local Rekognition takes images as Bytes only`);
  if (typeof value?.Bytes !== 'string') throw invalidParameter(`${field}.Bytes is required`);
  const bytes = Buffer.from(value.Bytes, 'base64');
  const problem = imageInputProblem(bytes);
  if (problem?.exception === 'InvalidParameterException') throw invalidParameter(`${field}: ${problem.message}`);
  if (problem) throw new RekognitionError(problem.exception, problem.message);
  return bytes;
}

async function analyze(engine: FaceEngine, bytes: Uint8Array): Promise<ImageAnalysis> {
  try {
    return await engine.analyze(bytes);
  } catch (error) {
    if ((error as { tooLarge?: unknown }).tooLarge === true) throw new RekognitionError('ImageTooLargeException', 'Image dimensions are too large.');
    if (error instanceof ImageDecodeError || (error as Error | undefined)?.name === 'ImageDecodeError') {
      throw new RekognitionError('InvalidImageFormatException', 'Request has invalid image format');
    }
    throw error;
  }
}


/** A face as Rekognition's ComparedFace / FaceDetail (DEFAULT attributes), positions as ratios of the image. */
function comparedFace(face: AnalyzedFace, image: ImageAnalysis) {
  return {
    BoundingBox: boundingBox(face, image),
    Confidence: percent(face.confidence),
    Landmarks: face.landmarks.map((l) => ({ Type: l.type, X: l.x / image.width, Y: l.y / image.height })),
    Pose: { Roll: face.pose.roll, Yaw: face.pose.yaw, Pitch: face.pose.pitch },
    Quality: { Brightness: face.quality.brightness, Sharpness: face.quality.sharpness },
  };
}

/** Ratios, not clamped: like Rekognition's, a box may reach past the edge for a face cut by it. */
function boundingBox(face: AnalyzedFace, image: ImageAnalysis) {
  return { Width: face.box.width / image.width, Height: face.box.height / image.height, Left: face.box.x / image.width, Top: face.box.y / image.height };
}

function largest(faces: AnalyzedFace[]): AnalyzedFace | undefined {
  return faces.reduce<AnalyzedFace | undefined>((best, f) => (!best || area(f) > area(best) ? f : best), undefined);
}

function area(face: AnalyzedFace): number {
  return face.box.width * face.box.height;
}

function percent(score: number): number {
  return Math.min(100, Math.max(0, score * 100));
}

function clamp(similarity: number): number {
  return Math.min(100, Math.max(0, similarity));
}
