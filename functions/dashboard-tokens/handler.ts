import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { signingKey } from '../shared/tokens/signing-key.ts';
import { createDashboardToken, DashboardTokenError, revokeDashboardToken, type Caller, type DashboardTokensContext } from './tokens.ts';

/** What the dashboard-token fields' resolver sends (resolvers/lib/function-field.ts). */
interface FieldEvent {
  field: string;
  arguments: Record<string, any>;
  caller: Caller | null;
}

const log = createLogger('dashboard-tokens');

function contextFromEnv(): DashboardTokensContext {
  return {
    tables: {
      tokens: requiredEnv('DASHBOARD_TOKENS_TABLE'),
      members: requiredEnv('BOARD_MEMBERS_TABLE'),
      boards: requiredEnv('BOARDS_TABLE'),
      audit: requiredEnv('AUDIT_LOG_TABLE'),
    },
    token: { issuer: requiredEnv('TOKEN_ISSUER'), audience: requiredEnv('TOKEN_AUDIENCE') },
    signer: () => signingKey(process.env),
    now: () => new Date(),
  };
}

const operations: Record<string, (context: DashboardTokensContext, args: Record<string, any>, caller: Caller | null) => Promise<unknown>> = {
  'Mutation.createDashboardToken': (c, args, caller) => createDashboardToken(c, { boardId: args.boardId, name: args.name, expiresInDays: args.expiresInDays }, caller),
  'Mutation.revokeDashboardToken': (c, args, caller) => revokeDashboardToken(c, { boardId: args.boardId, id: args.id }, caller),
};

/** Lambda entry point: parse, delegate, shape `{ data }` or `{ error }` for the resolver. */
export async function handler(event: FieldEvent) {
  const operation = operations[event.field];
  if (!operation) return { error: { type: 'ValidationError', message: `dashboard tokens do not answer ${event.field}` } };
  try {
    return { data: await operation(contextFromEnv(), event.arguments ?? {}, event.caller ?? null) };
  } catch (error) {
    if (error instanceof DashboardTokenError) return { error: { type: error.type, message: error.message } };
    log.error('failed', { field: event.field, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return { error: { type: 'InternalFailure', message: 'The dashboard token could not be changed; please try again.' } };
  }
}
