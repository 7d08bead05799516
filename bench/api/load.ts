import { Agent, request as httpRequest } from 'node:http';

/** One operation under load: resolves to `true` when the answer was a success, `false` when it counts as an error. */
export type Operation = () => Promise<boolean>;

/** What one cell (one operation at one concurrency) measured. */
export interface CellResult {
  operation: string;
  concurrency: number;
  /** Successful and failed requests completed inside the measured window. */
  requests: number;
  errors: number;
  /** Completed requests per second over the measured window. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Seconds actually measured (from the end of the warm-up to the last completion). */
  measuredSeconds: number;
}

/** Settings shared by every cell. */
export interface CellTiming {
  warmupSeconds: number;
  seconds: number;
}

/**
 * Runs `concurrency` workers that each call `make(worker)()` back to back for the warm-up and
 * then the measured duration, and reports throughput and latency of the measured part.
 * Latency is taken with `process.hrtime.bigint()` around each call; a request counts when it
 * started after the warm-up.
 */
export async function runCell(
  operation: string,
  concurrency: number,
  timing: CellTiming,
  make: (worker: number) => Operation,
): Promise<CellResult> {
  const start = process.hrtime.bigint();
  const measureFrom = start + BigInt(Math.round(timing.warmupSeconds * 1e9));
  const stopAt = measureFrom + BigInt(Math.round(timing.seconds * 1e9));
  const latencies: number[] = [];
  let errors = 0;
  let lastEnd = measureFrom;

  const worker = async (index: number): Promise<void> => {
    const op = make(index);
    for (;;) {
      const t0 = process.hrtime.bigint();
      if (t0 >= stopAt) return;
      let ok: boolean;
      try {
        ok = await op();
      } catch {
        ok = false;
      }
      const t1 = process.hrtime.bigint();
      if (t0 < measureFrom) continue;
      latencies.push(Number(t1 - t0) / 1e6);
      if (!ok) errors++;
      if (t1 > lastEnd) lastEnd = t1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));

  const measuredSeconds = Number(lastEnd - measureFrom) / 1e9;
  const stats = summarize(latencies);
  return {
    operation,
    concurrency,
    requests: latencies.length,
    errors,
    requestsPerSecond: measuredSeconds > 0 ? latencies.length / measuredSeconds : 0,
    p50Ms: stats.p50,
    p99Ms: stats.p99,
    meanMs: stats.mean,
    measuredSeconds,
  };
}

/** p50, p99 and mean of a list of milliseconds (nearest-rank percentiles). */
export function summarize(values: readonly number[]): { p50: number; p99: number; mean: number } {
  if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN, mean: Number.NaN };
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p50: rank(0.5), p99: rank(0.99), mean: sum / sorted.length };
}

/** A keep-alive HTTP client for one cell: one socket per worker, no `fetch` overhead. */
export interface HttpClient {
  /** Sends a request and resolves with the status and the body as text. */
  send(method: string, path: string, body?: Buffer): Promise<{ status: number; text: string }>;
  /** Closes the sockets. */
  close(): void;
}

/** Creates an {@link HttpClient} for `baseUrl` with `maxSockets` = the cell's concurrency. */
export function createHttpClient(baseUrl: string, maxSockets: number, headers: Record<string, string>): HttpClient {
  const url = new URL(baseUrl);
  // An idle socket is let go after 4 s, before the server's 5 s keep-alive timeout (Node's
  // default) closes it: a request written on a socket the server is closing fails with
  // ECONNRESET, which bench/load would count against the server (undici lets go at 4 s too).
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 4_000 });
  return {
    send(method, path, body) {
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            agent,
            host: url.hostname,
            port: url.port,
            method,
            path,
            headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) } : headers,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** A GraphQL answer counts as a success when it is a 200 without an `errors` member. */
export function graphqlOk(answer: { status: number; text: string }): boolean {
  // Cheaper than JSON.parse and exact here: the benchmark's own data never contains this text.
  return answer.status === 200 && !answer.text.includes('"errors":');
}
