import { GetItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../api/definition.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { setUserAttribute } from '../helpers/users.ts';

let stack: TestStack;
type Who = { token: string; userId: string };
let admin: Who;
let member: Who;
let other: Who;
let guest: Who;

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.tokenFor('boss@example.com', 'ADMIN');
  member = await stack.tokenFor('worker@example.com', 'MEMBER');
  other = await stack.tokenFor('bystander@example.com', 'MEMBER');
  // Someone signed in who is not on the board: the resolvers must refuse them everything on it.
  guest = await stack.tokenFor('guest@example.com', 'MEMBER', { board: null });
});
afterAll(() => stack?.stop());

const TASK = 'id title description status priority assigneeId dueDate labels rank completedAt createdBy updatedBy version';

async function call(who: Who, query: string, variables?: Record<string, unknown>) {
  const { body } = await stack.graphql(query, variables, { authorization: who.token });
  return body as { data: Record<string, any> | null; errors?: { errorType: string; message: string; data?: any; errorInfo?: any }[] };
}

async function createTask(input: Record<string, unknown> = {}) {
  const body = await call(admin, `mutation ($i: CreateTaskInput!) { createTask(boardId: "main", input: $i) { ${TASK} } }`, { i: { title: 'A task', ...input } });
  expect(body.errors).toBeUndefined();
  return body.data!.createTask;
}

async function storedTask(id: string) {
  const { Item } = await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName('Tasks'), Key: { id: { S: id } }, ConsistentRead: true }));
  return Item ? unmarshall(Item) : undefined;
}

async function history(taskId: string) {
  const { Items } = await stack.dynamodb.send(
    new QueryCommand({ TableName: stack.tableName('TaskHistory'), KeyConditionExpression: 'taskId = :t', ExpressionAttributeValues: { ':t': { S: taskId } }, ConsistentRead: true }),
  );
  return (Items ?? []).map((i) => unmarshall(i));
}

async function auditCount() {
  const { Count } = await stack.dynamodb.send(new ScanCommand({ TableName: stack.tableName('AuditLog'), Select: 'COUNT' }));
  return Count ?? 0;
}

const UPDATE = `mutation ($i: UpdateTaskInput!) { updateTask(boardId: "main", input: $i) { ${TASK} } }`;

