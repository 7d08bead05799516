/**
 * Attack: listen in on real-time messages meant for someone else. Notifications are filtered on
 * the server from the subscriber's identity, so no argument, alias, extra root field or forged
 * `start` extension can widen them; modes and roles that may not read the board may not
 * subscribe to it; a disabled user's subscriptions end. Task events themselves go to every
 * board user by design (the board is shared).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCredentials } from '../../local/appsync/auth/iam.ts';
import { connect, iamCredentials, signedHeaders, start, type RawClient } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { setUserAttribute } from '../helpers/users.ts';

type Who = { token: string; userId: string };

let stack: TestStack;
let credentials: LocalCredentials;
let host: string;
let admin: Who;
let member: Who;
let victim: Who;
const clients: RawClient[] = [];

beforeAll(async () => {
  stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0 } });
  credentials = await iamCredentials(stack.dataDir);
  host = new URL(stack.graphqlUrl).host;
  admin = await stack.tokenFor('admin@example.com', 'ADMIN');
  member = await stack.tokenFor('member@example.com', 'MEMBER');
  victim = await stack.tokenFor('victim@example.com', 'MEMBER');
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await stack?.stop();
});

const lambda = (token: string) => ({ Authorization: token, host });
const apiKey = () => ({ host, 'x-amz-date': '20261120T000000Z', 'x-api-key': stack.apiKey });
const ON_NOTIFICATION = 'subscription { onNotification { id userId message } }';
const ON_EVENT = 'subscription { onTaskEvent(boardId: "main") { sequence taskId } }';

async function open(headers: Record<string, string>): Promise<RawClient> {
  const client = await connect(stack.realtimeUrl, headers);
  clients.push(client);
  client.send({ type: 'connection_init' });
  await client.next('connection_ack');
  return client;
}

/** Sends what the IAM-signed fan-out sends: a mutation over HTTP. */
async function iamMutation(query: string, variables: Record<string, unknown>) {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: await signedHeaders(stack.graphqlUrl, body, credentials), body });
  expect(response.status).toBe(200);
}

let sequence = 1;
/** A notification for `userId`, as the notifier publishes it. */
const notify = (userId: string) =>
  iamMutation('mutation ($n: NotificationInput!) { publishNotification(notification: $n) { id userId kind taskId message sequence createdAt } }', {
    n: { id: `n-${(sequence += 1)}`, userId, kind: 'ASSIGNED', taskId: 't', message: `secret for ${userId}`, sequence, createdAt: '2026-11-20T10:00:00Z' },
  });
const publishEvent = (taskId: string) =>
  iamMutation('mutation ($e: TaskEventInput!) { publishTaskEvent(event: $e) { boardId sequence taskId type } }', {
    e: { boardId: 'main', sequence: (sequence += 1), type: 'TASK_UPDATED', taskId, changes: [], actorId: 'someone', at: '2026-11-20T10:00:00Z' },
  });

/** Waits long enough for a message that should not come, then lists the data messages. */
async function dataAfterAWhile(client: RawClient) {
  await new Promise((r) => setTimeout(r, 150));
  return client.messages.filter((m) => m.type === 'data');
}

describe("another user's notifications", () => {
  it("a member receives their own notifications and never another user's", async () => {
    const mine = await open(lambda(member.token));
    mine.send(start('n1', ON_NOTIFICATION, lambda(member.token)));
    await mine.next('start_ack');
    await notify(victim.userId);
    await notify(member.userId);
    expect((await mine.next('data')).payload.data.onNotification.userId).toBe(member.userId);
    expect(await dataAfterAWhile(mine)).toHaveLength(1);
  });

  it('an alias, or a victim-shaped variable sent along, does not widen the filter', async () => {
    const client = await open(lambda(member.token));
    client.send(start('alias', 'subscription { theirs: onNotification { id userId message } }', lambda(member.token), { userId: victim.userId }));
    await client.next('start_ack');
    await notify(victim.userId);
    expect(await dataAfterAWhile(client)).toEqual([]);
  });

  it('a filter forged into the start message (extensions, payload) is ignored', async () => {
    const client = await open(lambda(member.token));
    const data = JSON.stringify({ query: ON_NOTIFICATION, variables: {}, extensions: { filter: { userId: { eq: victim.userId } } } });
    client.send({
      id: 'forged',
      type: 'start',
      payload: { data, filter: { userId: { eq: victim.userId } }, extensions: { authorization: lambda(member.token), filterGroup: [{ filters: [{ fieldName: 'userId', operator: 'eq', value: victim.userId }] }] } },
    });
    await client.next('start_ack');
    await notify(victim.userId);
    expect(await dataAfterAWhile(client)).toEqual([]);
  });

  it.each([
    ['an argument the field does not take', `subscription { onNotification(userId: "VICTIM") { id userId } }`],
    ['two root fields, the second unfiltered', 'subscription { onTaskEvent(boardId: "main") { sequence } onNotification { id userId } }'],
    ['the field behind a fragment', 'subscription { ...Spy } fragment Spy on Subscription { onNotification { id userId } }'],
  ])('%s is refused at start', async (_, query) => {
    const client = await open(lambda(member.token));
    client.send(start('bad', query.replace('VICTIM', victim.userId), lambda(member.token)));
    // A document that does not validate is refused as AppSync refuses it: its "Validation error of
    // type ..." words and no errorType (docs/appsync-fidelity.md); a subscription filter's refusal has one.
    const [refusal] = (await client.next('error')).payload.errors;
    expect(refusal.errorType ?? refusal.message).toMatch(/ValidationError|BadRequestException|^Validation error of type \w+: /);
    await notify(victim.userId);
    expect(await dataAfterAWhile(client)).toEqual([]);
  });
});

