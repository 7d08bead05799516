/**
 * Boards end to end against the whole local stack: boards and their keys, members and board
 * roles, task keys per board, members creating tasks where a board allows it, archived boards,
 * invitations to boards (list, resend, revoke), dashboard tokens, live comments and mentions
 * (told once: when a comment is made or an edit first names them).
 * The attacks (every field against another board's ids) are in test/security/boards.test.ts.
 */
import { PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, start } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

type Who = { token: string; userId: string };
let stack: TestStack;
let owner: Who; // installation admin, creator (board admin) of OPS and WEB
let ana: Who; // OPS member
let vic: Who; // OPS viewer
let webber: Who; // WEB member only
let ops: { id: string; key: string };
let web: { id: string; key: string };

async function call(who: Who | string, query: string, variables?: Record<string, unknown>) {
  const { body } = await stack.graphql(query, variables, { authorization: typeof who === 'string' ? who : who.token });
  return body as { data: Record<string, any> | null; errors?: { errorType: string; message: string }[] };
}

async function ok(who: Who | string, query: string, variables?: Record<string, unknown>) {
  const body = await call(who, query, variables);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!;
}

const CREATE = 'mutation ($b: ID!, $i: CreateTaskInput!) { createTask(boardId: $b, input: $i) { id key boardId version assigneeId } }';

beforeAll(async () => {
  // No authorizer cache: each request sees the memberships as they are (the cache's lag is documented, not tested here).
  stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0 } });
  owner = await stack.tokenFor('owner@example.com', 'ADMIN', { board: null });
  ana = await stack.tokenFor('ana@example.com', 'MEMBER', { board: null });
  vic = await stack.tokenFor('vic@example.com', 'MEMBER', { board: null });
  webber = await stack.tokenFor('webber@example.com', 'MEMBER', { board: null });
  ops = (await ok(owner, 'mutation { createBoard(input: { key: "OPS", name: "Operations" }) { id key } }')).createBoard;
  web = (await ok(owner, 'mutation { createBoard(input: { key: "WEB", name: "Website", settings: { membersCreateTasks: true, labels: ["bug"] } }) { id key } }')).createBoard;
  const member = 'mutation ($b: ID!, $u: ID!, $r: BoardRole!) { setBoardMember(boardId: $b, userId: $u, role: $r) { role } }';
  await ok(owner, member, { b: ops.id, u: ana.userId, r: 'MEMBER' });
  await ok(owner, member, { b: ops.id, u: vic.userId, r: 'VIEWER' });
  await ok(owner, member, { b: web.id, u: webber.userId, r: 'MEMBER' });
});
afterAll(() => stack?.stop());

/** The MENTIONED notifications a person has about a task, oldest first. */
async function mentionsOf(userId: string, taskId: string) {
  const { Items } = await stack.dynamodb.send(new QueryCommand({ TableName: stack.tableName('Notifications'), KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: userId } }, ConsistentRead: true }));
  return (Items ?? []).map((item) => unmarshall(item)).filter((n) => n.taskId === taskId && n.kind === 'MENTIONED');
}

