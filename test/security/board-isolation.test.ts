/**
 * Attack: reach a board one is not on. Alice is board ADMIN of board A (the strongest board
 * role, so a refusal here is the board's wall, not her role) and on no other board; board B
 * holds a task, a comment and a dashboard token. She tries every board-scoped query, mutation
 * and subscription against B's ids, and with A's id on B's task and comment (the ids mixed).
 * Vic, a VIEWER of B, tries to write to it. A dashboard token of A tries everything but A's
 * figures. Every attempt is refused and leaves every table as it was. Meta-tests fail when a
 * board-scoped field is added without an attack here, or a field is left open to dashboard tokens.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Kind, parse, type FieldDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DENIED_FIELDS } from '../../functions/authorizer/dashboard-fields.ts';
import { connect, start } from '../helpers/realtime.ts';
import { projectRoot, startTestStack, type TestStack } from '../helpers/stack.ts';

type Who = { token: string; userId: string };
let stack: TestStack;
let owner: Who;
let alice: Who;
let vic: Who;
let a: { id: string };
let b: { id: string };
let taskB: { id: string };
let commentB: { id: string };
let tokenA: string;
let tokenB: { id: string };

async function ok(who: Who, query: string, variables?: Record<string, unknown>) {
  const { body } = await stack.graphql(query, variables, { authorization: who.token });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

beforeAll(async () => {
  stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0 } });
  owner = await stack.tokenFor('owner@example.com', 'ADMIN', { board: null });
  alice = await stack.tokenFor('alice@example.com', 'MEMBER', { board: null });
  vic = await stack.tokenFor('vic@example.com', 'MEMBER', { board: null });
  a = (await ok(owner, 'mutation { createBoard(input: { key: "AAA", name: "Board A" }) { id } }')).createBoard;
  b = (await ok(owner, 'mutation { createBoard(input: { key: "BBB", name: "Board B", settings: { membersCreateTasks: true, labels: [] } }) { id } }')).createBoard;
  const member = 'mutation ($b: ID!, $u: ID!, $r: BoardRole!) { setBoardMember(boardId: $b, userId: $u, role: $r) { role } }';
  await ok(owner, member, { b: a.id, u: alice.userId, r: 'ADMIN' });
  await ok(owner, member, { b: b.id, u: vic.userId, r: 'VIEWER' });
  taskB = (await ok(owner, 'mutation ($b: ID!) { createTask(boardId: $b, input: { title: "B only" }) { id } }', { b: b.id })).createTask;
  commentB = (await ok(owner, 'mutation ($b: ID!, $t: ID!) { addComment(boardId: $b, taskId: $t, body: "secret") { id } }', { b: b.id, t: taskB.id })).addComment;
  tokenB = (await ok(owner, 'mutation ($b: ID!) { createDashboardToken(boardId: $b, name: "B wall", expiresInDays: 30) { dashboardToken { id } } }', { b: b.id })).createDashboardToken.dashboardToken;
  tokenA = (await ok(alice, 'mutation ($b: ID!) { createDashboardToken(boardId: $b, name: "A wall", expiresInDays: 30) { token } }', { b: a.id })).createDashboardToken.token;
});
afterAll(() => stack?.stop());

/** Everything a write could change, item by item. */
async function snapshot() {
  const tables = ['Boards', 'BoardKeys', 'BoardMembers', 'DashboardTokens', 'Tasks', 'TaskHistory', 'Comments', 'Users', 'Invitations'];
  const scans = await Promise.all(tables.map((t) => stack.dynamodb.send(new ScanCommand({ TableName: stack.tableName(t), ConsistentRead: true }))));
  return Object.fromEntries(tables.map((t, i) => [t, (scans[i].Items ?? []).map((item) => JSON.stringify(item)).sort()]));
}

interface Attempt {
  field: string;
  /** What a leak or a write would give away, in words. */
  goal: string;
  query: () => string;
}

