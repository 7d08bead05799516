import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamodb } from '../shared/aws-clients.ts';
import type { Role } from '../shared/tokens/claims.ts';
import type { DocumentCheck } from './documents/checks.ts';
import type { DocumentFields } from './documents/document-reader.ts';

export type SessionKind = 'ONBOARDING' | 'FACE_LOGIN';
export type SessionState = 'REQUIRES_INPUT' | 'PROCESSING' | 'VERIFIED' | 'NEEDS_REVIEW' | 'FAILED' | 'EXPIRED' | 'CANCELED';
/** What a person uploads: the ID photo only (the live face comes from a liveness check). */
export type UploadPurpose = 'ID_DOCUMENT';

/** States in which a session still holds images and can change. */
export const OPEN_STATES: readonly SessionState[] = ['REQUIRES_INPUT', 'PROCESSING', 'NEEDS_REVIEW'];

/** A verification session as the VerificationSessions table holds it. */
export interface SessionRecord {
  /** 128 random bits: the id is the only secret a person without an account holds. */
  id: string;
  kind: SessionKind;
  email: string;
  name?: string;
  /** The role the person gets when verified (from the invitation, ADMIN_EMAILS or first-user rule). */
  role?: Role;
  /** The user this session signs in (face login) or created (onboarding, once verified). */
  userId?: string;
  state: SessionState;
  /** Why the session is not VERIFIED, for the person. */
  reason?: string;
  /** Decisions taken so far: failed liveness checks, replayed images, face comparisons. */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  /** Epoch seconds after which an open session expires. */
  expiresAt: number;
  /** Best similarity of the last comparison (for review). */
  similarity?: number;
  /** The liveness session the next submit reads; single use: the submit that reads it removes it. */
  livenessSessionId?: string;
  /** Epoch seconds after which that liveness session is void (Rekognition forgets it after 3 minutes). */
  livenessExpiresAt?: number;
  /** Liveness checks started in this session. */
  livenessChecks?: number;
  /** Confidence of the last liveness check the server read (for review). */
  livenessConfidence?: number;
  /** The live reference image of the last checked liveness session: what review shows and approval keeps. */
  referenceImageKey?: string;
  /** Its audit images, for review. */
  auditImageKeys?: string[];
  sourceIp?: string;
  reviewNote?: string;
  reviewedBy?: string;
  /**
   * What was read from the ID and how each check came out, for the reviewer: personal data, so
   * kept only while the session waits for review (its images are still there), removed with them.
   */
  document?: { fields: DocumentFields; mrz: string[]; checks: DocumentCheck[] };
  /** Epoch seconds after which DynamoDB's TTL removes the record (set once no image is left). */
  purgeAt?: number;
}

/** A fresh session id: 128 bits from the OS, URL-safe. */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** The session, or undefined. Reads are consistent: a person polls their own session. */
export async function getSession(table: string, id: string): Promise<SessionRecord | undefined> {
  if (!/^[A-Za-z0-9_-]{22}$/.test(id)) return undefined;
  const { Item } = await dynamodb().send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }));
  return Item ? (unmarshall(Item) as SessionRecord) : undefined;
}

export async function createSession(table: string, session: SessionRecord): Promise<void> {
  await dynamodb().send(
    new PutItemCommand({ TableName: table, Item: marshall(session, { removeUndefinedValues: true }), ConditionExpression: 'attribute_not_exists(id)' }),
  );
}

/**
 * Moves a session from one of `from` to a new state with `changes`, only if it is still in one
 * of `from` (and, when given, still at `attempts`): two submissions racing each other cannot
 * both run. Answers the session as written, or undefined when it had moved on.
 */
