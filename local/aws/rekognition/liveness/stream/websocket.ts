/**
 * The WebSocket side of StartFaceLivenessSession: upgrades on `/start-face-liveness-session-websocket`
 * (the path the SDK's WebSocket middleware opens, with the presigned query) become streams; one
 * binary message in, one envelope for the stream; the stream's bytes and close go back out.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { openLivenessStream, type LivenessStreamService } from './liveness-stream.ts';

export const STREAMING_PATH = '/start-face-liveness-session-websocket';
/** A second of 1 Mbit/s video, base64 in JSON, in a signed envelope, fits many times over. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The upgrade handler for a server, and a way to cut every stream (on stop). */
export function livenessWebSocket(service: LivenessStreamService) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const streams = new Set<Promise<void>>();

  const serve = (ws: WebSocket, req: IncomingMessage) => {
    const stream = openLivenessStream(
      service,
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers },
      {
        send: (bytes) => {
          if (ws.readyState === ws.OPEN) ws.send(bytes);
        },
        close: (code, reason) => {
          if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, truncate(reason));
        },
      },
    );
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // Text frames carry nothing in this protocol: passed on, they fail as a garbled event.
      stream.receive(isBinary ? toBytes(data) : new Uint8Array(0));
    });
    ws.on('close', () => stream.closed());
    // One bad frame must not bring the server down: the socket closes, the stream fails.
    ws.on('error', () => ws.terminate());
    const settled = stream.settled.finally(() => streams.delete(settled));
    streams.add(settled);
  };

  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', () => socket.destroy());
      if (new URL(req.url ?? '/', 'http://local').pathname !== STREAMING_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, req));
    },
    /** Cuts every stream and waits until their sessions are written. */
    async close(): Promise<void> {
      for (const ws of wss.clients) ws.terminate();
      await Promise.all(streams);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** A close reason is at most 123 bytes of UTF-8. */
function truncate(reason: string): string {
  let text = reason;
  while (Buffer.byteLength(text) > 123) text = text.slice(0, -1);
  return text;
}
