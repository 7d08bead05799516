import type { Node } from 'constructs';
import { configFromEnv, type SecureTaskConfig } from '../api/config.ts';

/** The settings a deployment adds to the shared config. */
export interface DeployConfig extends SecureTaskConfig {
  /**
   * Keep tables, buckets and keys when the stack is deleted. On for `prod`, off elsewhere so
   * that `npm run destroy` leaves nothing (and no personal images) behind in a test account.
   */
  retainData: boolean;
}

/**
 * The one typed config, as the CDK app sees it: CDK context (`-c stage=prod`, cdk.json) over
 * the `SECURETASK_*` environment the local runtime also reads, over the defaults. The local
 * default stage `local` becomes `dev` so a deployment never shares names with a laptop.
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

  const stage = context('stage') ?? (env.SECURETASK_STAGE ? base.stage : 'dev');
  // The stage goes into table, topic and bucket names, which allow little.
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) throw new Error(`stage must be lower-case letters, digits and dashes (max 16), got "${stage}"`);
  const webOrigin = context('webOrigin') ?? base.webOrigin;
  if (webOrigin !== undefined && !/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(webOrigin)) {
    throw new Error(`webOrigin must be an https origin without a path, got "${webOrigin}"`);
  }
  const admins = context('adminEmails');
  return {
    ...base,
    stage,
    region: context('region') ?? env.CDK_DEFAULT_REGION ?? base.region,
    tokenIssuer: context('tokenIssuer') ?? base.tokenIssuer,
    tokenAudience: context('tokenAudience') ?? base.tokenAudience,
    tokenLifetimeSeconds: number('tokenLifetimeSeconds', base.tokenLifetimeSeconds, 60, 24 * 3600),
    authorizerResultTtlSeconds: number('authorizerResultTtlSeconds', base.authorizerResultTtlSeconds, 0, 3600),
    adminEmails: admins === undefined ? base.adminEmails : admins.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean),
    webOrigin,
    retainData: (context('retainData') ?? String(stage === 'prod')) === 'true',
  };
}
