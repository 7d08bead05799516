import { appendAudit } from '../shared/audit.ts';
import { deleteObjects, readObject, writeObject } from '../shared/uploads.ts';
import { mintSessionToken } from '../shared/tokens/sign.ts';
import { getUser, type UserRecord } from '../shared/users.ts';
import { FaceMatchError, type DetectedFace, type FaceComparison } from './faces/face-matcher.ts';
import { checkImage, InvalidImageError } from './images.ts';
import { activateUser } from './accounts.ts';
import type { Requester, VerificationContext } from './context.ts';
import { decide } from './decide.ts';
import { assessDocument, auditedDocument, type DocumentAssessment } from './documents/assess.ts';
import { assessComparison } from './quality-gate.ts';
import { VerificationError } from './errors.ts';
import { expireSession } from './expire.ts';
import { imageKeys } from './image-keys.ts';
import { emails, reasons } from './messages.ts';
import { getSession, transition, visibleState, type SessionRecord } from './sessions.ts';
import { MAX_IMAGE_BYTES } from './validate.ts';
import { viewOf, type VerificationView } from './view.ts';

/** A selfie face counts when the detector is this sure (0-100)... */
const CLEAR_FACE_CONFIDENCE = 90;
/** ...and it is at least this many pixels wide (Rekognition's own minimum is about 40). */
const CLEAR_FACE_PIXELS = 40;

interface Images {
  selfie: Uint8Array;
  selfieType: string;
  selfieWidth: number;
  /** The ID photo (onboarding) or the reference face (face login); undefined: nothing to compare with. */
  target?: Uint8Array;
}

/**
 * Checks the uploaded images, compares the selfie with the ID photo (or, for a face sign-in,
 * with the user's reference face) and decides: VERIFIED with a token, NEEDS_REVIEW, a retry
 * with a reason and the attempts left, or FAILED. Cheap refusals (missing or invalid images)
 * cost no attempt; every comparison counts against the session, the email and the address.
 */
export async function submitVerification(context: VerificationContext, id: string, requester: Requester): Promise<VerificationView> {
  const session = await getSession(context.tables.sessions, id);
  if (!session) throw new VerificationError('NotFound', 'There is no such verification session.');
  const state = visibleState(session, context.now());
  if (state === 'EXPIRED') return viewOf(await expireSession(context, session), context);
  if (state === 'FAILED') throw new VerificationError('RateLimited', reasons.noAttemptsLeft, { state });
  if (state !== 'REQUIRES_INPUT') throw new VerificationError('ConflictError', `This session is ${state}.`, { state });

  const images = await loadImages(context, session).catch((error: unknown) => {
    // A bad picture costs no attempt and leaves the session waiting for a retake; the refusal
    // carries the session, as one found by the face models does, so a client can show both.
    if (error instanceof VerificationError && error.type === 'InvalidImage') {
      throw new VerificationError(error.type, error.message, { ...error.data, verification: viewOf(session, context) });
    }
    throw error;
  });
  await consumeLimits(context, session, requester);
  // An interrupted check left the session PROCESSING; it is taken over like a waiting one.
  const processing = await transition(context.tables.sessions, session, [session.state === 'PROCESSING' ? 'PROCESSING' : 'REQUIRES_INPUT'], { state: 'PROCESSING' });
  if (!processing) throw new VerificationError('ConflictError', 'This session is already being checked.');

  let comparison: FaceComparison | undefined;
  let document: DocumentAssessment | undefined;
  try {
    // The ID is read while the faces are compared: together they take as long as the slower one.
    const [faces, compared, assessed] = await Promise.all([
      context.matcher.detectFaces(images.selfie),
      images.target ? context.matcher.compareFaces(images.selfie, images.target, { qualityFilter: context.policy.qualityFilter }) : Promise.resolve(undefined),
      assessDocument(context, session, images.target),
    ]);
    requireOneClearFace(faces, images.selfieWidth);
    comparison = compared;
    document = assessed;
  } catch (error) {
    const refusal = asRefusal(error, session.kind);
    const back = await transition(context.tables.sessions, processing, ['PROCESSING'], { state: 'REQUIRES_INPUT', reason: refusal.message });
    await appendAudit(context.tables.audit, { actorId: actorOf(session), action: 'VERIFICATION_ATTEMPT', targetId: session.id, outcome: refusal.type, sourceIp: requester.sourceIp, details: { reason: refusal.data?.reason } });
    throw new VerificationError(refusal.type, refusal.message, { ...refusal.data, verification: back ? viewOf(back, context) : null });
  }

  const similarity = comparison?.similarity ?? 0;
  const attempts = processing.attempts + 1;
  const quality = comparison && context.policy.qualityGate ? assessComparison(comparison, context.policy.qualityGate) : [];
  const faceDecision = decide(similarity, context.policy, session.kind, quality);
  // Faces first: a different person is told so. A matching face with a document that clearly fails
  // is a retry with the document's reason; one whose document could not be read waits for a reviewer.
  const documentFailed = faceDecision !== 'REJECT' && document?.verdict.outcome === 'FAIL' ? document.verdict.failed : undefined;
  const decision = documentFailed ? 'REJECT' : faceDecision === 'ACCEPT' && document?.verdict.outcome === 'UNREADABLE' ? 'REVIEW' : faceDecision;
  const attempt = appendAudit(context.tables.audit, {
    actorId: actorOf(session),
    action: 'VERIFICATION_ATTEMPT',
    targetId: session.id,
    outcome: decision,
    sourceIp: requester.sourceIp,
    details: {
      similarity: Math.round(similarity * 10) / 10,
      attempt: attempts,
      kind: session.kind,
      ...(quality.length ? { quality } : {}),
      ...(document ? { document: auditedDocument(document) } : {}),
    },
  });
  const documentReason = documentFailed && (documentFailed === 'MINIMUM_AGE' ? reasons.document.MINIMUM_AGE(context.policy.minimumAge) : reasons.document[documentFailed]);
  const outcome =
    decision === 'ACCEPT'
      ? accept(context, processing, images, similarity, requester)
      : decision === 'REVIEW'
        ? sendToReview(context, processing, attempts, similarity, requester, document)
        : reject(context, processing, attempts, similarity, requester, documentReason || undefined);
  const [, view] = await Promise.all([attempt, outcome]);
  return view;
}