/** Every board-scoped field against board B; `board` answers null to outsiders, the rest refuse. */
const crossBoard: Attempt[] = [
  { field: 'board', goal: "read B's name and settings", query: () => `{ board(id: "${b.id}") { id name } }` },
  { field: 'boardMembers', goal: "list B's people", query: () => `{ boardMembers(boardId: "${b.id}") { items { userId email } } }` },
  { field: 'task', goal: "read B's task", query: () => `{ task(boardId: "${b.id}", id: "${taskB.id}") { id title } }` },
  { field: 'task', goal: "read B's task through A", query: () => `{ task(boardId: "${a.id}", id: "${taskB.id}") { id title } }` },
  { field: 'tasks', goal: "list B's tasks", query: () => `{ tasks(boardId: "${b.id}") { items { id title } } }` },
  { field: 'taskHistory', goal: "read B's task history", query: () => `{ taskHistory(boardId: "${b.id}", taskId: "${taskB.id}") { items { version } } }` },
  { field: 'taskHistory', goal: "read B's task history through A", query: () => `{ taskHistory(boardId: "${a.id}", taskId: "${taskB.id}") { items { version } } }` },
  { field: 'comments', goal: "read B's comments", query: () => `{ comments(boardId: "${b.id}", taskId: "${taskB.id}") { items { body } } }` },
  { field: 'comments', goal: "read B's comments through A", query: () => `{ comments(boardId: "${a.id}", taskId: "${taskB.id}") { items { body } } }` },
  { field: 'teammates', goal: "list B's people", query: () => `{ teammates(boardId: "${b.id}") { items { id email } } }` },
  { field: 'dashboardTokens', goal: "list B's wall tokens", query: () => `{ dashboardTokens(boardId: "${b.id}") { id name } }` },
  { field: 'boardStats', goal: "read B's figures", query: () => `{ boardStats(boardId: "${b.id}") { total } }` },
  { field: 'taskEvents', goal: "replay B's events", query: () => `{ taskEvents(boardId: "${b.id}") { items { taskId } } }` },
  { field: 'lastTaskEventSequence', goal: "learn how busy B is", query: () => `{ lastTaskEventSequence(boardId: "${b.id}") }` },
  { field: 'updateBoard', goal: 'rename B', query: () => `mutation { updateBoard(input: { id: "${b.id}", name: "Mine" }) { id } }` },
  { field: 'archiveBoard', goal: 'archive B', query: () => `mutation { archiveBoard(id: "${b.id}", archived: true) { id } }` },
  { field: 'setBoardMember', goal: 'join B as its admin', query: () => `mutation { setBoardMember(boardId: "${b.id}", userId: "${alice.userId}", role: ADMIN) { role } }` },
  { field: 'removeBoardMember', goal: "take B's viewer off", query: () => `mutation { removeBoardMember(boardId: "${b.id}", userId: "${vic.userId}") }` },
  { field: 'createTask', goal: 'put work on B', query: () => `mutation { createTask(boardId: "${b.id}", input: { title: "x" }) { id } }` },
  { field: 'updateTask', goal: "rename B's task", query: () => `mutation { updateTask(boardId: "${b.id}", input: { id: "${taskB.id}", expectedVersion: 1, title: "x" }) { id } }` },
  { field: 'updateTask', goal: "rename B's task through A", query: () => `mutation { updateTask(boardId: "${a.id}", input: { id: "${taskB.id}", expectedVersion: 1, title: "x" }) { id } }` },
  { field: 'deleteTask', goal: "delete B's task", query: () => `mutation { deleteTask(boardId: "${b.id}", id: "${taskB.id}", expectedVersion: 1) { id } }` },
  { field: 'deleteTask', goal: "delete B's task through A", query: () => `mutation { deleteTask(boardId: "${a.id}", id: "${taskB.id}", expectedVersion: 1) { id } }` },
  { field: 'moveTasks', goal: "move B's task", query: () => `mutation { moveTasks(boardId: "${b.id}", moves: [{ id: "${taskB.id}", expectedVersion: 1, status: DONE }]) { id } }` },
  { field: 'moveTasks', goal: "move B's task through A", query: () => `mutation { moveTasks(boardId: "${a.id}", moves: [{ id: "${taskB.id}", expectedVersion: 1, status: DONE }]) { id } }` },
  { field: 'addComment', goal: "comment on B's task", query: () => `mutation { addComment(boardId: "${b.id}", taskId: "${taskB.id}", body: "x") { id } }` },
  { field: 'addComment', goal: "comment on B's task through A", query: () => `mutation { addComment(boardId: "${a.id}", taskId: "${taskB.id}", body: "x") { id } }` },
  { field: 'editComment', goal: "edit B's comment", query: () => `mutation { editComment(boardId: "${b.id}", taskId: "${taskB.id}", id: "${commentB.id}", body: "x") { id } }` },
  { field: 'editComment', goal: "edit B's comment through A", query: () => `mutation { editComment(boardId: "${a.id}", taskId: "${taskB.id}", id: "${commentB.id}", body: "x") { id } }` },
  { field: 'deleteComment', goal: "delete B's comment", query: () => `mutation { deleteComment(boardId: "${b.id}", taskId: "${taskB.id}", id: "${commentB.id}") { id } }` },
  { field: 'deleteComment', goal: "delete B's comment through A", query: () => `mutation { deleteComment(boardId: "${a.id}", taskId: "${taskB.id}", id: "${commentB.id}") { id } }` },
  { field: 'createDashboardToken', goal: "mint a token for B's figures", query: () => `mutation { createDashboardToken(boardId: "${b.id}", name: "x", expiresInDays: 1) { token } }` },
  { field: 'revokeDashboardToken', goal: "black out B's wall", query: () => `mutation { revokeDashboardToken(boardId: "${b.id}", id: "${tokenB.id}") { id } }` },
  { field: 'revokeDashboardToken', goal: "black out B's wall through A", query: () => `mutation { revokeDashboardToken(boardId: "${a.id}", id: "${tokenB.id}") { id } }` },
];

