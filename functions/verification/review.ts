import { deletePrefix, presignDownload, readObject, writeObject } from '../shared/uploads.ts';
import { activateUser } from './accounts.ts';
import { purgeAt } from './apply.ts';
import type { Requester, VerificationContext } from './context.ts';
import { VerificationError } from './errors.ts';
import { imageKeys } from './image-keys.ts';
import { emails, reasons } from './messages.ts';
import { moveSession, type MoveAudit } from './moves.ts';
import { getSession, sessionsByState, visibleState, type SessionRecord } from './sessions.ts';
import { MAX_IMAGE_BYTES } from './validate.ts';

/** Review links live one minute: long enough to look, too short to pass around. */
const REVIEW_URL_SECONDS = 60;

/** The `VerificationForReview` type of the schema. */
export interface ReviewView {
  id: string;
  kind: SessionRecord['kind'];
  state: SessionRecord['state'];
  email: string;
  name: string | null;
  similarity: number | null;
  livenessConfidence: number | null;
  createdAt: string;
  expiresAt: string;
  idDocumentUrl: string | null;
  /** The live reference image of the liveness check. */
  selfieUrl: string | null;
  auditImageUrls: string[];
  reviewNote: string | null;
  reviewedBy: string | null;
  /** The fields read from the ID and the checks' outcomes: in the review queue only. */
  document: (NonNullable<SessionRecord['document']>['fields'] & { mrz: string[]; checks: NonNullable<SessionRecord['document']>['checks'] }) | null;
}

/** Sessions waiting for an admin, the soonest to expire first, each with one-minute image links. */
export async function verificationsForReview(
  context: VerificationContext,
  args: { limit?: number | null; nextToken?: string | null },
  requester: Requester,
): Promise<{ items: ReviewView[]; nextToken: string | null }> {
  requireAdmin(requester);
  const limit = args.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new VerificationError('ValidationError', 'limit must be 1-50.');
  const now = Math.floor(context.now().getTime() / 1000);
  const page = await sessionsByState(context.tables.sessions, 'NEEDS_REVIEW', { after: now }, { limit, startKey: decodeToken(args.nextToken) });
  const items = await Promise.all(page.items.map((session) => reviewView(context, session, true)));
  return { items, nextToken: page.lastKey ? Buffer.from(JSON.stringify(page.lastKey)).toString('base64url') : null };
}

/**
 * An admin's decision on a session in NEEDS_REVIEW. Approving activates the person (the live
 * reference image becomes their reference face; they then sign in with their face); rejecting
 * fails the session. Either way the session's images are deleted, the person gets an email, and
 * the note is audited.
 */
export async function reviewVerification(
  context: VerificationContext,
  args: { id: string; approve: boolean; note: string },
  requester: Requester,
): Promise<ReviewView> {
  const admin = requireAdmin(requester);
  const note = typeof args.note === 'string' ? args.note.trim() : '';
  if (note.length < 1 || note.length > 1000) throw new VerificationError('ValidationError', 'Write a note (1-1,000 characters): it goes into the audit log.');
  const session = await getSession(context.tables.sessions, args.id);
  if (!session) throw new VerificationError('NotFound', 'There is no such verification session.');
  const state = visibleState(session, context.now());
  if (state !== 'NEEDS_REVIEW') throw new VerificationError('ConflictError', `This session is ${state}, not waiting for review.`, { state });
  if (session.email === admin.email) throw new VerificationError('Unauthorized', 'Nobody may review their own verification.');

  let userId: string | undefined;
  const activation: MoveAudit[] = [];
  if (args.approve) {
    const live = session.referenceImageKey ? await readObject(context.bucket, session.referenceImageKey, MAX_IMAGE_BYTES) : undefined;
    if (!live) throw new VerificationError('ConflictError', 'The live image of this session is gone; it cannot be approved.');
    const { user } = await activateUser(context, { email: session.email, name: session.name, role: session.role ?? 'MEMBER' }, imageKeys.referenceFace);
    await writeObject(context.bucket, imageKeys.referenceFace(user.id), live, live[0] === 0x89 ? 'image/png' : 'image/jpeg');
    userId = user.id;
    activation.push({ action: 'USER_ACTIVATED', outcome: 'ACTIVE', actorId: admin.userId, targetId: user.id, details: { role: user.role, session: session.id } });
  }
  await deletePrefix(context.bucket, imageKeys.sessionPrefix(session.id));
  const decided = await moveSession(
    context,
    session,
    {
      from: ['NEEDS_REVIEW'],
      changes: {
        state: args.approve ? 'VERIFIED' : 'FAILED',
        reason: args.approve ? reasons.approvedByReview : reasons.rejectedByReview,
        reviewNote: note,
        reviewedBy: admin.userId,
        userId,
        purgeAt: purgeAt(context),
      },
      remove: ['referenceImageKey', 'auditImageKeys', 'document'],
      audit: [
        ...activation,
        { action: 'VERIFICATION_REVIEWED', outcome: args.approve ? 'APPROVED' : 'REJECTED', actorId: admin.userId, details: { note, similarity: session.similarity, liveness: session.livenessConfidence } },
      ],
    },
    requester,
  );
  if (!decided) throw new VerificationError('ConflictError', 'Another admin reviewed this session first.');
  await context.sendEmail(args.approve ? emails.approved(session.email, session.name) : emails.rejected(session.email, session.name));
  return reviewView(context, decided, false);
}

function requireAdmin(requester: Requester) {
  if (requester.caller?.role !== 'ADMIN') throw new VerificationError('Unauthorized', 'Only administrators review verifications.');
  return requester.caller;
}

async function reviewView(context: VerificationContext, session: SessionRecord, withImages: boolean): Promise<ReviewView> {
  const link = (key: string | undefined) => (withImages && key ? presignDownload({ bucket: context.bucket, key, expiresInSeconds: REVIEW_URL_SECONDS }) : Promise.resolve(null));
  const [idDocumentUrl, selfieUrl, ...auditImageUrls] = await Promise.all([
    link(session.kind === 'ONBOARDING' ? imageKeys.idDocument(session.id) : undefined),
    link(session.referenceImageKey),
    ...(withImages ? (session.auditImageKeys ?? []) : []).map(link),
  ]);
  return {
    id: session.id,
    kind: session.kind,
    state: visibleState(session, context.now()),
    email: session.email,
    name: session.name ?? null,
    similarity: session.similarity ?? null,
    livenessConfidence: session.livenessConfidence ?? null,
    createdAt: session.createdAt,
    expiresAt: new Date(session.expiresAt * 1000).toISOString(),
    idDocumentUrl,
    selfieUrl,
    auditImageUrls: auditImageUrls.filter((url): url is string => url !== null),
    reviewNote: session.reviewNote ?? null,
    reviewedBy: session.reviewedBy ?? null,
    // Only the queue shows it; a decided session's answer has none (and the record no longer holds it).
    document: withImages && session.document ? { ...session.document.fields, mrz: session.document.mrz, checks: session.document.checks } : null,
  };
}

function decodeToken(token: string | null | undefined): Record<string, unknown> | undefined {
  if (!token) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof key.id === 'string' && typeof key.state === 'string' && typeof key.expiresAt === 'number') return { id: key.id, state: key.state, expiresAt: key.expiresAt };
  } catch {
    // fall through
  }
  throw new VerificationError('ValidationError', 'nextToken is not valid.');
}
