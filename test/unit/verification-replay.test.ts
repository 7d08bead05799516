import { randomUUID } from 'node:crypto';
import {
  CompareFacesCommand,
  CreateFaceLivenessSessionCommand,
  DetectFacesCommand,
  GetFaceLivenessSessionResultsCommand,
  type GetFaceLivenessSessionResultsResponse,
} from '@aws-sdk/client-rekognition';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s3 } from '../../functions/shared/aws-clients.ts';
import type { Requester } from '../../functions/verification/context.ts';
import { VerificationError } from '../../functions/verification/errors.ts';
import { startLivenessCheck } from '../../functions/verification/liveness-check.ts';
import { startFaceLogin, startVerification } from '../../functions/verification/start.ts';
import { submitVerification } from '../../functions/verification/submit.ts';
import { copyOf, faceDetail, onCard, texturePicture, type Picture } from '../helpers/pictures.ts';
import { startVerificationWorld, type VerificationWorld } from '../helpers/verification-world.ts';

/**
 * Replay and reuse: the live image must be new (its bytes never served another session) and must
 * not be the very picture it is compared with (the ID photo in onboarding, the stored reference
 * face in face sign-in), however re-encoded, scaled or cut out. The verification function's
 * operations over real tables and S3, with sharp on real pixels; Rekognition answers through
 * aws-sdk-client-mock, with the landmarks of the pictures it is shown.
 */
const requester: Requester = { caller: null, sourceIp: '198.51.100.20' };
let world: VerificationWorld;
let seed = 100;
/** The picture the current check's reference image shows, and the one it is compared with. */
let live: Picture;
let target: Picture;
const results = new Map<string, GetFaceLivenessSessionResultsResponse>();

beforeAll(async () => {
  world = await startVerificationWorld();
}, 60_000);
afterAll(() => world?.stop());

beforeEach(() => {
  world.rekognition.reset();
  world.sts.reset();
  world.rekognition.on(CreateFaceLivenessSessionCommand).callsFake(() => ({ SessionId: randomUUID() }));
  world.rekognition.on(GetFaceLivenessSessionResultsCommand).callsFake((input: { SessionId: string }) => results.get(input.SessionId));
  world.rekognition.on(DetectFacesCommand).callsFake(() => ({ FaceDetails: [faceDetail(live)] }));
  // Rekognition matches the faces (the same person); whether the pictures are the same is ours to tell.
  world.rekognition.on(CompareFacesCommand).callsFake(() => ({ SourceImageFace: { BoundingBox: faceDetail(live).BoundingBox, Confidence: 99.9 }, FaceMatches: [{ Similarity: 97, Face: faceDetail(target) }] }));
  world.sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIATEMP', SecretAccessKey: 'temp-secret', SessionToken: 'temp-token', Expiration: new Date(Date.now() + 900_000) } });
});

let n = 0;
async function onboarding(idPhoto: Picture): Promise<{ id: string; email: string }> {
  const email = `replay-${++n}@example.com`;
  const view = await startVerification(world.context, { email, name: 'Replay Person', consent: true, idDocument: { contentType: 'image/jpeg', size: idPhoto.bytes.length } }, requester);
  const response = await fetch(view.uploads[0]!.url, { method: 'PUT', headers: { 'Content-Type': 'image/jpeg' }, body: idPhoto.bytes });
  expect(response.status).toBe(200);
  return { id: view.id, email };
}

/** Runs a liveness check that passes, whose reference image is `image`, and submits. */
async function checkWith(id: string, image: Picture) {
  const check = await startLivenessCheck(world.context, id, requester);
  const key = `uploads/${id}/liveness/${check.sessionId}/reference.jpg`;
  await world.putImage(key, image.bytes);
  results.set(check.sessionId, { SessionId: check.sessionId, Status: 'SUCCEEDED', Confidence: 99, ReferenceImage: { S3Object: { Bucket: world.context.bucket, Name: key } } });
  live = image;
  return submitVerification(world.context, id, requester);
}

async function rejectionReason(id: string): Promise<unknown> {
  return (await world.audit(id)).filter((a) => a.entry === 'VERIFICATION_ATTEMPT:REJECT').at(-1)?.details.reason;
}

