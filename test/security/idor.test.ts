/**
 * Attack: reach another person's things by their id (insecure direct object references). The
 * board itself is shared (every board user reads every task, its history and comments), so the
 * ids that matter are those with an owner: comments (author), tasks a member may change
 * (assignee), notifications (recipient, also through a stolen nextToken) and verification
 * sessions (the session id is the holder's only secret: nothing guessable, nothing personal in
 * the answer). Each attack is made with a valid id of the victim's and must change nothing.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient } from '../helpers/verification.ts';

type Who = { token: string; userId: string };
type Body = { data: Record<string, any> | null; errors?: { errorType: string; message: string }[] };

let stack: TestStack;
let admin: Who;
let attacker: Who;
let victim: Who;

beforeAll(async () => {
  // Open signup: anyone may start a verification, so sessions need no invitation here.
  stack = await startTestStack({ config: { verification: { ...defaultVerificationPolicy, signup: 'open' } } });
  admin = await stack.tokenFor('admin@example.com', 'ADMIN');
  attacker = await stack.tokenFor('attacker@example.com', 'MEMBER');
  victim = await stack.tokenFor('victim@example.com', 'MEMBER');
});
afterAll(() => stack?.stop());

async function call(who: Who, query: string, variables?: Record<string, unknown>): Promise<Body> {
  return (await stack.graphql(query, variables, { authorization: who.token })).body;
}

async function item(table: string, key: Record<string, string>) {
  const Key = Object.fromEntries(Object.entries(key).map(([k, v]) => [k, { S: v }]));
  const { Item } = await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName(table), Key, ConsistentRead: true }));
  return Item ? unmarshall(Item) : undefined;
}

async function taskOf(assignee: Who) {
  const body = await call(admin, 'mutation ($i: CreateTaskInput!) { createTask(boardId: "main", input: $i) { id version } }', { i: { title: 'Payroll', assigneeId: assignee.userId } });
  return body.data!.createTask as { id: string; version: number };
}

describe("another member's comments", () => {
  it('editComment and deleteComment with the victim\'s comment id: Unauthorized, the comment unchanged', async () => {
    const task = await taskOf(victim);
    const comment = (await call(victim, `mutation { addComment(boardId: "main", taskId: "${task.id}", body: "mine") { id } }`)).data!.addComment;
    const before = await item('Comments', { taskId: task.id, id: comment.id });

    const edit = await call(attacker, 'mutation ($t: ID!, $id: ID!) { editComment(boardId: "main", taskId: $t, id: $id, body: "hijacked") { id body } }', { t: task.id, id: comment.id });
    expect(edit.errors?.[0]?.errorType).toBe('Unauthorized');
    const remove = await call(attacker, 'mutation ($t: ID!, $id: ID!) { deleteComment(boardId: "main", taskId: $t, id: $id) { id } }', { t: task.id, id: comment.id });
    expect(remove.errors?.[0]?.errorType).toBe('Unauthorized');
    expect(await item('Comments', { taskId: task.id, id: comment.id })).toEqual(before);
  });

  it('the victim\'s comment id under another task id reaches nothing (NotFound), and creates nothing', async () => {
    const task = await taskOf(victim);
    const other = await taskOf(attacker);
    const comment = (await call(victim, `mutation { addComment(boardId: "main", taskId: "${task.id}", body: "mine") { id } }`)).data!.addComment;
    const edit = await call(attacker, 'mutation ($t: ID!, $id: ID!) { editComment(boardId: "main", taskId: $t, id: $id, body: "moved") { id } }', { t: other.id, id: comment.id });
    expect(edit.errors?.[0]?.errorType).toBe('NotFound');
    expect(await item('Comments', { taskId: other.id, id: comment.id })).toBeUndefined();
  });
});

describe("a task assigned to another member", () => {
  it('updateTask and moveTasks by its id: Unauthorized, the task unchanged', async () => {
    const task = await taskOf(victim);
    const before = await item('Tasks', { id: task.id });
    const update = await call(attacker, 'mutation ($i: UpdateTaskInput!) { updateTask(boardId: "main", input: $i) { id } }', { i: { id: task.id, expectedVersion: task.version, status: 'DONE' } });
    expect(update.errors?.[0]?.errorType).toBe('Unauthorized');
    const move = await call(attacker, `mutation { moveTasks(boardId: "main", moves: [{ id: "${task.id}", expectedVersion: ${task.version}, status: DONE }]) { id } }`);
    expect(move.errors?.[0]?.errorType).toBe('Unauthorized');
    expect(await item('Tasks', { id: task.id })).toEqual(before);
  });

  it('moveTasks hiding the victim\'s task behind one of the attacker\'s own: Unauthorized, neither moves', async () => {
    const mine = await taskOf(attacker);
    const theirs = await taskOf(victim);
    const body = await call(
      attacker,
      `mutation { moveTasks(boardId: "main", moves: [{ id: "${mine.id}", expectedVersion: 1, status: DONE }, { id: "${theirs.id}", expectedVersion: 1, status: DONE }]) { id } }`,
    );
    expect(body.errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await item('Tasks', { id: mine.id }))!.status).toBe('TODO');
    expect((await item('Tasks', { id: theirs.id }))!.status).toBe('TODO');
  });
});

describe("another user's notifications", () => {
  // Stored as the notifier stores them: one item per recipient, newest last.
  const seed = async (userId: string, n: number) => {
    for (let i = 0; i < n; i++) {
      await stack.dynamodb.send(
        new PutItemCommand({
          TableName: stack.tableName('Notifications'),
          Item: {
            userId: { S: userId },
            id: { S: `${userId}-${String(i).padStart(3, '0')}` },
            kind: { S: 'ASSIGNED' },
            taskId: { S: 't' },
            message: { S: `private note ${i} for ${userId}` },
            sequence: { N: String(i + 1) },
            createdAt: { S: '2026-11-20T10:00:00Z' },
          },
        }),
      );
    }
  };
  const page = (who: Who, nextToken?: string) =>
    call(who, 'query ($n: String) { notifications(limit: 2, nextToken: $n) { items { userId message } nextToken } }', { n: nextToken });

  it('the list holds only the caller\'s own', async () => {
    await seed(victim.userId, 3);
    await seed(attacker.userId, 1);
    const body = await page(attacker);
    expect(body.errors).toBeUndefined();
    const items = body.data!.notifications.items as { userId: string; message: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.filter((n) => n.userId !== attacker.userId || n.message.includes(victim.userId))).toEqual([]);
  });

  it('the victim\'s nextToken, replayed by the attacker, yields none of the victim\'s notifications', async () => {
    const first = await page(victim);
    const stolen = first.data!.notifications.nextToken as string;
    expect(stolen).toBeTruthy();
    const replay = await page(attacker, stolen);
    const seen = (replay.data?.notifications?.items ?? []) as { userId: string }[];
    expect(seen.filter((n) => n.userId !== attacker.userId)).toEqual([]);
  });
});

describe("another person's verification session", () => {
  const client = () => onboardingClient(stack);
  const png = Buffer.from('89504e470d0a1a0a', 'hex');

  it('session ids are 128 random bits: unrelated from one session to the next', async () => {
    const ids: string[] = [];
    for (const who of ['one', 'two']) {
      const started = await client().start({ email: `${who}@example.com`, idDocument: png });
      ids.push(started.data!.startVerification.id);
    }
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(ids[0].slice(0, 6)).not.toBe(ids[1].slice(0, 6));
  });

  it('an id one character off the victim\'s reaches nothing: verification null, cancel / submit / requestUpload / startLivenessCheck NotFound', async () => {
    const started = await client().start({ email: 'person@example.com', idDocument: png });
    const id = started.data!.startVerification.id as string;
    const guess = id.slice(0, -1) + (id.endsWith('A') ? 'B' : 'A');
    expect((await client().get(guess)).data!.verification).toBeNull();
    for (const answer of [await client().cancel(guess), await client().submit(guess), await client().requestUpload(guess, png), await client().startLivenessCheck(guess)]) {
      expect(answer.errors?.[0]?.errorType).toBe('NotFound');
    }
    expect((await client().get(id)).data!.verification.state).toBe('REQUIRES_INPUT');
  });

  it('a session read by its id shows nothing personal: no email, name, user id, similarity or token', async () => {
    const email = 'private.person@example.com';
    const started = await client().start({ email, name: 'Private Person', idDocument: png });
    const answer = await stack.graphql(`query { verification(id: "${started.data!.startVerification.id}") { id kind state reason attemptsLeft expiresAt createdAt token tokenExpiresAt uploads { url } } }`, undefined, { 'x-api-key': stack.apiKey });
    const text = JSON.stringify(answer.body);
    expect(answer.body.data.verification).toMatchObject({ state: 'REQUIRES_INPUT', token: null, uploads: [] });
    for (const secret of [email, 'Private Person']) expect(text).not.toContain(secret);
    // The schema has no such fields: asking for them is a validation error, not a leak.
    const probe = await stack.graphql(`query { verification(id: "${started.data!.startVerification.id}") { email } }`, undefined, { 'x-api-key': stack.apiKey });
    expect(probe.status).toBe(200);
    expect(probe.body).toMatchObject({ data: null, errors: [{ message: expect.stringContaining("Validation error of type FieldUndefined: Field 'email'") }] });
  });

  it('a board token cannot read sessions through verification(id) (API key only)', async () => {
    const started = await client().start({ email: 'another@example.com', idDocument: png });
    const body = await call(attacker, `query { verification(id: "${started.data!.startVerification.id}") { id state } }`);
    expect(body.errors?.[0]?.errorType).toBe('Unauthorized');
    expect(body.data?.verification ?? null).toBeNull();
  });
});
