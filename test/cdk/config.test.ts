import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { deployConfig } from '../../cdk/config.ts';

const config = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => deployConfig(new App({ context }).node, env);

describe('deployConfig', () => {
  it('deploys stage dev by default, never the local stage name', () => {
    expect(config({})).toMatchObject({ stage: 'dev', retainData: false, tokenLifetimeSeconds: 1800, authorizerResultTtlSeconds: 60 });
  });

  it('takes CDK context over SECURETASK_* variables over the defaults', () => {
    const env = { SECURETASK_STAGE: 'staging', SECURETASK_TOKEN_LIFETIME_SECONDS: '600', ADMIN_EMAILS: 'A@x.io' };
    expect(config({}, env)).toMatchObject({ stage: 'staging', tokenLifetimeSeconds: 600, adminEmails: ['a@x.io'] });
    expect(config({ stage: 'prod', tokenLifetimeSeconds: '900', adminEmails: 'b@y.io, c@z.io', webOrigin: 'https://tasks.example.com' }, env)).toMatchObject({
      stage: 'prod',
      retainData: true,
      tokenLifetimeSeconds: 900,
      adminEmails: ['b@y.io', 'c@z.io'],
      webOrigin: 'https://tasks.example.com',
    });
  });

  it('refuses values that would make bad names or open CORS', () => {
    expect(() => config({ stage: 'Prod_1' })).toThrow(/stage/);
    expect(() => config({ webOrigin: '*' })).toThrow(/webOrigin/);
    expect(() => config({ webOrigin: 'http://tasks.example.com' })).toThrow(/webOrigin/);
    expect(() => config({ authorizerResultTtlSeconds: '7200' })).toThrow(/authorizerResultTtlSeconds/);
  });
});
