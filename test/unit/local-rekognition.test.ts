import { createHash } from 'node:crypto';
import { CompareFacesCommand, DetectFacesCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceMatchError } from '../../functions/verification/faces/face-matcher.ts';
import { RekognitionFaceMatcher } from '../../functions/verification/faces/rekognition.ts';
import { authenticateSignedRequest } from '../../local/aws/sigv4/principal.ts';
import { ImageDecodeError, type AnalyzedFace, type FaceEngine, type ImageAnalysis } from '../../local/faces/types.ts';
import { startLocalRekognition, type LocalRekognition } from '../../local/aws/rekognition/rekognition.ts';

// The real RekognitionClient against the local endpoint, over a fake engine whose answers are
// set per image: what is under test is the protocol and the mapping, not face recognition.
const credentials = { accessKeyId: 'AKIDLOCALREK', secretAccessKey: 'local-secret' };
const region = 'us-east-1';

const face = (x: number, width: number, descriptor: number[], quality = { brightness: 60, sharpness: 70 }, confidence = 0.99): AnalyzedFace => ({
  box: { x, y: 20, width, height: width * 1.25 },
  confidence,
  quality,
  landmarks: [
    { type: 'eyeLeft', x: x + width * 0.3, y: 40 },
    { type: 'eyeRight', x: x + width * 0.7, y: 40 },
  ],
  pose: { roll: 1.5, yaw: -3, pitch: 4 },
  descriptor: Float32Array.from(descriptor),
});

const analyses = new Map<string, ImageAnalysis | 'undecodable'>();
const key = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const engine: FaceEngine = {
  async analyze(image) {
    const found = analyses.get(key(image));
    if (!found || found === 'undecodable') throw new ImageDecodeError('cannot decode');
    return found;
  },
  // Dot product of unit vectors as a 0-100 score.
  similarity: (a, b) => 100 * a.reduce((sum, v, i) => sum + v * b[i]!, 0),
  close: async () => {},
};

let images: Record<'selfie' | 'idCard' | 'group' | 'empty' | 'blurred' | 'broken', Buffer>;
let rekognition: LocalRekognition;
let client: RekognitionClient;

