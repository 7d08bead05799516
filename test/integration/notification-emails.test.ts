import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

/**
 * What assignees hear about, in the app and by email: assignments, comments by others, and
 * tasks coming due (once per due date). Emails go through the mailer, locally to the outbox.
 */
describe('notifications by email', () => {
  let stack: TestStack;
  let lead: { token: string; userId: string };
  let member: { token: string; userId: string };
  const as = (who: { token: string }, query: string, variables: Record<string, unknown> = {}) =>
    stack.graphql(query, variables, { authorization: who.token }).then((r) => r.body);
  const emailsTo = async (address: string) => {
    const files = (await readdir(stack.services.outboxDir)).filter((f) => f.endsWith('.eml'));
    const texts = await Promise.all(files.map((f) => readFile(path.join(stack.services.outboxDir, f), 'utf8')));
    return texts.filter((t) => t.includes(`To: ${address}`));
  };
  const notificationsOf = async (who: { token: string }) => (await as(who, '{ notifications(limit: 50) { items { kind taskId message } } }')).data.notifications.items;

  beforeAll(async () => {
    stack = await startTestStack();
    lead = await stack.tokenFor('lead@example.com', 'ADMIN');
    member = await stack.tokenFor('member@example.com', 'MEMBER');
  });
  afterAll(() => stack?.stop());

  it('an assignment and a comment by someone else reach the assignee in the app and by email; the author hears nothing', async () => {
    const created = await as(lead, 'mutation ($a: ID!) { createTask(boardId: "main", input: { title: "Fix the login", assigneeId: $a }) { id } }', { a: member.userId });
    const taskId = created.data.createTask.id;
    await as(lead, 'mutation ($t: ID!) { addComment(boardId: "main", taskId: $t, body: "Can you look at this today?") { id } }', { t: taskId });
    await stack.fanOut.settled();

    const kinds = (await notificationsOf(member)).filter((n: any) => n.taskId === taskId).map((n: any) => n.kind).sort();
    expect(kinds).toEqual(['ASSIGNED', 'COMMENTED']);
    const mail = await emailsTo('member@example.com');
    expect(mail.some((m) => m.includes('assigned you') && m.includes('Fix the login'))).toBe(true);
    expect(mail.some((m) => /commented on/.test(m) && m.includes('Can you look at this today?'))).toBe(true);
    expect((await notificationsOf(lead)).filter((n: any) => n.kind === 'COMMENTED')).toEqual([]);

    // The assignee's own comment tells the creator, not the assignee.
    await as(member, 'mutation ($t: ID!) { addComment(boardId: "main", taskId: $t, body: "On it") { id } }', { t: taskId });
    await stack.fanOut.settled();
    expect((await notificationsOf(lead)).filter((n: any) => n.kind === 'COMMENTED' && n.taskId === taskId)).toHaveLength(1);
    expect((await notificationsOf(member)).filter((n: any) => n.kind === 'COMMENTED')).toHaveLength(1);
  });

  it('tells the assignee once that an open task is due, and never about a done one', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const due = await as(lead, 'mutation ($a: ID!, $d: AWSDate!) { createTask(boardId: "main", input: { title: "Send the report", assigneeId: $a, dueDate: $d }) { id } }', { a: member.userId, d: today });
    await as(lead, 'mutation ($a: ID!, $d: AWSDate!) { createTask(boardId: "main", input: { title: "Already done", assigneeId: $a, dueDate: $d, status: DONE }) { id } }', { a: member.userId, d: today });
    await stack.fanOut.settled();

    expect(await stack.api.invokeFunction('dueNotifier', {})).toEqual({ notified: 1 });
    expect(await stack.api.invokeFunction('dueNotifier', {})).toEqual({ notified: 0 });
    const dueSoon = (await notificationsOf(member)).filter((n: any) => n.kind === 'DUE_SOON');
    expect(dueSoon).toEqual([{ kind: 'DUE_SOON', taskId: due.data.createTask.id, message: `"Send the report" is due today (${today})` }]);
    expect((await emailsTo('member@example.com')).filter((m) => m.includes('is due today'))).toHaveLength(1);
  });
});
