import { startTaskEventFeed, type FeedState, type TaskEventFeed } from '../../../frontend/src/data/task-event-feed.ts';
import { connect, start, type RawClient } from '../../helpers/realtime.ts';
import { graphql } from './graphql.ts';

/** The fields fault checks need from a task event. */
export interface SeenEvent {
  sequence: number;
  type: string;
  taskId: string;
  task: { version: number } | null;
}

const FIELDS = 'sequence type taskId task { version }';

/**
 * A board client as the web app builds one: the app's own task-event feed (a live
 * `onTaskEvent(boardId: "main")` subscription plus `taskEvents(boardId: "main", after: <last sequence>)` on every reconnect) over
 * raw WebSockets. It records what the feed handed the app (`received`) and, separately, every
 * `data` message that came over the wire (`wire`), so a duplicate the server sent is seen even
 * though the feed drops it.
 */
export class EventFeedClient {
  readonly received: SeenEvent[] = [];
  readonly wire: SeenEvent[] = [];
  readonly states: FeedState[] = [];
  /** Sockets opened (1 + reconnects). */
  connections = 0;
  private feed: TaskEventFeed | undefined;
  private current: RawClient | undefined;

  constructor(private readonly target: () => { graphqlUrl: string; realtimeUrl: string; token: string }) {}

  get state(): FeedState | undefined {
    return this.states.at(-1);
  }

  start(): void {
    this.feed = startTaskEventFeed<SeenEvent>({
      source: {
        subscribe: ({ onEvent, onReady, onDown }) => {
          const { graphqlUrl, realtimeUrl, token } = this.target();
          const auth = { Authorization: token, host: new URL(graphqlUrl).host };
          let closed = false;
          const opening = connect(realtimeUrl, auth).then((client) => {
            this.connections += 1;
            this.current = client;
            client.ws.on('message', (raw) => {
              const message = JSON.parse(raw.toString());
              if (message.type === 'start_ack') onReady();
              if (message.type === 'data') {
                const event = message.payload.data.onTaskEvent as SeenEvent;
                this.wire.push(event);
                onEvent(event);
              }
              if (message.type === 'error' || message.type === 'connection_error') onDown(message.payload);
            });
            void client.closed.then(() => onDown('closed'));
            if (closed) client.close();
            client.send({ type: 'connection_init' });
            client.send(start('feed', `subscription { onTaskEvent(boardId: "main") { ${FIELDS} } }`, auth));
            return client;
          }, onDown);
          return () => {
            closed = true;
            void opening.then((client) => client?.ws.terminate());
          };
        },
        fetchAfter: async (after) => {
          const { graphqlUrl, token } = this.target();
          const answer = await graphql(graphqlUrl, `query ($a: Int) { taskEvents(boardId: "main", after: $a, limit: 100) { items { ${FIELDS} } lastSequence hasMore } }`, { a: after }, { authorization: token }, 10_000);
          if (!answer.body?.data?.taskEvents) throw new Error(`taskEvents failed: ${answer.failure ?? JSON.stringify(answer.body)}`);
          return answer.body.data.taskEvents;
        },
      },
      onEvent: (event) => this.received.push(event),
      onState: (state) => this.states.push(state),
      retryDelayMs: () => 200,
    });
  }

  /** Cuts this client's socket abruptly (no close frame), as a dropped Wi-Fi or a killed tab does. */
  dropFromClientSide(): boolean {
    const socket = this.current?.ws;
    if (!socket || socket.readyState !== socket.OPEN) return false;
    socket.terminate();
    return true;
  }

  stop(): void {
    this.feed?.stop();
  }
}