describe('the role matrix', () => {
  type Role = 'admin' | 'member' | 'other' | 'guest';
  const who = (role: Role) => ({ admin, member, other, guest })[role];
  // Each operation runs on a fresh task assigned to `member` (version 1); `ok` lists who may do it.
  const operations: { name: string; ok: Role[]; run: (w: Who, taskId: string) => ReturnType<typeof call> }[] = [
    { name: 'task(id)', ok: ['admin', 'member', 'other'], run: (w, id) => call(w, `{ task(boardId: "main", id: "${id}") { id } }`) },
    { name: 'tasks', ok: ['admin', 'member', 'other'], run: (w) => call(w, '{ tasks(boardId: "main", limit: 5) { items { id } } }') },
    // Someone on no board has no tasks to see: an empty page, not a refusal.
    { name: 'myTasks', ok: ['admin', 'member', 'other', 'guest'], run: (w) => call(w, '{ myTasks { items { id } } }') },
    { name: 'taskHistory', ok: ['admin', 'member', 'other'], run: (w, id) => call(w, `{ taskHistory(boardId: "main", taskId: "${id}") { items { version } } }`) },
    { name: 'comments', ok: ['admin', 'member', 'other'], run: (w, id) => call(w, `{ comments(boardId: "main", taskId: "${id}") { items { id } } }`) },
    { name: 'boardStats', ok: ['admin', 'member', 'other'], run: (w) => call(w, '{ boardStats(boardId: "main") { total } }') },
    { name: 'addComment', ok: ['admin', 'member', 'other'], run: (w, id) => call(w, `mutation { addComment(boardId: "main", taskId: "${id}", body: "hi") { id } }`) },
    { name: 'createTask', ok: ['admin'], run: (w) => call(w, 'mutation { createTask(boardId: "main", input: { title: "x" }) { id } }') },
    { name: 'updateTask status', ok: ['admin', 'member'], run: (w, id) => call(w, UPDATE, { i: { id, expectedVersion: 1, status: 'IN_PROGRESS' } }) },
    { name: 'updateTask priority+description', ok: ['admin', 'member'], run: (w, id) => call(w, UPDATE, { i: { id, expectedVersion: 1, priority: 'HIGH', description: 'd' } }) },
    { name: 'updateTask title', ok: ['admin'], run: (w, id) => call(w, UPDATE, { i: { id, expectedVersion: 1, title: 'renamed' } }) },
    { name: 'updateTask assignee (assign)', ok: ['admin'], run: (w, id) => call(w, UPDATE, { i: { id, expectedVersion: 1, assigneeId: other.userId } }) },
    { name: 'deleteTask', ok: ['admin'], run: (w, id) => call(w, `mutation { deleteTask(boardId: "main", id: "${id}", expectedVersion: 1) { id } }`) },
    { name: 'moveTasks', ok: ['admin', 'member'], run: (w, id) => call(w, `mutation { moveTasks(boardId: "main", moves: [{ id: "${id}", expectedVersion: 1, status: DONE }]) { id } }`) },
    { name: 'auditLog', ok: ['admin'], run: (w) => call(w, '{ auditLog(limit: 5) { items { id } } }') },
    { name: 'users', ok: ['admin'], run: (w) => call(w, '{ users(limit: 5) { items { id } } }') },
    { name: 'inviteUser', ok: ['admin'], run: (w) => call(w, `mutation { inviteUser(email: "new-${Math.random().toString(36).slice(2)}@example.com", role: MEMBER) { email } }`) },
    { name: 'setUserRole', ok: ['admin'], run: (w) => call(w, `mutation { setUserRole(userId: "${other.userId}", role: MEMBER) { role } }`) },
    { name: 'setUserStatus', ok: ['admin'], run: (w) => call(w, `mutation { setUserStatus(userId: "${other.userId}", status: ACTIVE) { status } }`) },
  ];
  const cases = operations.flatMap((op) => (['admin', 'member', 'other', 'guest'] as Role[]).map((role) => [op.name, role, op.ok.includes(role), op] as const));

  it.each(cases)('%s as %s (allowed: %s)', async (_name, role, allowed, op) => {
    const task = await createTask({ assigneeId: member.userId });
    const before = await storedTask(task.id);
    const audits = await auditCount();
    const body = await op.run(who(role), task.id);
    if (allowed) {
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    } else {
      expect(body.errors?.[0]?.errorType).toBe('Unauthorized');
      // Nothing changed: the task, its history, the audit log.
      expect(await storedTask(task.id)).toEqual(before);
      expect(await history(task.id)).toHaveLength(1);
      expect(await auditCount()).toBe(audits);
    }
  });

  it("a member cannot change another member's task by id, nor delete a user or read the audit log", async () => {
    const task = await createTask({ assigneeId: other.userId });
    const body = await call(member, UPDATE, { i: { id: task.id, expectedVersion: 1, status: 'DONE' } });
    expect(body.errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await storedTask(task.id))!.version).toBe(1);
    expect((await call(member, `mutation { deleteUser(userId: "${other.userId}") }`)).errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await call(member, `mutation { setUserRole(userId: "${member.userId}", role: ADMIN) { role } }`)).errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await call(member, '{ auditLog { items { id } } }')).errors?.[0]?.errorType).toBe('Unauthorized');
  });
});