async function sendToReview(
  context: VerificationContext,
  processing: SessionRecord,
  attempts: number,
  similarity: number,
  requester: Requester,
  document: DocumentAssessment | undefined,
): Promise<VerificationView> {
  const expiresAt = Math.floor(context.now().getTime() / 1000) + context.policy.reviewDays * 24 * 3600;
  const reason = document?.verdict.outcome === 'UNREADABLE' && similarity >= context.policy.acceptSimilarity ? reasons.documentInReview : reasons.inReview;
  // The reviewer sees what was read next to the images; it lives as long as they do.
  const changes = { state: 'NEEDS_REVIEW' as const, attempts, similarity, reason, expiresAt, document: document?.reading };
  const [waiting] = await Promise.all([
    transition(context.tables.sessions, processing, ['PROCESSING'], changes, { removeAttributes: document ? [] : ['document'] }),
    decided(context, processing, 'NEEDS_REVIEW', requester, { similarity }),
  ]);
  return viewOf(waiting ?? processing, context);
}

async function loadImages(context: VerificationContext, session: SessionRecord): Promise<Images> {
  // Both reads at once: they are independent, and each is a round trip to S3.
  const [selfie, target] = await Promise.all([
    readImage(context, imageKeys.upload(session.id, 'SELFIE'), 'selfie'),
    session.kind === 'ONBOARDING' ? readImage(context, imageKeys.upload(session.id, 'ID_DOCUMENT'), 'ID photo') : referenceFace(context, session),
  ]);
  if (!selfie) throw new VerificationError('ValidationError', 'Upload your selfie first.', { missing: 'SELFIE' });
  const selfieInfo = checked(selfie, 'selfie');
  if (session.kind === 'ONBOARDING') {
    if (!target) throw new VerificationError('ValidationError', 'Upload the photo of your ID first.', { missing: 'ID_DOCUMENT' });
    checked(target, 'ID photo');
  }
  return { selfie, selfieType: selfieInfo.format === 'png' ? 'image/png' : 'image/jpeg', selfieWidth: selfieInfo.width, target };
}

/** The user's reference face; undefined for an unknown, inactive or never-verified user, who then fails as a mismatch would. */
async function referenceFace(context: VerificationContext, session: SessionRecord): Promise<Uint8Array | undefined> {
  const user = session.userId ? await getUser(context.tables.users, session.userId) : undefined;
  return user?.status === 'ACTIVE' && user.referenceFaceKey ? readImage(context, user.referenceFaceKey, 'reference face') : undefined;
}