describe('boards', () => {
  it('are created by installation admins with a unique key, their creator as board admin', async () => {
    const taken = await call(owner, 'mutation { createBoard(input: { key: "OPS", name: "Again" }) { id } }');
    expect(taken.errors?.[0]?.errorType).toBe('ConflictError');
    const bad = await call(owner, 'mutation { createBoard(input: { key: "ops", name: "x" }) { id } }');
    expect(bad.errors?.[0]?.errorType).toBe('ValidationError');
    expect((await call(ana, 'mutation { createBoard(input: { key: "ANA", name: "Mine" }) { id } }')).errors?.[0]?.errorType).toBe('Unauthorized');
    const mine = (await ok(owner, '{ myBoards { board { key name settings { membersCreateTasks labels } } role } }')).myBoards;
    expect(mine).toEqual([
      { board: { key: 'OPS', name: 'Operations', settings: { membersCreateTasks: false, labels: [] } }, role: 'ADMIN' },
      { board: { key: 'WEB', name: 'Website', settings: { membersCreateTasks: true, labels: ['bug'] } }, role: 'ADMIN' },
    ]);
    expect((await ok(ana, '{ myBoards { board { key } role } }')).myBoards).toEqual([{ board: { key: 'OPS' }, role: 'MEMBER' }]);
    expect((await ok(webber, `{ board(id: "${ops.id}") { id } }`)).board).toBeNull();
  });

  it('list their members with names and board roles, and teammates only of that board', async () => {
    const members = (await ok(ana, `{ boardMembers(boardId: "${ops.id}") { items { userId role email } } }`)).boardMembers.items;
    expect(members.map((m: { email: string; role: string }) => `${m.email}:${m.role}`).sort()).toEqual(['ana@example.com:MEMBER', 'owner@example.com:ADMIN', 'vic@example.com:VIEWER']);
    const teammates = (await ok(webber, `{ teammates(boardId: "${web.id}") { items { email } } }`)).teammates.items;
    expect(teammates.map((t: { email: string }) => t.email).sort()).toEqual(['owner@example.com', 'webber@example.com']);
  });

  it('number their tasks under their own key, never reusing a number', async () => {
    const one = (await ok(owner, CREATE, { b: ops.id, i: { title: 'first' } })).createTask;
    const two = (await ok(owner, CREATE, { b: ops.id, i: { title: 'second' } })).createTask;
    const webOne = (await ok(owner, CREATE, { b: web.id, i: { title: 'web first' } })).createTask;
    expect([one.key, two.key, webOne.key]).toEqual(['OPS-1', 'OPS-2', 'WEB-1']);
    expect(one.boardId).toBe(ops.id);
    await ok(owner, 'mutation ($b: ID!, $id: ID!) { deleteTask(boardId: $b, id: $id, expectedVersion: 1) { id } }', { b: ops.id, id: two.id });
    expect((await ok(owner, CREATE, { b: ops.id, i: { title: 'third' } })).createTask.key).toBe('OPS-3');
    // Concurrent creates on one board: all succeed, all keys distinct.
    const keys = await Promise.all(Array.from({ length: 6 }, (_, i) => ok(owner, CREATE, { b: ops.id, i: { title: `burst ${i}` } }).then((d) => d.createTask.key as string)));
    expect(new Set(keys).size).toBe(6);
    expect(keys.every((k) => /^OPS-([4-9])$/.test(k))).toBe(true);
  });

  it('let members create tasks only where the board allows it; viewers never write', async () => {
    expect((await call(ana, CREATE, { b: ops.id, i: { title: 'by ana' } })).errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await ok(webber, CREATE, { b: web.id, i: { title: 'by webber', assigneeId: webber.userId } })).createTask.key).toMatch(/^WEB-/);
    await ok(owner, `mutation { updateBoard(input: { id: "${ops.id}", settings: { membersCreateTasks: true, labels: [] } }) { id } }`);
    const byAna = (await ok(ana, CREATE, { b: ops.id, i: { title: 'by ana', assigneeId: ana.userId } })).createTask;
    expect(byAna.key).toMatch(/^OPS-/);
    expect((await call(vic, CREATE, { b: ops.id, i: { title: 'by vic' } })).errors?.[0]?.errorType).toBe('Unauthorized');
    const update = 'mutation ($b: ID!, $i: UpdateTaskInput!) { updateTask(boardId: $b, input: $i) { version } }';
    expect((await call(vic, update, { b: ops.id, i: { id: byAna.id, expectedVersion: 1, status: 'DONE' } })).errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await call(vic, `mutation { addComment(boardId: "${ops.id}", taskId: "${byAna.id}", body: "hi") { id } }`)).errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await ok(vic, `{ tasks(boardId: "${ops.id}") { items { key } } }`)).tasks.items.length).toBeGreaterThan(0);
    // An assignee must be a member of the board who works on tasks.
    const outsider = await call(owner, CREATE, { b: ops.id, i: { title: 'x', assigneeId: webber.userId } });
    expect(outsider.errors?.[0]?.errorType).toBe('ValidationError');
  });

  it('take a member off at once for writes, and end their live subscriptions to the board', async () => {
    const mia = await stack.tokenFor('mia@example.com', 'MEMBER', { board: null });
    await ok(owner, `mutation { setBoardMember(boardId: "${ops.id}", userId: "${mia.userId}", role: MEMBER) { role } }`);
    const task = (await ok(owner, CREATE, { b: ops.id, i: { title: 'for mia', assigneeId: mia.userId } })).createTask;
    const host = new URL(stack.graphqlUrl).host;
    const client = await connect(stack.realtimeUrl, { Authorization: mia.token, host });
    client.send({ type: 'connection_init' });
    await client.next('connection_ack');
    client.send(start('s1', 'subscription ($b: ID!) { onTaskEvent(boardId: $b) { sequence } }', { Authorization: mia.token, host }, { b: ops.id }));
    await client.next('start_ack');
    expect((await ok(owner, `mutation { removeBoardMember(boardId: "${ops.id}", userId: "${mia.userId}") }`)).removeBoardMember).toBe(mia.userId);
    expect((await client.next('complete', 10_000)).id).toBe('s1');
    const update = 'mutation ($b: ID!, $i: UpdateTaskInput!) { updateTask(boardId: $b, input: $i) { version } }';
    expect((await call(mia, update, { b: ops.id, i: { id: task.id, expectedVersion: 1, status: 'DONE' } })).errors?.[0]?.errorType).toBe('Unauthorized');
    client.send(start('s2', 'subscription ($b: ID!) { onTaskEvent(boardId: $b) { sequence } }', { Authorization: mia.token, host }, { b: ops.id }));
    expect((await client.next('error')).payload.errors[0].errorType).toBe('Unauthorized');
    client.close();
  });

  it('are read-only while archived, for everyone', async () => {
    const board = (await ok(owner, 'mutation { createBoard(input: { key: "OLD", name: "Old" }) { id } }')).createBoard;
    const task = (await ok(owner, CREATE, { b: board.id, i: { title: 'kept' } })).createTask;
    expect((await ok(owner, `mutation { archiveBoard(id: "${board.id}", archived: true) { archivedAt } }`)).archiveBoard.archivedAt).toBeTruthy();
    expect((await call(owner, CREATE, { b: board.id, i: { title: 'no' } })).errors?.[0]?.message).toMatch(/archived/);
    const update = 'mutation ($b: ID!, $i: UpdateTaskInput!) { updateTask(boardId: $b, input: $i) { version } }';
    expect((await call(owner, update, { b: board.id, i: { id: task.id, expectedVersion: 1, status: 'DONE' } })).errors?.[0]?.message).toMatch(/archived/);
    expect((await ok(owner, `{ task(boardId: "${board.id}", id: "${task.id}") { title } }`)).task.title).toBe('kept');
    await ok(owner, `mutation { archiveBoard(id: "${board.id}", archived: false) { id } }`);
    expect((await ok(owner, update, { b: board.id, i: { id: task.id, expectedVersion: 1, status: 'DONE' } })).updateTask.version).toBe(2);
  });
});

