import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { cancelVerification } from './cancel.ts';
import type { Requester, VerificationContext } from './context.ts';
import { contextFromEnv } from './environment.ts';
import { VerificationError } from './errors.ts';
import { startLivenessCheck } from './liveness-check.ts';
import { getVerification } from './read.ts';
import { reviewVerification, verificationsForReview } from './review.ts';
import { requestUpload, startFaceLogin, startVerification } from './start.ts';
import { submitVerification } from './submit.ts';

/** What the verification fields' resolver sends (resolvers/lib/verification.ts). */
export interface VerificationEvent extends Requester {
  field: string;
  arguments: Record<string, any>;
}

/** The answer the resolver turns into data or a typed GraphQL error. */
export type VerificationAnswer = { data: unknown } | { error: { type: string; message: string; data?: unknown } };

const log = createLogger('verification');
let built: { key: string; context: VerificationContext } | undefined;

/** The context, rebuilt only when the environment it came from changed (a local runtime restarted in one process). */
function currentContext(): VerificationContext {
  const env = process.env;
  const key = [env.VERIFICATION_SESSIONS_TABLE, env.IMAGES_BUCKET, env.VERIFICATION_POLICY, env.AWS_ENDPOINT_URL_S3, env.AWS_ENDPOINT_URL_REKOGNITION, env.AWS_ENDPOINT_URL_TEXTRACT, env.AWS_ENDPOINT_URL_STS, env.LIVENESS_ROLE_ARN, env.TOKEN_KEYS_DIR, env.ADMIN_EMAILS].join('\u0000');
  if (built?.key !== key) built = { key, context: contextFromEnv(env) };
  return built.context;
}

const operations: Record<string, (context: VerificationContext, args: Record<string, any>, requester: Requester) => Promise<unknown>> = {
  'Mutation.startVerification': (c, args, r) => startVerification(c, args.input, r),
  'Mutation.startFaceLogin': (c, args, r) => startFaceLogin(c, args.input, r),
  'Mutation.requestUpload': (c, args, r) => requestUpload(c, { id: args.id, purpose: args.purpose, image: args.image }, r),
  'Mutation.startLivenessCheck': (c, args, r) => startLivenessCheck(c, args.id, r),
  'Mutation.submitVerification': (c, args, r) => submitVerification(c, args.id, r),
  'Mutation.cancelVerification': (c, args, r) => cancelVerification(c, args.id, r),
  'Mutation.reviewVerification': (c, args, r) => reviewVerification(c, { id: args.id, approve: args.approve, note: args.note }, r),
  'Query.verification': (c, args) => getVerification(c, args.id),
  'Query.verificationsForReview': (c, args, r) => verificationsForReview(c, { limit: args.limit, nextToken: args.nextToken }, r),
};

/** Lambda entry point: parse, delegate to the operation, shape the answer. */
export const handler = observe(log, async (event: VerificationEvent): Promise<VerificationAnswer> => {
  const operation = operations[event.field];
  if (!operation) return { error: { type: 'ValidationError', message: `verification does not answer ${event.field}` } };
  const context = currentContext();
  const requester: Requester = { caller: event.caller ?? null, sourceIp: event.sourceIp ?? null };
  try {
    return { data: await operation(context, event.arguments ?? {}, requester) };
  } catch (error) {
    if (error instanceof VerificationError) {
      log.info('refused', { field: event.field, errorType: error.type, reason: error.data?.reason });
      return { error: { type: error.type, message: error.message, data: error.data ?? null } };
    }
    log.error('failed', { field: event.field, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return { error: { type: 'InternalFailure', message: 'Verification failed unexpectedly; please try again.' } };
  }
});
