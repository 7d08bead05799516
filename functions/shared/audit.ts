import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { dynamodb } from './aws-clients.ts';

/** One audit entry as functions write it (resolvers write the same shape, see resolvers/lib/audit.ts). */
export interface AuditEntryInput {
  /** Who acted: a user id, or `session:<id>` for a person who has no account yet. */
  actorId: string;
  /** One of the schema's AuditAction values. */
  action: string;
  /** What it was done to: a session id or a user id. */
  targetId: string;
  /** How it ended (VERIFIED, REJECTED, RATE_LIMITED, ...). */
  outcome?: string;
  sourceIp?: string | null;
  /** What changed; never an email, an image, a URL or a token. */
  details?: Record<string, unknown>;
  at?: Date;
}

/**
 * Appends an entry to the audit log. Entries are only ever added (the condition refuses to
 * overwrite an id, and the deployment grants functions PutItem alone on this table).
 */
export async function appendAudit(table: string, entry: AuditEntryInput): Promise<void> {
  const at = (entry.at ?? new Date()).toISOString();
  await dynamodb().send(
    new PutItemCommand({
      TableName: table,
      Item: marshall(
        {
          id: ulid(),
          scope: 'all',
          at,
          actorId: entry.actorId,
          action: entry.action,
          targetId: entry.targetId,
          outcome: entry.outcome,
          sourceIp: entry.sourceIp ?? undefined,
          details: JSON.stringify(entry.details ?? {}),
        },
        { removeUndefinedValues: true },
      ),
      ConditionExpression: 'attribute_not_exists(id)',
    }),
  );
}