describe('callers that may not subscribe at all', () => {
  it.each([ON_NOTIFICATION, ON_EVENT, 'subscription { onBoardStats(boardId: "main") { total } }'])('the API key may not subscribe: %s', async (query) => {
    const client = await open(apiKey());
    client.send(start('key', query, apiKey()));
    expect((await client.next('error')).payload.errors[0]).toMatchObject({ errorType: 'Unauthorized' });
  });

  it('IAM credentials (the fan-out\'s) may publish, but not subscribe to notifications', async () => {
    const client = await open(await signedHeaders(`${stack.graphqlUrl}/connect`, '{}', credentials));
    const data = JSON.stringify({ query: ON_NOTIFICATION, variables: {} });
    client.send({ id: 'iam', type: 'start', payload: { data, extensions: { authorization: await signedHeaders(stack.graphqlUrl, data, credentials) } } });
    expect((await client.next('error')).payload.errors[0]).toMatchObject({ errorType: 'Unauthorized' });
  });

  it('a user whose role is not a board role (GUEST) may not follow the board live, nor read its event feed', async () => {
    const guest = await stack.tokenFor('guest@example.com', 'MEMBER');
    await setUserAttribute(stack, guest.userId, 'role', 'GUEST');
    const client = await open(lambda(guest.token));
    for (const [id, query] of [
      ['events', ON_EVENT],
      ['stats', 'subscription { onBoardStats(boardId: "main") { total } }'],
    ]) {
      client.send(start(id, query, lambda(guest.token)));
      expect((await client.next('error')).payload.errors[0], query).toMatchObject({ errorType: 'Unauthorized' });
    }
    await publishEvent('guest-must-not-see');
    expect(await dataAfterAWhile(client)).toEqual([]);
    // The same feed by query: what a subscriber missed is the board too.
    for (const query of ['{ taskEvents(boardId: "main", after: 0) { items { taskId } } }', '{ lastTaskEventSequence(boardId: "main") }', '{ teammates(boardId: "main") { items { email } } }']) {
      const { body } = await stack.graphql(query, undefined, { authorization: guest.token });
      expect(body.errors?.[0]?.errorType, query).toBe('Unauthorized');
    }
  });
});

describe('a disabled user', () => {
  it('loses their live subscriptions at once (invalidation), and only theirs', async () => {
    const leaver = await stack.tokenFor('leaver@example.com', 'MEMBER');
    const theirs = await open(lambda(leaver.token));
    theirs.send(start('t1', ON_EVENT, lambda(leaver.token)));
    await theirs.next('start_ack');
    theirs.send(start('t2', ON_NOTIFICATION, lambda(leaver.token)));
    await theirs.next('start_ack');
    const others = await open(lambda(member.token));
    others.send(start('o1', ON_EVENT, lambda(member.token)));
    await others.next('start_ack');

    const { body } = await stack.graphql(`mutation { setUserStatus(userId: "${leaver.userId}", status: DISABLED) { status } }`, undefined, { authorization: admin.token });
    expect(body).toEqual({ data: { setUserStatus: { status: 'DISABLED' } } });
    // What AppSync sends an invalidated subscription: `complete` for its id and nothing else, no
    // `error` (amplify-js PR #9898, docs/appsync-fidelity.md).
    const ended = await Promise.all([theirs.next('complete'), theirs.next('complete')]);
    expect(ended.sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual([{ type: 'complete', id: 't1' }, { type: 'complete', id: 't2' }]);
    expect(theirs.messages.some((m) => m.type === 'error')).toBe(false);
    await publishEvent('after-disable');
    await notify(leaver.userId);
    expect((await others.next('data')).payload.data.onTaskEvent.taskId).toBe('after-disable');
    expect(theirs.messages.some((m) => m.type === 'data')).toBe(false);
  });
});
