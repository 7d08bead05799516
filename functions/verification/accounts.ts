import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { dynamodb } from '../shared/aws-clients.ts';
import type { Role } from '../shared/tokens/claims.ts';
import type { UserRecord } from '../shared/users.ts';
import type { VerificationContext } from './context.ts';
import { VerificationError } from './errors.ts';

/** The user with this email, if any. */
export async function userByEmail(table: string, email: string): Promise<UserRecord | undefined> {
  const { Items } = await dynamodb().send(
    new QueryCommand({ TableName: table, IndexName: 'byEmail', KeyConditionExpression: 'email = :email', ExpressionAttributeValues: { ':email': { S: email } }, Limit: 1 }),
  );
  return Items?.[0] ? (unmarshall(Items[0]) as UserRecord) : undefined;
}

/**
 * The role an email may verify for, or `Unauthorized`: ADMIN_EMAILS are always admins; then a
 * pending invitation; then, on a fresh local install with no admin configured, the very first
 * person, as the admin; then anyone, as a member, when signup is open.
 */
export async function roleFor(context: VerificationContext, email: string): Promise<Role> {
  if (context.adminEmails.includes(email)) return 'ADMIN';
  const { Item } = await dynamodb().send(new GetItemCommand({ TableName: context.tables.invitations, Key: { email: { S: email } }, ConsistentRead: true }));
  const invitation = Item ? (unmarshall(Item) as { role: Role; expiresAt: number }) : undefined;
  if (invitation && invitation.expiresAt * 1000 > context.now().getTime()) return invitation.role;
  // A fresh install needs an admin whatever the signup rule: open signup must not leave it without one.
  if (context.policy.firstUserBecomesAdmin && context.adminEmails.length === 0 && (await noUsersYet(context.tables.users))) return 'ADMIN';
  if (context.policy.signup === 'open') return 'MEMBER';
  throw new VerificationError('Unauthorized', NOT_ELIGIBLE);
}

/**
 * The one refusal of startVerification for an email that may not start, whatever the reason
 * (never invited, invitation expired, already verified, disabled): anyone holding the API key
 * can ask, so the answer must not tell which emails SecureTask knows.
 */
export const NOT_ELIGIBLE =
  'This email has not been invited to SecureTask, or its invitation has expired: ask an administrator for an invitation. Already verified? Sign in with your face.';

/** A one-item scan: only the fresh-install rule asks, and only while there is nobody. */
async function noUsersYet(table: string): Promise<boolean> {
  const { Items } = await dynamodb().send(new ScanCommand({ TableName: table, Limit: 1, ProjectionExpression: 'id' }));
  return !Items?.length;
}

/**
 * Creates the verified person's user (or re-activates the one with this email), with their
 * reference face, and consumes their invitation. Answers the user as stored.
 */
export async function activateUser(
  context: VerificationContext,
  person: { email: string; name?: string; role: Role },
  referenceFaceKey: (userId: string) => string,
): Promise<{ user: UserRecord; created: boolean }> {
  const existing = await userByEmail(context.tables.users, person.email);
  let user: UserRecord;
  if (existing) {
    if (existing.status === 'DISABLED') throw new VerificationError('Unauthorized', 'This account is disabled: ask an administrator.');
    const { Attributes } = await dynamodb().send(
      new UpdateItemCommand({
        TableName: context.tables.users,
        Key: { id: { S: existing.id } },
        UpdateExpression: 'SET #status = :active, referenceFaceKey = :face, #name = if_not_exists(#name, :name)',
        ConditionExpression: '#status <> :disabled',
        ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
        ExpressionAttributeValues: marshall({ ':active': 'ACTIVE', ':disabled': 'DISABLED', ':face': referenceFaceKey(existing.id), ':name': person.name ?? existing.email }),
        ReturnValues: 'ALL_NEW',
      }),
    );
    user = unmarshall(Attributes!) as UserRecord;
  } else {
    const id = randomUUID();
    user = { id, email: person.email, name: person.name, role: person.role, status: 'ACTIVE', createdAt: context.now().toISOString(), tokenGeneration: 0, referenceFaceKey: referenceFaceKey(id) };
    await dynamodb().send(new PutItemCommand({ TableName: context.tables.users, Item: marshall(user, { removeUndefinedValues: true }), ConditionExpression: 'attribute_not_exists(id)' }));
  }
  await joinInvitedBoards(context, user.id, person.email);
  await dynamodb().send(new DeleteItemCommand({ TableName: context.tables.invitations, Key: { email: { S: person.email } } }));
  return { user, created: !existing };
}

/**
 * Puts a newly verified person on the boards their invitation names, with the role it gives on
 * each (before the invitation is consumed, so a crash in between repeats this on the next try
 * rather than losing it). A board archived or deleted since is skipped; a membership they already
 * have keeps its role.
 */
async function joinInvitedBoards(context: VerificationContext, userId: string, email: string): Promise<void> {
  const { Item } = await dynamodb().send(new GetItemCommand({ TableName: context.tables.invitations, Key: { email: { S: email } }, ConsistentRead: true }));
  const boards = ((Item ? unmarshall(Item).boards : undefined) ?? []) as { boardId: string; role: string }[];
  const now = context.now().toISOString();
  for (const board of boards) {
    try {
      await dynamodb().send(
        new PutItemCommand({
          TableName: context.tables.boardMembers,
          Item: marshall({ boardId: board.boardId, userId, role: board.role, addedAt: now, addedBy: 'invitation' }),
          ConditionExpression: 'attribute_not_exists(userId)',
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
