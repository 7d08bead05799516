import { presignUpload } from '../shared/uploads.ts';
import { appendAudit } from '../shared/audit.ts';
import { NOT_ELIGIBLE, roleFor, userByEmail } from './accounts.ts';
import type { Requester, VerificationContext } from './context.ts';
import { VerificationError } from './errors.ts';
import { imageKeys } from './image-keys.ts';
import { createSession, getSession, newSessionId, visibleState, type SessionKind, type SessionRecord, type UploadPurpose } from './sessions.ts';
import { normalizeEmail, validName, validUpload, type UploadSpec } from './validate.ts';
import { viewOf, type PresignedUpload, type VerificationView } from './view.ts';

/** Presigned PUTs live at most this long (and never past the session). */
const UPLOAD_URL_SECONDS = 300;

export interface StartVerificationInput {
  email: string;
  name: string;
  consent: boolean;
  idDocument: UploadSpec;
}

/**
 * Onboarding: checks consent, eligibility (invitation, ADMIN_EMAILS, open signup, first user)
 * and cool-downs, opens a session and answers with the upload URL for the ID photo. The live
 * face comes next, from a liveness check (`startLivenessCheck`), never from an upload.
 */
export async function startVerification(context: VerificationContext, input: StartVerificationInput, requester: Requester): Promise<VerificationView> {
  if (input.consent !== true) {
    throw new VerificationError('ValidationError', 'Consent is required: we compare your face, as the liveness check sees it, with your ID photo and keep that image to sign you in.');
  }
  const email = normalizeEmail(input.email);
  const name = validName(input.name);
  const idDocument = validUpload(input.idDocument, 'ID photo');
  await refuseWhileCoolingDown(context, email, requester);
  const existing = await userByEmail(context.tables.users, email);
  // A verified or disabled account may not start again (a new session would replace its
  // reference face), and says so in the very words an uninvited email gets: the API key is
  // anyone's, so a different answer would tell anyone which emails have accounts.
  if (existing?.status === 'ACTIVE' || existing?.status === 'DISABLED') throw new VerificationError('Unauthorized', NOT_ELIGIBLE);
  const role = await roleFor(context, email);
  const session = await openSession(context, { kind: 'ONBOARDING', email, name, role }, requester);
  return viewOf(session, context, { uploads: [await presign(context, session, idDocument)] });
}

/**
 * Face sign-in: opens a session for a liveness check (`startLivenessCheck`). Whether the email
 * belongs to a verified user is not revealed here (that would let anyone probe which emails have
 * accounts): a session for an unknown email simply never matches.
 */
export async function startFaceLogin(context: VerificationContext, input: { email: string }, requester: Requester): Promise<VerificationView> {
  const email = normalizeEmail(input.email);
  await refuseWhileCoolingDown(context, email, requester);
  const user = await userByEmail(context.tables.users, email);
  const session = await openSession(context, { kind: 'FACE_LOGIN', email, userId: user?.id }, requester);
  return viewOf(session, context);
}

/** A new upload URL for the ID photo of an unfinished onboarding session (a retake, or the first one lapsed). */
export async function requestUpload(
  context: VerificationContext,
  input: { id: string; purpose: UploadPurpose; image: UploadSpec },
  requester: Requester,
): Promise<PresignedUpload> {
  const session = await getSession(context.tables.sessions, input.id);
  if (!session) throw new VerificationError('NotFound', 'There is no such verification session.');
  const state = visibleState(session, context.now());
  if (state !== 'REQUIRES_INPUT') throw new VerificationError('ConflictError', `This session is ${state}: it takes no more images.`, { state });
  if (input.purpose !== 'ID_DOCUMENT') throw new VerificationError('ValidationError', 'Only the ID photo is uploaded: the live face comes from the liveness check.');
  if (session.kind === 'FACE_LOGIN') throw new VerificationError('ValidationError', 'A face sign-in takes no upload: run the liveness check.');
  const upload = await presign(context, session, validUpload(input.image, 'ID photo'));
  await appendAudit(context.tables.audit, {
    actorId: session.userId ?? `session:${session.id}`,
    action: 'UPLOAD_REQUESTED',
    targetId: session.id,
    outcome: 'ISSUED',
    sourceIp: requester.sourceIp,
    details: { purpose: input.purpose, size: input.image.size },
  });
  return upload;
}

async function refuseWhileCoolingDown(context: VerificationContext, email: string, requester: Requester): Promise<void> {
  const checks = [context.limiter.check(`email:${email}`), requester.sourceIp ? context.limiter.check(`source:${requester.sourceIp}`) : Promise.resolve({ allowed: true as const })];
  for (const outcome of await Promise.all(checks)) {
    if (!outcome.allowed) {
      await appendAudit(context.tables.audit, { actorId: 'anonymous', action: 'RATE_LIMITED', targetId: 'startVerification', outcome: 'COOLING_DOWN', sourceIp: requester.sourceIp, details: { retryAfterSeconds: outcome.retryAfterSeconds } });
      throw new VerificationError('RateLimited', `Too many attempts: try again in ${Math.ceil(outcome.retryAfterSeconds / 60)} minutes.`, { retryAfterSeconds: outcome.retryAfterSeconds });
    }
  }
}

async function openSession(
  context: VerificationContext,
  fields: { kind: SessionKind; email: string; name?: string; role?: SessionRecord['role']; userId?: string },
  requester: Requester,
): Promise<SessionRecord> {
  const now = context.now();
  const session: SessionRecord = {
    id: newSessionId(),
    ...fields,
    state: 'REQUIRES_INPUT',
    attempts: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + context.policy.sessionMinutes * 60,
    sourceIp: requester.sourceIp ?? undefined,
  };
  await createSession(context.tables.sessions, session);
  await appendAudit(context.tables.audit, {
    actorId: fields.userId ?? `session:${session.id}`,
    action: fields.kind === 'ONBOARDING' ? 'VERIFICATION_STARTED' : 'FACE_LOGIN_STARTED',
    targetId: session.id,
    outcome: 'REQUIRES_INPUT',
    sourceIp: requester.sourceIp,
    details: fields.kind === 'ONBOARDING' ? { role: fields.role } : {},
    at: now,
  });
  return session;
}

async function presign(context: VerificationContext, session: SessionRecord, spec: UploadSpec): Promise<PresignedUpload> {
  const secondsLeft = session.expiresAt - Math.floor(context.now().getTime() / 1000);
  const expiresInSeconds = Math.max(1, Math.min(UPLOAD_URL_SECONDS, secondsLeft));
  const { url, headers } = await presignUpload({
    bucket: context.bucket,
    key: imageKeys.idDocument(session.id),
    contentType: spec.contentType,
    contentLength: spec.size,
    expiresInSeconds,
  });
  return { purpose: 'ID_DOCUMENT', url, headers: JSON.stringify(headers), expiresAt: new Date(context.now().getTime() + expiresInSeconds * 1000).toISOString() };
}
