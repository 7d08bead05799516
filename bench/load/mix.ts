/**
 * The workload mix: what one arrival of the open loop does. Weights are percentages of arrivals.
 *
 * | share | operation | who | what |
 * |---:|---|---|---|
 * | 15 | `tasks(boardId: "main", filter: { status })` | anyone | a column, page of 50 |
 * | 8 | `tasks(boardId: "main", filter: { assigneeId })` | anyone | a person's tasks, page of 50 |
 * | 10 | `task(boardId: "main", id)` | anyone | one card |
 * | 8 | `taskHistory(boardId: "main", taskId)` | anyone | a card's history, page of 20 |
 * | 7 | `comments(boardId: "main", taskId)` | anyone | a card's comments, page of 20 (half the time a card commented in this run) |
 * | 6 | `boardStats(boardId: "main")` | anyone | the dashboard counters |
 * | 6 | `myTasks` | a member | their own tasks, page of 50 |
 * | 25 | `updateTask` | a member | priority or description of an idle task of their own, at its version |
 * | 5 | `moveTasks` | a member | 5 idle tasks of their own to another status, all at their versions |
 * | 10 | `addComment` | a member | on any idle task |
 *
 * Reads 60 %, writes 40 %. "Anyone" is the admin or a member, uniformly. Writers never contend:
 * each takes idle tasks from the TaskBook (its own, for updates and moves) and gives them back
 * with the new version, so a conflict or any other error is a real error. addComment takes its
 * task too, because its transaction checks the task and would collide with a write of it.
 */
import type { BoardUser, Team } from './board.ts';
import type { ExpectedEvents } from './events.ts';
import type { Answer } from './graphql.ts';
import type { TaskBook, TaskState } from './tasks.ts';

/** What an operation came to: an answer, or `skipped` when no idle task was there to take. */
export type Outcome = Answer | { skipped: true };

/** What the operations work on. */
export interface MixContext {
  team: Team;
  book: TaskBook;
  expected: ExpectedEvents;
  random: () => number;
}

/** One kind of arrival. */
export interface Operation {
  name: string;
  /** Percent of arrivals. */
  weight: number;
  write: boolean;
  run(ctx: MixContext): Promise<Outcome>;
}

const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'];
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];
const CARD = 'id title status priority assigneeId dueDate labels rank version updatedAt';
const MOVE_SIZE = 5;

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)];
const anyone = (ctx: MixContext): BoardUser => pick(ctx.team.everyone, ctx.random);
const aMember = (ctx: MixContext): BoardUser => pick(ctx.team.members, ctx.random);

/** What a write answers for each task it wrote. */
interface Written {
  id: string;
  version: number;
  status: string;
  priority: string;
}

/**
 * Runs a write on taken tasks; on success records their new versions and the events they
 * imply (a write that changes nothing is answered without a new version, and makes no event;
 * the mix avoids those anyway), on failure retires them.
 */
async function write(ctx: MixContext, tasks: TaskState[], send: () => Promise<Answer>, written: (data: any) => Written[]): Promise<Answer> {
  let answer: Answer | undefined;
  try {
    answer = await send();
    if (answer.ok) {
      const at = performance.now();
      for (const result of written(answer.data)) {
        const task = ctx.book.byId.get(result.id)!;
        if (result.version > task.version) ctx.expected.add(result.id, result.version, at);
        Object.assign(task, { version: result.version, status: result.status, priority: result.priority });
      }
    }
    return answer;
  } finally {
    ctx.book.release(tasks, !answer?.ok);
  }
}

