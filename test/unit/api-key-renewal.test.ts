import { AppSyncClient, NotFoundException, UpdateApiKeyCommand } from '@aws-sdk/client-appsync';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { renewApiKey } from '../../functions/api-key-renewal/renew.ts';

// The daily renewal as it calls AppSync in AWS (UpdateApiKey), against a mocked AppSync.
const appsync = mockClient(AppSyncClient);
const client = new AppSyncClient({ region: 'eu-west-1' });
afterAll(() => appsync.restore());
beforeEach(() => {
  appsync.reset();
  appsync.on(UpdateApiKeyCommand).callsFake((input) => ({ apiKey: { id: input.id, expires: input.expires } }));
});

describe('renewApiKey', () => {
  it('moves the same key to 365 days ahead, rounded down to the hour as AppSync wants', async () => {
    const now = new Date('2026-11-22T10:47:13Z');
    const { expires } = await renewApiKey({ apiId: 'api-1', keyId: 'da2-abc', days: 365, now, client });
    const [call] = appsync.commandCalls(UpdateApiKeyCommand).map((c) => c.args[0].input);
    expect(call).toEqual({ apiId: 'api-1', id: 'da2-abc', expires: Date.parse('2027-11-22T10:00:00Z') / 1000 });
    expect(expires.toISOString()).toBe('2027-11-22T10:00:00.000Z');
    // Within AppSync's window: more than a day and at most 365 days from now.
    expect(call.expires! * 1000 - now.getTime()).toBeLessThanOrEqual(365 * 86_400_000);
    expect(call.expires! * 1000 - now.getTime()).toBeGreaterThan(86_400_000);
  });

  it('fails loudly when AppSync refuses (a key deleted by hand), so the run is retried and then alarmed', async () => {
    appsync.on(UpdateApiKeyCommand).rejects(new NotFoundException({ message: 'API key not found', $metadata: {} }));
    await expect(renewApiKey({ apiId: 'api-1', keyId: 'da2-gone', days: 365, now: new Date(), client })).rejects.toThrow('API key not found');
  });

  it('refuses a number of days AppSync would refuse, before calling it', async () => {
    await expect(renewApiKey({ apiId: 'api-1', keyId: 'da2-abc', days: 400, now: new Date(), client })).rejects.toThrow(/2 to 365/);
    expect(appsync.commandCalls(UpdateApiKeyCommand)).toHaveLength(0);
  });
});
