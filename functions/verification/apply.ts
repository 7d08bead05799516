/**
 * Applies the outcome of a judged check to the session, each outcome one move with its own audit
 * entries (see moves.ts): VERIFIED with a token, NEEDS_REVIEW, a retry with a reason and the
 * attempts left, FAILED, or back to waiting with the refusal that cost nothing.
 */
import { mintSessionToken } from '../shared/tokens/sign.ts';
import { deletePrefix, writeObject } from '../shared/uploads.ts';
import { getUser, type UserRecord } from '../shared/users.ts';
import { activateUser } from './accounts.ts';
import type { Requester, VerificationContext } from './context.ts';
import { VerificationError } from './errors.ts';
import { imageKeys } from './image-keys.ts';
import type { Evidence, Outcome } from './judge.ts';
import { emails, reasons, type RejectReason } from './messages.ts';
import { moveSession, type MoveAudit } from './moves.ts';
import type { SessionRecord } from './sessions.ts';
import { viewOf, type VerificationView } from './view.ts';

/** Moves `processing` as `outcome` says; a REFUSE is thrown, with the session as it now is. */
export async function applyOutcome(context: VerificationContext, processing: SessionRecord, outcome: Outcome, requester: Requester): Promise<VerificationView> {
  switch (outcome.kind) {
    case 'REFUSE':
      return refuse(context, processing, outcome.error, outcome.evidence, requester);
    case 'REJECT':
      return reject(context, processing, outcome.reason, outcome, requester);
    case 'REVIEW':
      return sendToReview(context, processing, outcome, requester);
    case 'ACCEPT':
      return accept(context, processing, outcome, requester);
  }
}

/** When a finished session's record (no images left) is removed by DynamoDB's TTL. */
export function purgeAt(context: Pick<VerificationContext, 'now' | 'policy'>): number {
  return Math.floor(context.now().getTime() / 1000) + context.policy.recordDays * 24 * 3600;
}

async function refuse(context: VerificationContext, processing: SessionRecord, error: VerificationError, evidence: Evidence, requester: Requester): Promise<never> {
  const back = await moveSession(
    context,
    processing,
    {
      from: ['PROCESSING'],
      changes: { state: 'REQUIRES_INPUT', reason: error.message, ...evidence },
      audit: [{ action: 'VERIFICATION_ATTEMPT', outcome: error.type, details: { reason: error.data?.reason } }],
    },
    requester,
  );
  throw new VerificationError(error.type, error.message, { ...error.data, verification: back ? viewOf(back, context) : null });
}

async function reject(
  context: VerificationContext,
  processing: SessionRecord,
  reason: RejectReason,
  judged: { similarity?: number; evidence: Evidence; details?: Record<string, unknown>; documentReason?: string },
  requester: Requester,
): Promise<VerificationView> {
  const attempts = processing.attempts + 1;
  const attemptsLeft = context.policy.attemptsPerSession - attempts;
  const similarity = judged.similarity ?? 0;
  const attempt: MoveAudit = {
    action: 'VERIFICATION_ATTEMPT',
    outcome: 'REJECT',
    details: { reason, similarity: round(similarity), liveness: round(judged.evidence.livenessConfidence), attempt: attempts, kind: processing.kind, ...judged.details },
  };
  if (attemptsLeft > 0) {
    const retry = await moveSession(
      context,
      processing,
      {
        from: ['PROCESSING'],
        changes: { state: 'REQUIRES_INPUT', attempts, similarity, reason: reasons.rejected(reason, processing.kind, attemptsLeft, judged.documentReason), ...judged.evidence },
        remove: ['document'],
        audit: [attempt],
      },
      requester,
    );
    return viewOf(retry ?? processing, context);
  }
  await deletePrefix(context.bucket, imageKeys.sessionPrefix(processing.id));
  const failed = await moveSession(
    context,
    processing,
    {
      from: ['PROCESSING'],
      changes: {
        state: 'FAILED',
        attempts,
        similarity,
        reason: judged.documentReason ? `${judged.documentReason} ${reasons.noAttemptsLeft}` : reasons.noAttemptsLeft,
        purgeAt: purgeAt(context),
        livenessConfidence: judged.evidence.livenessConfidence,
      },
      remove: ['referenceImageKey', 'auditImageKeys', 'document'],
      audit: [attempt, { action: 'VERIFICATION_DECIDED', outcome: 'FAILED', details: { similarity: round(similarity), kind: processing.kind } }],
    },
    requester,
  );
  // The email waits before it may start again: a new session must not mean new attempts.
  await context.limiter.coolDown(`email:${processing.email}`, context.policy.coolDownMinutes * 60);
  return viewOf(failed ?? processing, context);
}

