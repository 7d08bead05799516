/**
 * The board bench/web opens: a few users (one admin, members) and N tasks created through the API
 * as the admin, the way the web app creates them (`createTask` with a status), a few at a time.
 */
import type { RunningApp } from '../../test/browser/harness/app.ts';
import { seededRandom } from '../../lib/seeded-random.ts';

export interface BenchUser {
  email: string;
  role: 'ADMIN' | 'MEMBER';
  token: string;
  id: string;
}

export interface SeededTask {
  id: string;
  title: string;
  status: string;
  assigneeId: string | null;
}

const MEMBERS = ['ana.lopez', 'ben.okafor', 'chloe.martin', 'dev.patel'];
const STATUSES: [string, number][] = [
  ['TODO', 0.35],
  ['IN_PROGRESS', 0.25],
  ['BLOCKED', 0.1],
  ['DONE', 0.3],
];
const PRIORITIES: [string, number][] = [
  ['LOW', 0.25],
  ['MEDIUM', 0.4],
  ['HIGH', 0.25],
  ['URGENT', 0.1],
];
const LABELS = ['frontend', 'backend', 'bug', 'ops', 'design', 'docs', 'security'];
const VERBS = ['Fix', 'Review', 'Write', 'Update', 'Investigate', 'Ship', 'Refactor', 'Test', 'Document', 'Plan'];
const THINGS = [
  'sign-in timeout',
  'billing export',
  'onboarding email',
  'dashboard chart colours',
  'CSV import of contacts',
  'search ranking',
  'audit log retention',
  'mobile menu',
  'release notes',
  'rate limiter',
  'invoice PDF layout',
  'webhook retries',
];

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sub: string };

/** The admin (who creates the tasks) and four members, with session tokens. */
export async function makeUsers(app: RunningApp): Promise<{ admin: BenchUser; members: BenchUser[] }> {
  const want: { email: string; role: 'ADMIN' | 'MEMBER' }[] = [
    { email: 'bench.admin@example.com', role: 'ADMIN' },
    ...MEMBERS.map((name) => ({ email: `${name}@example.com`, role: 'MEMBER' as const })),
  ];
  // One at a time: the first user of a fresh install is special (the admin), so no races.
  const users: BenchUser[] = [];
  for (const { email, role } of want) {
    const token = await app.token(email, role);
    users.push({ email, role, token, id: claims(token).sub });
  }
  return { admin: users[0], members: users.slice(1) };
}

const pick = (random: () => number, weighted: [string, number][]) => {
  let x = random();
  for (const [value, weight] of weighted) {
    if ((x -= weight) < 0) return value;
  }
  return weighted[weighted.length - 1][0];
};

const CREATE = `mutation Create($input: CreateTaskInput!) { createTask(boardId: "main", input: $input) { id title status assigneeId } }`;

/** Creates `count` tasks with `concurrency` requests in flight; reports progress through `say`. */
export async function seedTasks(
  app: RunningApp,
  admin: BenchUser,
  assignees: BenchUser[],
  count: number,
  concurrency: number,
  say: (line: string) => void,
): Promise<SeededTask[]> {
  const random = seededRandom(20261121);
  const today = new Date();
  const inputs = Array.from({ length: count }, (_, i) => {
    const labels = [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => LABELS[Math.floor(random() * LABELS.length)]))];
    const input: Record<string, unknown> = {
      title: `${VERBS[Math.floor(random() * VERBS.length)]} ${THINGS[Math.floor(random() * THINGS.length)]} #${i + 1}`,
      status: pick(random, STATUSES),
      priority: pick(random, PRIORITIES),
      labels,
    };
    if (random() < 0.8) input.assigneeId = assignees[Math.floor(random() * assignees.length)].id;
    if (random() < 0.4) {
      const due = new Date(today.getTime() + Math.round(random() * 40 - 10) * 86_400_000);
      input.dueDate = due.toISOString().slice(0, 10);
    }
    if (random() < 0.5) input.description = 'Steps, context and links for whoever picks this up. Check the linked ticket and the last release notes first.';
    return input;
  });

  const tasks: SeededTask[] = new Array(count);
  let next = 0;
  let done = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const data = await app.graphql(admin.token, CREATE, { input: inputs[i] });
      tasks[i] = data.createTask;
      if (++done % 100 === 0) say(`  ${done}/${count} tasks created (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tasks;
}

/**
 * Waits until the stream consumers have caught up with the writes: the board's counters say
 * `count` tasks and the task-event sequence has not moved for `quietMs`. A page that loads the
 * board before that would receive the tail of the seeding as live changes while being measured.
 */
export async function waitForSettled(app: RunningApp, token: string, count: number, quietMs = 3000, timeoutMs = 180_000): Promise<{ ms: number; sequence: number | null }> {
  const started = Date.now();
  let last: number | null = -1;
  let since = Date.now();
  for (;;) {
    const data = await app.graphql(token, '{ lastTaskEventSequence boardStats(boardId: "main") { total } }');
    const sequence = data.lastTaskEventSequence as number | null;
    if (sequence !== last) {
      last = sequence;
      since = Date.now();
    }
    if (data.boardStats.total === count && Date.now() - since >= quietMs) return { ms: Date.now() - started, sequence };
    if (Date.now() - started > timeoutMs) throw new Error(`the stream consumers did not settle within ${timeoutMs / 1000} s (boardStats.total ${data.boardStats.total}, sequence ${sequence})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