describe('invitations', () => {
  it('invite to boards with a role, list pending ones, resend and revoke them', async () => {
    const invite = 'mutation ($e: AWSEmail!, $b: [BoardInvitationInput!]) { inviteUser(email: $e, role: MEMBER, boards: $b) { email boards { boardId role } expiresAt } }';
    const made = (await ok(owner, invite, { e: 'new@example.com', b: [{ boardId: ops.id, role: 'VIEWER' }, { boardId: web.id, role: 'MEMBER' }] })).inviteUser;
    expect(made.boards).toEqual([{ boardId: ops.id, role: 'VIEWER' }, { boardId: web.id, role: 'MEMBER' }]);
    expect((await call(owner, invite, { e: 'ghost@example.com', b: [{ boardId: 'no-such-board', role: 'MEMBER' }] })).errors?.[0]?.errorType).toBe('NotFound');
    const pending = (await ok(owner, '{ invitations { items { email boards { boardId } } } }')).invitations.items;
    expect(pending.map((i: { email: string }) => i.email)).toEqual(['new@example.com']);
    expect((await call(ana, '{ invitations { items { email } } }')).errors?.[0]?.errorType).toBe('Unauthorized');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const resent = (await ok(owner, 'mutation { resendInvitation(email: "new@example.com") { expiresAt } }')).resendInvitation;
    expect(resent.expiresAt).toBeGreaterThan(made.expiresAt);
    expect((await call(owner, 'mutation { resendInvitation(email: "nobody@example.com") { email } }')).errors?.[0]?.errorType).toBe('NotFound');
    await ok(owner, 'mutation { revokeInvitation(email: "new@example.com") }');
    expect((await ok(owner, '{ invitations { items { email } } }')).invitations.items).toEqual([]);
  });
});

