/**
 * The board's data for the page: first the sequence to follow from, then every task and the
 * teammates, then the live feed from that sequence (so nothing that happens while loading is
 * lost: the feed replays it, and versions make the replay harmless). Stops following on unmount.
 */
import type { ApolloClient } from '@apollo/client';
import { useEffect, useMemo, useState } from 'react';
import { followBoard, lastTaskEventSequence, type BoardEvent } from '../data/board-feed.ts';
import { apiError, type ApiError } from '../data/errors.ts';
import { boardOf, emptyBoard, putTask, removeTask, type BoardState } from './board-state.ts';
import type { People } from './format.ts';
import { actorName, createChangeNotifier, createHighlights, describeChange } from './live-changes.ts';
import { loadTasks, loadTeammates, type Teammate } from './load-board.ts';
import { createStore, type Store } from './store.ts';

export interface BoardData {
  phase: 'loading' | 'ready' | 'error';
  error?: ApiError;
  teammates: Teammate[];
  people: People;
  /** The tasks, in columns; changed by the feed and by the person's own actions. */
  board: Store<BoardState>;
  /** Cards that others just changed. */
  highlights: ReturnType<typeof createHighlights>;
  retry(): void;
}

export function useBoard(client: ApolloClient, boardId: string, me: string | undefined): BoardData {
  const board = useMemo(() => createStore<BoardState>(emptyBoard), []);
  const highlights = useMemo(() => createHighlights(), []);
  const [phase, setPhase] = useState<BoardData['phase']>('loading');
  const [error, setError] = useState<ApiError>();
  const [teammates, setTeammates] = useState<Teammate[]>([]);
  const [attempt, setAttempt] = useState(0);
  const people = useMemo<People>(() => new Map(teammates.map((t) => [t.id, t.name || t.email])), [teammates]);

  useEffect(() => {
    let cancelled = false;
    let stopFeed: (() => void) | undefined;
    const notifier = createChangeNotifier();
    setPhase('loading');
    (async () => {
      const after = await lastTaskEventSequence(client, boardId);
      const [tasks, people] = await Promise.all([loadTasks(client, boardId), loadTeammates(client, boardId)]);
      if (cancelled) return;
      const names: People = new Map(people.map((t) => [t.id, t.name || t.email]));
      board.set(boardOf(tasks));
      setTeammates(people);
      setPhase('ready');
      const feed = followBoard(client, boardId, after, (event) => applyEvent(event, names));
      stopFeed = () => feed.stop();
    })().catch((failure: unknown) => {
      if (cancelled) return;
      setError(apiError(failure));
      setPhase('error');
    });

    function applyEvent(event: BoardEvent, names: People) {
      const state = board.get();
      const before = state.tasks.get(event.taskId);
      const next =
        event.type === 'TASK_DELETED' ? removeTask(state, event.taskId, event.task?.version) : event.task ? putTask(state, event.task) : state;
      if (next === state) return; // Already here: an echo of our own change, or a replay.
      board.set(next);
      // Our own changes are on screen already; a deletion of a card we never showed is no news.
      const ours = !!event.actorId && event.actorId === me;
      const unseenDeletion = !before && event.type === 'TASK_DELETED';
      if (ours || unseenDeletion) return;
      if (event.type !== 'TASK_DELETED') highlights.flash(event.taskId);
      const actor = actorName(names, event.actorId);
      notifier.add(actor, describeChange(event, before, actor));
    }

    return () => {
      cancelled = true;
      stopFeed?.();
      notifier.stop();
    };
  }, [client, boardId, board, highlights, me, attempt]);

  useEffect(() => () => highlights.stop(), [highlights]);

  return { phase, error, teammates, people, board, highlights, retry: () => setAttempt((n) => n + 1) };
}
