/**
 * What a person does to tasks, against the API and the board at once: moves show at once and roll
 * back if the API refuses them; saves, creations and deletions show when the API answers. Each
 * answer (or the current task a ConflictError carries) goes onto the board, so what people see is
 * never older than what the API told us.
 */
import type { ApolloClient } from '@apollo/client';
import { apiError, type ApiError } from '../data/errors.ts';
import {
  CreateTaskDocument,
  DeleteTaskDocument,
  MoveTasksDocument,
  UpdateTaskDocument,
  type RankPosition,
  type UpdateTaskInput,
} from '../generated/graphql.ts';
import { toast } from '../ui/toasts.tsx';
import { putTask, removeTask, type BoardState } from './board-state.ts';
import { taskFromConflict } from './conflict.ts';
import type { TaskDraft } from './draft.ts';
import { STATUS_LABELS, type Task, type TaskStatus } from './model.ts';
import { rankBetween } from './rank.ts';
import type { Store } from './store.ts';

/** How a save ended. */
export type SaveOutcome = { kind: 'saved'; task: Task } | { kind: 'conflict'; theirs: Task } | { kind: 'error'; error: ApiError };

export interface BoardActions {
  /** Moves a card to `status` between two neighbours; says why if it cannot. */
  move(task: Task, status: TaskStatus, position: RankPosition): Promise<boolean>;
  save(input: UpdateTaskInput): Promise<SaveOutcome>;
  create(draft: TaskDraft): Promise<{ task?: Task; error?: ApiError }>;
  remove(task: Task): Promise<SaveOutcome>;
}

export interface ActionContext {
  client: ApolloClient;
  /** The board the actions write to. */
  boardId: string;
  board: Store<BoardState>;
  /** Ids of cards whose move is on its way. */
  pending: Store<ReadonlySet<string>>;
}

export function createBoardActions({ client, boardId, board, pending }: ActionContext): BoardActions {
  const setPending = (id: string, on: boolean) =>
    pending.update((ids) => {
      const next = new Set(ids);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  /** Puts what a failure tells us on the board: the current task of a conflict, or its absence. */
  const learnFrom = (task: Task, error: ApiError): Task | undefined => {
    if (error.type === 'NotFound') board.update((s) => removeTask(s, task.id));
    const theirs = error.type === 'ConflictError' ? taskFromConflict(error.data) : undefined;
    if (theirs) board.update((s) => putTask(s, theirs));
    return theirs;
  };

  return {
    async move(task, status, position) {
      const optimistic: Task = {
        ...task,
        status,
        rank: rankBetween(position.after, position.before) ?? task.rank,
        completedAt: status === 'DONE' ? task.completedAt ?? new Date().toISOString() : null,
      };
      board.update((s) => putTask(s, optimistic, { force: true }));
      setPending(task.id, true);
      try {
        const { data } = await client.mutate({
          mutation: MoveTasksDocument,
          variables: { boardId, moves: [{ id: task.id, expectedVersion: task.version, status, position }] },
        });
        const moved = data?.moveTasks[0];
        if (moved) board.update((s) => putTask(s, moved));
        return true;
      } catch (failure) {
        const error = apiError(failure);
        // Undo only our own guess: a newer version from the feed stays.
        board.update((s) => (s.tasks.get(task.id) === optimistic ? putTask(s, task, { force: true }) : s));
        learnFrom(task, error);
        toast(moveRefusal(task, status, error), 'error');
        return false;
      } finally {
        setPending(task.id, false);
      }
    },

    async save(input) {
      const known = board.get().tasks.get(String(input.id));
      try {
        const { data } = await client.mutate({ mutation: UpdateTaskDocument, variables: { boardId, input } });
        const saved = data!.updateTask;
        board.update((s) => putTask(s, saved));
        return { kind: 'saved', task: saved };
      } catch (failure) {
        const error = apiError(failure);
        const theirs = known ? learnFrom(known, error) : taskFromConflict(error.data);
        return theirs ? { kind: 'conflict', theirs } : { kind: 'error', error };
      }
    },

    async create(draft) {
      try {
        const { data } = await client.mutate({
          mutation: CreateTaskDocument,
          variables: {
            boardId,
            input: {
              title: draft.title,
              description: draft.description,
              status: draft.status,
              priority: draft.priority,
              assigneeId: draft.assigneeId,
              dueDate: draft.dueDate,
              labels: draft.labels,
            },
          },
        });
        const task = data!.createTask;
        board.update((s) => putTask(s, task));
        return { task };
      } catch (failure) {
        return { error: apiError(failure) };
      }
    },

    async remove(task) {
      try {
        const { data } = await client.mutate({ mutation: DeleteTaskDocument, variables: { boardId, id: task.id, expectedVersion: task.version } });
        board.update((s) => removeTask(s, task.id, task.version));
        return { kind: 'saved', task: data!.deleteTask };
      } catch (failure) {
        const error = apiError(failure);
        const theirs = learnFrom(task, error);
        return theirs ? { kind: 'conflict', theirs } : { kind: 'error', error };
      }
    },
  };
}

/** Why a move did not happen, in a sentence. */
export function moveRefusal(task: Task, status: TaskStatus, error: ApiError): string {
  const title = `“${task.title}”`;
  switch (error.type) {
    case 'ConflictError':
      return `${title} was not moved: someone changed it a moment ago. The board now shows their version; move it again if you still want to.`;
    case 'Unauthorized':
      return `${title} was not moved: only an admin or the person it is assigned to can move it.`;
    case 'NotFound':
      return `${title} was not moved: it has been deleted.`;
    case 'NetworkError':
      return `${title} was not moved to ${STATUS_LABELS[status]}: SecureTask cannot be reached. Check your connection and try again.`;
    default:
      return `${title} was not moved: ${error.message}`;
  }
}
