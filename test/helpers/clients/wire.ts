/**
 * A window on the wire under real AppSync clients (aws-appsync-subscription-link, Amplify) that
 * nobody here wrote: they create their sockets with the global `WebSocket`. Node's own has no
 * way to watch its messages or to trust the local certificate, so `Wire.webSocketClass()` is a `ws` WebSocket that records every message the client sends and
 * receives (parsed JSON), so a test can wait for the server's `start_ack` before it mutates,
 * show the exact exchange when something differs from AppSync, and close every socket at the
 * end. `installGlobalWebSocket()` puts such a class on `globalThis` and gives back the restore.
 */
import WebSocket from 'ws';

/** One protocol message, as the client's socket saw it. */
export interface WireMessage {
  dir: 'out' | 'in';
  /** Index of the socket in `Wire.sockets`. */
  socket: number;
  message: any;
}

/** What the clients call `new` on and read `OPEN` from. */
export type WebSocketConstructor = (new (url: string | URL, protocols?: string | string[]) => WebSocket) &
  Pick<typeof WebSocket, 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED'>;

export class Wire {
  readonly messages: WireMessage[] = [];
  readonly sockets: { url: string; protocols: string[]; ws: WebSocket }[] = [];
  private readonly waiters = new Set<() => void>();
  /** Told of every socket the client opens, and of every message, as they happen. */
  onSocket?: (socket: { url: string; protocols: string[] }, index: number) => void;
  onMessage?: (message: WireMessage) => void;

  /** A `ws` WebSocket class for clients that call `new WebSocket(url, protocols)`; every instance is recorded. */
  webSocketClass(options: WebSocket.ClientOptions = {}): WebSocketConstructor {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const wire = this;
    return class RecordingWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, options);
        const socket = wire.sockets.push({ url: String(url), protocols: [protocols ?? []].flat(), ws: this }) - 1;
        wire.onSocket?.(wire.sockets[socket], socket);
        this.on('message', (data, isBinary) => {
          if (!isBinary) wire.record({ dir: 'in', socket, message: parse(data.toString()) });
        });
        const send = this.send.bind(this) as (data: unknown, ...rest: unknown[]) => void;
        (this as { send: unknown }).send = (data: unknown, ...rest: unknown[]) => {
          wire.record({ dir: 'out', socket, message: typeof data === 'string' ? parse(data) : '<binary>' });
          send(data, ...rest);
        };
      }
    };
  }

  /** The first message from index `from` on that `match`es; rejects after `timeoutMs` showing what came. */
  waitFor(match: (m: WireMessage) => boolean, { from = 0, timeoutMs = 5_000 }: { from?: number; timeoutMs?: number } = {}): Promise<WireMessage> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const found = this.messages.slice(from).find(match);
        if (!found) return false;
        this.waiters.delete(look);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(look);
        reject(new Error(`no matching message within ${timeoutMs} ms; the wire since #${from}:\n${this.describe(from)}`));
      }, timeoutMs);
      if (!look()) this.waiters.add(look);
    });
  }

  /**
   * How the next subscription the client starts (after message `from`) ended its handshake: its
   * `start` and the server's answer to it (`start_ack` or `error`), or a `connection_error`.
   */
  async started(from: number, timeoutMs = 5_000): Promise<{ start?: any; answer: any }> {
    const answer = (id?: string) => (m: WireMessage) =>
      m.dir === 'in' && (m.message?.type === 'connection_error' || (id !== undefined && m.message?.id === id && ['start_ack', 'error'].includes(m.message?.type)));
    const first = await this.waitFor((m) => (m.dir === 'out' && m.message?.type === 'start') || answer()(m), { from, timeoutMs });
    if (first.dir === 'in') return { answer: first.message };
    const reply = await this.waitFor(answer(first.message.id), { from, timeoutMs });
    return { start: first.message, answer: reply.message };
  }

  /** The messages from index `from` on, one per line, auth headers left out. */
  describe(from = 0): string {
    return this.messages
      .slice(from)
      .map((m) => `${m.dir === 'out' ? '->' : '<-'} [${m.socket}] ${JSON.stringify(redact(m.message))}`)
      .join('\n');
  }

  /** Resolves once every recorded socket has closed; terminates those still open after `graceMs`. */
  async closed(graceMs = 3_000): Promise<void> {
    const open = this.sockets.map((s) => s.ws).filter((ws) => ws.readyState !== WebSocket.CLOSED);
    await Promise.all(
      open.map(
        (ws) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => ws.terminate(), graceMs);
            const done = () => {
              clearTimeout(timer);
              resolve();
            };
            ws.once('close', done);
            if (ws.readyState === WebSocket.CLOSED) done();
          }),
      ),
    );
  }

  private record(message: WireMessage) {
    this.messages.push(message);
    this.onMessage?.(message);
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Sets `globalThis.WebSocket` (what the clients call) and returns the function that restores it. */
export function installGlobalWebSocket(constructor: WebSocketConstructor): () => void {
  const global = globalThis as { WebSocket?: unknown };
  const had = Object.prototype.hasOwnProperty.call(global, 'WebSocket');
  const previous = global.WebSocket;
  global.WebSocket = constructor;
  return () => {
    if (had) global.WebSocket = previous;
    else delete global.WebSocket;
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function redact(message: any): unknown {
  if (message?.type !== 'start') return message;
  const authorization = message.payload?.extensions?.authorization ?? {};
  return { ...message, payload: { ...message.payload, extensions: { authorization: Object.keys(authorization) } } };
}