describe('tasks, history and conflicts', () => {
  it('50 concurrent updates at one version: exactly one wins, 49 ConflictErrors, one history entry for it', async () => {
    const task = await createTask();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(admin, UPDATE, { i: { id: task.id, expectedVersion: 1, title: `writer ${i}` } })),
    );
    const winners = results.filter((r) => r.data?.updateTask);
    expect(winners).toHaveLength(1);
    const conflicts = results.filter((r) => r.errors?.[0]?.errorType === 'ConflictError');
    expect(conflicts).toHaveLength(49);
    for (const c of conflicts) expect(c.errors![0].data).toMatchObject({ id: task.id });
    const entries = await history(task.id);
    expect(entries.map((e) => e.version)).toEqual([1, 2]);
    expect(entries[1]).toMatchObject({ action: 'UPDATED', actorId: admin.userId, changes: [{ field: 'title', from: '"A task"', to: JSON.stringify(winners[0].data!.updateTask.title) }] });
    expect((await storedTask(task.id))!.title).toBe(winners[0].data!.updateTask.title);
  });

  it('each write records from -> to, actor and time; deleting keeps the history and removes the task', async () => {
    const task = await createTask({ labels: ['a'] });
    await call(admin, UPDATE, { i: { id: task.id, expectedVersion: 1, status: 'DONE', labels: ['a', 'b'] } });
    const deleted = await call(admin, `mutation { deleteTask(boardId: "main", id: "${task.id}", expectedVersion: 2) { id version } }`);
    expect(deleted.data!.deleteTask).toEqual({ id: task.id, version: 2 });
    expect(await storedTask(task.id)).toBeUndefined();
    const { data } = await call(member, `{ taskHistory(boardId: "main", taskId: "${task.id}") { items { version action actorId at changes { field from to } } } }`);
    const items = data!.taskHistory.items;
    expect(items.map((e: any) => e.action)).toEqual(['CREATED', 'UPDATED', 'DELETED']);
    expect(items[1].changes).toEqual([
      { field: 'status', from: '"TODO"', to: '"DONE"' },
      { field: 'labels', from: '["a"]', to: '["a","b"]' },
    ]);
    expect(items[2].changes).toContainEqual({ field: 'title', from: '"A task"', to: null });
    expect(items.every((e: any) => e.actorId === admin.userId && !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });

  it('a stale deleteTask is a ConflictError with the current task, and the task stays', async () => {
    const task = await createTask();
    await call(admin, UPDATE, { i: { id: task.id, expectedVersion: 1, title: 'v2' } });
    const body = await call(admin, `mutation { deleteTask(boardId: "main", id: "${task.id}", expectedVersion: 1) { id } }`);
    expect(body.errors?.[0]).toMatchObject({ errorType: 'ConflictError', data: { id: task.id, version: 2, title: 'v2' } });
    expect((await storedTask(task.id))!.version).toBe(2);
  });

  it('completedAt is set on DONE and cleared when the task leaves DONE', async () => {
    const task = await createTask();
    const done = await call(admin, UPDATE, { i: { id: task.id, expectedVersion: 1, status: 'DONE' } });
    expect(done.data!.updateTask.completedAt).toBeTruthy();
    const reopened = await call(admin, UPDATE, { i: { id: task.id, expectedVersion: 2, status: 'TODO' } });
    expect(reopened.data!.updateTask.completedAt).toBeNull();
  });

  it('the assignee must be an ACTIVE user: unknown or disabled -> ValidationError, nothing written', async () => {
    const created = await call(admin, 'mutation { createTask(boardId: "main", input: { title: "x", assigneeId: "nobody" }) { id } }');
    expect(created.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'assigneeId' } });
    const disabled = await stack.tokenFor('off@example.com', 'MEMBER');
    await call(admin, `mutation { setUserStatus(userId: "${disabled.userId}", status: DISABLED) { status } }`);
    const task = await createTask();
    const body = await call(admin, UPDATE, { i: { id: task.id, expectedVersion: 1, assigneeId: disabled.userId } });
    expect(body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'assigneeId' } });
    expect((await storedTask(task.id))!.version).toBe(1);
    expect(await history(task.id)).toHaveLength(1);
  });
});

