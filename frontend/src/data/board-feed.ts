/**
 * The board's live feed over Apollo: `onTaskEvent` for what happens now, `taskEvents(after)` for
 * what was missed while disconnected (the feed in task-event-feed.ts does the ordering), and the
 * connection state for the header. Each event's task is written into Apollo's cache, so every
 * screen showing that task updates; the caller keeps the board's membership (created, deleted).
 */
import type { ApolloClient } from '@apollo/client';
import {
  LastTaskEventSequenceDocument,
  OnTaskEventDocument,
  TaskEventsDocument,
  TaskFieldsFragmentDoc,
  type TaskEventFieldsFragment,
} from '../generated/graphql.ts';
import { setConnectionState } from './connection.ts';
import type { SubscriptionContext } from './realtime-link.ts';
import { startTaskEventFeed, type TaskEventFeed } from './task-event-feed.ts';

export type BoardEvent = TaskEventFieldsFragment;

/** The sequence to follow from: read it before loading the board, so nothing in between is lost. */
export async function lastTaskEventSequence(client: ApolloClient, boardId: string): Promise<number | null> {
  const { data } = await client.query({ query: LastTaskEventSequenceDocument, variables: { boardId }, fetchPolicy: 'no-cache' });
  return data?.lastTaskEventSequence ?? null;
}

/** Starts following the board from `after` (its own sequence); `onEvent` gets each event once, in order. */
export function followBoard(client: ApolloClient, boardId: string, after: number | null, onEvent: (event: BoardEvent) => void): TaskEventFeed {
  return startTaskEventFeed<BoardEvent>({
    after,
    onState: setConnectionState,
    onEvent(event) {
      // Deleted tasks keep their last state in the event; the caller drops them from the board.
      if (event.task && event.type !== 'TASK_DELETED') {
        client.cache.writeFragment({ fragment: TaskFieldsFragmentDoc, fragmentName: 'TaskFields', data: event.task });
      }
      onEvent(event);
    },
    source: {
      subscribe({ onEvent, onReady, onDown }) {
        const context: SubscriptionContext = { onReady };
        const subscription = client
          .subscribe({ query: OnTaskEventDocument, variables: { boardId }, fetchPolicy: 'no-cache', context })
          .subscribe({
            next(result) {
              if (result.error) return onDown(result.error);
              const event = result.data?.onTaskEvent;
              if (event) onEvent(event);
            },
            error: onDown,
            complete: () => onDown(),
          });
        return () => subscription.unsubscribe();
      },
      async fetchAfter(after) {
        const { data, error } = await client.query({ query: TaskEventsDocument, variables: { boardId, after, limit: 200 }, fetchPolicy: 'no-cache' });
        if (!data) throw error ?? new Error('taskEvents answered nothing');
        return data.taskEvents;
      },
    },
  });
}
