/**
 * The board's live feed with nothing missed: a subscription for what happens now, plus
 * `taskEvents(after: <last sequence seen>)` for what happened while the client was away. Events
 * are handed over in sequence order, each once, across reconnects. Transport-agnostic: the web
 * app plugs in its Apollo client; tests plug in raw WebSockets.
 */

/** The fields of a task event the feed relies on; callers select whatever else they need. */
export interface SequencedEvent {
  sequence: number;
}

/** A page of missed events, as `taskEvents(after, limit)` returns it. */
export interface MissedEvents<E extends SequencedEvent> {
  items: E[];
  lastSequence: number | null;
  hasMore: boolean;
}

/** How the feed reaches the API. */
export interface TaskEventSource<E extends SequencedEvent> {
  /**
   * Starts a live subscription. `onEvent` gets each event; `onReady` fires once the server
   * acknowledged it; `onDown` fires when it ends for any reason. Returns a function that stops it.
   */
  subscribe(handlers: { onEvent(event: E): void; onReady(): void; onDown(error?: unknown): void }): () => void;
  /** Fetches the events after a sequence (null: from the start of what the server keeps). */
  fetchAfter(after: number | null): Promise<MissedEvents<E>>;
}

/** Where the feed is: shown to people as the connection state. */
export type FeedState = 'connecting' | 'catching-up' | 'live' | 'reconnecting' | 'stopped';

export interface TaskEventFeedOptions<E extends SequencedEvent> {
  source: TaskEventSource<E>;
  onEvent(event: E): void;
  onState?(state: FeedState): void;
  /** The last sequence this client already has (from a cache), or null. */
  after?: number | null;
  /** Wait before the n-th reconnect attempt (1-based); default 250 ms doubling to 10 s. */
  retryDelayMs?(attempt: number): number;
}

/** A running feed. */
export interface TaskEventFeed {
  /** The highest sequence handed over so far. */
  lastSequence(): number | null;
  stop(): void;
}

const defaultDelay = (attempt: number) => Math.min(10_000, 250 * 2 ** (attempt - 1));

/**
 * Starts the feed: subscribe, then catch up from the last sequence seen, then go live; on any
 * drop, do it all again after a short wait. Live events that arrive while catching up are held
 * and released in order afterwards; anything at or below the last sequence is a duplicate; a
 * live event that skips sequences sends the feed to catch up on the ones skipped first.
 */
export function startTaskEventFeed<E extends SequencedEvent>(options: TaskEventFeedOptions<E>): TaskEventFeed {
  let last = options.after ?? null;
  let stopped = false;
  let attempt = 0;
  let unsubscribe: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const state = (s: FeedState) => options.onState?.(s);

  const hand = (event: E) => {
    if (last !== null && event.sequence <= last) return;
    last = event.sequence;
    options.onEvent(event);
  };

  const connect = () => {
    if (stopped) return;
    state(attempt === 0 ? 'connecting' : 'reconnecting');
    let held: E[] | undefined = [];
    let down = false;
    const fail = (error?: unknown) => {
      if (down || stopped) return;
      down = true;
      unsubscribe?.();
      attempt += 1;
      state('reconnecting');
      timer = setTimeout(connect, (options.retryDelayMs ?? defaultDelay)(attempt));
      void error;
    };
    const catchUp = async () => {
      state('catching-up');
      let page: MissedEvents<E>;
      do {
        page = await options.source.fetchAfter(last);
        if (down || stopped) return;
        for (const event of page.items) hand(event);
      } while (page.hasMore && page.items.length > 0);
      const waiting = held ?? [];
      held = undefined;
      waiting.sort((a, b) => a.sequence - b.sequence).forEach(hand);
      attempt = 0;
      state('live');
    };
    unsubscribe = options.source.subscribe({
      onEvent: (event) => {
        if (held) return void held.push(event);
        // A live event past the next one expected means one went missing on the way (a delivery
        // given up on): fetch what lies between before handing this one over.
        if (last !== null && event.sequence > last + 1) {
          held = [event];
          return void catchUp().catch(fail);
        }
        hand(event);
      },
      onReady: () => void catchUp().catch(fail),
      onDown: fail,
    });
  };

  connect();
  return {
    lastSequence: () => last,
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe?.();
      state('stopped');
    },
  };
}