beforeAll(async () => {
  const make = (width: number, height: number, r: number) => sharp({ create: { width, height, channels: 3, background: { r, g: 100, b: 100 } } }).jpeg().toBuffer();
  const [selfie, idCard, group, empty, blurred, broken] = await Promise.all([make(400, 500, 10), make(600, 380, 20), make(800, 400, 30), make(200, 200, 40), make(300, 300, 50), make(300, 300, 60)]);
  images = { selfie, idCard, group, empty, blurred, broken };
  analyses.set(key(selfie), { width: 400, height: 500, faces: [face(100, 200, [1, 0, 0])] });
  analyses.set(key(idCard), { width: 600, height: 380, faces: [face(60, 120, [0.96, 0.28, 0])] });
  // Three faces: the owner of the selfie (small), a stranger (large), a blurred one.
  analyses.set(key(group), {
    width: 800,
    height: 400,
    faces: [face(400, 160, [0, 1, 0]), face(100, 80, [0.8, 0.6, 0]), face(600, 60, [0.6, 0.8, 0], { brightness: 50, sharpness: 2 })],
  });
  analyses.set(key(empty), { width: 200, height: 200, faces: [] });
  analyses.set(key(blurred), { width: 300, height: 300, faces: [face(50, 150, [1, 0, 0], { brightness: 50, sharpness: 3 })] });
  analyses.set(key(broken), 'undecodable');
  rekognition = await startLocalRekognition({ engine });
  client = new RekognitionClient({ endpoint: rekognition.endpoint, region, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await rekognition.stop();
});

async function awsError(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number }; Message?: string; Code?: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as never;
}

describe('the local Rekognition with the real RekognitionClient', () => {
  it('answers DetectFaces with FaceDetails as ratios of the image', async () => {
    const { FaceDetails } = await client.send(new DetectFacesCommand({ Image: { Bytes: images.group }, Attributes: ['DEFAULT'] }));
    expect(FaceDetails).toHaveLength(3);
    expect(FaceDetails![0]).toEqual({
      BoundingBox: { Width: 0.2, Height: 0.5, Left: 0.5, Top: 0.05 },
      Confidence: 99,
      Landmarks: [
        { Type: 'eyeLeft', X: (400 + 48) / 800, Y: 0.1 },
        { Type: 'eyeRight', X: expect.closeTo((400 + 112) / 800), Y: 0.1 },
      ],
      Pose: { Roll: 1.5, Yaw: -3, Pitch: 4 },
      Quality: { Brightness: 60, Sharpness: 70 },
    });
    expect((await client.send(new DetectFacesCommand({ Image: { Bytes: images.empty } }))).FaceDetails).toEqual([]);
  });

  it('answers CompareFaces with matches over the threshold, sorted, and the rest unmatched', async () => {
    const result = await client.send(new CompareFacesCommand({ SourceImage: { Bytes: images.selfie }, TargetImage: { Bytes: images.group }, SimilarityThreshold: 50 }));
    expect(result.SourceImageFace).toEqual({ BoundingBox: { Width: 0.5, Height: 0.5, Left: 0.25, Top: 0.04 }, Confidence: 99 });
    expect(result.FaceMatches!.map((m) => m.Similarity)).toEqual([expect.closeTo(80), expect.closeTo(60)]);
    expect(result.FaceMatches![0]!.Face!.BoundingBox).toEqual({ Width: 0.1, Height: 0.25, Left: 0.125, Top: 0.05 });
    expect(result.UnmatchedFaces!.map((f) => f.BoundingBox!.Left)).toEqual([0.5]); // the stranger, similarity 0
  });

  it('uses SimilarityThreshold 80 by default and QualityFilter NONE by default', async () => {
    const result = await client.send(new CompareFacesCommand({ SourceImage: { Bytes: images.selfie }, TargetImage: { Bytes: images.group } }));
    expect(result.FaceMatches!.map((m) => m.Similarity)).toEqual([expect.closeTo(80)]);
    expect(result.UnmatchedFaces).toHaveLength(2);
  });

  it('drops filtered target faces and refuses a filtered source face', async () => {
    const filtered = await client.send(new CompareFacesCommand({ SourceImage: { Bytes: images.selfie }, TargetImage: { Bytes: images.group }, SimilarityThreshold: 0, QualityFilter: 'LOW' }));
    expect(filtered.FaceMatches).toHaveLength(2); // the face of sharpness 2 is gone
    const all = await client.send(new CompareFacesCommand({ SourceImage: { Bytes: images.selfie }, TargetImage: { Bytes: images.group }, SimilarityThreshold: 0, QualityFilter: 'NONE' }));
    expect(all.FaceMatches).toHaveLength(3);
    const error = await awsError(client.send(new CompareFacesCommand({ SourceImage: { Bytes: images.blurred }, TargetImage: { Bytes: images.group }, QualityFilter: 'AUTO' })));
    expect(error).toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/source image/) });
  });

  it('says InvalidParameterException, naming the image, when there is no face', async () => {
    const noSource = await awsError(client.send(new CompareFacesCommand({ SourceImage: { Bytes: images.empty }, TargetImage: { Bytes: images.idCard } })));
    expect(noSource).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 }, Code: 'InvalidParameterException' });
    expect(noSource.message).toMatch(/^Request has invalid parameters: no face was detected in the source image$/);
    const noTarget = await awsError(client.send(new CompareFacesCommand({ SourceImage: { Bytes: images.selfie }, TargetImage: { Bytes: images.empty } })));
    expect(noTarget.message).toMatch(/target image/);
  });

  it("refuses images as Rekognition does, in Rekognition's error shapes", async () => {
    const tooLarge = Buffer.concat([images.selfie, Buffer.alloc(5 * 1024 * 1024)]);
    expect(await awsError(client.send(new DetectFacesCommand({ Image: { Bytes: tooLarge } })))).toMatchObject({ name: 'ImageTooLargeException', $metadata: { httpStatusCode: 400 } });
    const gif = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#fff' } }).gif().toBuffer();
    expect(await awsError(client.send(new DetectFacesCommand({ Image: { Bytes: gif } })))).toMatchObject({ name: 'InvalidImageFormatException' });
    expect(await awsError(client.send(new DetectFacesCommand({ Image: { Bytes: Buffer.from('garbage') } })))).toMatchObject({ name: 'InvalidImageFormatException' });
    expect(await awsError(client.send(new DetectFacesCommand({ Image: { Bytes: images.broken } })))).toMatchObject({ name: 'InvalidImageFormatException' });
    const tiny = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(await awsError(client.send(new DetectFacesCommand({ Image: { Bytes: tiny } })))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await awsError(client.send(new DetectFacesCommand({ Image: { S3Object: { Bucket: 'b', Name: 'k' } } })))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await awsError(client.send(new CompareFacesCommand({ SourceImage: { Bytes: images.selfie }, TargetImage: { Bytes: images.idCard }, QualityFilter: 'BEST' as never })))).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('answers an unknown X-Amz-Target with UnknownOperationException, as awsJson1_1 shapes it', async () => {
    const response = await fetch(rekognition.endpoint, { method: 'POST', headers: { 'x-amz-target': 'RekognitionService.IndexFaces', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toMatchObject({ __type: 'com.amazon.coral.service#UnknownOperationException' });
    const bad = await fetch(rekognition.endpoint, { method: 'POST', headers: { 'x-amz-target': 'RekognitionService.DetectFaces' }, body: '{' });
    expect(await bad.json()).toMatchObject({ __type: expect.stringMatching(/SerializationException$/) });
  });

  it('answers 403 when the signature does not hold', async () => {
    const signed = await startLocalRekognition({
      engine,
      authenticate: (req, body) =>
        authenticateSignedRequest(
          req,
          body,
          (id) => (id === credentials.accessKeyId ? { ...credentials, arn: 'arn:aws:iam::000000000000:user/local', decide: () => 'allow' as const } : undefined),
          { region, service: 'rekognition' },
        ),
    });
    const good = new RekognitionClient({ endpoint: signed.endpoint, region, credentials, maxAttempts: 1 });
    const bad = new RekognitionClient({ endpoint: signed.endpoint, region, credentials: { ...credentials, secretAccessKey: 'wrong' }, maxAttempts: 1 });
    try {
      expect((await good.send(new DetectFacesCommand({ Image: { Bytes: images.selfie } }))).FaceDetails).toHaveLength(1);
      expect(await awsError(bad.send(new DetectFacesCommand({ Image: { Bytes: images.selfie } })))).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
      // ...which the matcher reports as a problem for an operator.
      const matcher = new RekognitionFaceMatcher({ client: bad });
      await expect(matcher.detectFaces(images.selfie)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    } finally {
      good.destroy();
      bad.destroy();
      await signed.stop();
    }
  });
});

describe('RekognitionFaceMatcher over the local Rekognition, end to end', () => {
  const matcher = () => new RekognitionFaceMatcher({ clientConfig: { endpoint: rekognition.endpoint, region, credentials }, retry: { sleep: async () => {} } });

  it('detects faces, largest first, with the same mapping as against AWS (landmarks too, which the same-picture check aligns on)', async () => {
    const faces = await matcher().detectFaces(images.group);
    expect(faces[0].landmarks?.map((l) => l.type)).toEqual(['eyeLeft', 'eyeRight']);
    expect(faces).toMatchObject([
      { boundingBox: { left: 0.5, top: 0.05, width: 0.2, height: 0.5 }, confidence: 99, quality: { brightness: 60, sharpness: 70 }, pose: { roll: 1.5, yaw: -3, pitch: 4 } },
      { boundingBox: { left: 0.125, top: 0.05, width: 0.1, height: 0.25 }, confidence: 99, quality: { brightness: 60, sharpness: 70 }, pose: { roll: 1.5, yaw: -3, pitch: 4 } },
      { boundingBox: { left: 0.75, top: 0.05, width: 0.075, height: 0.1875 }, confidence: 99, quality: { brightness: 50, sharpness: 2 }, pose: { roll: 1.5, yaw: -3, pitch: 4 } },
    ]);
  });

  it('compares the selfie with the ID card: the score, both faces and both image sizes', async () => {
    const result = await matcher().compareFaces(images.selfie, images.idCard);
    expect(result.similarity).toBeCloseTo(96, 4);
    expect(result.sourceFace).toMatchObject({ boundingBox: { left: 0.25, top: 0.04, width: 0.5, height: 0.5 }, confidence: 99 });
    expect(result.targetFace).toMatchObject({ boundingBox: { left: 0.1, top: 20 / 380, width: 0.2, height: 150 / 380 }, confidence: 99, quality: { brightness: 60, sharpness: 70 }, pose: { roll: 1.5, yaw: -3, pitch: 4 } });
    expect(result.targetFace.landmarks?.length).toBe(2);
    expect(result.sourceImage).toEqual({ width: 400, height: 500 });
    expect(result.targetImage).toEqual({ width: 600, height: 380 });
  });

  it('reports the main face of a group photo (large, central), not a better-matching face beside it', async () => {
    // The selfie's owner is the small face at the left; the photo is about the stranger.
    const result = await matcher().compareFaces(images.selfie, images.group, { qualityFilter: 'NONE' });
    expect(result.similarity).toBeCloseTo(0, 4);
    expect(result.targetFace.boundingBox.left).toBe(0.5);
  });

  it('tells which image has no face, from the local message', async () => {
    const noSource = await matcher().compareFaces(images.empty, images.idCard).catch((e: unknown) => e);
    expect(noSource).toBeInstanceOf(FaceMatchError);
    expect(noSource).toMatchObject({ code: 'NO_FACE_IN_SOURCE' });
    await expect(matcher().compareFaces(images.selfie, images.empty)).rejects.toMatchObject({ code: 'NO_FACE_IN_TARGET' });
    await expect(matcher().compareFaces(images.blurred, images.idCard, { qualityFilter: 'AUTO' })).rejects.toMatchObject({ code: 'NO_FACE_IN_SOURCE' });
  });

  it('reports a target whose faces were all filtered out as NO_FACE_IN_TARGET', async () => {
    await expect(matcher().compareFaces(images.selfie, images.blurred, { qualityFilter: 'LOW' })).rejects.toMatchObject({ code: 'NO_FACE_IN_TARGET' });
  });

  it('maps image errors to their codes', async () => {
    await expect(matcher().compareFaces(images.broken, images.idCard)).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    await expect(matcher().detectFaces(Buffer.concat([images.selfie, Buffer.alloc(5 * 1024 * 1024)]))).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('finds the endpoint in AWS_ENDPOINT_URL_REKOGNITION with the default client', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL_REKOGNITION: rekognition.endpoint, AWS_REGION: region, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey });
    try {
      expect(await new RekognitionFaceMatcher().detectFaces(images.selfie)).toHaveLength(1);
    } finally {
      process.env = saved;
    }
  });

  it('reports a stopped endpoint as UNAVAILABLE after retrying', async () => {
    const gone = await startLocalRekognition({ engine });
    await gone.stop();
    let sleeps = 0;
    const down = new RekognitionFaceMatcher({ clientConfig: { endpoint: gone.endpoint, region, credentials }, retry: { sleep: async () => void sleeps++ } });
    await expect(down.detectFaces(images.selfie)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(sleeps).toBe(3);
  });
});
