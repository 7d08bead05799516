import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteItemCommand, DynamoDBClient, ScanCommand, type DynamoDBClient as Client } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../api/config.ts';
import { api } from '../../api/definition.ts';
import { physicalTableName } from '../../api/naming.ts';
import { migrateToBoards, MIGRATION_MARKER, type MigrationTables } from '../../functions/boards-migration/migrate.ts';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { createTables, startDynamoDBLocal, type DynamoDBLocalHandle } from '../../local/aws/index.ts';
import { dataFiles } from '../../local/data-dir.ts';
import { projectRoot } from '../helpers/stack.ts';
import { underLoad } from '../helpers/load.ts';

/**
 * The boards migration on data written by SecureTask before boards: test/fixtures/pre-boards/
 * holds DynamoDB Local's files as that code left them and what its API answered then
 * (before.json); make.ts in that folder made both from the commit before boards.
 */
const fixture = path.join(projectRoot, 'test/fixtures/pre-boards');
const cli = path.join(projectRoot, 'bin/securetask.js');
const config = configFromEnv();
const tableName = (table: string) => physicalTableName(api, config.stage, table);

interface Before {
  users: { id: string; email: string; role: 'ADMIN' | 'MEMBER' }[];
  tasks: { id: string; title: string; status: string; version: number; rank: string; createdAt: string }[];
  deleted: string;
  comments: Record<string, unknown[]>;
  history: Record<string, unknown[]>;
  events: { sequence: number; type: string; taskId: string; status: string | null }[];
  lastSequence: number;
  notifications: Record<'bob' | 'cyd', unknown[]>;
  stats: { total: number; overdue: number; byStatus: unknown[]; byPriority: unknown[] };
  invited: string;
}
let before: Before;
const work: string[] = [];

beforeAll(async () => {
  before = JSON.parse(await readFile(path.join(fixture, 'before.json'), 'utf8'));
});
afterAll(async () => {
  for (const dir of work) await rm(dir, { recursive: true, force: true });
});

/** A data folder holding a copy of the fixture's tables. */
async function copyOfFixture(): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'securetask-pre-boards-'));
  work.push(dataDir);
  await cp(path.join(fixture, 'dynamodb'), path.join(dataDir, 'dynamodb'), { recursive: true });
  return dataDir;
}

