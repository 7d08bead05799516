/**
 * What the board tests share: tasks and teammates as the API returns them, a signed-in session
 * (a token the app can read; the API is mocked, so nobody checks its signature), and the canned
 * answers of the board's queries and mutations.
 */
import type { MockLink } from '@apollo/client/testing';
import { BoardColumnDocument, MoveTasksDocument, TeammatesDocument, UpdateTaskDocument, type UpdateTaskInput } from '../src/generated/graphql.ts';
import type { Task, TaskStatus } from '../src/board/model.ts';
import { STATUSES } from '../src/board/model.ts';
import { createSessionStore, type Role } from '../src/session/session.ts';
import { memoryStorage, testBoard } from './render.tsx';

const boardId = testBoard.id;

export const ANA = 'u-ana';
export const BEN = 'u-ben';

/** A task with sensible defaults; `rank` orders it in its column. */
export function task(overrides: Partial<Task> & { id: string }): Task {
  return {
    __typename: 'Task',
    boardId,
    key: `${testBoard.key}-${overrides.id}`,
    title: `Task ${overrides.id}`,
    description: null,
    status: 'TODO',
    priority: 'MEDIUM',
    assigneeId: null,
    dueDate: null,
    labels: [],
    rank: 'V',
    completedAt: null,
    createdBy: ANA,
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedBy: ANA,
    updatedAt: '2026-03-01T10:00:00.000Z',
    version: 1,
    ...overrides,
  } as Task;
}

const base64url = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A session store signed in as `userId` with `role`. */
export function signedIn(userId: string, role: Role = 'MEMBER') {
  const store = createSessionStore(memoryStorage());
  const claims = { sub: userId, email: `${userId}@example.com`, role, exp: Math.floor(Date.now() / 1000) + 3600 };
  store.signIn(`${base64url({ alg: 'ES256', typ: 'JWT' })}.${base64url(claims)}.signature`);
  return store;
}

export const teammatesAnswer: MockLink.MockedResponse = {
  request: { query: TeammatesDocument, variables: { boardId, nextToken: null } },
  result: {
    data: {
      teammates: {
        __typename: 'TeammateConnection',
        items: [
          { __typename: 'Teammate', id: ANA, name: 'Ana Lima', email: 'ana@example.com' },
          { __typename: 'Teammate', id: BEN, name: null, email: 'ben@example.com' },
        ],
        nextToken: null,
      },
    },
  },
};

/** One page of a column (tasks in the order given, which the API gives in rank order). */
export function columnAnswer(
  status: TaskStatus,
  tasks: Task[],
  { nextToken = null as string | null, after = null as string | null } = {},
): MockLink.MockedResponse {
  return {
    request: { query: BoardColumnDocument, variables: { boardId, status, nextToken: after } },
    result: { data: { tasks: { __typename: 'TaskConnection', items: tasks, nextToken } } },
  };
}

/** The answers that load a board holding `tasks` (each column in one page). */
export function boardAnswers(tasks: Task[]): MockLink.MockedResponse[] {
  return [
    ...STATUSES.map((status) =>
      columnAnswer(
        status,
        tasks.filter((t) => t.status === status),
      ),
    ),
    teammatesAnswer,
  ];
}

/** updateTask answering the task, or a ConflictError carrying `current`. */
export function updateAnswer(input: UpdateTaskInput, answer: { task: Task } | { conflict: Task }): MockLink.MockedResponse {
  return {
    request: { query: UpdateTaskDocument, variables: { boardId, input } },
    result:
      'task' in answer
        ? { data: { updateTask: answer.task } }
        : {
            data: null,
            errors: [{ message: `task was changed by someone else`, errorType: 'ConflictError', data: storedItem(answer.conflict) } as never],
          },
  };
}

/** moveTasks refused with an error of `errorType`. */
export function moveRefused(moves: unknown[], errorType: string, data?: object): MockLink.MockedResponse {
  return {
    request: { query: MoveTasksDocument, variables: { boardId, moves } },
    result: { data: null, errors: [{ message: 'refused', errorType, data } as never] },
  };
}

/** A task as the resolvers put it in a ConflictError: absent fields are missing, not null; its board is `board`. */
export function storedItem(t: Task): Record<string, unknown> {
  const { boardId: board, ...rest } = t;
  const item: Record<string, unknown> = { ...rest, board };
  delete item.__typename;
  for (const key of Object.keys(item)) if (item[key] === null) delete item[key];
  return item;
}
