import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAsyncInvoker, type AsyncInvokerOptions } from '../../local/aws/lambda/async-invoke.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'async-invoke-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:app-${name}`;
function invoker(invoke: AsyncInvokerOptions['invoke'], extra: Partial<AsyncInvokerOptions> = {}) {
  const lines: Record<string, unknown>[] = [];
  const asyncInvoker = createAsyncInvoker({ invoke, functionArn: arn, onFailureDir: dir, log: (l) => lines.push(JSON.parse(l)), retryDelayMs: () => 5, ...extra });
  return { ...asyncInvoker, lines };
}
const onFailureRecords = async (name: string) => (await readFile(join(dir, `${name}-on-failure.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));

describe("Lambda's asynchronous invocation", () => {
  it('answers before the function runs, and runs it with its own copy of the event', async () => {
    const seen: unknown[] = [];
    const event = { n: 1 };
    const { invokeAsync, idle } = invoker(async (_name, e) => void seen.push(e));
    const requestId = invokeAsync('worker', event);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toEqual([]);
    await idle();
    expect(seen).toEqual([{ n: 1 }]);
    expect(seen[0]).not.toBe(event);
  });

  it('retries a failing function twice and stops as soon as it succeeds', async () => {
    let calls = 0;
    const { invokeAsync, idle, lines } = invoker(async () => {
      if (++calls < 3) throw new Error('flaky');
    });
    invokeAsync('worker', {});
    await idle();
    expect(calls).toBe(3);
    expect(lines.map((l) => [l.msg, l.attempt])).toEqual([['async invocation failed; retrying', 1], ['async invocation failed; retrying', 2]]);
  });

  it("after the retries, sends Lambda's on-failure record (the event, the error, the invoke count) to the function's destination", async () => {
    let calls = 0;
    const { invokeAsync, idle, lines } = invoker(async () => {
      calls++;
      throw Object.assign(new Error('cannot do it'), { name: 'TypeError' });
    });
    const requestId = invokeAsync('worker', { job: 7 });
    await idle();
    expect(calls).toBe(3);
    const [record, ...more] = await onFailureRecords('worker');
    expect(more).toEqual([]);
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.any(String),
      requestContext: { requestId, functionArn: `${arn('worker')}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { job: 7 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'TypeError', errorMessage: 'cannot do it' },
    });
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: 'async invocation retries exhausted; sent to the on-failure destination', function: 'worker', requestId, attempts: 3 });
  });

  it('with MaximumRetryAttempts 0, one try; outside 0-2, refused as Lambda refuses it', async () => {
    let calls = 0;
    const { invokeAsync, idle } = invoker(async () => {
      calls++;
      throw new Error('no');
    }, { maximumRetryAttempts: 0 });
    invokeAsync('worker', {});
    await idle();
    expect(calls).toBe(1);
    expect((await onFailureRecords('worker'))[0].requestContext.approximateInvokeCount).toBe(1);
    expect(() => createAsyncInvoker({ invoke: async () => {}, functionArn: arn, onFailureDir: dir, log: () => {}, maximumRetryAttempts: 3 })).toThrow(/0, 1 or 2/);
  });

  it('runs events side by side: a failing event waiting for its retry does not hold up the next', async () => {
    const done: string[] = [];
    let firstTries = 0;
    const { invokeAsync, idle } = invoker(async (_name, e) => {
      const { id } = e as { id: string };
      if (id === 'first' && ++firstTries === 1) throw new Error('once');
      done.push(id);
    }, { retryDelayMs: () => 50 });
    invokeAsync('worker', { id: 'first' });
    invokeAsync('worker', { id: 'second' });
    await idle();
    expect(done).toEqual(['second', 'first']);
  });
});
