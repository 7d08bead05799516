/**
 * `LivenessService` over Amazon Rekognition Face Liveness: CreateFaceLivenessSession with the
 * image bucket as its output, GetFaceLivenessSessionResults. Locally the same calls reach the
 * offline stand-in through `AWS_ENDPOINT_URL_REKOGNITION`.
 */
import {
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  type AuditImage,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { rekognition } from '../../shared/aws-clients.ts';
import { DENIED, errorName, retryPolicy, THROTTLING, withRetries, type RetryPolicy } from '../aws-retries.ts';
import { LivenessError, type LivenessErrorCode, type LivenessImage, type LivenessResult, type LivenessService, type LivenessSessionRequest, type LivenessStatus } from './liveness.ts';

/** Options of {@link RekognitionLiveness}. */
export interface RekognitionLivenessOptions {
  /** A ready client (`maxAttempts: 1`); default: the function's shared client. */
  client?: RekognitionClient;
  /** Default: 4 attempts, backoff ceilings 100, 200, 400 ms (capped at 2 s), full jitter. */
  retry?: RetryPolicy;
}

const STATUSES = new Set<LivenessStatus>(['CREATED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'EXPIRED']);

/** Face Liveness over Rekognition (or anything that speaks its API). */
export class RekognitionLiveness implements LivenessService {
  private readonly client: () => RekognitionClient;
  private readonly retry: Required<RetryPolicy>;

  constructor(options: RekognitionLivenessOptions = {}) {
    const given = options.client;
    // Resolved per call: a local runtime restarted in one process moves its endpoint.
    this.client = given ? () => given : rekognition;
    this.retry = retryPolicy(options.retry);
  }

  async createSession(request: LivenessSessionRequest): Promise<string> {
    const output = await this.call('CreateFaceLivenessSession', () =>
      this.client().send(
        new CreateFaceLivenessSessionCommand({
          ClientRequestToken: request.idempotencyToken,
          Settings: {
            OutputConfig: { S3Bucket: request.output.bucket, S3KeyPrefix: request.output.keyPrefix },
            AuditImagesLimit: request.auditImages,
            ChallengePreferences: [{ Type: request.challenge }],
          },
        }),
      ),
    );
    if (!output.SessionId) throw new LivenessError('UNAVAILABLE', 'Rekognition CreateFaceLivenessSession answered without a SessionId');
    return output.SessionId;
  }

  async result(sessionId: string): Promise<LivenessResult> {
    const output = await this.call('GetFaceLivenessSessionResults', () => this.client().send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId })));
    const status = output.Status as LivenessStatus | undefined;
    if (!status || !STATUSES.has(status)) throw new LivenessError('UNAVAILABLE', `Rekognition answered an unknown liveness status "${String(output.Status)}"`);
    return {
      sessionId: output.SessionId ?? sessionId,
      status,
      confidence: typeof output.Confidence === 'number' ? output.Confidence : undefined,
      referenceImage: output.ReferenceImage ? toImage(output.ReferenceImage) : undefined,
      auditImages: (output.AuditImages ?? []).map(toImage),
    };
  }

  private call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return withRetries(this.retry, send, (error, calls) => toLivenessError(operation, error, calls));
  }
}

function toImage(image: AuditImage): LivenessImage {
  const box = image.BoundingBox;
  return {
    s3Object: image.S3Object?.Bucket && image.S3Object.Name ? { bucket: image.S3Object.Bucket, key: image.S3Object.Name } : undefined,
    bytes: image.Bytes && image.Bytes.length > 0 ? image.Bytes : undefined,
    boundingBox: box ? { left: box.Left ?? 0, top: box.Top ?? 0, width: box.Width ?? 0, height: box.Height ?? 0 } : undefined,
  };
}

function toLivenessError(operation: string, error: unknown, calls: number): LivenessError {
  const name = errorName(error) || 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const code: LivenessErrorCode = THROTTLING.has(name)
    ? 'THROTTLED'
    : DENIED.has(name)
      ? 'ACCESS_DENIED'
      : name === 'SessionNotFoundException'
        ? 'SESSION_NOT_FOUND'
        : name === 'InvalidParameterException'
          ? 'INVALID_REQUEST'
          : 'UNAVAILABLE';
  const after = calls > 1 ? ` after ${calls} attempts` : '';
  return new LivenessError(code, `Rekognition ${operation} failed${after}: ${name}: ${message}`, { cause: error });
}
