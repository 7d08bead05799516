import { UpdateApiKeyCommand, type AppSyncClient } from '@aws-sdk/client-appsync';

/** What {@link renewApiKey} needs: the API and key, how far ahead, and the AppSync client. */
export interface RenewalRequest {
  apiId: string;
  keyId: string;
  /** Days from `now` the key is valid for after renewal (AppSync allows 1 to 365). */
  days: number;
  now: Date;
  client: AppSyncClient;
}

const HOUR_MS = 3_600_000;

/**
 * Moves the expiry of the API key `keyId` to `days` days from `now`, keeping its id (the web
 * app's published `/config.json` names it). AppSync takes `expires` in seconds since the epoch,
 * rounded down to the hour, between 1 and 365 days ahead; rounding down keeps it inside.
 * Returns the expiry AppSync reports; an AppSync error (no such key, not allowed) is thrown as it came.
 */
export async function renewApiKey(request: RenewalRequest): Promise<{ expires: Date }> {
  if (!Number.isInteger(request.days) || request.days < 2 || request.days > 365) throw new Error(`API key renewal: days must be 2 to 365, got ${request.days}`);
  const expiresMs = Math.floor((request.now.getTime() + request.days * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  const { apiKey } = await request.client.send(new UpdateApiKeyCommand({ apiId: request.apiId, id: request.keyId, expires: expiresMs / 1000 }));
  if (!apiKey?.expires) throw new Error(`AppSync answered no expiry for key ${request.keyId}`);
  return { expires: new Date(apiKey.expires * 1000) };
}
