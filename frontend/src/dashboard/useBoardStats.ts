/**
 * The board's figures, live: `boardStats` once, then every `onBoardStats` push written over the
 * cached BoardStats (a singleton in the cache), so anything reading the figures updates. The
 * figures are read again each time the subscription becomes live, the first time too: pushes
 * sent before it was (while the first read was on its way, or while it was down after a drop)
 * went to nobody. Unless a push is what shows it live: a push carries every figure. The subscription is restarted after a drop; the figures are also read again
 * at each UTC midnight (the 14-day window and "overdue" move with the date, without any task
 * changing).
 */
import { useApolloClient, useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { BoardStatsDocument, OnBoardStatsDocument, type BoardStatsFieldsFragment } from '../generated/graphql.ts';
import { apiError, type ApiError } from '../data/errors.ts';

/** Where the live updates are: shown next to "last updated". */
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** aws-appsync-subscription-link reports the server's acknowledgement when asked for control events. */
const CONTROL_EVENTS = { '@@controlEvents': true };

/**
 * A subscription that has not failed this long after starting counts as live. The link's
 * CONNECTED control message would say so exactly, but Apollo Client 4 drops results without
 * data, and that message has none; a refused or unreachable socket fails well within this.
 */
const SETTLE_MS = 2500;

/** Wait before the n-th reconnect (1-based): 1 s doubling to 30 s. */
const retryDelay = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

export interface BoardStatsState {
  stats: BoardStatsFieldsFragment | undefined;
  loading: boolean;
  error: ApiError | undefined;
  live: LiveState;
  /** When this screen last received the figures (the page's own clock). */
  receivedAt: Date | undefined;
  refetch(): void;
}

export function useBoardStats(boardId: string): BoardStatsState {
  const client = useApolloClient();
  const { data, loading, error, refetch } = useQuery(BoardStatsDocument, { variables: { boardId }, fetchPolicy: 'cache-and-network', notifyOnNetworkStatusChange: false });
  const [live, setLive] = useState<LiveState>('connecting');
  const [receivedAt, setReceivedAt] = useState<Date>();
  const refetchRef = useRef(refetch);
  refetchRef.current = refetch;

  const stats = data?.boardStats;
  useEffect(() => {
    if (stats) setReceivedAt(new Date());
  }, [stats]);

  useEffect(() => {
    let stopped = false;
    let attempts = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let settle: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe(): void } | undefined;

    let isLive = false;
    const down = () => {
      if (stopped) return;
      isLive = false;
      clearTimeout(settle);
      subscription?.unsubscribe();
      setLive('reconnecting');
      retry = setTimeout(connect, retryDelay(++attempts));
    };
    const up = (byPush = false) => {
      clearTimeout(settle);
      // Live now: what changed before this moment was pushed to nobody.
      if (!isLive && !byPush) void refetchRef.current().catch(() => undefined);
      isLive = true;
      attempts = 0;
      setLive('live');
    };
    function connect() {
      settle = setTimeout(() => up(), SETTLE_MS);
      // An error result, then the stream's own end: one drop, one retry.
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        down();
      };
      subscription = client
        .subscribe({ query: OnBoardStatsDocument, variables: { boardId }, fetchPolicy: 'no-cache', context: { controlMessages: CONTROL_EVENTS } })
        .subscribe({
          next(result) {
            if ((result.extensions as { controlMsgType?: string } | undefined)?.controlMsgType === 'CONNECTED') return up();
            if (result.error) return end();
            const pushed = result.data?.onBoardStats;
            if (!pushed) return;
            // The typename makes it the board's cached figures (typePolicies: BoardStats keyFields boardId).
            const boardStats = Object.assign({ __typename: 'BoardStats' }, pushed);
            client.cache.writeQuery({ query: BoardStatsDocument, variables: { boardId }, data: { boardStats } });
            up(true);
          },
          error: end,
          complete: end,
        });
    }
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(settle);
      subscription?.unsubscribe();
    };
  }, [client, boardId]);

  useEffect(() => {
    // A wall screen stays open for days: read the figures again just after each UTC midnight.
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const now = new Date();
      const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 0, 5);
      timer = setTimeout(() => {
        void refetchRef.current().catch(() => undefined);
        schedule();
      }, next - now.getTime());
    };
    schedule();
    return () => clearTimeout(timer);
  }, []);

  return {
    stats,
    loading: loading && !stats,
    error: error ? apiError(error) : undefined,
    live,
    receivedAt,
    refetch: () => void refetch().catch(() => undefined),
  };
}
