import {
  AccessDeniedException,
  CompareFacesCommand,
  DetectFacesCommand,
  ImageTooLargeException,
  InternalServerError,
  InvalidImageFormatException,
  InvalidParameterException,
  ProvisionedThroughputExceededException,
  RekognitionClient,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FaceMatchError } from '../../functions/verification/faces/face-matcher.ts';
import { RekognitionFaceMatcher } from '../../functions/verification/faces/rekognition.ts';

// aws-sdk-client-mock replaces `send`, so the SDK's own retries never run here: what these tests
// see is the matcher's retry policy alone, which is the point (the client runs with maxAttempts 1).
const rekognition = mockClient(RekognitionClient);
const meta = { $metadata: {} };
const source = new Uint8Array([1, 2, 3]);
const target = new Uint8Array([4, 5, 6]);
let sleeps: number[];
const matcher = (options: ConstructorParameters<typeof RekognitionFaceMatcher>[0] = {}) =>
  new RekognitionFaceMatcher({
    clientConfig: { region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } },
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    ...options,
  });

const face = (left: number, width: number, confidence = 99.9) => ({
  BoundingBox: { Left: left, Top: 0.2, Width: width, Height: width * 1.2 },
  Confidence: confidence,
  Quality: { Brightness: 70, Sharpness: 80 },
  Landmarks: [{ Type: 'eyeLeft' as const, X: left + 0.1, Y: 0.3 }],
  Pose: { Roll: 1, Yaw: 2, Pitch: 3 },
});

async function failure(promise: Promise<unknown>): Promise<FaceMatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FaceMatchError);
  return error as FaceMatchError;
}

beforeEach(() => {
  rekognition.reset();
  sleeps = [];
});
afterAll(() => rekognition.restore());

describe('RekognitionFaceMatcher.detectFaces', () => {
  it('sends the bytes with the DEFAULT attributes and maps faces, largest first', async () => {
    rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [face(0.1, 0.1, 90), face(0.5, 0.3)] });
    const faces = await matcher().detectFaces(source);
    const input = rekognition.commandCalls(DetectFacesCommand)[0]!.args[0].input;
    expect(input).toEqual({ Image: { Bytes: source }, Attributes: ['DEFAULT'] });
    expect(faces).toEqual([
      { boundingBox: { left: 0.5, top: 0.2, width: 0.3, height: expect.closeTo(0.36) }, confidence: 99.9, quality: { brightness: 70, sharpness: 80 }, pose: { roll: 1, yaw: 2, pitch: 3 }, landmarks: [{ type: 'eyeLeft', x: 0.6, y: 0.3 }] },
      { boundingBox: { left: 0.1, top: 0.2, width: 0.1, height: expect.closeTo(0.12) }, confidence: 90, quality: { brightness: 70, sharpness: 80 }, pose: { roll: 1, yaw: 2, pitch: 3 }, landmarks: [{ type: 'eyeLeft', x: expect.closeTo(0.2), y: 0.3 }] },
    ]);
  });

  it('returns no faces as an empty list (DetectFaces does not fail on a faceless image)', async () => {
    rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [] });
    expect(await matcher().detectFaces(source)).toEqual([]);
  });

  it('reports an image DetectFaces will not take as INVALID_IMAGE', async () => {
    rekognition.on(DetectFacesCommand).rejects(new InvalidParameterException({ ...meta, message: 'Request has invalid parameters' }));
    expect((await failure(matcher().detectFaces(source))).code).toBe('INVALID_IMAGE');
  });
});

