import type { Node } from 'constructs';
import { configFromEnv, defaultConfig, type SecureTaskConfig } from '../api/config.ts';
import { deploymentProblems, DeployConfigError } from './config-checks.ts';

export { DeployConfigError, mailDomain } from './config-checks.ts';

/** How functions log: Powertools Logger's level and the share of invocations logged at DEBUG. */
export interface LoggingSettings {
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** 0 to 1: that share of invocations logs at DEBUG whatever `level` says. */
  debugSampleRate: number;
}

/** The settings a deployment adds to the shared config. */
export interface DeployConfig extends SecureTaskConfig {
  /**
   * Keep tables, buckets and keys when the stack is deleted. On for `prod`, off elsewhere so
   * that `npm run destroy` leaves nothing (and no personal images) behind in a test account.
   */
  retainData: boolean;
  /**
   * The SES identity of the sender's domain: `create` makes it part of the stack (its DKIM
   * records are printed as outputs); `existing` uses one already verified in the account.
   */
  mailIdentity: 'create' | 'existing';
  /**
   * The token signing keys by name, newest first: the first signs (the KMS alias names it),
   * the others still verify until removed. Rotating is adding a name in front (docs/operations.md).
   */
  tokenKeys: string[];
  /** AWS WAF on the API: on by default; the two rate limits count requests per source address in 5 minutes. */
  waf: { enabled: boolean; apiKeyRequestsPer5Minutes: number; requestsPer5Minutes: number };
  /**
   * Reserved concurrency of the verification function: at most this many face checks run at
   * once, which caps what an abusive day can cost (docs/deploy.md). `undefined`: no reservation.
   */
  verificationConcurrency: number | undefined;
  logging: LoggingSettings;
  /** Authorizer denials in 5 minutes that raise the denials alarm. */
  denialsAlarmPer5Minutes: number;
  /** Where alarms are emailed (an SNS subscription to confirm); unset: alarms go to the topic only. */
  alarmEmail?: string;
}

/** The defaults of the deployment-only settings. */
export const deployDefaults = {
  mailIdentity: 'create',
  tokenKeys: ['initial'],
  waf: { enabled: true, apiKeyRequestsPer5Minutes: 300, requestsPer5Minutes: 3000 },
  verificationConcurrency: 10,
  logging: { level: 'INFO', debugSampleRate: 0.01 },
  denialsAlarmPer5Minutes: 50,
} as const satisfies Partial<DeployConfig>;

/**
 * The one typed config, as the CDK app sees it: CDK context (`-c stage=prod`, cdk.json) over
 * the `SECURETASK_*` environment the local runtime also reads, over the defaults. The local
 * default stage `local` becomes `dev` so a deployment never shares names with a laptop.
 *
 * Throws {@link DeployConfigError}, naming every setting that is missing or wrong at once, when
 * the result would deploy a stack nobody can use (mail from the local domain, the local token
 * issuer, no first admin): a deployment refuses to be wrong rather than deploy and not work.
 */
export function deployConfig(node: Node, env: NodeJS.ProcessEnv = process.env): DeployConfig {
  const base = configFromEnv(env);
  const context = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return Array.isArray(value) ? value.join(',') : String(value);
  };
  const number = (key: string, fallback: number, min: number, max: number): number => {
    const raw = context(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`context ${key} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const list = (raw: string) => raw.split(',').map((e) => e.trim()).filter(Boolean);

  const stage = context('stage') ?? (env.SECURETASK_STAGE ? base.stage : 'dev');
  // The stage goes into table, topic and bucket names, which allow little.
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) throw new Error(`stage must be lower-case letters, digits and dashes (max 16), got "${stage}"`);
  const webOrigin = context('webOrigin') ?? base.webOrigin;
  if (webOrigin !== undefined && !/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(webOrigin)) {
    throw new Error(`webOrigin must be an https origin without a path, got "${webOrigin}"`);
  }
  const admins = context('adminEmails');
  const mailIdentity = context('mailIdentity') ?? deployDefaults.mailIdentity;
  if (mailIdentity !== 'create' && mailIdentity !== 'existing') throw new Error(`mailIdentity must be "create" or "existing", got "${mailIdentity}"`);
  const tokenKeys = list(context('tokenKeys') ?? deployDefaults.tokenKeys.join(','));
  const concurrency = context('verificationConcurrency');

  const config: DeployConfig = {
    ...base,
    stage,
    region: context('region') ?? env.CDK_DEFAULT_REGION ?? base.region,
    tokenIssuer: context('tokenIssuer') ?? base.tokenIssuer,
    tokenAudience: context('tokenAudience') ?? base.tokenAudience,
    tokenLifetimeSeconds: number('tokenLifetimeSeconds', base.tokenLifetimeSeconds, 60, 24 * 3600),
    authorizerResultTtlSeconds: number('authorizerResultTtlSeconds', base.authorizerResultTtlSeconds, 0, 3600),
    adminEmails: admins === undefined ? base.adminEmails : list(admins).map((e) => e.toLowerCase()),
    webOrigin,
    mailFrom: context('mailFrom') ?? base.mailFrom,
    retainData: (context('retainData') ?? String(stage === 'prod')) === 'true',
    mailIdentity,
    tokenKeys,
    waf: {
      enabled: (context('waf') ?? 'true') !== 'false',
      // WAF's rate-based rules take 10 to 2,000,000,000 requests per evaluation window.
      apiKeyRequestsPer5Minutes: number('wafApiKeyRequestsPer5Minutes', deployDefaults.waf.apiKeyRequestsPer5Minutes, 10, 2_000_000_000),
      requestsPer5Minutes: number('wafRequestsPer5Minutes', deployDefaults.waf.requestsPer5Minutes, 10, 2_000_000_000),
    },
    verificationConcurrency: concurrency === 'none' ? undefined : number('verificationConcurrency', deployDefaults.verificationConcurrency, 1, 1000),
    logging: { level: logLevel(context('logLevel') ?? deployDefaults.logging.level), debugSampleRate: sampleRate(context('debugSampleRate')) },
    denialsAlarmPer5Minutes: number('denialsAlarmPer5Minutes', deployDefaults.denialsAlarmPer5Minutes, 1, 1_000_000),
    alarmEmail: context('alarmEmail') ?? env.SECURETASK_ALARM_EMAIL,
  };
  const problems = deploymentProblems(config, defaultConfig);
  if (problems.length > 0) throw new DeployConfigError(`SecureTask-${stage}`, problems);
  return config;
}

function logLevel(raw: string): LoggingSettings['level'] {
  const level = raw.toUpperCase();
  if (level !== 'DEBUG' && level !== 'INFO' && level !== 'WARN' && level !== 'ERROR') throw new Error(`logLevel must be DEBUG, INFO, WARN or ERROR, got "${raw}"`);
  return level;
}

function sampleRate(raw: string | undefined): number {
  if (raw === undefined) return deployDefaults.logging.debugSampleRate;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`debugSampleRate must be a number from 0 to 1, got "${raw}"`);
  return rate;
}