/**
 * Refused: an error of an `allowed` type (a read of another board's id under one's own board may
 * answer null instead: the task is not on that board), nothing given away, nothing changed.
 * `allowed` null: any answer whose field is null (the authorizer's denied fields are nulled before any resolver).
 */
async function expectRefused(token: string, attempt: Attempt, allowed: string[] | null = ['Unauthorized']) {
  const before = await snapshot();
  const { status, body } = await stack.graphql(attempt.query(), undefined, { authorization: token });
  const text = JSON.stringify(body);
  const quietNull = !body.errors && !attempt.query().startsWith('mutation') && (attempt.field === 'board' || attempt.query().includes(a.id));
  if (status === 200 && !quietNull) {
    if (allowed) expect(allowed, text).toContain(body.errors?.[0]?.errorType);
  }
  // A quiet answer under A holds nothing of B (an empty page at most).
  if (quietNull) expect(JSON.stringify(body.data?.[attempt.field] ?? null)).not.toContain('"id"');
  else expect(body.data?.[attempt.field] ?? null, text).toBeNull();
  expect(text).not.toContain('secret');
  expect(text).not.toContain('B only');
  expect(await snapshot()).toEqual(before);
}

describe('a board admin of A against board B', () => {
  it.each(crossBoard.map((attempt) => [attempt.field, attempt.goal, attempt] as const))('%s, to %s: refused', async (_field, _goal, attempt) => {
    // An id of B named under A is not on A: Unauthorized or NotFound, either says nothing of B.
    await expectRefused(alice.token, attempt, attempt.query().includes(a.id) ? ['Unauthorized', 'NotFound'] : ['Unauthorized']);
  });

  it('sees no trace of B in her own lists', async () => {
    const data = await ok(alice, '{ myBoards { board { id } } myTasks { items { id } } notifications { items { taskId } } }');
    expect(JSON.stringify(data)).not.toContain(b.id);
    expect(JSON.stringify(data)).not.toContain(taskB.id);
  });

  it.each([
    ['onTaskEvent', 'subscription ($b: ID!) { onTaskEvent(boardId: $b) { sequence } }'],
    ['onBoardStats', 'subscription ($b: ID!) { onBoardStats(boardId: $b) { total } }'],
    ['onComment', 'subscription ($b: ID!) { onComment(boardId: $b) { body } }'],
  ])('cannot subscribe to %s of B', async (_field, subscription) => {
    const host = new URL(stack.graphqlUrl).host;
    const client = await connect(stack.realtimeUrl, { Authorization: alice.token, host });
    client.send({ type: 'connection_init' });
    await client.next('connection_ack');
    client.send(start('s', subscription, { Authorization: alice.token, host }, { b: b.id }));
    expect((await client.next('error')).payload.errors[0].errorType).toBe('Unauthorized');
    client.close();
  });

  it('covers every board-scoped field of the schema (a new one needs an attack here)', () => {
    const document = parse(readFileSync(path.join(projectRoot, 'schema.graphql'), 'utf8'));
    const scoped = document.definitions.flatMap((d) =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION && ['Query', 'Mutation'].includes(d.name.value)
        ? (d.fields ?? []).filter((f: FieldDefinitionNode) => (f.arguments ?? []).some((arg) => arg.name.value === 'boardId')).map((f) => f.name.value)
        : [],
    );
    expect(scoped.length).toBeGreaterThan(15);
    const attacked = new Set(crossBoard.map((attempt) => attempt.field));
    expect(scoped.filter((field) => !attacked.has(field))).toEqual([]);
  });
});

