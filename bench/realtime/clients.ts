/**
 * The load generator's two sides: subscribers (one WebSocket connection each, speaking AppSync's
 * `graphql-ws` protocol) and a publisher (GraphQL POSTs over a keep-alive agent).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { HeaderMaker } from './auth.ts';

/** Called for every `data` message: which subscriber, the subscription's data, when it arrived. */
export type DataSink = (subscriber: number, data: unknown, at: number) => void;

/** Where the subscribers connect and how they authorize. */
export interface SubscriberSetup {
  graphqlUrl: string;
  realtimeUrl: string;
  headers: HeaderMaker;
  /** The subscription document; `variables` go with it. */
  subscription: string;
  variables?: Record<string, unknown>;
  /** How long to wait for connection_ack and start_ack. */
  timeoutMs?: number;
}

/** An open, acknowledged subscriber. */
export interface Subscriber {
  index: number;
  ws: WebSocket;
  close(): Promise<void>;
}

/**
 * Subscribers and the sink their `data` messages go to. The sink is swapped per phase; each
 * message is timestamped (`performance.now()`) before anything else is done with it.
 */
export class SubscriberPool {
  readonly open: Subscriber[] = [];
  /** Messages other than data/ka/acks (errors, completes): counted, and the first few kept. */
  readonly unexpected: string[] = [];
  unexpectedCount = 0;
  sink: DataSink = () => {};
  private nextIndex = 0;

  constructor(private readonly setup: SubscriberSetup) {}

  /** Opens `count` more subscribers, `parallel` at a time; resolves when all are acknowledged. */
  async grow(count: number, parallel = 50, progress?: (opened: number) => void): Promise<void> {
    let started = 0;
    const worker = async () => {
      while (started < count) {
        started += 1;
        this.open.push(await this.openOne(this.nextIndex++));
        progress?.(this.open.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  }

  /** Closes subscribers until `count` remain: those with indexes 0 to count - 1. */
  async shrinkTo(count: number): Promise<void> {
    this.open.sort((a, b) => a.index - b.index);
    const closing = this.open.splice(count);
    await Promise.all(closing.map((s) => s.close()));
    this.nextIndex = this.open.length;
  }

  private async openOne(index: number): Promise<Subscriber> {
    const { graphqlUrl, realtimeUrl, headers, subscription, variables = {} } = this.setup;
    const timeoutMs = this.setup.timeoutMs ?? 30_000;
    const connectHeaders = await headers(`${graphqlUrl}/connect`, '{}');
    const encoded = Buffer.from(JSON.stringify(connectHeaders)).toString('base64url');
    const ws = new WebSocket(realtimeUrl, ['graphql-ws', `header-${encoded}`], { perMessageDeflate: false });
    const id = `s${index}`;
    const data = JSON.stringify({ query: subscription, variables });
    let acked: (() => void) | undefined;
    let failed: ((error: Error) => void) | undefined;
    ws.on('message', (raw: Buffer) => {
      const at = performance.now();
      const message = JSON.parse(raw.toString('utf8')) as { type: string; id?: string; payload?: { data?: unknown } };
      switch (message.type) {
        case 'data':
          return this.sink(index, message.payload?.data, at);
        case 'ka':
          return;
        case 'connection_ack':
          return void headers(graphqlUrl, data).then(
            (authorization) => ws.send(JSON.stringify({ id, type: 'start', payload: { data, extensions: { authorization } } })),
            (error: Error) => failed?.(error),
          );
        case 'start_ack':
          return acked?.();
        default: {
          const text = raw.toString('utf8');
          if (failed && !acked) return failed(new Error(`subscriber ${index}: ${text.slice(0, 500)}`));
          this.unexpectedCount += 1;
          if (this.unexpected.length < 5) this.unexpected.push(text.slice(0, 300));
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`subscriber ${index}: no start_ack within ${timeoutMs} ms`)), timeoutMs);
      acked = () => {
        clearTimeout(timer);
        acked = undefined;
        failed = undefined;
        resolve();
      };
      failed = (error) => {
        clearTimeout(timer);
        ws.terminate();
        reject(error);
      };
      ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
      ws.once('error', (error) => failed?.(error));
      ws.once('unexpected-response', (_, response) => failed?.(new Error(`subscriber ${index}: HTTP ${response.statusCode} at ${realtimeUrl}`)));
    });
    // A connection that drops during the run is a finding, not a crash of the benchmark.
    ws.on('error', () => {});
    return {
      index,
      ws,
      close: () =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close();
          setTimeout(() => ws.terminate(), 2_000).unref();
        }),
    };
  }
}

/** One GraphQL POST's outcome and its timing (`performance.now()` milliseconds). */
export interface Posted {
  sentAt: number;
  /** When the last byte of the response arrived. */
  answeredAt: number;
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: unknown[] };
}

/** POSTs GraphQL requests to one endpoint over keep-alive connections. */
export interface Publisher {
  post(query: string, variables: Record<string, unknown>): Promise<Posted>;
  close(): void;
}

/** A publisher with at most `sockets` connections; headers are made (signed) per request. */
export function createPublisher(graphqlUrl: string, headers: HeaderMaker, sockets = 8): Publisher {
  const url = new URL(graphqlUrl);
  const secure = url.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: sockets }) : new HttpAgent({ keepAlive: true, maxSockets: sockets });
  const send = secure ? httpsRequest : httpRequest;
  return {
    async post(query, variables) {
      const body = JSON.stringify({ query, variables });
      const signed = await headers(graphqlUrl, body);
      return new Promise<Posted>((resolve, reject) => {
        const sentAt = performance.now();
        const req = send(url, { method: 'POST', agent, headers: { ...signed, 'content-length': Buffer.byteLength(body) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const answeredAt = performance.now();
            let parsed: Posted['body'];
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Posted['body'];
            } catch {
              parsed = { errors: [{ message: `not JSON: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}` }] };
            }
            resolve({ sentAt, answeredAt, status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** Throws when a POST did not succeed (non-200 or GraphQL errors), with what the server said. */
export function assertOk(posted: Posted, what: string): void {
  if (posted.status !== 200 || posted.body.errors?.length) {
    throw new Error(`${what} failed: HTTP ${posted.status} ${JSON.stringify(posted.body.errors ?? posted.body).slice(0, 500)}`);
  }
}