describe('dashboard tokens', () => {
  const CREATE_TOKEN = 'mutation ($b: ID!, $n: String!, $d: Int!) { createDashboardToken(boardId: $b, name: $n, expiresInDays: $d) { token dashboardToken { id name expiresAt revokedAt } } }';

  it('are made by board admins for one board, shown once, and read that board’s figures only', async () => {
    expect((await call(ana, CREATE_TOKEN, { b: ops.id, n: 'Wall', d: 30 })).errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await call(owner, CREATE_TOKEN, { b: ops.id, n: 'Wall', d: 366 })).errors?.[0]?.errorType).toBe('ValidationError');
    const made = (await ok(owner, CREATE_TOKEN, { b: ops.id, n: 'Wall', d: 30 })).createDashboardToken;
    const days = (Date.parse(made.dashboardToken.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    const listed = (await ok(owner, `{ dashboardTokens(boardId: "${ops.id}") { id name } }`)).dashboardTokens;
    expect(listed).toEqual([{ id: made.dashboardToken.id, name: 'Wall' }]);
    expect(JSON.stringify(listed)).not.toContain(made.token);

    const stats = (await ok(made.token, `{ boardStats(boardId: "${ops.id}") { boardId total } }`)).boardStats;
    expect(stats.boardId).toBe(ops.id);
    expect((await call(made.token, `{ boardStats(boardId: "${web.id}") { total } }`)).errors?.[0]?.errorType).toBe('Unauthorized');
    // Every other field is denied: AppSync answers it null without running its resolver.
    expect((await call(made.token, '{ me { id } }')).data?.me ?? null).toBeNull();

    await ok(owner, `mutation { revokeDashboardToken(boardId: "${ops.id}", id: "${made.dashboardToken.id}") { revokedAt } }`);
    const after = await stack.graphql(`{ boardStats(boardId: "${ops.id}") { total } }`, undefined, { authorization: made.token });
    expect(after.status).toBe(401);
  });
});

describe('live comments and mentions', () => {
  it('reach the board’s subscribers as they are added, edited and deleted, and notify the people mentioned', async () => {
    const task = (await ok(owner, CREATE, { b: ops.id, i: { title: 'talk', assigneeId: ana.userId } })).createTask;
    const host = new URL(stack.graphqlUrl).host;
    const watcher = await connect(stack.realtimeUrl, { Authorization: vic.token, host });
    watcher.send({ type: 'connection_init' });
    await watcher.next('connection_ack');
    const ON_COMMENT = 'subscription ($b: ID!, $t: ID) { onComment(boardId: $b, taskId: $t) { id boardId taskId body mentions deletedAt } }';
    watcher.send(start('c', ON_COMMENT, { Authorization: vic.token, host }, { b: ops.id, t: task.id }));
    await watcher.next('start_ack');
    // Someone on another board cannot listen to this one.
    const stranger = await connect(stack.realtimeUrl, { Authorization: webber.token, host });
    stranger.send({ type: 'connection_init' });
    await stranger.next('connection_ack');
    stranger.send(start('x', ON_COMMENT, { Authorization: webber.token, host }, { b: ops.id }));
    expect((await stranger.next('error')).payload.errors[0].errorType).toBe('Unauthorized');

    const FIELDS = 'id boardId taskId authorId body mentions createdAt editedAt deletedAt';
    const added = (await ok(owner, `mutation ($b: ID!, $t: ID!, $m: [ID!]) { addComment(boardId: $b, taskId: $t, body: "@Vic look", mentions: $m) { ${FIELDS} } }`, { b: ops.id, t: task.id, m: [vic.userId, webber.userId] })).addComment;
    expect((await watcher.next('data', 10_000)).payload.data.onComment).toMatchObject({ id: added.id, body: '@Vic look', deletedAt: null });
    await ok(owner, `mutation { editComment(boardId: "${ops.id}", taskId: "${task.id}", id: "${added.id}", body: "@Vic look now") { ${FIELDS} } }`);
    expect((await watcher.next('data', 10_000)).payload.data.onComment.body).toBe('@Vic look now');
    // Vic (mentioned, on the board) and Ana (the assignee) hear of it; Webber (mentioned, not on the board) does not.
    const kinds = async (userId: string) => {
      const { Items } = await stack.dynamodb.send(new QueryCommand({ TableName: stack.tableName('Notifications'), KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: userId } }, ConsistentRead: true }));
      return (Items ?? []).map((item) => unmarshall(item)).filter((n) => n.taskId === task.id).map((n) => `${n.kind}:${n.boardId}`);
    };
    await expect.poll(() => kinds(vic.userId), { timeout: 20_000 }).toEqual([`MENTIONED:${ops.id}`]);
    await expect.poll(() => kinds(ana.userId), { timeout: 20_000 }).toContain(`COMMENTED:${ops.id}`);
    expect(await kinds(webber.userId)).toEqual([]);

    await ok(owner, `mutation { deleteComment(boardId: "${ops.id}", taskId: "${task.id}", id: "${added.id}") { ${FIELDS} } }`);
    expect((await watcher.next('data', 10_000)).payload.data.onComment.deletedAt).toBeTruthy();
    watcher.close();
    stranger.close();
  });

  it('notify the people an edit newly mentions, in the app and by email, never those already told', async () => {
    // The owner writes on their own unassigned task: only mentions notify.
    const task = (await ok(owner, CREATE, { b: ops.id, i: { title: 'mentions by edit' } })).createTask;
    const cy = await stack.tokenFor('cy@example.com', 'MEMBER', { board: null });
    await ok(owner, 'mutation ($b: ID!, $u: ID!) { setBoardMember(boardId: $b, userId: $u, role: MEMBER) { role } }', { b: ops.id, u: cy.userId });
    const add = 'mutation ($b: ID!, $t: ID!, $body: String!, $m: [ID!]) { addComment(boardId: $b, taskId: $t, body: $body, mentions: $m) { id } }';
    const edit = 'mutation ($b: ID!, $t: ID!, $id: ID!, $body: String!, $m: [ID!]) { editComment(boardId: $b, taskId: $t, id: $id, body: $body, mentions: $m) { id mentions editedAt } }';
    const { id } = (await ok(owner, add, { b: ops.id, t: task.id, body: '@Ana look', m: [ana.userId] })).addComment;
    // Vic is newly mentioned; Ana, told when the comment was made, is not told again.
    const vicAdded = (await ok(owner, edit, { b: ops.id, t: task.id, id, body: '@Ana @Vic look', m: [ana.userId, vic.userId] })).editComment;
    expect(vicAdded.mentions).toEqual([ana.userId, vic.userId]);
    // Ana taken out and put back, Webber (not on the board) named: nobody new is told.
    await ok(owner, edit, { b: ops.id, t: task.id, id, body: '@Vic look', m: [vic.userId] });
    await ok(owner, edit, { b: ops.id, t: task.id, id, body: '@Ana @Vic @Webber look', m: [ana.userId, vic.userId, webber.userId] });
    // An edit that leaves the mentions as they are (none sent) tells nobody either.
    await ok(owner, edit, { b: ops.id, t: task.id, id, body: '@Ana @Vic @Webber look!' });
    // Cy, mentioned last: once Cy is told, the edits before have all been through the notifier (in order, per comment).
    const cyAdded = (await ok(owner, edit, { b: ops.id, t: task.id, id, body: '@Ana @Vic @Cy look', m: [ana.userId, vic.userId, cy.userId] })).editComment;
    await expect.poll(() => mentionsOf(cy.userId, task.id), { timeout: 20_000 }).toHaveLength(1);

    const [toCy] = await mentionsOf(cy.userId, task.id);
    expect(toCy).toMatchObject({ kind: 'MENTIONED', boardId: ops.id, createdAt: cyAdded.editedAt, message: expect.stringContaining(`mentioned you on ${task.key} "mentions by edit": @Ana @Vic @Cy look`) });
    const toVic = await mentionsOf(vic.userId, task.id);
    expect(toVic).toHaveLength(1);
    // Told with the comment as it was when the notifier read it: this edit's text, or a later one's if the edits came quicker.
    expect(toVic[0]!.message).toContain(`mentioned you on ${task.key} "mentions by edit": @Ana @Vic`);
    expect(toVic[0]!.createdAt >= vicAdded.editedAt).toBe(true);
    expect((await mentionsOf(ana.userId, task.id)).map((n) => n.message)).toEqual([expect.stringContaining(': @Ana look')]);
    expect(await mentionsOf(webber.userId, task.id)).toEqual([]);
    // By email too (the notification is marked once its email is sent).
    await expect.poll(async () => (await mentionsOf(vic.userId, task.id))[0]?.emailed, { timeout: 20_000 }).toBe(true);
  });

  it('do not tell again the people a comment mentioned before the notifier kept who was told', async () => {
    // A comment as the notifier before `mentionsNotified` left it: Ana told of her mention when it was made, nothing kept on the comment.
    const task = (await ok(owner, CREATE, { b: ops.id, i: { title: 'older comment' } })).createTask;
    const comment = { taskId: task.id, id: '01JQ0000000000000000000000', boardId: ops.id, authorId: owner.userId, body: '@Ana see', mentions: [] as string[], createdAt: '2026-11-30T09:00:00.000Z' };
    await stack.dynamodb.send(new PutItemCommand({ TableName: stack.tableName('Comments'), Item: marshall(comment) }));
    const toldThen = { userId: ana.userId, id: `${comment.createdAt}#mention#${comment.id}`, boardId: ops.id, kind: 'MENTIONED', taskId: task.id, message: 'then', sequence: 0, createdAt: comment.createdAt };
    await stack.dynamodb.send(new PutItemCommand({ TableName: stack.tableName('Notifications'), Item: marshall(toldThen) }));
    // Ana's mention is put on it after it is made: the notifier saw it made with none, so keeps nothing on it, as on an older comment.
    await stack.dynamodb.send(new UpdateItemCommand({ TableName: stack.tableName('Comments'), Key: marshall({ taskId: task.id, id: comment.id }), UpdateExpression: 'SET mentions = :m', ExpressionAttributeValues: { ':m': { L: [{ S: ana.userId }] } } }));

    const edit = 'mutation ($b: ID!, $t: ID!, $id: ID!, $body: String!, $m: [ID!]) { editComment(boardId: $b, taskId: $t, id: $id, body: $body, mentions: $m) { id } }';
    await ok(owner, edit, { b: ops.id, t: task.id, id: comment.id, body: '@Ana @Vic see', m: [ana.userId, vic.userId] });
    await expect.poll(() => mentionsOf(vic.userId, task.id), { timeout: 20_000 }).toHaveLength(1);
    expect((await mentionsOf(ana.userId, task.id)).map((n) => n.message)).toEqual(['then']);
    // Now that the comment keeps who was told, Ana is on that record too: another edit does not tell
    // her again. Dee, mentioned last, is told once the notifier has read every edit before.
    const dee = await stack.tokenFor('dee@example.com', 'MEMBER', { board: null });
    await ok(owner, 'mutation ($b: ID!, $u: ID!) { setBoardMember(boardId: $b, userId: $u, role: MEMBER) { role } }', { b: ops.id, u: dee.userId });
    await ok(owner, edit, { b: ops.id, t: task.id, id: comment.id, body: '@Ana @Vic @Dee see', m: [ana.userId, vic.userId, dee.userId] });
    await expect.poll(() => mentionsOf(dee.userId, task.id), { timeout: 20_000 }).toHaveLength(1);
    expect((await mentionsOf(ana.userId, task.id)).map((n) => n.message)).toEqual(['then']);
    expect(await mentionsOf(vic.userId, task.id)).toHaveLength(1);
  });
});
