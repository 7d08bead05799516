import { defaultVerificationPolicy, verificationPolicyFromEnv, type VerificationPolicy } from './verification-policy.ts';

/**
 * The one typed configuration of SecureTask. The local runtime reads it from the environment;
 * the CDK app (later) reads the same fields from CDK context, falling back to these defaults.
 */
export interface SecureTaskConfig {
  /** Deployment stage; prefixes table names (`securetask-<stage>-Tasks`). */
  stage: string;
  /** AWS region, also what the local stack reports to clients. */
  region: string;
  /** `iss` of every token SecureTask mints and accepts. */
  tokenIssuer: string;
  /** `aud` of every token SecureTask mints and accepts. */
  tokenAudience: string;
  /** Lifetime of a session token, in seconds (30 minutes by default). */
  tokenLifetimeSeconds: number;
  /** How long AppSync caches an authorizer result per token (0-3600 s). */
  authorizerResultTtlSeconds: number;
  /** Emails that are always invited as admins. */
  adminEmails: string[];
  /**
   * The one browser origin allowed to call the API and upload images (CORS), e.g.
   * `https://tasks.example.com`. Unset: in AWS, the CloudFront distribution's own URL.
   */
  webOrigin?: string;
  /** Who may verify, the face thresholds, attempt limits and retention (see verification-policy.ts). */
  verification: VerificationPolicy;
  /** The sender of every email (invitations, sign-in confirmations, notifications). */
  mailFrom: string;
}

export const defaultConfig: SecureTaskConfig = {
  stage: 'local',
  region: 'us-east-1',
  tokenIssuer: 'https://securetask.local',
  tokenAudience: 'securetask-api',
  tokenLifetimeSeconds: 30 * 60,
  authorizerResultTtlSeconds: 60,
  adminEmails: [],
  verification: defaultVerificationPolicy,
  mailFrom: 'SecureTask <no-reply@securetask.local>',
};

/** Reads the configuration from `SECURETASK_*` environment variables over the defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SecureTaskConfig {
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  return {
    stage: env.SECURETASK_STAGE || defaultConfig.stage,
    region: env.AWS_REGION || defaultConfig.region,
    tokenIssuer: env.SECURETASK_TOKEN_ISSUER || defaultConfig.tokenIssuer,
    tokenAudience: env.SECURETASK_TOKEN_AUDIENCE || defaultConfig.tokenAudience,
    tokenLifetimeSeconds: number('SECURETASK_TOKEN_LIFETIME_SECONDS', defaultConfig.tokenLifetimeSeconds, 60, 24 * 3600),
    authorizerResultTtlSeconds: number('SECURETASK_AUTHORIZER_TTL_SECONDS', defaultConfig.authorizerResultTtlSeconds, 0, 3600),
    adminEmails: (env.ADMIN_EMAILS ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean),
    webOrigin: env.SECURETASK_WEB_ORIGIN || defaultConfig.webOrigin,
    verification: verificationPolicyFromEnv((name) => env[name]),
    mailFrom: env.SECURETASK_MAIL_FROM || defaultConfig.mailFrom,
  };
}

/**
 * How long a token key that was rotated out must still verify: until the last token it signed
 * has expired (a token lives at most `tokenLifetimeSeconds`), plus the clock skew the authorizer
 * allows. The same wait applies to the local key folder and to the KMS keys in AWS.
 */
export function tokenKeyRetirementSeconds(config: Pick<SecureTaskConfig, 'tokenLifetimeSeconds'>): number {
  return config.tokenLifetimeSeconds + 60;
}