describe('ranks: moving a card between two others writes that card only', () => {
  it('orders a column by rank, and a move between two cards changes one item', async () => {
    const status = 'BLOCKED';
    const a = await createTask({ title: 'a', status });
    const b = await createTask({ title: 'b', status });
    const c = await createTask({ title: 'c', status });
    const column = async () => (await call(admin, '{ tasks(boardId: "main", filter: { status: BLOCKED }) { items { title rank version } } }')).data!.tasks.items;
    expect((await column()).map((t: any) => t.title)).toEqual(['a', 'b', 'c']);
    const moved = await call(admin, UPDATE, { i: { id: c.id, expectedVersion: 1, position: { after: a.rank, before: b.rank } } });
    expect(moved.errors).toBeUndefined();
    const after = await column();
    expect(after.map((t: any) => t.title)).toEqual(['a', 'c', 'b']);
    expect(after.map((t: any) => t.version)).toEqual([1, 2, 1]);
    // Repeated moves into the same gap keep working.
    let top = a.rank;
    for (let i = 0; i < 30; i++) {
      const card = await createTask({ title: `n${i}`, status, position: { after: top, before: b.rank } });
      expect(card.rank > top && card.rank < b.rank).toBe(true);
      top = card.rank;
    }
  });

  it('a bad position is a ValidationError', async () => {
    const task = await createTask();
    for (const position of [{ after: 'b', before: 'a' }, { after: 'not a rank!' }, { after: 'V', before: 'V0' }]) {
      const body = await call(admin, UPDATE, { i: { id: task.id, expectedVersion: 1, position } });
      expect(body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'position' } });
    }
  });
});

describe('moveTasks: all or nothing', () => {
  const MOVE = `mutation ($m: [TaskMoveInput!]!) { moveTasks(boardId: "main", moves: $m) { id status version } }`;

  it('moves several tasks in one transaction, each with a MOVED history entry', async () => {
    const tasks = await Promise.all([1, 2, 3].map(() => createTask()));
    const body = await call(admin, MOVE, { m: tasks.map((t) => ({ id: t.id, expectedVersion: 1, status: 'IN_PROGRESS' })) });
    expect(body.data!.moveTasks).toEqual(tasks.map((t) => ({ id: t.id, status: 'IN_PROGRESS', version: 2 })));
    for (const t of tasks) expect((await history(t.id)).map((e) => e.action)).toEqual(['CREATED', 'MOVED']);
  });

  it('one stale version: ConflictError, and no task changes', async () => {
    const tasks = await Promise.all([1, 2, 3, 4].map(() => createTask()));
    await call(admin, UPDATE, { i: { id: tasks[2].id, expectedVersion: 1, title: 'moved on' } });
    const body = await call(admin, MOVE, { m: tasks.map((t) => ({ id: t.id, expectedVersion: 1, status: 'DONE' })) });
    expect(body.errors?.[0]).toMatchObject({ errorType: 'ConflictError', data: { id: tasks[2].id, version: 2 } });
    for (const t of tasks) {
      const stored = await storedTask(t.id);
      expect(stored!.status).toBe('TODO');
      expect(await history(t.id)).toHaveLength(t.id === tasks[2].id ? 2 : 1);
    }
  });

  it('a missing task, a duplicate, none or too many moves: NotFound / ValidationError, nothing written', async () => {
    const task = await createTask();
    const missing = await call(admin, MOVE, { m: [{ id: task.id, expectedVersion: 1, status: 'DONE' }, { id: 'no-such-task', expectedVersion: 1, status: 'DONE' }] });
    expect(missing.errors?.[0].errorType).toBe('NotFound');
    const dup = await call(admin, MOVE, { m: [{ id: task.id, expectedVersion: 1, status: 'DONE' }, { id: task.id, expectedVersion: 1, status: 'DONE' }] });
    expect(dup.errors?.[0].errorType).toBe('ValidationError');
    expect((await call(admin, MOVE, { m: [] })).errors?.[0].errorType).toBe('ValidationError');
    const many = Array.from({ length: 26 }, (_, i) => ({ id: `t${i}`, expectedVersion: 1, status: 'DONE' }));
    expect((await call(admin, MOVE, { m: many })).errors?.[0].errorType).toBe('ValidationError');
    expect((await storedTask(task.id))!.version).toBe(1);
  });
});

