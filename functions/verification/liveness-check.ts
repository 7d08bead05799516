import { createHash } from 'node:crypto';
import { appendAudit } from '../shared/audit.ts';
import type { Requester, VerificationContext } from './context.ts';
import { VerificationError } from './errors.ts';
import { imageKeys } from './image-keys.ts';
import type { BrowserCredentials } from './liveness/browser-credentials.ts';
import { LivenessError } from './liveness/liveness.ts';
import { actorOf, moveSession } from './moves.ts';
import { getSession, visibleState, type SessionRecord } from './sessions.ts';

/** Rekognition forgets a liveness session, its result and its images 3 minutes after making it. */
export const LIVENESS_SESSION_SECONDS = 180;
/** Audit images Rekognition keeps beside the reference image, for an admin's review. */
const AUDIT_IMAGES = 2;

/** The `LivenessCheck` type of the schema: what the browser's liveness component needs, once. */
export interface LivenessCheckView {
  sessionId: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
  expiresAt: string;
}

/**
 * Starts a liveness check for a session waiting for one (the first, or a retry after a refusal):
 * counts it against the email's and the address's limits, creates a Rekognition Face Liveness
 * session whose images go under the session's own prefix, vends the browser's credentials, and
 * records the liveness session on the verification session. Any earlier liveness session of it
 * is void from then on: the next submit reads this one, and only once.
 */
export async function startLivenessCheck(context: VerificationContext, id: string, requester: Requester): Promise<LivenessCheckView> {
  const session = await getSession(context.tables.sessions, id);
  if (!session) throw new VerificationError('NotFound', 'There is no such verification session.');
  const state = visibleState(session, context.now());
  if (state === 'FAILED') throw new VerificationError('RateLimited', 'No attempts left for this session. Wait a while, then start again.', { state });
  if (state !== 'REQUIRES_INPUT') throw new VerificationError('ConflictError', `This session is ${state}: it takes no liveness check.`, { state });
  await consumeLimits(context, session, requester);

  const checks = (session.livenessChecks ?? 0) + 1;
  let livenessSessionId: string;
  let credentials: BrowserCredentials;
  try {
    [livenessSessionId, credentials] = await Promise.all([
      context.liveness.createSession({
        output: { bucket: context.bucket, keyPrefix: imageKeys.livenessOutput(session.id) },
        idempotencyToken: opaque(`${session.id}:${checks}`),
        auditImages: AUDIT_IMAGES,
        challenge: context.policy.livenessChallenge,
      }),
      context.browserCredentials.issue(`liveness-${opaque(session.id).slice(0, 24)}`),
    ]);
  } catch (error) {
    throw unavailable(error);
  }
  const now = Math.floor(context.now().getTime() / 1000);
  const expiresAt = Math.min(session.expiresAt, now + LIVENESS_SESSION_SECONDS);
  // An interrupted check left the session PROCESSING; a new liveness check takes it over.
  const recorded = await moveSession(
    context,
    session,
    {
      from: [session.state],
      changes: { state: 'REQUIRES_INPUT', livenessSessionId, livenessExpiresAt: expiresAt, livenessChecks: checks },
      audit: [{ action: 'LIVENESS_CHECK_STARTED', outcome: 'ISSUED', details: { check: checks, kind: session.kind } }],
    },
    requester,
  );
  if (!recorded) throw new VerificationError('ConflictError', 'This session changed meanwhile: look at it again, then start the liveness check.');
  return {
    sessionId: livenessSessionId,
    region: context.region,
    credentials: { ...credentials, expiration: credentials.expiration.toISOString() },
    expiresAt: new Date(expiresAt * 1000).toISOString(),
  };
}

/**
 * Every liveness check counts against the email's and the source address's window: each one is
 * what a submit needs, so this bounds the face comparisons too.
 */
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

/** A value derived from a secret that may show in AWS's logs (CloudTrail) without revealing it. */
function opaque(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 43);
}

function unavailable(error: unknown): VerificationError {
  if (!(error instanceof LivenessError)) throw error;
  return new VerificationError('ServiceUnavailable', 'The liveness check cannot start right now: try again in a moment.', { reason: error.code });
}
