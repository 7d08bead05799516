/**
 * What the web app reads when the board opens: `teammates(boardId: "main")` (names for cards and the assignee
 * picker, for members too) and `lastTaskEventSequence(boardId: "main")` (where to start following the board).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let admin: { token: string; userId: string };
let member: { token: string; userId: string };

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.tokenFor('dir-admin@example.com', 'ADMIN');
  member = await stack.tokenFor('dir-member@example.com', 'MEMBER');
});
afterAll(() => stack?.stop());

const call = (token: string, query: string, variables?: Record<string, unknown>) => stack.graphql(query, variables, { authorization: token }).then((r) => r.body);

describe('teammates', () => {
  it('lists active users with id, name and email to any member, and leaves out disabled ones', async () => {
    const leaver = await stack.tokenFor('dir-leaver@example.com', 'MEMBER');
    const disabled = await call(admin.token, 'mutation ($id: ID!) { setUserStatus(userId: $id, status: DISABLED) { status } }', { id: leaver.userId });
    expect(disabled.data.setUserStatus.status).toBe('DISABLED');

    const body = await call(member.token, '{ teammates(boardId: "main") { items { id name email } nextToken } }');
    expect(body.errors).toBeUndefined();
    const emails = body.data.teammates.items.map((t: { email: string }) => t.email).sort();
    expect(emails).toEqual(['dir-admin@example.com', 'dir-member@example.com']);
    expect(body.data.teammates.items.find((t: { id: string }) => t.id === admin.userId)).toMatchObject({ email: 'dir-admin@example.com' });
  });

  it('does not expose roles or statuses, and refuses callers without a token', async () => {
    const withRole = await call(member.token, '{ teammates(boardId: "main") { items { id role } } }');
    expect(withRole.errors?.[0].message).toMatch(/role/);
    const anonymous = await stack.graphql('{ teammates(boardId: "main") { items { id } } }', {}, { 'x-api-key': stack.apiKey });
    expect(anonymous.body.errors?.[0].errorType).toBe('Unauthorized');
  });

  it('pages with limit and nextToken, and checks the limit', async () => {
    // A filtered scan: a page reads `limit` users, so it may hold fewer active ones (even none)
    // while nextToken is set. Following the pages finds every active user once.
    const seen: string[] = [];
    let nextToken: string | null = null;
    do {
      const page: any = await call(member.token, 'query ($t: String) { teammates(boardId: "main", limit: 1, nextToken: $t) { items { email } nextToken } }', { t: nextToken });
      expect(page.data.teammates.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.data.teammates.items.map((t: { email: string }) => t.email));
      nextToken = page.data.teammates.nextToken;
    } while (nextToken);
    expect(seen.sort()).toEqual(['dir-admin@example.com', 'dir-member@example.com']);
    const bad = await call(member.token, '{ teammates(boardId: "main", limit: 0) { items { id } } }');
    expect(bad.errors[0].errorType).toBe('ValidationError');
  });
});

describe('lastTaskEventSequence', () => {
  it('is null on an empty board, then the newest event\'s sequence: following from it replays nothing', async () => {
    const empty = await call(member.token, '{ lastTaskEventSequence(boardId: "main") }');
    expect(empty.data.lastTaskEventSequence).toBeNull();

    for (const title of ['one', 'two', 'three']) await call(admin.token, 'mutation ($t: String!) { createTask(boardId: "main", input: { title: $t }) { id } }', { t: title });
    await stack.fanOut.settled();

    const head = (await call(member.token, '{ lastTaskEventSequence(boardId: "main") }')).data.lastTaskEventSequence;
    const all = (await call(member.token, '{ taskEvents(boardId: "main") { items { sequence } lastSequence } }')).data.taskEvents;
    expect(all.items).toHaveLength(3);
    expect(head).toBe(all.lastSequence);
    const after = (await call(member.token, '{ taskEvents(boardId: "main", after: ' + head + ') { items { sequence } hasMore } }')).data.taskEvents;
    expect(after).toEqual({ items: [], hasMore: false });
  });
});
