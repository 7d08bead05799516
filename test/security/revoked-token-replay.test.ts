/**
 * Attack: keep using a session token after its holder signed out. `signOut` raises the user's
 * token generation; every token minted before it must stop working over HTTP, on a new
 * WebSocket connection, in a new `start` on a connection opened before, and the subscriptions
 * already running must end. The authorizer cache is off here (TTL 0): with a TTL, a token the
 * authorizer has already seen keeps working until its cached result expires, as on AppSync.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '../../functions/authorizer/authorize.ts';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { findDashboardToken, findMemberships } from '../../functions/shared/boards.ts';
import { getUser } from '../../functions/shared/users.ts';
import type { LocalCredentials } from '../../local/appsync/auth/iam.ts';
import { connect, iamCredentials, signedHeaders, start, type RawClient } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const REFUSED = { status: 401, body: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] } };
const ON_EVENT = 'subscription { onTaskEvent(boardId: "main") { sequence taskId } }';

let stack: TestStack;
let credentials: LocalCredentials;
let host: string;
const clients: RawClient[] = [];

beforeAll(async () => {
  stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0 } });
  credentials = await iamCredentials(stack.dataDir);
  host = new URL(stack.graphqlUrl).host;
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await stack?.stop();
});

const me = (authorization: string) => stack.graphql('{ me { id } }', undefined, { authorization });
const signOut = (token: string) => stack.graphql('mutation { signOut }', undefined, { authorization: token });
const lambda = (token: string) => ({ Authorization: token, host });

/** A second token of the same user, as another device of theirs would hold it. */
async function anotherToken(user: { userId: string }, email: string, generation = 0) {
  const { active } = await loadLocalKeys(`${stack.dataDir}/keys`);
  const audience = { issuer: stack.config.tokenIssuer, audience: stack.config.tokenAudience, lifetimeSeconds: 600 };
  return (await mintSessionToken({ sub: user.userId, email, role: 'MEMBER', generation }, active, audience)).token;
}

/** Why the authorizer refuses a token, from its decision function with the stack's keys and table. */
async function reason(token: string): Promise<string> {
  const decision = await authorize(token, {
    issuer: stack.config.tokenIssuer,
    audience: stack.config.tokenAudience,
    resultTtlSeconds: 0,
    publicKey: async (kid) => (await loadLocalKeys(`${stack.dataDir}/keys`)).publicKeys.get(kid),
    findUser: (id) => stack.functionAccess.runAs('authorizer', () => getUser(stack.tableName('Users'), id)),
    findMemberships: (userId) => stack.functionAccess.runAs('authorizer', () => findMemberships(stack.tableName('BoardMembers'), userId)),
    findDashboardToken: (id) => stack.functionAccess.runAs('authorizer', () => findDashboardToken(stack.tableName('DashboardTokens'), id)),
  });
  return decision.isAuthorized ? 'AUTHORIZED' : decision.reason;
}

async function open(token: string): Promise<RawClient> {
  const client = await connect(stack.realtimeUrl, lambda(token));
  clients.push(client);
  client.send({ type: 'connection_init' });
  await client.next('connection_ack');
  return client;
}

let sequence = 5_000;
/** Publishes a task event the way the fan-out does: publishTaskEvent with IAM. */
async function publish(taskId: string) {
  const body = JSON.stringify({
    query: 'mutation ($e: TaskEventInput!) { publishTaskEvent(event: $e) { boardId sequence taskId type } }',
    variables: { e: { boardId: 'main', sequence: (sequence += 1), type: 'TASK_UPDATED', taskId, changes: [], actorId: 'someone', at: '2026-11-20T10:00:00Z' } },
  });
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: await signedHeaders(stack.graphqlUrl, body, credentials), body });
  expect(response.status).toBe(200);
}

describe('over HTTP', () => {
  it('signOut revokes every token of the user, on every device; a forged higher generation does not work either', async () => {
    const email = 'leaving@example.com';
    const { token, userId } = await stack.tokenFor(email, 'MEMBER');
    const other = await anotherToken({ userId }, email);
    expect((await me(other)).status).toBe(200);
    expect((await signOut(token)).body).toEqual({ data: { signOut: true } });
    for (const revoked of [token, other]) {
      expect(await me(revoked)).toEqual(REFUSED);
      expect(await reason(revoked)).toBe('TOKEN_REVOKED');
    }
    // Replaying the revoked token's own signOut, or any mutation, is refused before a resolver runs.
    expect(await signOut(token)).toEqual(REFUSED);
    // A token of the current generation opens it again; one "from the future" does not.
    expect((await me(await anotherToken({ userId }, email, 1))).status).toBe(200);
    expect(await reason(await anotherToken({ userId }, email, 2))).toBe('TOKEN_REVOKED');
    const audit = await stack.dynamodb.send(
      new ScanCommand({
        TableName: stack.tableName('AuditLog'),
        FilterExpression: 'actorId = :u AND #a = :a',
        ExpressionAttributeNames: { '#a': 'action' },
        ExpressionAttributeValues: { ':u': { S: userId }, ':a': { S: 'SIGNED_OUT' } },
      }),
    );
    expect(audit.Count).toBe(1);
  });
});

describe('over WebSockets', () => {
  it('a revoked token cannot open a new connection', async () => {
    const { token } = await stack.tokenFor('ws-connect@example.com', 'MEMBER');
    await signOut(token);
    const client = await connect(stack.realtimeUrl, lambda(token));
    clients.push(client);
    const error = await client.next('connection_error');
    expect(error.payload.errors[0]).toMatchObject({ errorType: 'UnauthorizedException', errorCode: 401 });
    await client.closed;
  });

  it('a connection opened before signOut cannot start a new subscription with the revoked token', async () => {
    const { token } = await stack.tokenFor('ws-start@example.com', 'MEMBER');
    const client = await open(token);
    await signOut(token);
    client.send(start('after-sign-out', ON_EVENT, lambda(token)));
    expect((await client.next('error')).payload.errors[0]).toMatchObject({ errorType: 'UnauthorizedException', errorCode: 401 });
    await publish('after-sign-out');
    await new Promise((r) => setTimeout(r, 150));
    expect(client.messages.some((m) => m.type === 'data')).toBe(false);
  });

  it('subscriptions running when the user signs out end at once, and receive nothing more; other users keep theirs', async () => {
    const leaver = await stack.tokenFor('ws-live@example.com', 'MEMBER');
    const stayer = await stack.tokenFor('ws-stays@example.com', 'MEMBER');
    const theirs = await open(leaver.token);
    for (const [id, query] of [
      ['events', ON_EVENT],
      ['notes', 'subscription { onNotification { id userId message } }'],
      ['stats', 'subscription { onBoardStats(boardId: "main") { total } }'],
    ]) {
      theirs.send(start(id, query, lambda(leaver.token)));
      await theirs.next('start_ack');
    }
    const others = await open(stayer.token);
    others.send(start('o1', ON_EVENT, lambda(stayer.token)));
    await others.next('start_ack');

    expect((await signOut(leaver.token)).body).toEqual({ data: { signOut: true } });
    const ended = await Promise.all([theirs.next('complete'), theirs.next('complete'), theirs.next('complete')]);
    expect(ended.map((m) => m.id).sort()).toEqual(['events', 'notes', 'stats']);
    await publish('after-sign-out-live');
    expect((await others.next('data')).payload.data.onTaskEvent.taskId).toBe('after-sign-out-live');
    expect(theirs.messages.some((m) => m.type === 'data')).toBe(false);
  });
});
