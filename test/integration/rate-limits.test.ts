import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../../api/definition.ts';
import { RateLimiter } from '../../functions/verification/rate-limits.ts';
import { createTables } from '../../local/aws/dynamodb/tables.ts';

/**
 * The attempt counters behind RateLimited, on DynamoDB Local, with a clock the test moves: the
 * limits per email and per source address of the verification policy are instances of this.
 */
describe('rate limits', () => {
  const table = `ratelimits-${randomUUID().slice(0, 8)}`;
  let now = new Date('2026-11-21T10:00:00Z');
  const limiter = new RateLimiter(table, () => now);
  const limit = { limit: 3, windowSeconds: 3600, coolDownSeconds: 900 };
  const later = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));

  beforeAll(async () => {
    Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'), AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    const client = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await createTables(client, { RateLimits: api.tables.RateLimits }, () => table);
    client.destroy();
  });

  it('allows the limit within a window, then refuses and cools down; a new window starts after both', async () => {
    const key = 'source:203.0.113.7';
    for (let i = 0; i < 3; i++) expect(await limiter.consume(key, limit)).toEqual({ allowed: true });
    expect(await limiter.consume(key, limit)).toEqual({ allowed: false, retryAfterSeconds: 900 });
    later(600);
    expect(await limiter.check(key)).toEqual({ allowed: false, retryAfterSeconds: 300 });
    expect(await limiter.consume(key, limit)).toEqual({ allowed: false, retryAfterSeconds: 300 });
    later(301);
    expect(await limiter.consume(key, limit)).toEqual({ allowed: true });
  });

  it('counts exactly under concurrency: 20 at once against a limit of 3 lets 3 through', async () => {
    const key = `email:${randomUUID()}@example.com`;
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => limiter.consume(key, limit)));
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(3);
  });

  it('forgets uses once the window is over', async () => {
    const key = `email:${randomUUID()}@example.com`;
    for (let i = 0; i < 3; i++) await limiter.consume(key, limit);
    later(3601);
    for (let i = 0; i < 3; i++) expect(await limiter.consume(key, limit)).toEqual({ allowed: true });
  });

  it('a FAILED session cools its email down whatever the counter says, and keys are independent', async () => {
    const email = `email:${randomUUID()}@example.com`;
    await limiter.coolDown(email, 900);
    expect((await limiter.consume(email, limit)).allowed).toBe(false);
    expect(await limiter.consume(`source:${randomUUID()}`, limit)).toEqual({ allowed: true });
  });
});