describe('validation and bad identifiers', () => {
  it.each([
    ['title empty', { title: '' }, 'title'],
    ['title 201', { title: 'x'.repeat(201) }, 'title'],
    ['description 10,001', { description: 'x'.repeat(10_001) }, 'description'],
    ['11 labels', { labels: Array.from({ length: 11 }, (_, i) => `l${i}`) }, 'labels'],
    ['label 33', { labels: ['x'.repeat(33)] }, 'labels'],
    ['empty label', { labels: [' '] }, 'labels'],
  ])('createTask: %s -> ValidationError, nothing written', async (_n, input, field) => {
    const before = (await call(admin, '{ tasks(boardId: "main", limit: 100) { items { id } } }')).data!.tasks.items.length;
    const body = await call(admin, 'mutation ($i: CreateTaskInput!) { createTask(boardId: "main", input: $i) { id } }', { i: { title: 'ok', ...input } });
    expect(body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field } });
    expect((await call(admin, '{ tasks(boardId: "main", limit: 100) { items { id } } }')).data!.tasks.items.length).toBe(before);
  });

  it('limits at the edges: exactly the maximum works', async () => {
    const task = await createTask({ title: 'x'.repeat(200), description: 'd'.repeat(10_000), labels: Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(32, 'x')) });
    expect(task.labels).toHaveLength(10);
  });

  it.each([
    ['updateTask', `mutation { updateTask(boardId: "main", input: { id: "nope", expectedVersion: 1, status: DONE }) { id } }`, 'NotFound'],
    ['deleteTask', `mutation { deleteTask(boardId: "main", id: "nope", expectedVersion: 1) { id } }`, 'NotFound'],
    ['addComment', `mutation { addComment(boardId: "main", taskId: "nope", body: "x") { id } }`, 'NotFound'],
    ['editComment', `mutation { editComment(boardId: "main", taskId: "nope", id: "nope", body: "x") { id } }`, 'NotFound'],
    ['deleteComment', `mutation { deleteComment(boardId: "main", taskId: "nope", id: "nope") { id } }`, 'NotFound'],
    ['setUserRole', `mutation { setUserRole(userId: "nope", role: ADMIN) { id } }`, 'NotFound'],
    ['setUserStatus', `mutation { setUserStatus(userId: "nope", status: DISABLED) { id } }`, 'NotFound'],
    ['deleteUser', `mutation { deleteUser(userId: "nope") }`, 'NotFound'],
    ['revokeInvitation', `mutation { revokeInvitation(email: "nobody@example.com") }`, 'NotFound'],
    ['empty id', `mutation { updateTask(boardId: "main", input: { id: "", expectedVersion: 1, status: DONE }) { id } }`, 'ValidationError'],
    ['long id', `{ task(boardId: "main", id: "${'x'.repeat(200)}") { id } }`, 'ValidationError'],
    ['history of an empty id', `{ taskHistory(boardId: "main", taskId: "") { items { version } } }`, 'ValidationError'],
    ['tasks limit 0', `{ tasks(boardId: "main", limit: 0) { items { id } } }`, 'ValidationError'],
    ['tasks limit 101', `{ tasks(boardId: "main", limit: 101) { items { id } } }`, 'ValidationError'],
    ['comments limit 500', `{ comments(boardId: "main", taskId: "x", limit: 500) { items { id } } }`, 'ValidationError'],
    ['auditLog limit 0', `{ auditLog(limit: 0) { items { id } } }`, 'ValidationError'],
    ['forged nextToken', `{ tasks(boardId: "main", filter: { status: TODO }, nextToken: "eyJpZCI6eyJTIjoieCJ9fQ==") { items { id } } }`, 'ValidationError'],
    ['label of 33', `{ tasks(boardId: "main", filter: { label: "${'x'.repeat(33)}" }) { items { id } } }`, 'ValidationError'],
    ['audit from after to', `{ auditLog(filter: { from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { items { id } } }`, 'ValidationError'],
  ])('%s -> %s', async (_n, query, errorType) => {
    const body = await call(admin, query);
    expect(body.errors?.[0]?.errorType, JSON.stringify(body.errors)).toBe(errorType);
  });

  it('a comment body of 0 or 5,001 characters is a ValidationError', async () => {
    const task = await createTask();
    for (const body of ['   ', 'x'.repeat(5001)]) {
      const r = await call(member, 'mutation ($t: ID!, $b: String!) { addComment(boardId: "main", taskId: $t, body: $b) { id } }', { t: task.id, b: body });
      expect(r.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'body' } });
    }
    expect((await call(member, `{ comments(boardId: "main", taskId: "${task.id}") { items { id } } }`)).data!.comments.items).toEqual([]);
  });
});