describe('a viewer of B', () => {
  const writes = () => crossBoard.filter((attempt) => attempt.query().startsWith('mutation') && !attempt.query().includes(a.id));

  it('reads B but writes nothing to it, not even where members create tasks', async () => {
    expect((await ok(vic, `{ tasks(boardId: "${b.id}") { items { id } } }`)).tasks.items).toEqual([{ id: taskB.id }]);
    expect(writes().length).toBeGreaterThan(10);
    for (const attempt of writes()) await expectRefused(vic.token, attempt);
  });
});

describe("a dashboard token of A", () => {
  it("reads A's figures, and nothing else: not B's, not A's tasks, no write", async () => {
    expect((await stack.graphql(`{ boardStats(boardId: "${a.id}") { boardId total } }`, undefined, { authorization: tokenA })).body.data.boardStats.boardId).toBe(a.id);
    const onA = crossBoard.map((attempt) => ({ ...attempt, query: () => attempt.query().replaceAll(b.id, a.id) }));
    for (const attempt of [...crossBoard, ...onA.filter((attempt) => attempt.field !== 'boardStats')]) await expectRefused(tokenA, attempt, null);
    for (const field of ['me', 'myBoards', 'myTasks', 'notifications', 'users', 'auditLog', 'invitations', 'boards']) {
      const { body } = await stack.graphql(`{ ${field} { __typename } }`, undefined, { authorization: tokenA });
      expect(body.data?.[field] ?? null, JSON.stringify(body)).toBeNull();
    }
  });

  it('subscribes to the figures of A only', async () => {
    const host = new URL(stack.graphqlUrl).host;
    const client = await connect(stack.realtimeUrl, { Authorization: tokenA, host });
    client.send({ type: 'connection_init' });
    await client.next('connection_ack');
    client.send(start('mine', 'subscription ($b: ID!) { onBoardStats(boardId: $b) { total } }', { Authorization: tokenA, host }, { b: a.id }));
    await client.next('start_ack');
    client.send(start('theirs', 'subscription ($b: ID!) { onBoardStats(boardId: $b) { total } }', { Authorization: tokenA, host }, { b: b.id }));
    expect((await client.next('error')).payload.errors[0].errorType).toBe('Unauthorized');
    client.send(start('events', 'subscription ($b: ID!) { onTaskEvent(boardId: $b) { sequence } }', { Authorization: tokenA, host }, { b: a.id }));
    expect((await client.next('error')).payload.errors[0].errorType).toBe('Unauthorized');
    client.close();
  });

  it('is denied every field but the figures in the authorizer (a new field must be added to the denied list)', () => {
    const document = parse(readFileSync(path.join(projectRoot, 'schema.graphql'), 'utf8'));
    const fields = document.definitions.flatMap((d) =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION && ['Query', 'Mutation', 'Subscription'].includes(d.name.value) ? (d.fields ?? []).map((f) => `${d.name.value}.${f.name.value}`) : [],
    );
    const open = fields.filter((field) => !DASHBOARD_DENIED_FIELDS.includes(field));
    expect(open.sort()).toEqual(['Query.boardStats', 'Subscription.onBoardStats']);
  });
});
