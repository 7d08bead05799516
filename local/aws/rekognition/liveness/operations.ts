/**
 * CreateFaceLivenessSession and GetFaceLivenessSessionResults, in Rekognition's request and
 * response shapes, with its parameter checks and errors.
 * See https://docs.aws.amazon.com/rekognition/latest/APIReference/API_CreateFaceLivenessSession.html
 * and https://docs.aws.amazon.com/rekognition/latest/APIReference/API_GetFaceLivenessSessionResults.html.
 */
import { invalidParameter, RekognitionError } from '../errors.ts';
import type { ChallengePreference } from './challenge.ts';
import type { EvidenceStore } from './evidence.ts';
import type { LivenessSession, LivenessSessions } from './sessions.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CHALLENGE_TYPES = new Set(['FaceMovementAndLightChallenge', 'FaceMovementChallenge']);
const VERSION = /^\d+\.\d+\.\d+$/;

/** The liveness operations, by name, for the JSON endpoint's dispatch. */
export function livenessOperations(sessions: LivenessSessions, evidence: EvidenceStore): Record<string, (request: any) => Promise<unknown>> {
  return {
    async CreateFaceLivenessSession(request) {
      const token = optionalString(request.ClientRequestToken, 'ClientRequestToken', /^[a-zA-Z0-9-_]{1,64}$/);
      const kmsKeyId = optionalString(request.KmsKeyId, 'KmsKeyId', /^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2047}$/);
      const settings = request.Settings ?? {};
      if (!isRecord(settings)) throw invalidParameter('Settings must be an object');
      const output = settings.OutputConfig !== undefined ? outputConfig(settings.OutputConfig) : undefined;
      // Rekognition writes the images with the caller's s3:PutObject; a bucket it cannot reach fails now, not after the check.
      if (output) {
        const bucket = await evidence.checkBucket(output.S3Bucket);
        if (bucket === 'missing') throw invalidParameter(`the S3 bucket ${output.S3Bucket} does not exist or cannot be reached`);
        if (bucket === 'denied') throw new RekognitionError('AccessDeniedException', `Access to the S3 bucket ${output.S3Bucket} was denied.`);
      }
      const session = await sessions.create(
        {
          ...(output ? { OutputConfig: output } : {}),
          AuditImagesLimit: auditImagesLimit(settings.AuditImagesLimit),
          ...(settings.ChallengePreferences !== undefined ? { ChallengePreferences: challengePreferences(settings.ChallengePreferences) } : {}),
        },
        { ClientRequestToken: token, KmsKeyId: kmsKeyId },
      );
      return { SessionId: session.SessionId };
    },

    async GetFaceLivenessSessionResults(request) {
      const id = request.SessionId;
      if (typeof id !== 'string' || !UUID.test(id)) throw invalidParameter('SessionId must be a 36-character UUID');
      const session = sessions.get(id);
      if (!session) throw new RekognitionError('SessionNotFoundException', `Session not found: ${id}`);
      return resultsOf(session);
    },
  };
}

/** GetFaceLivenessSessionResults's answer: the confidence, images and feedback once the session SUCCEEDED. */
function resultsOf(session: LivenessSession) {
  const challenge = session.Challenge ? { Challenge: { Type: session.Challenge.Type, Version: session.Challenge.Version } } : {};
  if (session.Status !== 'SUCCEEDED' || !session.Result) return { SessionId: session.SessionId, Status: session.Status, ...challenge };
  const { Confidence, ReferenceImage, AuditImages, Feedback } = session.Result;
  return {
    SessionId: session.SessionId,
    Status: session.Status,
    Confidence,
    ...(ReferenceImage ? { ReferenceImage } : {}),
    AuditImages: AuditImages.slice(0, session.Settings.AuditImagesLimit),
    ...challenge,
    Feedback,
  };
}

function outputConfig(value: unknown): NonNullable<LivenessSession['Settings']['OutputConfig']> {
  if (!isRecord(value)) throw invalidParameter('OutputConfig must be an object');
  const bucket = value.S3Bucket;
  if (typeof bucket !== 'string' || !/^[0-9A-Za-z.\-_]{3,255}$/.test(bucket)) throw invalidParameter('OutputConfig.S3Bucket must be a bucket name of 3-255 characters');
  const prefix = value.S3KeyPrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || !/^\S{0,950}$/.test(prefix))) throw invalidParameter('OutputConfig.S3KeyPrefix must be at most 950 characters without spaces');
  return { S3Bucket: bucket, ...(prefix ? { S3KeyPrefix: prefix } : {}) };
}

/** "Any integer less than 0 will return 0, any integer above 4 will return 4", says the API reference; 0 by default. */
function auditImagesLimit(value: unknown): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value)) throw invalidParameter('AuditImagesLimit must be an integer');
  return Math.min(4, Math.max(0, value as number));
}

function challengePreferences(value: unknown): ChallengePreference[] {
  if (!Array.isArray(value)) throw invalidParameter('ChallengePreferences must be a list');
  return value.map((entry, i) => {
    if (!isRecord(entry) || typeof entry.Type !== 'string' || !CHALLENGE_TYPES.has(entry.Type)) {
      throw invalidParameter(`ChallengePreferences[${i}].Type must be one of ${[...CHALLENGE_TYPES].join(', ')}`);
    }
    const versions = entry.Versions;
    if (versions === undefined) return { Type: entry.Type };
    if (!isRecord(versions)) throw invalidParameter(`ChallengePreferences[${i}].Versions must be an object`);
    for (const bound of ['Minimum', 'Maximum'] as const) {
      if (versions[bound] !== undefined && (typeof versions[bound] !== 'string' || !VERSION.test(versions[bound] as string))) {
        throw invalidParameter(`ChallengePreferences[${i}].Versions.${bound} must be a version such as 1.0.0`);
      }
    }
    return { Type: entry.Type, Versions: { ...(versions.Minimum ? { Minimum: versions.Minimum as string } : {}), ...(versions.Maximum ? { Maximum: versions.Maximum as string } : {}) } };
  });
}

function optionalString(value: unknown, name: string, pattern: RegExp): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) throw invalidParameter(`${name} does not satisfy ${pattern.source}`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
