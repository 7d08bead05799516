import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let auth: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  auth = { authorization: (await stack.tokenFor('ada@example.com', 'ADMIN')).token };
});
afterAll(() => stack?.stop());

const TASK_FIELDS = 'id title description status priority assigneeId dueDate labels createdBy createdAt updatedBy updatedAt version';

async function createTask(input: Record<string, unknown>) {
  const { body } = await stack.graphql(`mutation ($input: CreateTaskInput!) { createTask(boardId: "main", input: $input) { ${TASK_FIELDS} } }`, { input }, auth);
  return body;
}

describe('the first slice of the board', () => {
  it('me returns the signed-in user from the Users table', async () => {
    const { status, body } = await stack.graphql('{ me { email role status } }', undefined, auth);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: { email: 'ada@example.com', role: 'ADMIN', status: 'ACTIVE' } } });
  });

  it('createTask stores a task at version 1 with defaults, and task(id) reads it back', async () => {
    const created = (await createTask({ title: '  Write the README ', labels: ['docs'], dueDate: '2026-12-01' })).data.createTask;
    expect(created).toMatchObject({ title: 'Write the README', status: 'TODO', priority: 'MEDIUM', labels: ['docs'], dueDate: '2026-12-01', version: 1, description: null });
    expect(created.createdBy).toBe(created.updatedBy);
    const { body } = await stack.graphql(`query ($id: ID!) { task(boardId: "main", id: $id) { ${TASK_FIELDS} } }`, { id: created.id }, auth);
    expect(body.data.task).toEqual(created);
  });

  it('task(id) of a task that does not exist is null, not an error', async () => {
    const { body } = await stack.graphql('{ task(boardId: "main", id: "nope") { id } }', undefined, auth);
    expect(body).toEqual({ data: { task: null } });
  });

  it('updateTask at the expected version moves the task to the next version', async () => {
    const task = (await createTask({ title: 'Draft' })).data.createTask;
    // The assignee must be an ACTIVE user (issue 5).
    const assigneeId = (await stack.tokenFor('assignee@example.com', 'MEMBER')).userId;
    const { body } = await stack.graphql(
      'mutation ($input: UpdateTaskInput!) { updateTask(boardId: "main", input: $input) { title status version assigneeId } }',
      { input: { id: task.id, expectedVersion: 1, title: 'Final', status: 'IN_PROGRESS', assigneeId } },
      auth,
    );
    expect(body).toEqual({ data: { updateTask: { title: 'Final', status: 'IN_PROGRESS', version: 2, assigneeId } } });
    const cleared = await stack.graphql(
      'mutation ($input: UpdateTaskInput!) { updateTask(boardId: "main", input: $input) { assigneeId version } }',
      { input: { id: task.id, expectedVersion: 2, assigneeId: null } },
      auth,
    );
    expect(cleared.body.data.updateTask).toEqual({ assigneeId: null, version: 3 });
  });

  it('a stale expectedVersion is a ConflictError carrying the current task, and nothing is overwritten', async () => {
    const task = (await createTask({ title: 'Shared' })).data.createTask;
    const update = (title: string) =>
      stack.graphql('mutation ($input: UpdateTaskInput!) { updateTask(boardId: "main", input: $input) { title version } }', { input: { id: task.id, expectedVersion: 1, title } }, auth);
    expect((await update('Mine')).body.data.updateTask).toEqual({ title: 'Mine', version: 2 });
    const stale = await update('Theirs');
    expect(stale.body.data).toBeNull();
    expect(stale.body.errors[0]).toMatchObject({ errorType: 'ConflictError', path: ['updateTask'], data: { id: task.id, title: 'Mine', version: 2 } });
    const { body } = await stack.graphql(`{ task(boardId: "main", id: "${task.id}") { title version } }`, undefined, auth);
    expect(body.data.task).toEqual({ title: 'Mine', version: 2 });
  });

  it('concurrent updates at one version: exactly one wins, the rest conflict', async () => {
    const task = (await createTask({ title: 'Race' })).data.createTask;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stack.graphql('mutation ($input: UpdateTaskInput!) { updateTask(boardId: "main", input: $input) { version } }', { input: { id: task.id, expectedVersion: 1, title: `writer ${i}` } }, auth),
      ),
    );
    expect(results.filter((r) => r.body.data?.updateTask).length).toBe(1);
    expect(results.filter((r) => r.body.errors?.[0]?.errorType === 'ConflictError').length).toBe(19);
  });

  it('updating a task that does not exist is NotFound', async () => {
    const { body } = await stack.graphql('mutation { updateTask(boardId: "main", input: { id: "missing", expectedVersion: 1, title: "x" }) { id } }', undefined, auth);
    expect(body.errors[0]).toMatchObject({ errorType: 'NotFound', path: ['updateTask'] });
  });

  it.each([
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ title: 'ok', description: 'x'.repeat(10_001) }, 'description'],
    [{ title: 'ok', labels: Array.from({ length: 11 }, (_, i) => `l${i}`) }, 'labels'],
    [{ title: 'ok', labels: ['x'.repeat(33)] }, 'labels'],
  ])('createTask refuses %# with a ValidationError naming the field', async (input, field) => {
    const body = await createTask(input);
    expect(body.errors[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field } });
  });

  it('a forged nextToken is a ValidationError, not a crash', async () => {
    const { body } = await stack.graphql('{ tasks(boardId: "main", nextToken: "eyJpZCI6eyJTIjoieCJ9fQ==") { items { id } } }', undefined, auth);
    expect(body.errors[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'nextToken' } });
  });

  it('limit outside 1-100 is a ValidationError', async () => {
    for (const limit of [0, 101]) {
      const { body } = await stack.graphql(`{ tasks(boardId: "main", limit: ${limit}) { items { id } } }`, undefined, auth);
      expect(body.errors[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'limit' } });
    }
  });
});