export async function transition(
  table: string,
  session: SessionRecord,
  from: readonly SessionState[],
  changes: Partial<Omit<SessionRecord, 'id'>> & { state: SessionState },
  options: { removeAttributes?: (keyof SessionRecord)[]; expect?: Partial<Pick<SessionRecord, 'livenessSessionId'>> } = {},
): Promise<SessionRecord | undefined> {
  const names: Record<string, string> = { '#state': 'state', '#attempts': 'attempts' };
  const values: Record<string, unknown> = { ':expectedAttempts': session.attempts };
  const conditions = [`#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`, '#attempts = :expectedAttempts'];
  for (const [name, value] of Object.entries(options.expect ?? {})) {
    names[`#expected_${name}`] = name;
    values[`:expected_${name}`] = value;
    conditions.push(`#expected_${name} = :expected_${name}`);
  }
  const sets: string[] = [];
  for (const [name, value] of Object.entries({ ...changes, updatedAt: changes.updatedAt ?? new Date().toISOString() })) {
    if (value === undefined) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  from.forEach((state, i) => (values[`:from${i}`] = state));
  const removes = (options.removeAttributes ?? []).map((name) => ((names[`#${name}`] = name), `#${name}`));
  try {
    const { Attributes } = await dynamodb().send(
      new UpdateItemCommand({
        TableName: table,
        Key: { id: { S: session.id } },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return unmarshall(Attributes!) as SessionRecord;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Sessions in `state` that expire before `beforeEpochSeconds`, soonest first, a page at a time. */
export async function sessionsByState(
  table: string,
  state: SessionState,
  range: { after?: number; before?: number },
  page: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: SessionRecord[]; lastKey?: Record<string, unknown> }> {
  const conditions = ['#state = :state'];
  const values: Record<string, unknown> = { ':state': state };
  if (range.after !== undefined && range.before !== undefined) {
    conditions.push('expiresAt BETWEEN :after AND :before');
    Object.assign(values, { ':after': range.after, ':before': range.before });
  } else if (range.after !== undefined) {
    conditions.push('expiresAt > :after');
    values[':after'] = range.after;
  } else if (range.before !== undefined) {
    conditions.push('expiresAt < :before');
    values[':before'] = range.before;
  }
  const { Items = [], LastEvaluatedKey } = await dynamodb().send(
    new QueryCommand({
      TableName: table,
      IndexName: 'byState',
      KeyConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: marshall(values),
      Limit: page.limit,
      ExclusiveStartKey: page.startKey ? marshall(page.startKey) : undefined,
    }),
  );
  return { items: Items.map((item) => unmarshall(item) as SessionRecord), lastKey: LastEvaluatedKey ? unmarshall(LastEvaluatedKey) : undefined };
}

/** Every session of one email (erasure). */
export async function sessionsByEmail(table: string, email: string): Promise<SessionRecord[]> {
  const sessions: SessionRecord[] = [];
  let startKey: QueryCommand['input']['ExclusiveStartKey'];
  do {
    const page = await dynamodb().send(
      new QueryCommand({
        TableName: table,
        IndexName: 'byEmail',
        KeyConditionExpression: 'email = :email',
        ExpressionAttributeValues: { ':email': { S: email } },
        ExclusiveStartKey: startKey,
      }),
    );
    sessions.push(...(page.Items ?? []).map((item) => unmarshall(item) as SessionRecord));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return sessions;
}

/** The state a person sees: an open session past its expiry is EXPIRED even before the sweeper gets to it. */
export function visibleState(session: SessionRecord, now: Date): SessionState {
  const open = OPEN_STATES.includes(session.state);
  if (open && session.expiresAt * 1000 <= now.getTime()) return 'EXPIRED';
  return wasInterrupted(session, now) ? 'REQUIRES_INPUT' : session.state;
}

/**
 * How long a check (PROCESSING) may last before it counts as interrupted: well past the
 * verification function's timeout (api/definition.ts; a test keeps it so), so a check that is
 * still running is never overtaken, while a person whose check died with its process can retry
 * within minutes instead of waiting for the session to expire.
 */
export const PROCESSING_LEASE_SECONDS = 120;

/** True for a session left PROCESSING by a check that died (the runtime or the function was killed). */
export function wasInterrupted(session: SessionRecord, now: Date): boolean {
  return session.state === 'PROCESSING' && Date.parse(session.updatedAt) + PROCESSING_LEASE_SECONDS * 1000 <= now.getTime();
}
