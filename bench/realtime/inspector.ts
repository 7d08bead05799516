/**
 * A Chrome DevTools Protocol session on the local child's inspector (`--inspect`): forces GCs
 * before memory readings and takes CPU profiles of the server during chosen phases.
 */
import { writeFile } from 'node:fs/promises';
import WebSocket from 'ws';

/** A Chrome DevTools Protocol session on the child's inspector: enough to force a GC and read the heap. */
export class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw: Buffer) => {
      const message = JSON.parse(raw.toString('utf8')) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message.result);
    });
  }

  static open(url: string): Promise<Inspector> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Inspector(ws)));
      ws.once('error', reject);
    });
  }

  call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`inspector: ${method} timed out`)), 30_000);
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(result as T);
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Profiles the server from `start()` until the returned function writes the `.cpuprofile` to `file`. */
export async function profileServer(inspectorUrl: string, file: string, intervalUs = 200): Promise<() => Promise<void>> {
  const inspector = await Inspector.open(inspectorUrl);
  await inspector.call('Profiler.enable');
  await inspector.call('Profiler.setSamplingInterval', { interval: intervalUs });
  await inspector.call('Profiler.start');
  return async () => {
    const { profile } = await inspector.call<{ profile: unknown }>('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    inspector.close();
  };
}
