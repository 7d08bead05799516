import type { VerificationPolicy } from '../../api/verification-policy.ts';
import { requiredEnv } from '../shared/env.ts';
import { sendEmail } from '../shared/mailer.ts';
import { signingKey } from '../shared/tokens/signing-key.ts';
import { TextractDocumentReader } from './documents/textract.ts';
import { RekognitionFaceMatcher } from './faces/rekognition.ts';
import { StsBrowserCredentials } from './liveness/browser-credentials.ts';
import { RekognitionLiveness } from './liveness/rekognition-liveness.ts';
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
      livenessReferences: required('LIVENESS_REFERENCES_TABLE'),
      boardMembers: required('BOARD_MEMBERS_TABLE'),
    },
    bucket: required('IMAGES_BUCKET'),
    region: required('AWS_REGION'),
    policy: JSON.parse(required('VERIFICATION_POLICY')) as VerificationPolicy,
    adminEmails: (env.ADMIN_EMAILS ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean),
    token: { issuer: required('TOKEN_ISSUER'), audience: required('TOKEN_AUDIENCE'), lifetimeSeconds: Number(required('TOKEN_LIFETIME_SECONDS')) },
    matcher: new RekognitionFaceMatcher(),
    liveness: new RekognitionLiveness(),
    browserCredentials: new StsBrowserCredentials({ roleArn: required('LIVENESS_ROLE_ARN') }),
    documents: new TextractDocumentReader(),
    limiter: new RateLimiter(required('RATE_LIMITS_TABLE'), now),
    signer: () => signingKey(env),
    sendEmail,
    now,
  };
}
