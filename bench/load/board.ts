/**
 * A realistic board before the load: one admin and members, each with a session token, and
 * tasks made through `createTask` (each assigned to a member, who then owns it), then a wait
 * until the fan-out has caught up with the seeding.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { configFromEnv } from '../../api/config.ts';
import { api } from '../../api/definition.ts';
import { physicalTableName } from '../../api/naming.ts';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { dataFiles } from '../../local/data-dir.ts';
import { ensureActiveUser } from '../../local/dev-users.ts';
import { sleep } from '../realtime/stats.ts';
import { cpuSeconds } from '../realtime/target.ts';
import { graphqlClient, type GraphqlClient } from './graphql.ts';
import type { Runtime } from './runtime.ts';
import { TaskBook } from './tasks.ts';

/** A signed-in user of the board and their client. */
export interface BoardUser {
  id: string;
  email: string;
  role: 'ADMIN' | 'MEMBER';
  token: string;
  client: GraphqlClient;
}

/** Who is on the board. */
export interface Team {
  admin: BoardUser;
  members: BoardUser[];
  /** The admin first, then the members. */
  everyone: BoardUser[];
}

/**
 * The admin is the runtime's bench@example.com (minted by `securetask token`). Members are made
 * and given tokens by the functions `securetask token` itself runs (`ensureActiveUser`,
 * `mintSessionToken` with the data folder's key): one CLI process per member would take ~1 s
 * of CPU each for nothing the benchmark measures.
 */
export async function makeTeam(runtime: Runtime, users: number, sockets: number, timeoutMs: number): Promise<Team> {
  const client = (token: string) => graphqlClient(runtime.graphqlUrl, { authorization: token }, sockets, timeoutMs);
  const adminClient = client(runtime.token);
  const me = await adminClient.call('{ me { id email } }');
  if (!me.ok) throw new Error(`the admin token does not work: ${me.errorKind} ${me.errorMessage}`);
  const admin: BoardUser = { id: me.data.me.id, email: me.data.me.email, role: 'ADMIN', token: runtime.token, client: adminClient };

  const config = configFromEnv(); // the same environment the runtime got (see runtime.ts)
  const dynamodb = new DynamoDBClient({ endpoint: runtime.dynamodbEndpoint, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { active } = await loadLocalKeys(dataFiles(runtime.dataDir).keysDir);
  const members: BoardUser[] = [];
  try {
    for (let i = 1; i < users; i++) {
      const user = await ensureActiveUser(dynamodb, (table) => physicalTableName(api, config.stage, table), `member${i}@bench.example.com`, 'MEMBER');
      const { token } = await mintSessionToken({ sub: user.id, email: user.email, role: 'MEMBER' }, active, {
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
        lifetimeSeconds: config.tokenLifetimeSeconds,
      });
      members.push({ id: user.id, email: user.email, role: 'MEMBER', token, client: client(token) });
    }
  } finally {
    dynamodb.destroy();
  }
  return { admin, members, everyone: [admin, ...members] };
}

const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'] as const;
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
const LABELS = [['bug'], ['feature'], ['feature', 'ui'], [], ['ops']];
const CREATE = `mutation Seed($input: CreateTaskInput!) { createTask(boardId: "main", input: $input) { id status priority assigneeId version } }`;

/**
 * Creates `count` tasks as the admin (8 requests at a time), spread evenly over the members,
 * with a mix of statuses, priorities, labels and due dates (some overdue). Any error stops the run.
 */
export async function seedTasks(team: Team, count: number, random: () => number, say: (line: string) => void): Promise<TaskBook> {
  const book = new TaskBook();
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const dueInDays = Math.floor(random() * 60) - 20;
      const answer = await team.admin.client.call(CREATE, {
        input: {
          title: `Task ${i + 1}`,
          description: random() < 0.5 ? `What task ${i + 1} is about, in a sentence or two.` : undefined,
          status: STATUSES[Math.floor(random() * STATUSES.length)],
          priority: PRIORITIES[Math.floor(random() * PRIORITIES.length)],
          assigneeId: team.members[i % team.members.length].id,
          dueDate: random() < 0.7 ? new Date(Date.now() + dueInDays * 86_400_000).toISOString().slice(0, 10) : undefined,
          labels: LABELS[Math.floor(random() * LABELS.length)],
        },
      });
      if (!answer.ok) throw new Error(`seeding: createTask failed: ${answer.errorKind} ${answer.errorMessage ?? ''}`);
      const task = answer.data.createTask;
      book.add({ id: task.id, assigneeId: task.assigneeId, status: task.status, priority: task.priority, version: task.version });
      if (book.size % 500 === 0) say(`  ${book.size}/${count} tasks(boardId: "main")`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  say(`  ${count} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return book;
}

/**
 * Waits until the fan-out has caught up with the seeding: the board's counters hold every task,
 * the task events reached `events`, and the runtime's CPU has been quiet (under 0.15 core) for
 * 3 s, so notifications and emails are done too. The runtime is a separate process here, so
 * `fanOut.settled()` is out of reach; these are what it shows to the outside.
 */
export async function waitForSettle(runtime: Runtime, team: Team, events: number, say: (line: string) => void, maxMs = 10 * 60_000): Promise<number> {
  const started = Date.now();
  let lastSay = started;
  let quietSince: number | undefined;
  let cpuBefore = await cpuSeconds(runtime.pid);
  for (;;) {
    await sleep(1_000);
    const cpuNow = await cpuSeconds(runtime.pid);
    const cores = cpuNow - cpuBefore; // CPU seconds over about one second
    cpuBefore = cpuNow;
    const answer = await team.admin.client.call('{ lastTaskEventSequence(boardId: "main") boardStats(boardId: "main") { total } }');
    // A refused question would read as "nothing yet" for ever: stop with the refusal instead.
    if (!answer.ok) throw new Error(`reading the board's progress failed: ${answer.errorKind} ${answer.errorMessage ?? ''}`);
    const sequence = answer.data?.lastTaskEventSequence ?? 0;
    const total = answer.data?.boardStats?.total ?? 0;
    const caughtUp = answer.ok && sequence >= events && total >= events;
    quietSince = caughtUp && cores < 0.15 ? (quietSince ?? Date.now()) : undefined;
    if (quietSince !== undefined && Date.now() - quietSince >= 3_000) return sequence;
    if (Date.now() - lastSay >= 10_000) {
      lastSay = Date.now();
      say(`  ... task events ${sequence}/${events}, board total ${total}, runtime CPU ${cores.toFixed(2)} cores`);
    }
    if (Date.now() - started > maxMs) throw new Error(`the fan-out did not settle within ${maxMs / 60_000} minutes (events ${sequence}/${events}, board total ${total})`);
  }
}
