import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import WebSocket from 'ws';
import { appSyncPost } from '../../lib/appsync-request.ts';
import type { LocalCredentials } from '../../local/appsync/auth/iam.ts';
import { underLoad } from './load.ts';

/** A raw AppSync real-time client for tests: send messages, await the ones that come back. */
export interface RawClient {
  ws: WebSocket;
  messages: any[];
  send(message: unknown): void;
  /** The next message (of `type`, if given) not yet taken; rejects after `timeoutMs` (by default 10 s, grown with the load). */
  next(type?: string, timeoutMs?: number): Promise<any>;
  /** Resolves when the socket has closed, with its close code. */
  closed: Promise<number>;
  close(): void;
}

/** Opens a connection with auth headers in the `header-` subprotocol (or `?header=` when `via: 'query'`). */
export function connect(realtimeUrl: string, headers: Record<string, string> | undefined, via: 'subprotocol' | 'query' = 'subprotocol', wsOptions: WebSocket.ClientOptions = {}): Promise<RawClient> {
  const encoded = headers ? Buffer.from(JSON.stringify(headers)).toString('base64') : undefined;
  const url = via === 'query' && encoded ? `${realtimeUrl}?header=${encodeURIComponent(encoded)}&payload=e30=` : realtimeUrl;
  const protocols = via === 'subprotocol' && encoded ? ['graphql-ws', `header-${encoded.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`] : ['graphql-ws'];
  const ws = new WebSocket(url, protocols, wsOptions);
  const messages: any[] = [];
  const waiters: (() => void)[] = [];
  let taken = 0;
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const client: RawClient = {
    ws,
    messages,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    close: () => ws.close(),
    next(type, timeoutMs = underLoad(10_000)) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type ?? 'message'} within ${timeoutMs} ms; got ${JSON.stringify(messages.slice(taken))}`)), timeoutMs);
        const look = () => {
          for (let i = taken; i < messages.length; i++) {
            if (!type || messages[i].type === type) {
              taken = i + 1;
              clearTimeout(timer);
              return resolve(messages[i]);
            }
          }
          waiters.push(look);
        };
        look();
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
    ws.once('unexpected-response', (_, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}

/** The local IAM credentials of a stack's data folder. */
export async function iamCredentials(dataDir: string): Promise<LocalCredentials> {
  return JSON.parse(await readFile(path.join(dataDir, 'iam-credentials.json'), 'utf8')) as LocalCredentials;
}

/** SigV4 headers for `POST <url>` with `body`, as AWS clients sign AppSync requests. */
export async function signedHeaders(url: string, body: string, credentials: LocalCredentials): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'appsync', region: 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign(appSyncPost(url, body, { 'content-type': 'application/json' }));
  return signed.headers as Record<string, string>;
}

/** A `start` message for a subscription document. */
export function start(id: string, query: string, authorization: Record<string, string>, variables: Record<string, unknown> = {}) {
  return { id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } } };
}
