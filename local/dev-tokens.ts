import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecureTaskConfig } from '../api/config.ts';
import type { Role } from '../functions/shared/tokens/claims.ts';
import { loadLocalKeys } from '../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../functions/shared/tokens/sign.ts';
import { ensureActiveUser } from './dev-users.ts';

/** What a dev token is minted from: the running stack's users table and signing keys. */
export interface DevTokenSource {
  client: DynamoDBClient;
  tableName: (table: string) => string;
  /** The data folder's signing keys (dataFiles(...).keysDir). */
  keysDir: string;
  config: Pick<SecureTaskConfig, 'tokenIssuer' | 'tokenAudience' | 'tokenLifetimeSeconds'>;
}

/** A dev token's request was not an email and a role; the message says which. */
export class DevTokenInputError extends Error {
  override name = 'DevTokenInputError';
}

/** Checks an email and an optional role (any case) as `securetask token` and the console take them. */
export function devTokenInput(email: unknown, role: unknown): { email: string; role: Role | undefined } {
  const trimmed = typeof email === 'string' ? email.trim() : '';
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmed)) throw new DevTokenInputError('needs --email <address>');
  const upper = typeof role === 'string' && role !== '' ? role.toUpperCase() : undefined;
  if (upper !== undefined && upper !== 'ADMIN' && upper !== 'MEMBER') throw new DevTokenInputError('--role must be ADMIN or MEMBER');
  return { email: trimmed, role: upper };
}

/**
 * Makes (or finds) an active local user for `email` with `role` and mints them a session token,
 * signed with the local keys as the verification flow signs one. Local development only: the
 * CLI's `securetask token` and the API console at `/local` call it; nothing in the CDK app does.
 */
export async function mintDevToken(source: DevTokenSource, email: string, role: Role | undefined): Promise<string> {
  const user = await ensureActiveUser(source.client, source.tableName, email, role);
  const { active } = await loadLocalKeys(source.keysDir);
  const minted = await mintSessionToken({ sub: user.id, email: user.email, role: user.role }, active, {
    issuer: source.config.tokenIssuer,
    audience: source.config.tokenAudience,
    lifetimeSeconds: source.config.tokenLifetimeSeconds,
  });
  return minted.token;
}