describe('the ID photo is not a live face', () => {
  let card: Picture;
  beforeEach(async () => {
    card = await onCard(await texturePicture(++seed));
    target = card;
  });

  it('accepts a new picture of the person', async () => {
    const { id } = await onboarding(card);
    expect((await checkWith(id, await texturePicture(++seed))).state).toBe('VERIFIED');
  });

  it.each([
    ['the ID photo itself, re-encoded', (picture: Picture) => copyOf(picture, { quality: 55 })],
    ['the ID photo scaled up', (picture: Picture) => copyOf(picture, { scale: 1.6, quality: 80 })],
    ['the portrait cut out of the ID and enlarged', (picture: Picture) => cutPortrait(picture)],
  ])('refuses %s, at the cost of an attempt, audited', async (_case, makeCopy) => {
    const { id } = await onboarding(card);
    const view = await checkWith(id, await makeCopy(card));
    expect(view).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: 2, token: null });
    expect(view.reason).toMatch(/is the photo on your ID/);
    expect(await rejectionReason(id)).toBe('SAME_PICTURE_AS_ID');
  });
});

describe('a reference image serves one session', () => {
  it('refuses the bytes of a live image that already served another session', async () => {
    target = await onCard(await texturePicture(++seed));
    const frame = await texturePicture(++seed);
    const first = await onboarding(target);
    expect((await checkWith(first.id, frame)).state).toBe('VERIFIED');
    const second = await onboarding(target);
    const view = await checkWith(second.id, frame);
    expect(view).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: 2 });
    expect(view.reason).toMatch(/already used/);
    expect(await rejectionReason(second.id)).toBe('REFERENCE_IMAGE_REUSED');
    // Refused before any face was compared.
    expect(world.rekognition.commandCalls(CompareFacesCommand)).toHaveLength(1);
  });
});

describe('face sign-in', () => {
  let email: string;
  let userId: string;
  let enrolled: Picture;

  beforeAll(async () => {
    target = await onCard(await texturePicture(++seed));
    enrolled = await texturePicture(++seed);
    const onboarded = await onboarding(target);
    email = onboarded.email;
    expect((await checkWith(onboarded.id, enrolled)).state).toBe('VERIFIED');
    userId = (await world.session(onboarded.id)).userId!;
  }, 60_000);

  async function faceLogin(image: Picture) {
    const view = await startFaceLogin(world.context, { email }, requester);
    expect(view.uploads).toEqual([]);
    // Face sign-in compares with the stored reference face: the enrolled live image.
    target = enrolled;
    return { id: view.id, answer: await checkWith(view.id, image) };
  }

  it('signs in with a new live image', async () => {
    const { answer } = await faceLogin(await texturePicture(++seed));
    expect(answer.state).toBe('VERIFIED');
    expect(answer.token).toBeTruthy();
    const compare = world.rekognition.commandCalls(CompareFacesCommand).at(-1)!.args[0].input;
    const stored = await s3().send(new GetObjectCommand({ Bucket: world.context.bucket, Key: `faces/${userId}/reference` }));
    expect(Buffer.from(compare.TargetImage!.Bytes!)).toEqual(Buffer.from(await stored.Body!.transformToByteArray()));
  });

  it('refuses the stored reference face played back (its bytes served onboarding)', async () => {
    const { id, answer } = await faceLogin(enrolled);
    expect(answer.state).toBe('REQUIRES_INPUT');
    expect(await rejectionReason(id)).toBe('REFERENCE_IMAGE_REUSED');
  });

  it('refuses a re-encoded copy of the stored reference face', async () => {
    const { id, answer } = await faceLogin(await copyOf(enrolled, { quality: 50, scale: 0.8 }));
    expect(answer).toMatchObject({ state: 'REQUIRES_INPUT', token: null });
    expect(answer.reason).toMatch(/copy of your saved face/);
    expect(await rejectionReason(id)).toBe('SAME_PICTURE_AS_REFERENCE_FACE');
  });

  it('refuses a submit without a liveness check', async () => {
    const view = await startFaceLogin(world.context, { email }, requester);
    const error = await submitVerification(world.context, view.id, requester).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerificationError);
    expect((error as VerificationError).data?.missing).toBe('LIVENESS');
  });
});

/** The face region of a card, cut out and doubled: the ID's portrait fed to the camera stream. */
async function cutPortrait(card: Picture): Promise<Picture> {
  const xs = card.landmarks.map((l) => l.x * card.width);
  const ys = card.landmarks.map((l) => l.y * card.height);
  const left = Math.round(Math.min(...xs) - 40);
  const top = Math.round(Math.min(...ys) - 50);
  const width = Math.round(Math.max(...xs) - left + 40);
  const height = Math.round(Math.max(...ys) - top + 40);
  const bytes = await sharp(card.bytes).extract({ left, top, width, height }).resize(width * 2).jpeg({ quality: 85 }).toBuffer();
  return {
    bytes,
    width: width * 2,
    height: height * 2,
    landmarks: card.landmarks.map((l) => ({ type: l.type, x: (l.x * card.width - left) / width, y: (l.y * card.height - top) / height })),
  };
}