async function readImage(context: VerificationContext, key: string, what: string): Promise<Uint8Array | undefined> {
  try {
    return await readObject(context.bucket, key, MAX_IMAGE_BYTES);
  } catch (error) {
    if (error instanceof Error && error.name === 'ObjectTooLargeError') {
      throw new VerificationError('InvalidImage', `The ${what} is larger than 5 MB: take a smaller photo.`, { reason: 'TOO_LARGE' });
    }
    throw error;
  }
}

function checked(bytes: Uint8Array, what: string) {
  try {
    return checkImage(bytes);
  } catch (error) {
    if (error instanceof InvalidImageError) throw new VerificationError('InvalidImage', `The ${what}: ${error.message}`, { reason: error.code });
    throw error;
  }
}

async function consumeLimits(context: VerificationContext, session: SessionRecord, requester: Requester): Promise<void> {
  const { policy } = context;
  const limit = (perWindow: number) => ({ limit: perWindow, windowSeconds: policy.windowMinutes * 60, coolDownSeconds: policy.coolDownMinutes * 60 });
  const outcomes = await Promise.all([
    context.limiter.consume(`email:${session.email}`, limit(policy.attemptsPerEmail)),
    requester.sourceIp ? context.limiter.consume(`source:${requester.sourceIp}`, limit(policy.attemptsPerSource)) : Promise.resolve({ allowed: true as const }),
  ]);
  for (const outcome of outcomes) {
    if (outcome.allowed) continue;
    await appendAudit(context.tables.audit, { actorId: actorOf(session), action: 'RATE_LIMITED', targetId: session.id, outcome: 'RATE_LIMITED', sourceIp: requester.sourceIp, details: { retryAfterSeconds: outcome.retryAfterSeconds } });
    throw new VerificationError('RateLimited', `Too many attempts: try again in ${Math.ceil(outcome.retryAfterSeconds / 60)} minutes.`, { retryAfterSeconds: outcome.retryAfterSeconds });
  }
}

function requireOneClearFace(faces: DetectedFace[], imageWidth: number): void {
  const clear = faces.filter((f) => f.confidence >= CLEAR_FACE_CONFIDENCE && f.boundingBox.width * imageWidth >= CLEAR_FACE_PIXELS);
  if (clear.length === 0) throw new VerificationError('InvalidImage', 'No face found in the selfie: face the camera in good light, with nothing covering your face.', { reason: 'NO_FACE' });
  if (clear.length > 1) throw new VerificationError('InvalidImage', 'More than one face in the selfie: make sure you are alone in the picture.', { reason: 'MORE_THAN_ONE_FACE' });
}

/** A comparison that gave no score, as the person should see it. */
function asRefusal(error: unknown, kind: SessionRecord['kind']): VerificationError {
  if (error instanceof VerificationError) return error;
  if (!(error instanceof FaceMatchError)) throw error;
  switch (error.code) {
    case 'NO_FACE_IN_SOURCE':
      return new VerificationError('InvalidImage', 'No clear face found in the selfie: face the camera in good light.', { reason: 'NO_FACE' });
    case 'NO_FACE_IN_TARGET':
      return kind === 'ONBOARDING'
        ? new VerificationError('InvalidImage', 'No clear face found on the ID: photograph the whole card, flat, without glare.', { reason: 'NO_FACE_ON_ID' })
        : new VerificationError('ServiceUnavailable', 'Your reference face could not be read: ask an administrator.');
    case 'INVALID_IMAGE':
      return new VerificationError('InvalidImage', 'The image could not be read: upload a JPEG or PNG photo.', { reason: 'CORRUPT' });
    case 'IMAGE_TOO_LARGE':
      return new VerificationError('InvalidImage', 'The image is too large: take a smaller photo.', { reason: 'TOO_LARGE' });
    default:
      return new VerificationError('ServiceUnavailable', 'Face matching is busy or unavailable: try again in a moment. No attempt was counted.', { reason: error.code });
  }
}

