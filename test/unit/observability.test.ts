import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../functions/shared/logger.ts';
import { observe } from '../../functions/shared/observability.ts';
import { invokeInProcess } from '../../local/aws/lambda/invoke.ts';

// What every function's logs carry, through the one logger (Powertools) and the one entry-point
// wrapper, run the way the local runtime runs functions: several invocations at once in one
// process, as Lambda's Node.js runtime does with AWS_LAMBDA_MAX_CONCURRENCY.
let lines: Record<string, unknown>[];
const saved = { ...process.env };
beforeEach(() => {
  lines = [];
  // Both streams, as Lambda (and CloudWatch) keeps both: Powertools writes WARN and ERROR to stderr.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
  }
  delete process.env.SECURETASK_LOG_LEVEL;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler of the file
const invoke = (handler: (event: any, context?: any) => Promise<unknown>, event: unknown) =>
  invokeInProcess(handler as never, event, { functionName: 'securetask-notifier', timeoutSeconds: 5, region: 'eu-west-1', accountId: '000000000000' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('function logs', () => {
  it('carry level, service, request id, function name and cold start, each invocation its own even when they overlap', async () => {
    const log = createLogger('notifier');
    const handler = observe(log, async (event: { id: string; wait: number }) => {
      log.info('started', { job: event.id });
      await pause(event.wait);
      log.info('finished', { job: event.id });
    });
    await Promise.all([invoke(handler, { id: 'a', wait: 60 }), invoke(handler, { id: 'b', wait: 10 })]);

    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 'INFO', service: 'notifier', function_name: 'securetask-notifier', function_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(line.timestamp).toEqual(expect.any(String));
    }
    const requestOf = (job: string) => new Set(lines.filter((l) => l.job === job).map((l) => l.function_request_id));
    expect(requestOf('a').size).toBe(1);
    expect(requestOf('b').size).toBe(1);
    expect([...requestOf('a')][0]).not.toBe([...requestOf('b')][0]);
    // b finished while a was still waiting: its lines still name b's invocation.
    expect(lines.map((l) => `${String(l.message)} ${String(l.job)}`)).toEqual(['started a', 'started b', 'finished b', 'finished a']);
  });

  it('follow the configured level: WARN drops INFO; SECURETASK_LOG_LEVEL=silent drops everything', async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    const warnOnly = createLogger('authorizer');
    await invoke(
      observe(warnOnly, async () => {
        warnOnly.info('allowed');
        warnOnly.warn('denied', { reason: 'TOKEN_EXPIRED' });
      }),
      {},
    );
    expect(lines.map((l) => [l.level, l.message])).toEqual([['WARN', 'denied']]);

    process.env.SECURETASK_LOG_LEVEL = 'silent';
    const silent = createLogger('authorizer');
    await invoke(observe(silent, async () => silent.error('never shown')), {});
    expect(lines).toHaveLength(1);
  });

  it('log at DEBUG for the sampled share of invocations (POWERTOOLS_LOGGER_SAMPLE_RATE), and only INFO otherwise', async () => {
    process.env.POWERTOOLS_LOGGER_SAMPLE_RATE = '1';
    const sampled = createLogger('task-stream');
    await invoke(observe(sampled, async () => sampled.debug('batch detail')), {});
    expect(lines).toContainEqual(expect.objectContaining({ level: 'DEBUG', message: 'batch detail', sampling_rate: 1 }));

    lines.length = 0;
    process.env.POWERTOOLS_LOGGER_SAMPLE_RATE = '0';
    const unsampled = createLogger('task-stream');
    await invoke(observe(unsampled, async () => unsampled.debug('batch detail')), {});
    expect(lines.filter((l) => l.level === 'DEBUG')).toEqual([]);
  });

  it('are written as before when a handler is called without a Lambda context (tests, scripts)', async () => {
    const log = createLogger('due-notifier');
    const handler = observe(log, async (event: { n: number }) => {
      log.info('ran', { n: event.n });
      return event.n * 2;
    });
    expect(await handler({ n: 21 })).toBe(42);
    expect(lines).toEqual([expect.objectContaining({ level: 'INFO', service: 'due-notifier', message: 'ran', n: 21 })]);
  });
});

describe('tracing outside Lambda', () => {
  it('leaves the X-Ray SDK in manual mode, so no async hook taxes every promise of the local runtime', async () => {
    // The SDK chose its mode when observability.ts loaded it (above); automatic mode's hook cannot be removed.
    const { default: AWSXRay } = await import('aws-xray-sdk-core');
    expect(AWSXRay.isAutomaticMode()).toBe(false);
  });
});
