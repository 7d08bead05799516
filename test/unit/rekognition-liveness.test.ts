import {
  AccessDeniedException,
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  InternalServerError,
  InvalidParameterException,
  ProvisionedThroughputExceededException,
  RekognitionClient,
  SessionNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LivenessError } from '../../functions/verification/liveness/liveness.ts';
import { RekognitionLiveness } from '../../functions/verification/liveness/rekognition-liveness.ts';

// aws-sdk-client-mock replaces `send`, so what these tests see is the module's own retry policy.
const rekognition = mockClient(RekognitionClient);
const meta = { $metadata: {} };
const SESSION = '0f3a2b1c-aaaa-4bbb-8ccc-123456789abc';
let sleeps: number[];
const liveness = () =>
  new RekognitionLiveness({
    client: new RekognitionClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 }),
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
const request = { output: { bucket: 'images', keyPrefix: 'uploads/abc/liveness/' }, idempotencyToken: 'tok_-1', auditImages: 2, challenge: 'FaceMovementAndLightChallenge' as const };

async function failure(promise: Promise<unknown>): Promise<LivenessError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LivenessError);
  return error as LivenessError;
}

beforeEach(() => {
  rekognition.reset();
  sleeps = [];
});
afterAll(() => rekognition.restore());

describe('RekognitionLiveness.createSession', () => {
  it('asks for the bucket and prefix as output, the audit images, the challenge, and an idempotency token', async () => {
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: SESSION });
    expect(await liveness().createSession(request)).toBe(SESSION);
    expect(rekognition.commandCalls(CreateFaceLivenessSessionCommand)[0]!.args[0].input).toEqual({
      ClientRequestToken: 'tok_-1',
      Settings: {
        OutputConfig: { S3Bucket: 'images', S3KeyPrefix: 'uploads/abc/liveness/' },
        AuditImagesLimit: 2,
        ChallengePreferences: [{ Type: 'FaceMovementAndLightChallenge' }],
      },
    });
  });

  it('refuses an answer without a session id', async () => {
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({});
    expect((await failure(liveness().createSession(request))).code).toBe('UNAVAILABLE');
  });
});

describe('RekognitionLiveness.result', () => {
  it('maps status, confidence, the reference image in S3 and the audit images', async () => {
    rekognition.on(GetFaceLivenessSessionResultsCommand).resolves({
      SessionId: SESSION,
      Status: 'SUCCEEDED',
      Confidence: 97.25,
      ReferenceImage: { S3Object: { Bucket: 'images', Name: 'uploads/abc/liveness/x/reference.jpg' }, BoundingBox: { Left: 0.3, Top: 0.2, Width: 0.4, Height: 0.5 } },
      AuditImages: [{ S3Object: { Bucket: 'images', Name: 'uploads/abc/liveness/x/audit_1.jpg' } }, { Bytes: new Uint8Array([0xff, 0xd8]) }],
    });
    const result = await liveness().result(SESSION);
    expect(rekognition.commandCalls(GetFaceLivenessSessionResultsCommand)[0]!.args[0].input).toEqual({ SessionId: SESSION });
    expect(result).toEqual({
      sessionId: SESSION,
      status: 'SUCCEEDED',
      confidence: 97.25,
      referenceImage: { s3Object: { bucket: 'images', key: 'uploads/abc/liveness/x/reference.jpg' }, bytes: undefined, boundingBox: { left: 0.3, top: 0.2, width: 0.4, height: 0.5 } },
      auditImages: [
        { s3Object: { bucket: 'images', key: 'uploads/abc/liveness/x/audit_1.jpg' }, bytes: undefined, boundingBox: undefined },
        { s3Object: undefined, bytes: new Uint8Array([0xff, 0xd8]), boundingBox: undefined },
      ],
    });
  });

  it.each(['CREATED', 'IN_PROGRESS', 'FAILED', 'EXPIRED'] as const)('passes status %s on, without a confidence when there is none', async (status) => {
    rekognition.on(GetFaceLivenessSessionResultsCommand).resolves({ SessionId: SESSION, Status: status });
    expect(await liveness().result(SESSION)).toMatchObject({ status, confidence: undefined, referenceImage: undefined, auditImages: [] });
  });

  it('refuses a status it does not know', async () => {
    rekognition.on(GetFaceLivenessSessionResultsCommand).resolves({ SessionId: SESSION, Status: 'DONE' as never });
    expect((await failure(liveness().result(SESSION))).code).toBe('UNAVAILABLE');
  });
});

describe('errors', () => {
  it.each([
    ['SessionNotFoundException', () => new SessionNotFoundException({ ...meta, message: 'Session not found' }), 'SESSION_NOT_FOUND'],
    ['InvalidParameterException', () => new InvalidParameterException({ ...meta, message: 'Request has invalid parameters' }), 'INVALID_REQUEST'],
    ['AccessDeniedException', () => new AccessDeniedException({ ...meta, message: 'not authorized' }), 'ACCESS_DENIED'],
  ] as const)('maps %s to %s at once, without retrying', async (_name, error, code) => {
    rekognition.on(GetFaceLivenessSessionResultsCommand).rejects(error());
    rekognition.on(CreateFaceLivenessSessionCommand).rejects(error());
    expect((await failure(liveness().result(SESSION))).code).toBe(code);
    expect((await failure(liveness().createSession(request))).code).toBe(code);
    expect(rekognition.commandCalls(GetFaceLivenessSessionResultsCommand)).toHaveLength(1);
    expect(rekognition.commandCalls(CreateFaceLivenessSessionCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['ThrottlingException', () => new ThrottlingException({ ...meta, message: 'Rate exceeded' }), 'THROTTLED'],
    ['ProvisionedThroughputExceededException', () => new ProvisionedThroughputExceededException({ ...meta, message: 'Provisioned rate exceeded' }), 'THROTTLED'],
    ['InternalServerError', () => new InternalServerError({ ...meta, message: 'Internal server error' }), 'UNAVAILABLE'],
  ] as const)('retries %s with backoff, then gives up as %s', async (_name, error, code) => {
    rekognition.on(CreateFaceLivenessSessionCommand).rejects(error());
    const thrown = await failure(liveness().createSession(request));
    expect(thrown.code).toBe(code);
    expect(thrown.message).toMatch(/CreateFaceLivenessSession failed after 4 attempts/);
    expect(rekognition.commandCalls(CreateFaceLivenessSessionCommand)).toHaveLength(4);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('gets through a throttled call once Rekognition answers', async () => {
    rekognition
      .on(GetFaceLivenessSessionResultsCommand)
      .rejectsOnce(new ThrottlingException({ ...meta, message: 'Rate exceeded' }))
      .resolves({ SessionId: SESSION, Status: 'SUCCEEDED', Confidence: 88 });
    expect((await liveness().result(SESSION)).confidence).toBe(88);
    expect(sleeps).toEqual([50]);
  });

  it('reports anything else as UNAVAILABLE', async () => {
    rekognition.on(GetFaceLivenessSessionResultsCommand).rejects(new Error('socket hang up'));
    expect((await failure(liveness().result(SESSION))).code).toBe('UNAVAILABLE');
  });
});
