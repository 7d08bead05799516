import { AppSyncClient } from '@aws-sdk/client-appsync';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe, tracer } from '../shared/observability.ts';
import { renewApiKey } from './renew.ts';

const log = createLogger('api-key-renewal');
const client = tracer.captureAWSv3Client(new AppSyncClient({}));

/**
 * Scheduled (daily, in AWS only): keeps the onboarding API key valid for `API_KEY_DAYS` more
 * days, same key id. A failure throws, so EventBridge and Lambda retry it, then it lands in the
 * on-failure queue and the renewal alarm goes off with days to spare (docs/operations.md).
 */
export const handler = observe(log, async (): Promise<{ expires: string }> => {
  const { expires } = await renewApiKey({
    apiId: requiredEnv('API_ID'),
    keyId: requiredEnv('API_KEY_ID'),
    days: Number(requiredEnv('API_KEY_DAYS')),
    now: new Date(),
    client,
  });
  log.info('API key renewed', { expires: expires.toISOString() });
  return { expires: expires.toISOString() };
});
