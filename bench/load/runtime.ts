/**
 * The runtime under load: `securetask start` in a child process, on a fresh temporary data
 * folder with PORT=0, exactly as people run it (bench/realtime's `startLocalTarget` does the
 * spawning, the wait for "SecureTask is ready" and the clean stop).
 *
 * Why a child process and not `startLocalStack` in this process: the issue asks for the
 * runtime's memory over the run, and only a process of its own has a memory of its own. Its
 * VmRSS (/proc) and its V8 heap (through its inspector, which can also force a GC) then hold
 * the runtime alone: not the load generator's latency arrays, sockets and JSON parsing. Its CPU
 * is its own too, so the report can say who used the two cores. DynamoDB Local (Java) is the
 * runtime's own child, as with `npm start`.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { dataFiles, type RuntimeInfo } from '../../local/data-dir.ts';
import { startLocalTarget, type LocalTarget } from '../realtime/target.ts';

/** The running runtime and what the benchmark needs to know about it. */
export interface Runtime extends LocalTarget {
  dynamodbEndpoint: string;
  /** Where its liveness stand-in is (runtime.json): the verifications stream their checks there. */
  liveness: { dataDir: string; certificateFile: string; awsEndpoints: Record<string, string> };
  /** DynamoDB Local's Java process, when its pid file is where the runtime writes it. */
  javaPid?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Starts the runtime. Two settings differ from a plain `npm start`, both through the documented
 * environment variables (they also reach `securetask token` and this process's own token minting):
 *
 * - `SECURETASK_TOKEN_LIFETIME_SECONDS`: tokens outlive the whole run, so no subscriber or
 *   client is cut off half-way by a 30-minute session ending (that would be a finding about the
 *   benchmark, not the runtime);
 * - `SECURETASK_ATTEMPTS_PER_SOURCE`: every verification here comes from 127.0.0.1, where real
 *   ones come from many addresses; at the default (20 an hour) the trickle would hit RateLimited.
 */
export async function startRuntime(options: { tokenLifetimeSeconds: number; say: (line: string) => void }): Promise<Runtime> {
  process.env.SECURETASK_TOKEN_LIFETIME_SECONDS = String(Math.min(24 * 3600, Math.max(1800, Math.ceil(options.tokenLifetimeSeconds))));
  process.env.SECURETASK_ATTEMPTS_PER_SOURCE = '100000';
  const target = await startLocalTarget({ nodeFlags: [], say: options.say });
  try {
    const info = JSON.parse(await readFile(path.join(target.dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
    for (const url of [target.graphqlUrl, target.realtimeUrl, info.dynamodbEndpoint]) {
      if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`bench/load runs on loopback only, but the runtime reports ${url}`);
    }
    const javaPid = await readFile(path.join(target.dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8').then(
      (text) => Number(text.trim()) || undefined,
      () => undefined,
    );
    return Object.assign(target, { dynamodbEndpoint: info.dynamodbEndpoint, javaPid, liveness: { dataDir: target.dataDir, certificateFile: info.certificateFile, awsEndpoints: info.awsEndpoints } });
  } catch (error) {
    await target.stop();
    throw error;
  }
}

/** Failures the fan-out gave up on (after SNS's and the stream poller's retries): `<data>/dead-letters/*.jsonl`, one per line. */
export async function deadLetters(dataDir: string): Promise<{ file: string; lines: number }[]> {
  const folder = dataFiles(dataDir).deadLettersDir;
  const files = await readdir(folder).catch(() => [] as string[]);
  return Promise.all(
    files.map(async (file) => ({ file, lines: (await readFile(path.join(folder, file), 'utf8')).split('\n').filter(Boolean).length })),
  );
}
