import type { VerificationPolicy } from '../../api/verification-policy.ts';
import { requiredEnv } from '../shared/env.ts';
import { sendEmail } from '../shared/mailer.ts';
import { signingKey } from '../shared/tokens/signing-key.ts';
import { TextractDocumentReader } from './documents/textract.ts';
import { RekognitionFaceMatcher } from './faces/rekognition.ts';
import type { VerificationContext } from './context.ts';
import { RateLimiter } from './rate-limits.ts';

/**
 * The verification context from the function's environment, the same variables in AWS (set by
 * the CDK stack) and locally (set by the local runtime). Built once per container.
 */
export function contextFromEnv(env: NodeJS.ProcessEnv = process.env): VerificationContext {
  const required = (name: string) => requiredEnv(name, env);
  const now = () => new Date();
  return {
    tables: {
      sessions: required('VERIFICATION_SESSIONS_TABLE'),
      users: required('USERS_TABLE'),
      invitations: required('INVITATIONS_TABLE'),
      audit: required('AUDIT_LOG_TABLE'),
      boardMembers: required('BOARD_MEMBERS_TABLE'),
    },
    bucket: required('IMAGES_BUCKET'),
    policy: JSON.parse(required('VERIFICATION_POLICY')) as VerificationPolicy,
    adminEmails: (env.ADMIN_EMAILS ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean),
    token: { issuer: required('TOKEN_ISSUER'), audience: required('TOKEN_AUDIENCE'), lifetimeSeconds: Number(required('TOKEN_LIFETIME_SECONDS')) },
    matcher: new RekognitionFaceMatcher(),
    documents: new TextractDocumentReader(),
    limiter: new RateLimiter(required('RATE_LIMITS_TABLE'), now),
    signer: () => signingKey(env),
    sendEmail,
    now,
  };
}