describe('comments', () => {
  it('keeps comments in order with author and time; only the author edits; author or admin deletes', async () => {
    const task = await createTask();
    const add = (w: Who, body: string) => call(w, `mutation { addComment(boardId: "main", taskId: "${task.id}", body: "${body}") { id taskId authorId body createdAt editedAt } }`);
    const first = (await add(member, 'first')).data!.addComment;
    const second = (await add(other, 'second')).data!.addComment;
    const third = (await add(member, 'third')).data!.addComment;
    expect(first).toMatchObject({ taskId: task.id, authorId: member.userId, body: 'first', editedAt: null });
    const list = await call(other, `{ comments(boardId: "main", taskId: "${task.id}", limit: 2) { items { body } nextToken } }`);
    expect(list.data!.comments.items.map((c: any) => c.body)).toEqual(['first', 'second']);
    const rest = await call(other, `{ comments(boardId: "main", taskId: "${task.id}", limit: 2, nextToken: "${list.data!.comments.nextToken}") { items { body } nextToken } }`);
    expect(rest.data!.comments.items.map((c: any) => c.body)).toEqual(['third']);

    expect((await call(other, `mutation { editComment(boardId: "main", taskId: "${task.id}", id: "${first.id}", body: "hijacked") { id } }`)).errors?.[0].errorType).toBe('Unauthorized');
    const edited = await call(member, `mutation { editComment(boardId: "main", taskId: "${task.id}", id: "${first.id}", body: "first!") { body editedAt } }`);
    expect(edited.data!.editComment.body).toBe('first!');
    expect(edited.data!.editComment.editedAt).toBeTruthy();
    expect((await call(other, `mutation { deleteComment(boardId: "main", taskId: "${task.id}", id: "${third.id}") { id } }`)).errors?.[0].errorType).toBe('Unauthorized');
    expect((await call(other, `mutation { deleteComment(boardId: "main", taskId: "${task.id}", id: "${second.id}") { id } }`)).data!.deleteComment.id).toBe(second.id);
    expect((await call(admin, `mutation { deleteComment(boardId: "main", taskId: "${task.id}", id: "${third.id}") { id } }`)).data!.deleteComment.id).toBe(third.id);
    const left = await call(member, `{ comments(boardId: "main", taskId: "${task.id}") { items { body } } }`);
    expect(left.data!.comments.items.map((c: any) => c.body)).toEqual(['first!']);
  });
});

