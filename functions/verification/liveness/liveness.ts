/**
 * Face liveness behind one interface: create a session bound to one verification session, read
 * its result on the server. Amazon Rekognition Face Liveness implements it
 * (`rekognition-liveness.ts`), in AWS and locally, where `AWS_ENDPOINT_URL_REKOGNITION` points at
 * the offline stand-in of the same API. The browser streams the video itself (Amplify's
 * FaceLivenessDetectorCore); the server never takes a result from the client.
 */
import { SecureTaskError } from '../../../lib/errors.ts';
import type { BoundingBox } from '../faces/face-matcher.ts';

/** The challenge the person follows; movement and coloured light is the stronger one. */
export type LivenessChallenge = 'FaceMovementAndLightChallenge' | 'FaceMovementChallenge';

/** What a new liveness session is made with. */
export interface LivenessSessionRequest {
  /** Where Rekognition stores the reference and audit images: this bucket, keys under this prefix. */
  output: { bucket: string; keyPrefix: string };
  /** The same token gives the same session (a retried call does not make a second one); 1-64 of [A-Za-z0-9_-]. */
  idempotencyToken: string;
  /** Audit images to keep beside the reference image, 0-4 (best effort). */
  auditImages: number;
  challenge: LivenessChallenge;
}

/** A session's state as Rekognition reports it. */
export type LivenessStatus = 'CREATED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED';

/** One frame Rekognition kept: stored in the bucket (S3 output), or returned as bytes. */
export interface LivenessImage {
  s3Object?: { bucket: string; key: string };
  bytes?: Uint8Array;
  boundingBox?: BoundingBox;
}

/** What `GetFaceLivenessSessionResults` says of one session. */
export interface LivenessResult {
  sessionId: string;
  status: LivenessStatus;
  /** 0-100; set once the session has been analysed. */
  confidence?: number;
  /** The sharp, frontal frame to compare faces with; may be missing (then: retry the check). */
  referenceImage?: LivenessImage;
  auditImages: LivenessImage[];
}

/** What a liveness backend can do. */
export interface LivenessService {
  /** Creates a session; answers its id (a UUID that the browser streams to, and that lives 3 minutes). */
  createSession(request: LivenessSessionRequest): Promise<string>;
  /** The session's result as it stands. */
  result(sessionId: string): Promise<LivenessResult>;
}

/** Stable codes of {@link LivenessError}, each mapped by the verify function to what a person sees. */
export type LivenessErrorCode =
  /** Rekognition does not know the session (never made, or expired and forgotten after 3 minutes). */
  | 'SESSION_NOT_FOUND'
  /** Rekognition refused the request's parameters: a bug or a misconfiguration (bucket, prefix). */
  | 'INVALID_REQUEST'
  /** Still throttled after the retries: try again shortly. */
  | 'THROTTLED'
  /** Rekognition refused us (permissions, configuration): an operator must look. */
  | 'ACCESS_DENIED'
  /** Rekognition failed: try again later. */
  | 'UNAVAILABLE';

/** A liveness call that could not give an answer, with a stable code. */
export class LivenessError extends SecureTaskError {
  constructor(
    readonly code: LivenessErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