async function sendToReview(context: VerificationContext, processing: SessionRecord, outcome: Extract<Outcome, { kind: 'REVIEW' }>, requester: Requester): Promise<VerificationView> {
  const { similarity, evidence, details, document } = outcome;
  const attempts = processing.attempts + 1;
  const waiting = await moveSession(
    context,
    processing,
    {
      from: ['PROCESSING'],
      changes: {
        state: 'NEEDS_REVIEW',
        attempts,
        similarity,
        reason: outcome.unreadableId ? reasons.documentInReview : reasons.inReview,
        expiresAt: Math.floor(context.now().getTime() / 1000) + context.policy.reviewDays * 24 * 3600,
        // The reviewer sees what was read next to the images; it lives as long as they do.
        document: document?.reading,
        ...evidence,
      },
      remove: document ? [] : ['document'],
      audit: [
        {
          action: 'VERIFICATION_ATTEMPT',
          outcome: 'REVIEW',
          details: { similarity: round(similarity), liveness: round(evidence.livenessConfidence), attempt: attempts, kind: processing.kind, ...details },
        },
        { action: 'VERIFICATION_DECIDED', outcome: 'NEEDS_REVIEW', details: { similarity: round(similarity), kind: processing.kind } },
      ],
    },
    requester,
  );
  return viewOf(waiting ?? processing, context);
}

async function accept(context: VerificationContext, processing: SessionRecord, outcome: Extract<Outcome, { kind: 'ACCEPT' }>, requester: Requester): Promise<VerificationView> {
  const now = context.now();
  const attempts = processing.attempts + 1;
  let user: UserRecord | undefined;
  const activation: MoveAudit[] = [];
  if (processing.kind === 'ONBOARDING') {
    ({ user } = await activateUser(context, { email: processing.email, name: processing.name, role: processing.role ?? 'MEMBER' }, imageKeys.referenceFace));
    // The live reference image becomes the reference face; the ID image has no reason to live on.
    const { bytes, info } = outcome.referenceImage;
    await writeObject(context.bucket, imageKeys.referenceFace(user.id), bytes, info.format === 'png' ? 'image/png' : 'image/jpeg');
    activation.push({ action: 'USER_ACTIVATED', outcome: 'ACTIVE', actorId: user.id, targetId: user.id, details: { role: user.role, session: processing.id } });
  } else {
    user = await getUser(context.tables.users, processing.userId!);
    if (user?.status !== 'ACTIVE') return reject(context, processing, 'NO_MATCH', { evidence: outcome.evidence }, requester);
  }
  const active = user;
  const token = await mintSessionToken({ sub: active.id, email: active.email, role: active.role, generation: active.tokenGeneration ?? 0 }, await context.signer(), {
    issuer: context.token.issuer,
    audience: context.token.audience,
    lifetimeSeconds: context.token.lifetimeSeconds,
    now,
  });
  const similarity = round(outcome.similarity);
  const verified = await moveSession(
    context,
    processing,
    {
      from: ['PROCESSING'],
      changes: { state: 'VERIFIED', attempts, similarity: outcome.similarity, userId: active.id, purgeAt: purgeAt(context), livenessConfidence: outcome.evidence.livenessConfidence },
      remove: ['reason', 'referenceImageKey', 'auditImageKeys', 'document'],
      audit: [
        { action: 'VERIFICATION_ATTEMPT', outcome: 'ACCEPT', details: { similarity, liveness: round(outcome.evidence.livenessConfidence), attempt: attempts, kind: processing.kind, ...outcome.details } },
        { action: 'VERIFICATION_DECIDED', outcome: 'VERIFIED', details: { similarity, kind: processing.kind } },
        ...activation,
        { action: 'TOKEN_ISSUED', outcome: 'ISSUED', actorId: active.id, targetId: active.id, details: { session: processing.id, expiresAt: token.expiresAt.toISOString() } },
      ],
    },
    requester,
  );
  // Only the sweeper can have moved it meanwhile (the session expired mid-check): no token then.
  if (!verified) throw new VerificationError('ConflictError', 'This session ended while it was being checked: start again.');
  // The outcome is settled; the rest is clean-up and the person's email, done at once.
  await Promise.all([
    deletePrefix(context.bucket, imageKeys.sessionPrefix(processing.id)),
    context.sendEmail(processing.kind === 'ONBOARDING' ? emails.welcome(active.email, active.name, active.role) : emails.signIn(active.email, now, requester.sourceIp)),
  ]);
  return viewOf(verified, context, { token });
}

function round(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 10) / 10;
}
