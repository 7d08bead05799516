/**
 * The board (`/board`, and `/board/<task id>` with that task's drawer open): the columns with
 * live changes from others, dragging cards, the filters in the address, creating and editing
 * tasks with a conflict dialog when someone else saved first, and the task drawer.
 */
import { useApolloClient } from '@apollo/client/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { navigate, useLocation } from '../app/router.tsx';
import type { RankPosition } from '../generated/graphql.ts';
import { useSession } from '../session/useSession.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorBanner, Spinner } from '../ui/feedback.tsx';
import { toast } from '../ui/toasts.tsx';
import { useCurrentBoard } from '../boards/current-board.tsx';
import { createBoardActions } from './actions.ts';
import { BoardColumns } from './BoardColumns.tsx';
import { BoardToolbar } from './BoardToolbar.tsx';
import { describeConflict, resolutionInput, type Conflict, type Resolution } from './conflict.ts';
import { ConflictDialog } from './ConflictDialog.tsx';
import { draftOf, updateInput, type TaskDraft } from './draft.ts';
import { filtersFrom, searchOf, taskMatcher, type BoardFilters } from './filters.ts';
import { localDay } from './format.ts';
import { canCreateTasks, editableFields, EDITABLE_FIELDS, STATUS_LABELS, type Task, type TaskStatus, type Viewer } from './model.ts';
import { createStore, useStore } from './store.ts';
import { TaskDialog } from './TaskDialog.tsx';
import { TaskDrawer } from './TaskDrawer.tsx';
import { blankDraft } from './task-form.ts';
import { useBoard } from './use-board.ts';
import './board.css';

type Modal =
  | { kind: 'create' }
  | { kind: 'edit'; base: Task }
  | { kind: 'conflict'; conflict: Conflict; changedAgain: boolean }
  | { kind: 'delete'; task: Task; error?: string };