async function accept(context: VerificationContext, processing: SessionRecord, images: Images, similarity: number, requester: Requester): Promise<VerificationView> {
  const now = context.now();
  let user: UserRecord | undefined;
  const writes: Promise<unknown>[] = [];
  if (processing.kind === 'ONBOARDING') {
    ({ user } = await activateUser(context, { email: processing.email, name: processing.name, role: processing.role ?? 'MEMBER' }, imageKeys.referenceFace));
    // The selfie becomes the reference face; the ID image has no reason to live on.
    writes.push(
      writeObject(context.bucket, imageKeys.referenceFace(user.id), images.selfie, images.selfieType),
      appendAudit(context.tables.audit, { actorId: user.id, action: 'USER_ACTIVATED', targetId: user.id, outcome: 'ACTIVE', sourceIp: requester.sourceIp, details: { role: user.role, session: processing.id } }),
    );
  } else {
    user = await getUser(context.tables.users, processing.userId!);
    if (user?.status !== 'ACTIVE') return reject(context, processing, processing.attempts + 1, 0, requester);
  }
  const active = user;
  const [verified, token] = await Promise.all([
    transition(context.tables.sessions, processing, ['PROCESSING'], { state: 'VERIFIED', attempts: processing.attempts + 1, similarity, userId: active.id, purgeAt: purgeAt(context) }, { removeAttributes: ['reason', 'document'] }),
    mintSessionToken({ sub: active.id, email: active.email, role: active.role, generation: active.tokenGeneration ?? 0 }, await context.signer(), {
      issuer: context.token.issuer,
      audience: context.token.audience,
      lifetimeSeconds: context.token.lifetimeSeconds,
      now,
    }),
    Promise.all(writes),
  ]);
  // The outcome is settled; the rest is bookkeeping, done at once.
  await Promise.all([
    deleteObjects(context.bucket, imageKeys.sessionUploads(processing.id)),
    decided(context, processing, 'VERIFIED', requester, { similarity }),
    appendAudit(context.tables.audit, { actorId: active.id, action: 'TOKEN_ISSUED', targetId: active.id, outcome: 'ISSUED', sourceIp: requester.sourceIp, details: { session: processing.id, expiresAt: token.expiresAt.toISOString() } }),
    context.sendEmail(processing.kind === 'ONBOARDING' ? emails.welcome(active.email, active.name, active.role) : emails.signIn(active.email, now, requester.sourceIp)),
  ]);
  return viewOf(verified ?? processing, context, { token });
}

/** A retry with `documentReason` (a document check failed) or the faces' own reason, or FAILED when no attempt is left. */
async function reject(context: VerificationContext, processing: SessionRecord, attempts: number, similarity: number, requester: Requester, documentReason?: string): Promise<VerificationView> {
  const attemptsLeft = context.policy.attemptsPerSession - attempts;
  const noMatch = documentReason
    ? reasons.withAttemptsLeft(documentReason, attemptsLeft)
    : processing.kind === 'ONBOARDING'
      ? reasons.noMatch(attemptsLeft)
      : reasons.faceLoginNoMatch(attemptsLeft);
  if (attemptsLeft > 0) {
    const retry = await transition(context.tables.sessions, processing, ['PROCESSING'], { state: 'REQUIRES_INPUT', attempts, similarity, reason: noMatch }, { removeAttributes: ['document'] });
    return viewOf(retry ?? processing, context);
  }
  await deleteObjects(context.bucket, imageKeys.sessionUploads(processing.id));
  const failed = await transition(
    context.tables.sessions,
    processing,
    ['PROCESSING'],
    { state: 'FAILED', attempts, similarity, reason: documentReason ? `${documentReason} ${reasons.noAttemptsLeft}` : reasons.noAttemptsLeft, purgeAt: purgeAt(context) },
    { removeAttributes: ['document'] },
  );
  // The email waits before it may start again: a new session must not mean new attempts.
  await context.limiter.coolDown(`email:${processing.email}`, context.policy.coolDownMinutes * 60);
  await decided(context, processing, 'FAILED', requester, { similarity });
  return viewOf(failed ?? processing, context);
}

async function decided(context: VerificationContext, session: SessionRecord, outcome: string, requester: Requester, details: Record<string, unknown>) {
  await appendAudit(context.tables.audit, { actorId: actorOf(session), action: 'VERIFICATION_DECIDED', targetId: session.id, outcome, sourceIp: requester.sourceIp, details: { ...details, kind: session.kind } });
}

function actorOf(session: SessionRecord): string {
  return session.userId ?? `session:${session.id}`;
}

/** When a finished session's record (no images left) is removed by DynamoDB's TTL. */
export function purgeAt(context: VerificationContext): number {
  return Math.floor(context.now().getTime() / 1000) + context.policy.recordDays * 24 * 3600;
}
