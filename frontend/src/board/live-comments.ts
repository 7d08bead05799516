/**
 * A task's comments as others write them: `onComment(boardId, taskId)` pushes every new, edited
 * and deleted comment (a deleted one carries `deletedAt`). The drawer folds each push into the
 * list it read (`foldComment`); the person's own comments come back this way too, and fold
 * into the same entry. Missed pushes (while the socket was down) are read again with the list
 * when the subscription comes back (`onResumed`).
 */
import type { ApolloClient } from '@apollo/client';
import { useEffect, useRef } from 'react';
import { OnCommentDocument, type CommentFieldsFragment } from '../generated/graphql.ts';

type Comment = CommentFieldsFragment;

/** The list with a pushed comment folded in: removed if deleted, replaced if known, else added in time order. */
export function foldComment(list: Comment[], pushed: Comment): Comment[] {
  if (pushed.deletedAt) return list.filter((c) => c.id !== pushed.id);
  if (list.some((c) => c.id === pushed.id)) return list.map((c) => (c.id === pushed.id ? pushed : c));
  return [...list, pushed].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Wait before the n-th resubscription (1-based): 1 s doubling to 30 s. */
const retryDelay = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/**
 * Follows one task's comments while mounted: `onPush` for each push, `onResumed` after a drop
 * once the subscription is back (the caller reads the list again).
 */
export function useLiveComments(client: ApolloClient, boardId: string, taskId: string, onPush: (comment: Comment) => void, onResumed: () => void) {
  const handlers = useRef({ onPush, onResumed });
  handlers.current = { onPush, onResumed };
  useEffect(() => {
    let stopped = false;
    let attempts = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe(): void } | undefined;
    const connect = () => {
      let ended = false;
      const end = () => {
        if (ended || stopped) return;
        ended = true;
        subscription?.unsubscribe();
        retry = setTimeout(() => {
          connect();
          handlers.current.onResumed();
        }, retryDelay(++attempts));
      };
      subscription = client.subscribe({ query: OnCommentDocument, variables: { boardId, taskId }, fetchPolicy: 'no-cache' }).subscribe({
        next(result) {
          if (result.error) return end();
          const pushed = result.data?.onComment;
          if (!pushed || pushed.taskId !== taskId) return;
          attempts = 0;
          handlers.current.onPush(pushed);
        },
        error: end,
        complete: end,
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      subscription?.unsubscribe();
    };
  }, [client, boardId, taskId]);
}