// Whole processes (Java, the runtime) start here: give them room on two cores.
describe('npm start on a data folder made before boards', { timeout: underLoad(180_000) }, () => {
  let dataDir: string;
  let runtime: ChildProcess | undefined;
  let graphqlUrl: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = await copyOfFixture();
    const started = await start(dataDir);
    runtime = started.child;
    graphqlUrl = started.output().match(/http:\/\/127\.0\.0\.1:\d+\/graphql/)![0];
    // Tokens signed with the folder's key for the people the old code made, as their sign-in
    // would: `securetask token` would put them on a board itself, which is the migration's job.
    const { active } = await loadLocalKeys(dataFiles(dataDir).keysDir);
    for (const user of before.users) {
      const minted = await mintSessionToken({ sub: user.id, email: user.email, role: user.role }, active, { issuer: config.tokenIssuer, audience: config.tokenAudience, lifetimeSeconds: config.tokenLifetimeSeconds });
      tokens[user.email.split('@')[0]] = minted.token;
    }
  }, underLoad(180_000));
  afterAll(async () => {
    if (runtime) await stop(runtime);
  });

  const as = (person: string) => async (query: string) => {
    const response = await fetch(graphqlUrl, { method: 'POST', headers: { authorization: tokens[person], 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  it('comes up with the board main, named, and every user on it with their role', async () => {
    const memberships = (await as('bob')('{ myBoards { role board { id key name archivedAt settings { membersCreateTasks labels } } } }')).myBoards;
    expect(memberships).toEqual([{ role: 'MEMBER', board: { id: 'main', key: 'MAIN', name: 'Main board', archivedAt: null, settings: { membersCreateTasks: false, labels: ['docs', 'ops', 'security', 'web'] } } }]);
    const members = (await as('ada')('{ boardMembers(boardId: "main", limit: 100) { items { userId email role } } }')).boardMembers.items;
    expect(members.map((m: { email: string; role: string }) => [m.email, m.role]).sort()).toEqual([
      ['ada@example.com', 'ADMIN'],
      ['bob@example.com', 'MEMBER'],
      ['cyd@example.com', 'MEMBER'],
    ]);
  });

  it('loses no task: same fields, versions and ranks, with keys MAIN-1.. in creation order', async () => {
    const tasks = (await as('ada')('{ tasks(boardId: "main", limit: 100) { items { id key boardId title status priority assigneeId labels dueDate version rank createdAt } } }')).tasks.items;
    const byId = new Map(tasks.map((t: { id: string }) => [t.id, t]));
    expect(tasks).toHaveLength(before.tasks.length);
    for (const old of before.tasks) expect(byId.get(old.id)).toEqual({ ...old, boardId: 'main', key: expect.stringMatching(/^MAIN-\d+$/) });
    const keysInCreationOrder = [...before.tasks].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((t) => (byId.get(t.id) as { key: string }).key);
    expect(keysInCreationOrder).toEqual(before.tasks.map((_, i) => `MAIN-${i + 1}`));
    expect(await as('ada')(`{ task(boardId: "main", id: "${before.deleted}") { id } }`)).toEqual({ task: null });
  });

  it('keeps every comment (edited ones edited, deleted ones gone) and every history entry', async () => {
    for (const [taskId, comments] of Object.entries(before.comments)) {
      expect((await as('ada')(`{ comments(boardId: "main", taskId: "${taskId}", limit: 100) { items { id authorId body editedAt } } }`)).comments.items).toEqual(comments);
    }
    for (const [taskId, history] of Object.entries(before.history)) {
      expect((await as('ada')(`{ taskHistory(boardId: "main", taskId: "${taskId}", limit: 100) { items { version action actorId } } }`)).taskHistory.items).toEqual(history);
    }
  });

  it('a pending invitation leads to the board main with the role it gave', async () => {
    const invitations = (await as('ada')('{ invitations(limit: 100) { items { email role boards { boardId role } } } }')).invitations.items;
    expect(invitations).toEqual([{ email: before.invited, role: 'MEMBER', boards: [{ boardId: 'main', role: 'MEMBER' }] }]);
  });

  it('keeps the event feed: the old events, then the next task\'s with the next key and sequence (the migration\'s own writes are no events)', async () => {
    expect((await as('bob')('{ lastTaskEventSequence(boardId: "main") }')).lastTaskEventSequence).toBe(before.lastSequence);
    const created = (await as('ada')('mutation { createTask(boardId: "main", input: { title: "After boards" }) { id key } }')).createTask;
    expect(created.key).toBe(`MAIN-${before.tasks.length + 1}`);
    // The stream is read in order: once the new task's event is there, anything the migration's
    // writes made of it would be too.
    const feed = async () => (await as('bob')('{ taskEvents(boardId: "main", limit: 100) { items { sequence type taskId status } } }')).taskEvents.items;
    await until(async () => (await feed()).some((e: { taskId: string }) => e.taskId === created.id));
    expect(await feed()).toEqual([...before.events, { sequence: before.lastSequence + 1, type: 'TASK_CREATED', taskId: created.id, status: 'TODO' }]);
    expect((await as('bob')(`{ taskEvents(boardId: "main", after: ${before.lastSequence}) { items { sequence taskId } } }`)).taskEvents.items).toEqual([{ sequence: before.lastSequence + 1, taskId: created.id }]);
  });

  it("keeps the notifications and the board's figures (with the new task counted)", async () => {
    for (const person of ['bob', 'cyd'] as const) {
      const items = (await as(person)('{ notifications(limit: 100) { items { id kind taskId sequence boardId } } }')).notifications.items;
      expect(items).toEqual(before.notifications[person].map((n) => ({ ...(n as object), boardId: 'main' })));
    }
    const figures = async () => (await as('cyd')('{ boardStats(boardId: "main") { total overdue byStatus { status count } byPriority { priority count } } }')).boardStats;
    await until(async () => (await figures()).total === before.stats.total + 1);
    const count = (list: unknown[], key: string, value: string) => list.map((entry: any) => (entry[key] === value ? { ...entry, count: entry.count + 1 } : entry));
    expect(await figures()).toEqual({ ...before.stats, total: before.stats.total + 1, byStatus: count(before.stats.byStatus, 'status', 'TODO'), byPriority: count(before.stats.byPriority, 'priority', 'MEDIUM') });
  });
});

describe('the migration stopped midway, run again', { timeout: underLoad(180_000) }, () => {
  let dynamodbLocal: DynamoDBLocalHandle;
  let client: DynamoDBClient;
  const tables: MigrationTables = {
    boards: tableName('Boards'),
    boardKeys: tableName('BoardKeys'),
    boardMembers: tableName('BoardMembers'),
    users: tableName('Users'),
    tasks: tableName('Tasks'),
    taskHistory: tableName('TaskHistory'),
    comments: tableName('Comments'),
    notifications: tableName('Notifications'),
    invitations: tableName('Invitations'),
    ledger: tableName('EventLedger'),
  };

  beforeAll(async () => {
    const dataDir = await copyOfFixture();
    dynamodbLocal = await startDynamoDBLocal({ dataDir: path.join(dataDir, 'dynamodb') });
    client = new DynamoDBClient({ endpoint: dynamodbLocal.endpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // As `npm start` and a deploy do before the migration runs: the tables of the new description.
    await createTables(client, api.tables, tableName);
  }, underLoad(180_000));
  afterAll(async () => {
    client?.destroy();
    await dynamodbLocal?.stop();
  });

  it('finishes what crashed runs left, each crash at a later call, some after a write landed', async () => {
    // Each run stops at its nth DynamoDB call: before the call is sent (odd n) or after its write
    // landed but before the answer is used (even n), as a process killed at that moment would.
    let crashes = 0;
    for (let n = 1; ; n += 1) {
      const outcome = await migrateToBoards(crashingAt(client, n), tables).then(
        () => 'finished' as const,
        (error: Error) => {
          if (error.message !== 'crash') throw error;
          return 'crashed' as const;
        },
      );
      if (outcome === 'finished') break;
      crashes += 1;
    }
    expect(crashes).toBeGreaterThan(10);
    await expectMigrated();
  });

  it('run again it changes nothing, with its marker or without it', async () => {
    const dump = await everything();
    expect((await migrateToBoards(client, tables)).skipped).toBe(true);
    expect(await everything()).toEqual(dump);
    // A deployment that lost the marker (or a second migration function racing the first) finds
    // everything done: it writes nothing but the marker.
    await client.send(new DeleteItemCommand({ TableName: tables.ledger, Key: { id: { S: MIGRATION_MARKER } } }));
    const again = await migrateToBoards(client, tables);
    expect(again).toMatchObject({ skipped: false, board: 'existed', members: 0, tasksKeyed: 0, history: 0, comments: 0, notifications: 0, invitations: 0 });
    expect(await everything()).toEqual(dump);
  });

  async function scan(table: string): Promise<Record<string, any>[]> {
    const { Items = [] } = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    return Items.map((item) => unmarshall(item));
  }

  /** Every table the migration writes, but the marker (it records when it ran). */
  async function everything() {
    const result: Record<string, unknown[]> = {};
    for (const [name, table] of Object.entries(tables)) {
      const items = await scan(table);
      result[name] = items.filter((item) => item.id !== MIGRATION_MARKER).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return result;
  }

  async function expectMigrated() {
    const [board] = await scan(tables.boards);
    expect(board).toMatchObject({ id: 'main', key: 'MAIN', name: 'Main board' });
    expect((await scan(tables.boardMembers)).map((m) => [m.boardId, m.userId, m.role]).sort()).toEqual(
      before.users.map((u) => ['main', u.id, u.role]).sort(),
    );
    // Every task keyed once, no key given twice; a number a crash took may stay unused, but the
    // counter is past every key given, so the next task's key is new.
    const tasks = await scan(tables.tasks);
    expect(tasks.map((t) => t.id).sort()).toEqual(before.tasks.map((t) => t.id).sort());
    const numbers = tasks.map((t) => Number(/^MAIN-(\d+)$/.exec(t.key)![1]));
    expect(new Set(numbers).size).toBe(tasks.length);
    expect(Number(board.taskCount)).toBeGreaterThanOrEqual(Math.max(...numbers));
    for (const task of tasks) {
      expect(task.column).toBe(`main#${task.status}`);
      expect(task.version).toBe(before.tasks.find((t) => t.id === task.id)!.version);
    }
    for (const table of [tables.taskHistory, tables.comments, tables.notifications]) {
      const items = await scan(table);
      expect(items.length).toBeGreaterThan(0);
      expect(items.filter((item) => item.boardId !== 'main')).toEqual([]);
    }
    expect((await scan(tables.invitations)).map((i) => i.boards)).toEqual([[{ boardId: 'main', role: 'MEMBER' }]]);
  }
});

/** A client whose nth call (and every later one) fails as a killed process would. */
function crashingAt(client: Client, n: number): Client {
  let calls = 0;
  return {
    send: async (command: Parameters<Client['send']>[0]) => {
      calls += 1;
      if (calls > n) throw new Error('crash');
      if (calls === n && n % 2 === 1) throw new Error('crash');
      const output = await client.send(command as never);
      if (calls === n) throw new Error('crash');
      return output;
    },
  } as unknown as Client;
}

async function start(dataDir: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [cli, 'start'], { env: { ...process.env, SECURETASK_DATA_DIR: dataDir, PORT: '0', SECURETASK_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + underLoad(150_000);
  while (!output.includes('SecureTask is ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`securetask start did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