export default function BoardPage({ params }: { params: Record<string, string> }) {
  const client = useApolloClient();
  const session = useSession();
  const { search } = useLocation();
  const { id: boardId, role: boardRole, membersCreateTasks } = useCurrentBoard();
  const viewer: Viewer | null = useMemo(() => (session ? { userId: session.userId, boardRole } : null), [session, boardRole]);
  const data = useBoard(client, boardId, session?.userId);
  const state = useStore(data.board);
  const highlights = useStore(data.highlights);
  const pendingStore = useMemo(() => createStore<ReadonlySet<string>>(new Set()), []);
  const pending = useStore(pendingStore);
  const actions = useMemo(() => createBoardActions({ client, boardId, board: data.board, pending: pendingStore }), [client, boardId, data.board, pendingStore]);
  const [modal, setModal] = useState<Modal | null>(null);
  // The dialogs unmount when they close, so focus goes back by hand to what opened them.
  const opener = useRef<HTMLElement | null>(null);
  const open = (next: Modal) => {
    if (!modal) opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setModal(next);
  };
  const close = () => {
    setModal(null);
    const back = opener.current;
    requestAnimationFrame(() => (back?.isConnected ? back : document.querySelector<HTMLElement>('.board-drawer h2'))?.focus());
  };

  const filters = filtersFrom(search);
  const query = searchOf(filters);
  const me = session?.userId;
  const matcher = useMemo(() => taskMatcher(filtersFrom(new URLSearchParams(query)), me), [query, me]);
  const setFilters = (next: BoardFilters) => navigate(`${location.pathname}${searchOf(next)}`, { replace: true });
  const labels = useMemo(() => [...new Set([...state.tasks.values()].flatMap((t) => t.labels))].sort((a, b) => a.localeCompare(b)), [state.tasks]);
  const shown = useMemo(() => (matcher ? [...state.tasks.values()].filter(matcher).length : state.tasks.size), [state.tasks, matcher]);
  const today = localDay();

  const taskId = params.taskId;
  const openTask = taskId ? state.tasks.get(taskId) : undefined;
  const closeDrawer = useCallback(() => {
    navigate(`/board${query}`);
    // Back to the card the drawer was about, so keyboard users keep their place.
    if (taskId)
      requestAnimationFrame(() =>
        [...document.querySelectorAll<HTMLElement>('[data-task-id]')]
          .find((card) => card.dataset.taskId === taskId)
          ?.querySelector('a')
          ?.focus(),
      );
  }, [query, taskId]);

  const onMove = useCallback((task: Task, status: TaskStatus, position: RankPosition) => void actions.move(task, status, position), [actions]);

  /** Moves a task to the bottom of another column (the drawer's status picker). */
  const moveTo = (task: Task, status: TaskStatus) => {
    if (status === task.status) return;
    const column = data.board.get().columns[status];
    void actions.move(task, status, { after: column[column.length - 1]?.rank ?? null, before: null }).then((moved) => {
      if (moved) toast(`Moved “${task.title}” to ${STATUS_LABELS[status]}.`, 'success');
    });
  };

  const create = async (draft: TaskDraft) => {
    const { task, error } = await actions.create(draft);
    if (error || !task) return error?.message ?? 'The task was not created.';
    close();
    data.highlights.flash(task.id);
    toast(`Created “${task.title}”.`, 'success');
    return undefined;
  };

  const save = async (base: Task, draft: TaskDraft) => {
    const input = updateInput(base, draft);
    if (!input) {
      close();
      toast('Nothing to save: no field was changed.', 'info');
      return undefined;
    }
    const outcome = await actions.save(input);
    if (outcome.kind === 'saved') {
      close();
      toast(`Saved “${outcome.task.title}”.`, 'success');
      return undefined;
    }
    if (outcome.kind === 'conflict') {
      setModal({
        kind: 'conflict',
        conflict: describeConflict(base, draft, outcome.theirs, editableFields(viewer, outcome.theirs)),
        changedAgain: false,
      });
      return undefined;
    }
    return outcome.error.message;
  };

  const resolve = async (conflict: Conflict, resolution: Resolution) => {
    const input = resolutionInput(conflict, resolution);
    if (!input) {
      close();
      toast(
        resolution.kind === 'theirs'
          ? `Kept their version of “${conflict.theirs.title}”.`
          : 'Nothing to save: their version already has your changes.',
        'info',
      );
      return undefined;
    }
    const outcome = await actions.save(input);
    if (outcome.kind === 'saved') {
      close();
      toast(`Saved “${outcome.task.title}”.`, 'success');
      return undefined;
    }
    if (outcome.kind === 'conflict') {
      const again = describeConflict(conflict.base, conflict.mine, outcome.theirs, editableFields(viewer, outcome.theirs));
      setModal({ kind: 'conflict', conflict: again, changedAgain: true });
      return undefined;
    }
    return outcome.error.message;
  };

  const remove = async (task: Task) => {
    const outcome = await actions.remove(task);
    if (outcome.kind === 'saved') {
      close();
      navigate(`/board${query}`);
      toast(`Deleted “${task.title}”.`, 'success');
    } else if (outcome.kind === 'conflict') {
      setModal({
        kind: 'delete',
        task: outcome.theirs,
        error: 'Someone changed this task a moment ago. Check the latest version in the drawer, then delete it if you still want to.',
      });
    } else {
      setModal({ kind: 'delete', task, error: outcome.error.message });
    }
  };

  return (
    <section className="board-page" aria-labelledby="board-title">
      <BoardToolbar
        filters={filters}
        onFilters={setFilters}
        teammates={data.teammates}
        labels={labels}
        shown={shown}
        total={state.tasks.size}
        canCreate={canCreateTasks(viewer, membersCreateTasks) && data.phase === 'ready'}
        onCreate={() => open({ kind: 'create' })}
      />
      {data.phase === 'error' && data.error ? (
        <ErrorBanner error={data.error} onRetry={data.retry} />
      ) : data.phase === 'loading' ? (
        <Spinner label="Loading the board…" />
      ) : (
        <BoardColumns
          columns={state.columns}
          tasks={state.tasks}
          matcher={matcher}
          people={data.people}
          viewer={viewer}
          today={today}
          search={query}
          pending={pending}
          highlights={highlights}
          onMove={onMove}
        />
      )}

      {taskId && (
        <TaskDrawer
          key={taskId}
          taskId={taskId}
          task={openTask}
          boardReady={data.phase === 'ready'}
          people={data.people}
          viewer={viewer}
          pending={pending.has(taskId)}
          onClose={closeDrawer}
          onEdit={(task) => open({ kind: 'edit', base: task })}
          onDelete={(task) => open({ kind: 'delete', task })}
          onMoveTo={moveTo}
        />
      )}

      {modal?.kind === 'create' && (
        <TaskDialog
          initial={blankDraft}
          teammates={data.teammates}
          people={data.people}
          editable={EDITABLE_FIELDS}
          onClose={close}
          onSubmit={create}
        />
      )}
      {modal?.kind === 'edit' && (
        <TaskDialog
          initial={draftOf(modal.base)}
          task={modal.base}
          latest={state.tasks.get(modal.base.id)}
          teammates={data.teammates}
          people={data.people}
          editable={editableFields(viewer, modal.base)}
          onClose={close}
          onSubmit={(draft) => save(modal.base, draft)}
        />
      )}
      {modal?.kind === 'conflict' && (
        <ConflictDialog
          key={modal.conflict.theirs.version}
          conflict={modal.conflict}
          changedAgain={modal.changedAgain}
          people={data.people}
          onResolve={(resolution) => resolve(modal.conflict, resolution)}
          onClose={close}
        />
      )}
      {modal?.kind === 'delete' && <DeleteDialog task={modal.task} error={modal.error} onCancel={close} onConfirm={() => remove(modal.task)} />}
    </section>
  );
}

function DeleteDialog({ task, error, onCancel, onConfirm }: { task: Task; error?: string; onCancel(): void; onConfirm(): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    await onConfirm();
    setBusy(false);
  };
  return (
    <Dialog
      open
      role="alertdialog"
      title={`Delete “${task.title}”?`}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={() => !busy && onCancel()} aria-disabled={busy || undefined}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={confirm} aria-disabled={busy || undefined}>
            {busy ? 'Deleting…' : 'Delete task'}
          </button>
        </>
      }
    >
      {error && <ErrorBanner error={error} />}
      <p>The task leaves the board for everyone. Its history is kept.</p>
    </Dialog>
  );
}
