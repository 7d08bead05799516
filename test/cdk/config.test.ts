import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DeployConfigError, deployConfig } from '../../cdk/config.ts';
import { projectRoot } from './synth.ts';

/** What every deployment must say about itself (see docs/deploy.md#configuration). */
const required = { mailFrom: 'SecureTask <no-reply@tasks.example.com>', tokenIssuer: 'https://tasks.example.com', adminEmails: 'ops@example.com' };
const config = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => deployConfig(new App({ context: { ...required, ...context } }).node, env);
const refusal = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): DeployConfigError => {
  try {
    deployConfig(new App({ context }).node, env);
  } catch (error) {
    if (error instanceof DeployConfigError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
};

describe('deployConfig', () => {
  it('deploys stage dev by default, never the local stage name, with the safe defaults on', () => {
    expect(config({})).toMatchObject({
      stage: 'dev',
      retainData: false,
      tokenLifetimeSeconds: 1800,
      authorizerResultTtlSeconds: 60,
      mailIdentity: 'create',
      tokenKeys: ['initial'],
      waf: { enabled: true, apiKeyRequestsPer5Minutes: 300, requestsPer5Minutes: 3000 },
      verificationConcurrency: 10,
      logging: { level: 'INFO', debugSampleRate: 0.01 },
    });
  });

  it('takes CDK context over SECURETASK_* variables over the defaults', () => {
    const env = { SECURETASK_STAGE: 'staging', SECURETASK_TOKEN_LIFETIME_SECONDS: '600', ADMIN_EMAILS: 'A@x.io', SECURETASK_MAIL_FROM: 'no-reply@mail.example.org' };
    expect(deployConfig(new App({ context: { tokenIssuer: 'https://tasks.example.com' } }).node, env)).toMatchObject({
      stage: 'staging',
      tokenLifetimeSeconds: 600,
      adminEmails: ['a@x.io'],
      mailFrom: 'no-reply@mail.example.org',
    });
    expect(config({ stage: 'prod', tokenLifetimeSeconds: '900', adminEmails: 'b@y.io, c@z.io', webOrigin: 'https://tasks.example.com' }, env)).toMatchObject({
      stage: 'prod',
      retainData: true,
      tokenLifetimeSeconds: 900,
      adminEmails: ['b@y.io', 'c@z.io'],
      webOrigin: 'https://tasks.example.com',
      mailFrom: required.mailFrom,
    });
  });

  it('reads the production settings: key ring, WAF limits, concurrency, logging, alarms', () => {
    expect(
      config({
        tokenKeys: '2027-01, initial',
        wafApiKeyRequestsPer5Minutes: '100',
        waf: 'false',
        verificationConcurrency: 'none',
        logLevel: 'debug',
        debugSampleRate: '0',
        alarmEmail: 'ops@example.com',
        mailIdentity: 'existing',
      }),
    ).toMatchObject({
      tokenKeys: ['2027-01', 'initial'],
      waf: { enabled: false, apiKeyRequestsPer5Minutes: 100 },
      verificationConcurrency: undefined,
      logging: { level: 'DEBUG', debugSampleRate: 0 },
      alarmEmail: 'ops@example.com',
      mailIdentity: 'existing',
    });
  });

  it('refuses values that would make bad names, open CORS or no limits', () => {
    expect(() => config({ stage: 'Prod_1' })).toThrow(/stage/);
    expect(() => config({ webOrigin: '*' })).toThrow(/webOrigin/);
    expect(() => config({ webOrigin: 'http://tasks.example.com' })).toThrow(/webOrigin/);
    expect(() => config({ authorizerResultTtlSeconds: '7200' })).toThrow(/authorizerResultTtlSeconds/);
    expect(() => config({ verificationConcurrency: '0' })).toThrow(/verificationConcurrency/);
    expect(() => config({ wafApiKeyRequestsPer5Minutes: '5' })).toThrow(/wafApiKeyRequestsPer5Minutes/);
    expect(() => config({ mailIdentity: 'maybe' })).toThrow(/mailIdentity/);
    expect(() => config({ tokenKeys: 'a,a' })).toThrow(/twice/);
  });
});

describe('a deployment that would not work is refused', () => {
  it('names the mail sender, the token issuer and the first admin when a prod stage has none of them', () => {
    const error = refusal({ stage: 'prod' });
    expect(error.message).toContain('SecureTask-prod cannot be deployed as configured');
    expect(error.stackName).toBe('SecureTask-prod');
    expect(error.problems).toHaveLength(3);
    expect(error.problems[0]).toMatch(/^mailFrom is the local default .*securetask\.local.*-c mailFrom=/);
    expect(error.problems[1]).toMatch(/^tokenIssuer "https:\/\/securetask\.local" .* -c tokenIssuer=/);
    expect(error.problems[2]).toMatch(/^adminEmails is empty: .*-c adminEmails=/);
  });

  it('refuses each missing setting on its own, on every stage', () => {
    const { mailFrom: _mail, ...noMail } = required;
    const { tokenIssuer: _issuer, ...noIssuer } = required;
    const { adminEmails: _admins, ...noAdmins } = required;
    expect(refusal({ ...noMail, stage: 'dev' }).problems).toEqual([expect.stringMatching(/^mailFrom/)]);
    expect(refusal({ ...noIssuer, stage: 'staging' }).problems).toEqual([expect.stringMatching(/^tokenIssuer/)]);
    expect(refusal({ ...noAdmins, stage: 'prod' }).problems).toEqual([expect.stringMatching(/^adminEmails/)]);
  });

  it('refuses a sender or issuer that only looks set: another .local domain, plain http, no address', () => {
    expect(refusal({ ...required, mailFrom: 'no-reply@tasks.local' }).problems).toEqual([expect.stringMatching(/^mailFrom is the local default/)]);
    expect(refusal({ ...required, mailFrom: 'SecureTask' }).problems).toEqual([expect.stringMatching(/is not a sender address/)]);
    expect(refusal({ ...required, tokenIssuer: 'http://tasks.example.com' }).problems).toEqual([expect.stringMatching(/^tokenIssuer/)]);
    expect(refusal({ ...required, adminEmails: 'ops' }).problems).toEqual([expect.stringMatching(/"ops", which is not an email address/)]);
  });

  it('stops the CDK app itself (what `cdk synth -c stage=prod` runs) with the list and no stack trace', () => {
    const run = spawnSync(path.join(projectRoot, 'node_modules/.bin/node'), ['--import', 'tsx', 'cdk/app.ts'], {
      cwd: projectRoot,
      encoding: 'utf8',
      // The CDK CLI hands context to the app this way.
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ stage: 'prod' }), ADMIN_EMAILS: '', SECURETASK_MAIL_FROM: '', SECURETASK_TOKEN_ISSUER: '', CDK_OUTDIR: path.join(projectRoot, 'cdk.out.refused') },
      timeout: 120_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('SecureTask-prod cannot be deployed as configured:');
    expect(run.stderr).toMatch(/- mailFrom[\s\S]*- tokenIssuer[\s\S]*- adminEmails/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
