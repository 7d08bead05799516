/**
 * Attack: do more than one's role allows, through every mutation of the schema (and the admin
 * queries). Each attempt is made by a caller one step below the one the field is for: a member
 * for admin fields, a user with a role the board does not know, the API key (what anyone
 * without an account holds), and session tokens of any role for the fields only SecureTask's
 * own IAM-signed functions may call. Every attempt must be refused with `Unauthorized` and
 * leave every table as it was. A meta-test fails when a mutation is added to the schema
 * without an attack here (or a reason why it has no privilege to escalate).
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Kind, parse } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { connect, start, type RawClient } from '../helpers/realtime.ts';
import { projectRoot, startTestStack, type TestStack } from '../helpers/stack.ts';
import { setUserAttribute } from '../helpers/users.ts';

type Caller = 'member' | 'guest' | 'apiKey' | 'admin';
type Who = { token: string; userId: string };

let stack: TestStack;
let admin: Who;
let member: Who;
let guest: Who;
let bystander: Who;
let task: { id: string };
let dashboardTokenId: string;

beforeAll(async () => {
  stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0 } });
  admin = await stack.tokenFor('admin@example.com', 'ADMIN');
  member = await stack.tokenFor('member@example.com', 'MEMBER');
  bystander = await stack.tokenFor('bystander@example.com', 'MEMBER');
  guest = await stack.tokenFor('guest@example.com', 'MEMBER');
  // A role the board does not know: the authorizer passes it on, the resolvers must refuse it.
  await setRole(guest.userId, 'GUEST');
  const created = await stack.graphql('mutation ($i: CreateTaskInput!) { createTask(boardId: "main", input: $i) { id } }', { i: { title: 'Own task', assigneeId: member.userId } }, { authorization: admin.token });
  task = created.body.data.createTask;
  await stack.graphql(`mutation { inviteUser(email: "pending@example.com", role: MEMBER) { email } }`, undefined, { authorization: admin.token });
  const wall = await stack.graphql('mutation { createDashboardToken(boardId: "main", name: "Wall", expiresInDays: 30) { dashboardToken { id } } }', undefined, { authorization: admin.token });
  dashboardTokenId = wall.body.data.createDashboardToken.dashboardToken.id;
});
afterAll(() => stack?.stop());

function setRole(userId: string, role: string) {
  return setUserAttribute(stack, userId, 'role', role);
}

function headersOf(caller: Caller): Record<string, string> {
  if (caller === 'apiKey') return { 'x-api-key': stack.apiKey };
  return { authorization: { member, guest, admin }[caller].token };
}

/** Everything an escalation could change: the tables, item by item, and how long the audit log is. */
async function snapshot() {
  const tables = ['Users', 'Tasks', 'Invitations', 'Comments', 'TaskHistory', 'Boards', 'BoardKeys', 'BoardMembers', 'DashboardTokens'];
  const scans = await Promise.all(tables.map((t) => stack.dynamodb.send(new ScanCommand({ TableName: stack.tableName(t), ConsistentRead: true }))));
  const audit = await stack.dynamodb.send(new ScanCommand({ TableName: stack.tableName('AuditLog'), Select: 'COUNT', ConsistentRead: true }));
  const sort = (items: unknown[]) => items.map((i) => JSON.stringify(i)).sort();
  return { ...Object.fromEntries(tables.map((t, i) => [t, sort(scans[i].Items ?? [])])), audit: audit.Count };
}

interface Attempt {
  field: string;
  /** What the attacker is after, in words. */
  goal: string;
  by: Caller[];
  query: () => string;
  variables?: () => Record<string, unknown>;
}

const NOTIFICATION = () => ({ n: { id: 'forged', userId: bystander.userId, kind: 'ASSIGNED', taskId: task.id, message: 'Click here', sequence: 1, createdAt: '2026-11-20T10:00:00Z' } });
const TASK_EVENT = () => ({ e: { boardId: 'main', sequence: 999_999, type: 'TASK_DELETED', taskId: task.id, changes: [], actorId: admin.userId, at: '2026-11-20T10:00:00Z' } });
const STATS = () => ({ s: { boardId: 'main', total: 0, byStatus: [], byPriority: [], overdue: 0, openByAssignee: [], completedPerDay: [] } });