export const MIX: Operation[] = [
  {
    name: 'tasks by status',
    weight: 15,
    write: false,
    run: (ctx) =>
      anyone(ctx).client.call(`query Column($f: TaskFilter) { tasks(boardId: "main", filter: $f, limit: 50) { items { ${CARD} } nextToken } }`, { f: { status: pick(STATUSES, ctx.random) } }),
  },
  {
    name: 'tasks by assignee',
    weight: 8,
    write: false,
    run: (ctx) =>
      anyone(ctx).client.call(`query Person($f: TaskFilter) { tasks(boardId: "main", filter: $f, limit: 50) { items { ${CARD} } nextToken } }`, { f: { assigneeId: aMember(ctx).id } }),
  },
  {
    name: 'task',
    weight: 10,
    write: false,
    run: (ctx) => anyone(ctx).client.call(`query Card($id: ID!) { task(boardId: "main", id: $id) { ${CARD} description createdBy createdAt updatedBy } }`, { id: ctx.book.anyId(ctx.random) }),
  },
  {
    name: 'taskHistory',
    weight: 8,
    write: false,
    run: (ctx) =>
      anyone(ctx).client.call('query History($id: ID!) { taskHistory(boardId: "main", taskId: $id, limit: 20) { items { version action actorId at changes { field from to } } nextToken } }', {
        id: ctx.book.anyId(ctx.random),
      }),
  },
  {
    name: 'comments',
    weight: 7,
    write: false,
    run: (ctx) => {
      const id = ctx.book.commented.length && ctx.random() < 0.5 ? pick(ctx.book.commented, ctx.random) : ctx.book.anyId(ctx.random);
      return anyone(ctx).client.call('query Comments($id: ID!) { comments(boardId: "main", taskId: $id, limit: 20) { items { id authorId body createdAt editedAt } nextToken } }', { id });
    },
  },
  {
    name: 'boardStats',
    weight: 6,
    write: false,
    run: (ctx) =>
      anyone(ctx).client.call(
        '{ boardStats(boardId: "main") { total overdue updatedAt byStatus { status count } byPriority { priority count } openByAssignee { assigneeId count } completedPerDay { day count } } }',
      ),
  },
  {
    name: 'myTasks',
    weight: 6,
    write: false,
    run: (ctx) => aMember(ctx).client.call(`{ myTasks(limit: 50) { items { ${CARD} } nextToken } }`),
  },
  {
    name: 'updateTask',
    weight: 25,
    write: true,
    run: async (ctx) => {
      const member = aMember(ctx);
      const tasks = ctx.book.take(ctx.random, 1, member.id);
      if (!tasks) return { skipped: true };
      const [task] = tasks;
      // Always a real change: a write that changes nothing is answered without writing.
      const change = ctx.random() < 0.5 ? { priority: pick(PRIORITIES.filter((p) => p !== task.priority), ctx.random) } : { description: `Edited at ${new Date().toISOString()} (${ctx.random()})` };
      return write(
        ctx,
        tasks,
        () => member.client.call('mutation Update($i: UpdateTaskInput!) { updateTask(boardId: "main", input: $i) { id version status priority } }', { i: { id: task.id, expectedVersion: task.version, ...change } }),
        (data) => [data.updateTask],
      );
    },
  },
  {
    name: 'moveTasks',
    weight: 5,
    write: true,
    run: async (ctx) => {
      const member = aMember(ctx);
      const tasks = ctx.book.take(ctx.random, MOVE_SIZE, member.id);
      if (!tasks) return { skipped: true };
      const moves = tasks.map((t) => ({ id: t.id, expectedVersion: t.version, status: pick(STATUSES.filter((s) => s !== t.status), ctx.random) }));
      return write(
        ctx,
        tasks,
        () => member.client.call('mutation Move($m: [TaskMoveInput!]!) { moveTasks(boardId: "main", moves: $m) { id version status priority } }', { m: moves }),
        (data) => data.moveTasks,
      );
    },
  },
  {
    name: 'addComment',
    weight: 10,
    write: true,
    run: async (ctx) => {
      const member = aMember(ctx);
      const tasks = ctx.book.take(ctx.random, 1);
      if (!tasks) return { skipped: true };
      try {
        const answer = await member.client.call('mutation Comment($id: ID!, $body: String!) { addComment(boardId: "main", taskId: $id, body: $body) { id createdAt } }', {
          id: tasks[0].id,
          body: `A comment from ${member.email} at ${new Date().toISOString()}.`,
        });
        if (answer.ok) ctx.book.noteComment(tasks[0].id);
        return answer;
      } finally {
        // A comment does not change the task, so its version stays known either way.
        ctx.book.release(tasks);
      }
    },
  },
];

/** Picks an operation by weight. */
export function pickOperation(random: () => number): Operation {
  const total = MIX.reduce((n, op) => n + op.weight, 0);
  let r = random() * total;
  for (const op of MIX) {
    r -= op.weight;
    if (r < 0) return op;
  }
  return MIX[MIX.length - 1];
}