describe('RekognitionFaceMatcher.compareFaces', () => {
  it('asks for every score (threshold 0) with QualityFilter AUTO by default and maps the main face', async () => {
    rekognition.on(CompareFacesCommand).resolves({
      SourceImageFace: { BoundingBox: { Left: 0.3, Top: 0.25, Width: 0.4, Height: 0.5 }, Confidence: 99.8 },
      FaceMatches: [
        { Similarity: 12.5, Face: face(0.6, 0.1) },
        { Similarity: 97.25, Face: face(0.1, 0.2, 99.5) },
      ],
      UnmatchedFaces: [],
    });
    const result = await matcher().compareFaces(source, target);
    expect(rekognition.commandCalls(CompareFacesCommand)[0]!.args[0].input).toEqual({
      SourceImage: { Bytes: source },
      TargetImage: { Bytes: target },
      SimilarityThreshold: 0,
      QualityFilter: 'AUTO',
    });
    expect(result).toEqual({
      similarity: 97.25,
      sourceFace: { boundingBox: { left: 0.3, top: 0.25, width: 0.4, height: 0.5 }, confidence: 99.8, quality: { brightness: NaN, sharpness: NaN } },
      targetFace: { boundingBox: { left: 0.1, top: 0.2, width: 0.2, height: expect.closeTo(0.24) }, confidence: 99.5, quality: { brightness: 70, sharpness: 80 }, pose: { roll: 1, yaw: 2, pitch: 3 }, landmarks: [{ type: 'eyeLeft', x: expect.closeTo(0.2), y: 0.3 }] },
    });
  });

  it('reports the main face of the target, not a better-matching face beside it', async () => {
    rekognition.on(CompareFacesCommand).resolves({
      SourceImageFace: { BoundingBox: { Left: 0.3, Top: 0.25, Width: 0.4, Height: 0.5 }, Confidence: 99.8 },
      FaceMatches: [
        // A small face at the edge of the ID photo that happens to match the selfie...
        { Similarity: 99.9, Face: face(0, 0.1) },
        // ...and the ID's subject, large and central, who does not.
        { Similarity: 20, Face: face(0.35, 0.3) },
      ],
    });
    const result = await matcher().compareFaces(source, target);
    expect(result.similarity).toBe(20);
    expect(result.targetFace.boundingBox.left).toBe(0.35);
  });

  it('passes the QualityFilter it is given', async () => {
    rekognition.on(CompareFacesCommand).resolves({ SourceImageFace: {}, FaceMatches: [{ Similarity: 50, Face: face(0, 0.2) }] });
    await matcher().compareFaces(source, target, { qualityFilter: 'HIGH' });
    expect(rekognition.commandCalls(CompareFacesCommand)[0]!.args[0].input.QualityFilter).toBe('HIGH');
  });

  it('reports no FaceMatches (every target face filtered out) as NO_FACE_IN_TARGET', async () => {
    rekognition.on(CompareFacesCommand).resolves({ SourceImageFace: {}, FaceMatches: [], UnmatchedFaces: [] });
    expect((await failure(matcher().compareFaces(source, target))).code).toBe('NO_FACE_IN_TARGET');
  });

  it('takes the image named in an InvalidParameterException message, without asking DetectFaces', async () => {
    rekognition
      .on(CompareFacesCommand)
      .rejectsOnce(new InvalidParameterException({ ...meta, message: 'No face was detected in the target image' }))
      .rejectsOnce(new InvalidParameterException({ ...meta, message: 'No face was detected in the source image' }));
    expect((await failure(matcher().compareFaces(source, target))).code).toBe('NO_FACE_IN_TARGET');
    expect((await failure(matcher().compareFaces(source, target))).code).toBe('NO_FACE_IN_SOURCE');
    expect(rekognition.commandCalls(DetectFacesCommand)).toHaveLength(0);
    expect(rekognition.commandCalls(CompareFacesCommand)).toHaveLength(2); // never retried
  });

  it('asks DetectFaces which image has no face when the message does not say (as AWS words it)', async () => {
    const ambiguous = () => new InvalidParameterException({ ...meta, message: 'Request has invalid parameters' });
    rekognition.on(CompareFacesCommand).rejects(ambiguous());
    rekognition.on(DetectFacesCommand, { Image: { Bytes: source } }).resolves({ FaceDetails: [face(0.2, 0.3)] });
    rekognition.on(DetectFacesCommand, { Image: { Bytes: target } }).resolves({ FaceDetails: [] });
    expect((await failure(matcher().compareFaces(source, target))).code).toBe('NO_FACE_IN_TARGET');

    expect(rekognition.commandCalls(DetectFacesCommand)).toHaveLength(2);

    rekognition.reset();
    rekognition.on(CompareFacesCommand).rejects(ambiguous());
    rekognition.on(DetectFacesCommand, { Image: { Bytes: source } }).resolves({ FaceDetails: [] });
    rekognition.on(DetectFacesCommand, { Image: { Bytes: target } }).resolves({ FaceDetails: [face(0.2, 0.3)] });
    expect((await failure(matcher().compareFaces(source, target))).code).toBe('NO_FACE_IN_SOURCE');

    // Faces in both: one fell below the quality bar; the source's is the one Rekognition refuses.
    rekognition.reset();
    rekognition.on(CompareFacesCommand).rejects(ambiguous());
    rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [face(0.2, 0.3)] });
    expect((await failure(matcher().compareFaces(source, target))).code).toBe('NO_FACE_IN_SOURCE');
    expect(rekognition.commandCalls(DetectFacesCommand)).toHaveLength(2);
  });

  it('answers NO_FACE_IN_SOURCE for an ambiguous message when probing is off', async () => {
    rekognition.on(CompareFacesCommand).rejects(new InvalidParameterException({ ...meta, message: 'Request has invalid parameters' }));
    expect((await failure(matcher({ probeAmbiguousNoFace: false }).compareFaces(source, target))).code).toBe('NO_FACE_IN_SOURCE');
    expect(rekognition.commandCalls(DetectFacesCommand)).toHaveLength(0);
  });

  it.each([
    ['ImageTooLargeException', () => new ImageTooLargeException({ ...meta, message: 'Image size is too large.' }), 'IMAGE_TOO_LARGE'],
    ['InvalidImageFormatException', () => new InvalidImageFormatException({ ...meta, message: 'Request has invalid image format' }), 'INVALID_IMAGE'],
    ['AccessDeniedException', () => new AccessDeniedException({ ...meta, message: 'not authorized' }), 'ACCESS_DENIED'],
  ] as const)('maps %s to %s without retrying', async (_name, error, code) => {
    rekognition.on(CompareFacesCommand).rejects(error());
    const thrown = await failure(matcher().compareFaces(source, target));
    expect(thrown.code).toBe(code);
    expect(rekognition.commandCalls(CompareFacesCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('maps an unknown error to UNAVAILABLE', async () => {
    rekognition.on(CompareFacesCommand).rejects(new Error('something odd'));
    expect((await failure(matcher().compareFaces(source, target))).code).toBe('UNAVAILABLE');
  });
});

describe('retries', () => {
  const throttled = () => new ProvisionedThroughputExceededException({ ...meta, message: 'Provisioned rate exceeded' });

  it('retries throttling with exponential backoff and full jitter, then succeeds', async () => {
    rekognition
      .on(DetectFacesCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(new ThrottlingException({ ...meta, message: 'Rate exceeded' }))
      .resolves({ FaceDetails: [face(0.1, 0.3)] });
    expect(await matcher().detectFaces(source)).toHaveLength(1);
    expect(rekognition.commandCalls(DetectFacesCommand)).toHaveLength(3);
    // random() = 0.5 of the ceilings 100 and 200 ms.
    expect(sleeps).toEqual([50, 100]);
  });

  it('gives up as THROTTLED after the attempts, with the count in the message', async () => {
    rekognition.on(CompareFacesCommand).rejects(throttled());
    const thrown = await failure(matcher({ retry: { attempts: 4, sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 } }).compareFaces(source, target));
    expect(thrown.code).toBe('THROTTLED');
    expect(thrown.message).toMatch(/after 4 attempts/);
    expect(rekognition.commandCalls(CompareFacesCommand)).toHaveLength(4);
    expect(sleeps).toEqual([99, 199, 399]);
  });

  it('caps the backoff ceiling at maxDelayMs', async () => {
    rekognition.on(DetectFacesCommand).rejects(throttled());
    await failure(matcher({ retry: { attempts: 6, baseDelayMs: 100, maxDelayMs: 300, sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 } }).detectFaces(source));
    expect(sleeps).toEqual([99, 199, 299, 299, 299]);
  });

  it('retries InternalServerError, then reports UNAVAILABLE', async () => {
    rekognition.on(CompareFacesCommand).rejects(new InternalServerError({ ...meta, message: 'Internal server error' }));
    expect((await failure(matcher().compareFaces(source, target))).code).toBe('UNAVAILABLE');
    expect(rekognition.commandCalls(CompareFacesCommand)).toHaveLength(4);
  });

  it('never retries InvalidParameterException', async () => {
    rekognition.on(CompareFacesCommand).rejects(new InvalidParameterException({ ...meta, message: 'No face in the source image' }));
    await failure(matcher().compareFaces(source, target));
    expect(rekognition.commandCalls(CompareFacesCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});