describe('users, invitations and the audit log', () => {
  it('me has the role and the session expiry', async () => {
    const body = await call(member, '{ me { id role status sessionExpiresAt } }');
    expect(body.data!.me).toMatchObject({ id: member.userId, role: 'MEMBER', status: 'ACTIVE' });
    expect(Date.parse(body.data!.me.sessionExpiresAt)).toBeGreaterThan(Date.now());
  });

  it('inviteUser records an invitation with a TTL; revokeInvitation removes it; an existing user cannot be invited', async () => {
    const invited = await call(admin, 'mutation { inviteUser(email: "New.Person@Example.com", role: ADMIN) { email role invitedBy expiresAt } }');
    expect(invited.data!.inviteUser).toMatchObject({ email: 'new.person@example.com', role: 'ADMIN', invitedBy: admin.userId });
    expect(invited.data!.inviteUser.expiresAt).toBeGreaterThan(Date.now() / 1000 + 6 * 24 * 3600);
    const { Item } = await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName('Invitations'), Key: { email: { S: 'new.person@example.com' } } }));
    expect(Item?.expiresAt.N).toBeDefined();
    expect(api.tables.Invitations.timeToLiveAttribute).toBe('expiresAt');
    expect((await call(admin, 'mutation { revokeInvitation(email: "new.person@example.com") }')).data!.revokeInvitation).toBe('new.person@example.com');
    expect((await call(admin, 'mutation { revokeInvitation(email: "new.person@example.com") }')).errors?.[0].errorType).toBe('NotFound');
    // The audit log names the invitation by its id, never by the email.
    const audit = await call(admin, `{ auditLog(filter: { actorId: "${admin.userId}" }) { items { action targetId details } } }`);
    const entries = audit.data!.auditLog.items.filter((e: { action: string }) => e.action === 'USER_INVITED' || e.action === 'INVITATION_REVOKED');
    expect(entries.map((e: { action: string }) => e.action).sort()).toEqual(['INVITATION_REVOKED', 'USER_INVITED']);
    expect(entries[0].targetId).toBe(Item!.id.S);
    expect(entries[1].targetId).toBe(Item!.id.S);
    expect(JSON.stringify(entries)).not.toMatch(/new\.person/i);
    expect((await call(admin, 'mutation { inviteUser(email: "worker@example.com", role: MEMBER) { email } }')).errors?.[0].errorType).toBe('ValidationError');
  });

  it('setUserRole changes the role (and the next authorizer result), admins cannot demote or delete themselves', async () => {
    const promoted = await stack.tokenFor('rising@example.com', 'MEMBER');
    expect((await call(admin, `mutation { setUserRole(userId: "${promoted.userId}", role: ADMIN) { id role } }`)).data!.setUserRole).toEqual({ id: promoted.userId, role: 'ADMIN' });
    const { Item } = await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName('Users'), Key: { id: { S: promoted.userId } } }));
    expect(Item!.role.S).toBe('ADMIN');
    expect((await call(admin, `mutation { setUserRole(userId: "${admin.userId}", role: MEMBER) { role } }`)).errors?.[0].errorType).toBe('ValidationError');
    expect((await call(admin, `mutation { deleteUser(userId: "${admin.userId}") }`)).errors?.[0].errorType).toBe('ValidationError');
  });

  it('deleteUser erases the Users item and their invitation; the token stops working', async () => {
    const leaving = await stack.tokenFor('leaving@example.com', 'MEMBER');
    expect((await call(admin, `mutation { deleteUser(userId: "${leaving.userId}") }`)).data!.deleteUser).toBe(leaving.userId);
    const { Item } = await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName('Users'), Key: { id: { S: leaving.userId } } }));
    expect(Item).toBeUndefined();
  });

  it('users lists every user a page at a time', async () => {
    const seen: string[] = [];
    let nextToken: string | null = null;
    do {
      const body = await call(admin, 'query ($n: String) { users(limit: 2, nextToken: $n) { items { id } nextToken } }', { n: nextToken });
      seen.push(...body.data!.users.items.map((u: any) => u.id));
      nextToken = body.data!.users.nextToken;
    } while (nextToken);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([admin.userId, member.userId, other.userId]));
  });

  it('the audit log holds every sensitive action, filtered by actor, action and time, newest first', async () => {
    const start = new Date().toISOString();
    const rogue = await stack.tokenFor('rogue@example.com', 'MEMBER');
    const task = await createTask({ assigneeId: member.userId });
    await call(admin, UPDATE, { i: { id: task.id, expectedVersion: 1, assigneeId: other.userId } });
    await call(admin, `mutation { deleteTask(boardId: "main", id: "${task.id}", expectedVersion: 2) { id } }`);
    await call(admin, `mutation { setUserStatus(userId: "${rogue.userId}", status: DISABLED) { id } }`);
    await call(admin, `mutation { setUserRole(userId: "${rogue.userId}", role: ADMIN) { id } }`);
    const body = await call(admin, `{ auditLog(filter: { actorId: "${admin.userId}", from: "${start}" }, limit: 10) { items { action targetId actorId details at } } }`);
    const actions = body.data!.auditLog.items.map((e: any) => e.action);
    expect(actions).toEqual(['USER_ROLE_CHANGED', 'USER_STATUS_CHANGED', 'TASK_DELETED', 'TASK_ASSIGNED', 'TASK_CREATED']);
    expect(JSON.parse(body.data!.auditLog.items[0].details)).toEqual({ from: 'MEMBER', to: 'ADMIN' });
    const byAction = await call(admin, `{ auditLog(filter: { action: TASK_ASSIGNED, from: "${start}" }) { items { targetId details } } }`);
    expect(byAction.data!.auditLog.items).toEqual([{ targetId: task.id, details: JSON.stringify({ boardId: 'main', from: member.userId, to: other.userId }) }]);
    const none = await call(admin, `{ auditLog(filter: { to: "2000-01-01T00:00:00Z" }) { items { id } } }`);
    expect(none.data!.auditLog.items).toEqual([]);
  });
});