const attempts: Attempt[] = [
  { field: 'createTask', goal: 'put work on the board', by: ['member', 'guest', 'apiKey'], query: () => 'mutation { createTask(boardId: "main", input: { title: "x" }) { id } }' },
  { field: 'updateTask', goal: 'rename their own task (members change status, priority, description only)', by: ['member'], query: () => `mutation { updateTask(boardId: "main", input: { id: "${task.id}", expectedVersion: 1, title: "mine now" }) { id } }` },
  { field: 'updateTask', goal: 'reassign their own task to someone else', by: ['member'], query: () => `mutation { updateTask(boardId: "main", input: { id: "${task.id}", expectedVersion: 1, assigneeId: "${bystander.userId}" }) { id } }` },
  { field: 'updateTask', goal: 'change due date and labels of their own task', by: ['member'], query: () => `mutation { updateTask(boardId: "main", input: { id: "${task.id}", expectedVersion: 1, dueDate: "2030-01-01", labels: ["x"] }) { id } }` },
  { field: 'updateTask', goal: 'work on the board without a board role', by: ['guest', 'apiKey'], query: () => `mutation { updateTask(boardId: "main", input: { id: "${task.id}", expectedVersion: 1, status: DONE }) { id } }` },
  { field: 'deleteTask', goal: 'delete a task assigned to them', by: ['member', 'guest', 'apiKey'], query: () => `mutation { deleteTask(boardId: "main", id: "${task.id}", expectedVersion: 1) { id } }` },
  { field: 'moveTasks', goal: 'move tasks without a board role', by: ['guest', 'apiKey'], query: () => `mutation { moveTasks(boardId: "main", moves: [{ id: "${task.id}", expectedVersion: 1, status: DONE }]) { id } }` },
  { field: 'addComment', goal: 'comment without a board role', by: ['guest', 'apiKey'], query: () => `mutation { addComment(boardId: "main", taskId: "${task.id}", body: "hi") { id } }` },
  { field: 'editComment', goal: 'edit comments without a board role', by: ['guest', 'apiKey'], query: () => `mutation { editComment(boardId: "main", taskId: "${task.id}", id: "c", body: "x") { id } }` },
  { field: 'deleteComment', goal: 'delete comments without a board role', by: ['guest', 'apiKey'], query: () => `mutation { deleteComment(boardId: "main", taskId: "${task.id}", id: "c") { id } }` },
  { field: 'createBoard', goal: 'make a board of their own (installation admins only)', by: ['member', 'guest', 'apiKey'], query: () => 'mutation { createBoard(input: { key: "MINE", name: "Mine" }) { id } }' },
  { field: 'updateBoard', goal: 'let members create tasks on a board they are a member of', by: ['member', 'guest', 'apiKey'], query: () => 'mutation { updateBoard(input: { id: "main", settings: { membersCreateTasks: true, labels: [] } }) { id } }' },
  { field: 'archiveBoard', goal: 'make the board read-only for everyone', by: ['member', 'guest', 'apiKey'], query: () => 'mutation { archiveBoard(id: "main", archived: true) { id } }' },
  { field: 'setBoardMember', goal: 'make themselves board admin', by: ['member', 'guest', 'apiKey'], query: () => `mutation { setBoardMember(boardId: "main", userId: "${member.userId}", role: ADMIN) { role } }` },
  { field: 'removeBoardMember', goal: 'take the board admin off the board', by: ['member', 'guest', 'apiKey'], query: () => `mutation { removeBoardMember(boardId: "main", userId: "${admin.userId}") }` },
  { field: 'createDashboardToken', goal: 'mint a year-long token for the board', by: ['member', 'guest', 'apiKey'], query: () => 'mutation { createDashboardToken(boardId: "main", name: "Mine", expiresInDays: 365) { token } }' },
  { field: 'revokeDashboardToken', goal: 'black out the wall screen', by: ['member', 'guest', 'apiKey'], query: () => `mutation { revokeDashboardToken(boardId: "main", id: "${dashboardTokenId}") { id } }` },
  { field: 'resendInvitation', goal: 'keep an invitation alive (and mail someone again)', by: ['member', 'guest', 'apiKey'], query: () => 'mutation { resendInvitation(email: "pending@example.com") { email } }' },
  { field: 'inviteUser', goal: 'invite a second account of theirs as ADMIN', by: ['member', 'guest', 'apiKey'], query: () => 'mutation { inviteUser(email: "alt@example.com", role: ADMIN) { email } }' },
  { field: 'revokeInvitation', goal: 'withdraw someone\'s invitation', by: ['member', 'guest', 'apiKey'], query: () => 'mutation { revokeInvitation(email: "pending@example.com") }' },
  { field: 'setUserRole', goal: 'make themselves ADMIN', by: ['member', 'guest', 'apiKey'], query: () => `mutation { setUserRole(userId: "${member.userId}", role: ADMIN) { role } }` },
  { field: 'setUserRole', goal: 'demote the admin', by: ['member'], query: () => `mutation { setUserRole(userId: "${admin.userId}", role: MEMBER) { role } }` },
  { field: 'setUserStatus', goal: 'disable the admin', by: ['member', 'guest', 'apiKey'], query: () => `mutation { setUserStatus(userId: "${admin.userId}", status: DISABLED) { status } }` },
  { field: 'deleteUser', goal: 'erase another user', by: ['member', 'guest', 'apiKey'], query: () => `mutation { deleteUser(userId: "${bystander.userId}") }` },
  { field: 'reviewVerification', goal: 'approve a verification', by: ['member', 'guest', 'apiKey'], query: () => 'mutation { reviewVerification(id: "AAAAAAAAAAAAAAAAAAAAAA", approve: true, note: "ok") { id } }' },
  { field: 'signOut', goal: 'sign someone out without being anyone', by: ['apiKey'], query: () => 'mutation { signOut }' },
  { field: 'publishNotification', goal: 'push a forged notification to another user', by: ['member', 'admin', 'apiKey'], query: () => 'mutation ($n: NotificationInput!) { publishNotification(notification: $n) { id userId message } }', variables: NOTIFICATION },
  { field: 'publishTaskEvent', goal: 'push a forged "task deleted" event to every board', by: ['member', 'admin', 'apiKey'], query: () => 'mutation ($e: TaskEventInput!) { publishTaskEvent(event: $e) { sequence } }', variables: TASK_EVENT },
  { field: 'publishBoardStats', goal: 'push forged figures to every dashboard', by: ['member', 'admin', 'apiKey'], query: () => 'mutation ($s: BoardStatsInput!) { publishBoardStats(stats: $s) { total } }', variables: STATS },
  { field: 'invitations', goal: 'list who was invited', by: ['member', 'guest', 'apiKey'], query: () => '{ invitations { items { email } } }' },
  { field: 'boards', goal: 'list every board of the installation', by: ['member', 'guest', 'apiKey'], query: () => '{ boards { id name } }' },
  { field: 'dashboardTokens', goal: 'list the board\'s wall-screen tokens', by: ['member', 'guest', 'apiKey'], query: () => '{ dashboardTokens(boardId: "main") { id name } }' },
  { field: 'users', goal: 'list every user with their status and role', by: ['member', 'guest', 'apiKey'], query: () => '{ users { items { id email role status } } }' },
  { field: 'auditLog', goal: 'read the audit log', by: ['member', 'guest', 'apiKey'], query: () => '{ auditLog { items { id action } } }' },
  { field: 'verificationsForReview', goal: 'see other people\'s ID photos', by: ['member', 'guest', 'apiKey'], query: () => '{ verificationsForReview { items { id email idDocumentUrl selfieUrl } } }' },
];

