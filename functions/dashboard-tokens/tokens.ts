import { randomUUID } from 'node:crypto';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mayManageBoard } from '../../rules/board-access.ts';
import { appendAudit } from '../shared/audit.ts';
import { dynamodb } from '../shared/aws-clients.ts';
import { findMembership } from '../shared/boards.ts';
import { DASHBOARD_TOKEN_MAX_DAYS, mintDashboardToken } from '../shared/tokens/dashboard.ts';
import type { LocalSigningKey, RemoteSigner } from '../shared/tokens/sign.ts';

/** A refusal the caller sees as it is: `type` becomes the GraphQL error's errorType. */
export class DashboardTokenError extends Error {
  override readonly name = 'DashboardTokenError';
  constructor(
    readonly type: 'ValidationError' | 'Unauthorized' | 'NotFound',
    message: string,
  ) {
    super(message);
  }
}

/** The signed-in caller as the authorizer described them. */
export interface Caller {
  userId: string;
  role: string;
  boards?: string;
}

export interface DashboardTokensContext {
  tables: { tokens: string; members: string; boards: string; audit: string };
  token: { issuer: string; audience: string };
  signer: () => Promise<LocalSigningKey | RemoteSigner>;
  now: () => Date;
}

/** A token's record as the API shows it (DashboardToken). */
export interface DashboardTokenView {
  id: string;
  boardId: string;
  name: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/**
 * Board admins (read now, not from the cached list: this mints a credential) and installation
 * admins manage a board's dashboard tokens.
 */
async function requireManager(context: DashboardTokensContext, caller: Caller | null, boardId: string): Promise<Caller> {
  if (!caller?.userId) throw new DashboardTokenError('Unauthorized', 'sign in to manage dashboard tokens');
  if (!boardId || boardId.length > 128) throw new DashboardTokenError('ValidationError', 'boardId must be 1 to 128 characters');
  const membership = await findMembership(context.tables.members, boardId, caller.userId);
  if (!mayManageBoard(membership?.role, caller.role)) {
    throw new DashboardTokenError('Unauthorized', 'only the board’s admins may do this');
  }
  return caller;
}

/**
 * Makes a read-only token for one board's dashboard: named (1-80 characters), living 1-365 days,
 * for a board that exists and is not archived. The record (which revocation marks) is written
 * before the token is handed out; the token itself is kept nowhere.
 */
export async function createDashboardToken(
  context: DashboardTokensContext,
  args: { boardId: string; name: string; expiresInDays: number },
  caller: Caller | null,
): Promise<{ dashboardToken: DashboardTokenView; token: string }> {
  const who = await requireManager(context, caller, args.boardId);
  const name = (args.name ?? '').trim();
  if (name.length < 1 || name.length > 80) throw new DashboardTokenError('ValidationError', 'a dashboard token’s name must be 1 to 80 characters');
  if (!Number.isInteger(args.expiresInDays) || args.expiresInDays < 1 || args.expiresInDays > DASHBOARD_TOKEN_MAX_DAYS) {
    throw new DashboardTokenError('ValidationError', `a dashboard token lives 1 to ${DASHBOARD_TOKEN_MAX_DAYS} days`);
  }
  const { Item: board } = await dynamodb().send(new GetItemCommand({ TableName: context.tables.boards, Key: { id: { S: args.boardId } }, ConsistentRead: true }));
  if (!board) throw new DashboardTokenError('NotFound', `board ${args.boardId} does not exist`);
  if (board.archivedAt) throw new DashboardTokenError('Unauthorized', 'the board is archived: it is read-only');

  const now = context.now();
  const record: DashboardTokenView = {
    id: randomUUID(),
    boardId: args.boardId,
    name,
    createdBy: who.userId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + args.expiresInDays * 86_400_000).toISOString(),
    revokedAt: null,
  };
  const token = await mintDashboardToken({ tokenId: record.id, boardId: record.boardId }, await context.signer(), {
    ...context.token,
    expiresAt: new Date(record.expiresAt),
    now,
  });
  const { revokedAt: _none, ...stored } = record;
  await dynamodb().send(new PutItemCommand({ TableName: context.tables.tokens, Item: marshall(stored), ConditionExpression: 'attribute_not_exists(id)' }));
  await appendAudit(context.tables.audit, { actorId: who.userId, action: 'DASHBOARD_TOKEN_CREATED', targetId: record.id, details: { boardId: record.boardId, name, expiresAt: record.expiresAt }, at: now });
  return { dashboardToken: record, token };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revokes a board's dashboard token (the authorizer refuses it within its cache TTL); revoking twice keeps the first time. */
export async function revokeDashboardToken(context: DashboardTokensContext, args: { boardId: string; id: string }, caller: Caller | null): Promise<DashboardTokenView> {
  const who = await requireManager(context, caller, args.boardId);
  // Token ids are UUIDs: anything else names no token (and is not a key DynamoDB would take).
  if (!UUID.test(args.id ?? '')) throw new DashboardTokenError('NotFound', 'the board has no such dashboard token');
  const now = context.now().toISOString();
  try {
    const { Attributes } = await dynamodb().send(
      new UpdateItemCommand({
        TableName: context.tables.tokens,
        Key: { id: { S: args.id } },
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
        ConditionExpression: 'boardId = :board',
        ExpressionAttributeValues: { ':now': { S: now }, ':board': { S: args.boardId } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    await appendAudit(context.tables.audit, { actorId: who.userId, action: 'DASHBOARD_TOKEN_REVOKED', targetId: args.id, details: { boardId: args.boardId } });
    const item = unmarshall(Attributes!) as DashboardTokenView;
    return { ...item, revokedAt: item.revokedAt ?? null };
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') throw new DashboardTokenError('NotFound', `the board has no dashboard token ${args.id}`);
    throw error;
  }
}