describe('query depth and resolver count limits', () => {
  it('the limits come from the description', () => {
    expect(api.limits).toEqual({ queryDepth: 8, resolverCount: 25 });
  });

  it('a query within queryDepthLimit runs; introspection counts toward it (the field-by-field rule: test/integration/appsync-fidelity.test.ts)', async () => {
    // TaskEvent.task is depth 4 here; fragments count where they are spread, inline fragments add nothing.
    const ok = '{ taskEvents(boardId: "main") { items { task { id } changes { field } } } }';
    expect((await call(admin, ok)).errors).toBeUndefined();
    expect(api.limits!.queryDepth).toBe(8);
    // __schema 1, types 2, fields 3, type 4, ofType 5..9: one past the limit.
    const deep = await stack.graphql('{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }', undefined, { authorization: admin.token });
    expect(deep.status).toBe(200);
    expect(deep.body).toEqual({ data: null, errors: [expect.objectContaining({ message: "Validation error of type MaxQueryDepth: Field 'ofType' is at depth 9, deeper than the API's queryDepthLimit of 8." })] });
    const within = await stack.graphql('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }', undefined, { authorization: admin.token });
    expect(within.body.errors).toBeUndefined();
  });

  it('more root resolvers than resolverCountLimit: the extra fields error, the others run', async () => {
    const task = await createTask();
    // One field a line: the error names the 26th field's own line and column.
    const fields = Array.from({ length: 26 }, (_, i) => `t${i}: task(boardId: "main", id: "${task.id}") { id }`).join('\n  ');
    const body = await call(admin, `{\n  ${fields}\n}`);
    expect(body.data!.t0).toEqual({ id: task.id });
    expect(body.data!.t24).toEqual({ id: task.id });
    expect(body.data!.t25).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ errorType: 'ValidationError', path: ['t25'], locations: [{ line: 27, column: 3, sourceName: null }] });
    expect(body.errors![0].message).toContain('resolverCountLimit');
  });
});