/** Mutations with no role to escalate to: people without an account use them with the API key, by design. */
const OPEN_BY_DESIGN: Record<string, string> = {
  startVerification: 'anyone may start (invite-only is enforced inside; enumeration.test.ts)',
  startFaceLogin: 'anyone may try (brute-force.test.ts)',
  requestUpload: 'the session id is the capability (idor.test.ts)',
  startLivenessCheck: 'the session id is the capability (idor.test.ts); each check counts against the email and the address (brute-force.test.ts)',
  submitVerification: 'the session id is the capability (idor.test.ts, brute-force.test.ts)',
  cancelVerification: 'the session id is the capability (idor.test.ts)',
};

describe('every mutation, one step below the caller it is for', () => {
  const cases = attempts.flatMap((a) => a.by.map((by) => [a.field, by, a.goal, a] as const));

  it.each(cases)('%s as %s, to %s: Unauthorized, nothing changes', async (_field, by, _goal, attempt) => {
    const before = await snapshot();
    const { status, body } = await stack.graphql(attempt.query(), attempt.variables?.(), headersOf(by));
    expect(status).toBe(200);
    expect(body.errors?.[0]?.errorType, JSON.stringify(body)).toBe('Unauthorized');
    expect(body.data?.[attempt.field] ?? null).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('covers every mutation of the schema (a new one needs an attack here, or a reason it has none)', () => {
    const document = parse(readFileSync(path.join(projectRoot, 'schema.graphql'), 'utf8'));
    const mutations = document.definitions.flatMap((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Mutation' ? (d.fields ?? []).map((f) => f.name.value) : []));
    expect(mutations.length).toBeGreaterThan(20);
    const attacked = new Set(attempts.map((a) => a.field));
    expect(mutations.filter((m) => !attacked.has(m) && !OPEN_BY_DESIGN[m])).toEqual([]);
  });
});

describe('a role claimed in the token is not a role held', () => {
  it('a validly signed token that says ADMIN for a member opens nothing an admin may do', async () => {
    const { active } = await loadLocalKeys(path.join(stack.dataDir, 'keys'));
    const { token } = await mintSessionToken({ sub: member.userId, email: 'member@example.com', role: 'ADMIN' }, active, {
      issuer: stack.config.tokenIssuer,
      audience: stack.config.tokenAudience,
      lifetimeSeconds: 600,
    });
    const me = await stack.graphql('{ me { role } }', undefined, { authorization: token });
    expect(me.body).toEqual({ data: { me: { role: 'MEMBER' } } });
    const before = await snapshot();
    const promote = await stack.graphql(`mutation { setUserRole(userId: "${member.userId}", role: ADMIN) { role } }`, undefined, { authorization: token });
    expect(promote.body.errors?.[0]?.errorType).toBe('Unauthorized');
    expect(await snapshot()).toEqual(before);
  });
});

describe('a forged publish reaches no subscriber', () => {
  it("a member's publishNotification to another user is refused, and the victim's live subscription gets nothing", async () => {
    const host = new URL(stack.graphqlUrl).host;
    const victim: RawClient = await connect(stack.realtimeUrl, { Authorization: bystander.token, host });
    try {
      victim.send({ type: 'connection_init' });
      await victim.next('connection_ack');
      victim.send(start('n', 'subscription { onNotification { id message } }', { Authorization: bystander.token, host }));
      await victim.next('start_ack');
      const { body } = await stack.graphql('mutation ($n: NotificationInput!) { publishNotification(notification: $n) { id userId message } }', NOTIFICATION(), { authorization: member.token });
      expect(body.errors?.[0]?.errorType).toBe('Unauthorized');
      await new Promise((r) => setTimeout(r, 150));
      expect(victim.messages.filter((m) => m.type === 'data')).toEqual([]);
    } finally {
      victim.close();
    }
  });
});
