import { randomBytes } from 'node:crypto';

/** An API key as AppSync keeps it: an id (the key itself) and an expiry in epoch seconds. */
export interface ApiKey {
  id: string;
  description?: string;
  expires: number;
}

/** Makes a key in AppSync's format (`da2-` and 26 lowercase base32 characters). */
export function newApiKey(expiresInDays: number, now = Date.now(), description?: string): ApiKey {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const id = 'da2-' + Array.from(randomBytes(26), (b) => alphabet[b % 32]).join('');
  return { id, description, expires: Math.floor(now / 1000) + expiresInDays * 86_400 };
}

/** Whether `presented` is one of `keys` and has not expired. Comparison is by exact id. */
export function apiKeyIsValid(keys: readonly ApiKey[], presented: string, now = Date.now()): boolean {
  const key = keys.find((k) => k.id === presented);
  return key !== undefined && key.expires * 1000 > now;
}
