/**
 * Figure (3): the server's memory per idle connection. The server is a child process: its VmRSS
 * is read from /proc, and a GC is forced through its inspector before each reading.
 */
import type { SubscriberPool } from './clients.ts';
import { Inspector } from './inspector.ts';
import { median, sleep } from './stats.ts';
import { residentBytes } from './target.ts';

/** One reading of the server's memory (each figure the median of `READS` readings). */
export interface MemoryReading {
  connections: number;
  rssBytes: number;
  /** V8 heap in use after the forced GC; undefined without an inspector. */
  heapUsedBytes?: number;
  /** V8 heap committed (used or not); RSS minus this is roughly the memory outside V8's heap. */
  heapTotalBytes?: number;
}

/** Memory per connection at one step, against the 0-connection reading. */
export interface PerConnection {
  connections: number;
  /** (RSS at n - RSS at 0) / n: the brief's figure. Noisy: V8 keeps or returns free pages as it likes. */
  rssBytes: number;
  /** (V8 heap used at n - at 0) / n. */
  heapBytes?: number;
  /** heapBytes plus the growth of RSS outside V8's committed heap, per connection: steadier than rssBytes. */
  liveBytes?: number;
}

/** Figure (3). */
export interface MemoryResult {
  readings: MemoryReading[];
  perConnection: PerConnection[];
  gcForced: boolean;
}

const READS = 3;

/**
 * Server RSS with no connections (after one warm-up connection, closed, and a GC), then with each
 * of `steps` idle connections open (connected, acknowledged, one subscription each). Each reading
 * is the median of three, each after a forced GC.
 */
export async function measureMemory(
  pool: SubscriberPool,
  pid: number,
  inspectorUrl: string | undefined,
  steps: number[],
  say: (line: string) => void,
): Promise<MemoryResult> {
  const inspector = inspectorUrl ? await Inspector.open(inspectorUrl) : undefined;
  try {
    const read = async (connections: number): Promise<MemoryReading> => {
      await sleep(1_000); // let connection set-up finish (timers, buffers) before the GC
      const rss: number[] = [];
      const used: number[] = [];
      const total: number[] = [];
      for (let i = 0; i < READS; i++) {
        if (inspector) {
          for (let gc = 0; gc < 2; gc++) await inspector.call('HeapProfiler.collectGarbage');
          const heap = await inspector.call<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
          used.push(heap.usedSize);
          total.push(heap.totalSize);
        }
        await sleep(300);
        rss.push(await residentBytes(pid));
      }
      const reading = { connections, rssBytes: median(rss), heapUsedBytes: used.length ? median(used) : undefined, heapTotalBytes: total.length ? median(total) : undefined };
      const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
      say(`  ${connections} connections: server RSS ${mib(reading.rssBytes)}${reading.heapUsedBytes ? `, V8 heap used ${mib(reading.heapUsedBytes)} of ${mib(reading.heapTotalBytes!)}` : ''}`);
      return reading;
    };
    // Warm up the path once, so the baseline includes code that any first connection loads.
    await pool.grow(1);
    await pool.shrinkTo(0);
    const readings = [await read(0)];
    for (const target of steps) {
      await pool.grow(target - pool.open.length);
      readings.push(await read(target));
    }
    await pool.shrinkTo(0);
    const base = readings[0];
    return {
      readings,
      perConnection: readings.slice(1).map((r) => {
        const n = r.connections;
        const heapBytes = r.heapUsedBytes !== undefined && base.heapUsedBytes !== undefined ? (r.heapUsedBytes - base.heapUsedBytes) / n : undefined;
        const outside = (m: MemoryReading) => m.rssBytes - (m.heapTotalBytes ?? 0);
        return {
          connections: n,
          rssBytes: (r.rssBytes - base.rssBytes) / n,
          heapBytes,
          liveBytes: heapBytes === undefined ? undefined : heapBytes + (outside(r) - outside(base)) / n,
        };
      }),
      gcForced: Boolean(inspector),
    };
  } finally {
    inspector?.close();
  }
}
