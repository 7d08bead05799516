/**
 * Fault: the function subscribed to the TaskEvents topic (task-event-publisher, which turns
 * each event into the `publishTaskEvent` mutation) fails for a while. The failure is injected
 * in its invocation (`fanOut.faults`, see local/fan-out.ts). SNS invokes it asynchronously, as in
 * AWS, so what is tested is Lambda's: two retries, then a record in the function's on-failure
 * destination, with the log lines that say so.
 *
 * What a user must notice: a short failure delays the event and it still arrives once; a
 * failure longer than Lambda's retries loses the live message (it is kept in the on-failure
 * destination, and said so), but the event is kept, and a client catching up (as the board does
 * on every reconnect) gets it, once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTaskEventMessage } from '../../functions/shared/task-event-messages.ts';
import { allTaskEvents, duplicates, eventProblems } from './helpers/checks.ts';
import { EventFeedClient } from './helpers/event-feed-client.ts';
import { acknowledged, graphql } from './helpers/graphql.ts';
import { startFaultStack, type FaultStack } from './helpers/in-process-stack.ts';
import { FaultTally } from './helpers/tally.ts';
import { ROUNDS, until } from './helpers/wait.ts';

const tally = new FaultTally('subscriber failures');
const SUBSCRIBER = 'taskEventPublisher';
const RETRYING = 'async invocation failed; retrying';
const GAVE_UP = 'async invocation retries exhausted; sent to the on-failure destination';
let runtime: FaultStack;
let token: string;
let feed: EventFeedClient;

beforeAll(async () => {
  runtime = await startFaultStack({ faultInjection: true });
  token = await runtime.tokenFor('lead@example.com', 'ADMIN');
  feed = new EventFeedClient(() => ({ graphqlUrl: runtime.stack.graphqlUrl, realtimeUrl: runtime.stack.realtimeUrl, token }));
  feed.start();
  await until('the feed to go live', () => feed.state === 'live', 20_000);
});
afterAll(async () => {
  feed?.stop();
  await runtime?.stop();
  console.log(tally.line());
});

const faults = () => runtime.stack.fanOut.faults!;

async function createTask(title: string): Promise<string> {
  const answer = await graphql(runtime.stack.graphqlUrl, 'mutation ($t: String!) { createTask(boardId: "main", input: { title: $t }) { id version } }', { t: title }, { authorization: token });
  const task = acknowledged(answer, 'createTask');
  expect(task, JSON.stringify(answer.body)).toBeDefined();
  return task.id;
}

describe('a subscriber function failing for a while', { timeout: 60_000 }, () => {
  it(`fails fewer times than Lambda tries (${ROUNDS} round${ROUNDS > 1 ? 's' : ''}): the event arrives once, after the retries, and each retry is logged`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const retriesBefore = runtime.logged(RETRYING).length;
      faults().failSubscriber(SUBSCRIBER, 2, new Error('publisher crashed (injected)'));
      tally.injected('subscriber fails twice');
      const id = await createTask(`late ${round}`);
      await until('the event of the task created while the subscriber failed', () => feed.wire.some((e) => e.taskId === id), 20_000);
      await runtime.stack.fanOut.settled();
      expect(faults().pendingFailures(SUBSCRIBER)).toBe(0);
      expect(feed.wire.filter((e) => e.taskId === id)).toHaveLength(1);
      const retries = runtime.logged(RETRYING).slice(retriesBefore);
      expect(retries.map((r) => [r.function, r.attempt, r.error])).toEqual([1, 2].map((attempt) => [SUBSCRIBER, attempt, 'Error: publisher crashed (injected)']));
      tally.survived('subscriber fails twice');
    }
    expect(runtime.logged(GAVE_UP)).toEqual([]);
    expect(runtime.logged('dead-lettered')).toEqual([]);
  });

  it("fails past Lambda's retries: the live message goes to the on-failure destination and it is said; the event is kept, once, in taskEvents", async () => {
    // Lambda invokes 3 times per message (2 retries): the first message uses 3 of the 5 failures
    // and is given up on; the second, made after the first one's first failure, is tried last and
    // survives its 2 failures.
    faults().failSubscriber(SUBSCRIBER, 5, new Error('publisher down (injected)'));
    tally.injected("subscriber fails past Lambda's retries");
    const retriesBefore = runtime.logged(RETRYING).length;
    const lost = await createTask('given up on');
    // A message carries a stream batch's events: the second task is made once the first one's
    // message is being retried, so the two travel in different messages.
    await until('the first message to be retried', () => runtime.logged(RETRYING).length > retriesBefore, 20_000);
    const kept = await createTask('delivered after retries');
    await until('the second event to arrive live', () => feed.wire.some((e) => e.taskId === kept), 20_000);
    await runtime.stack.fanOut.settled();

    // The runtime says it gave up, on what, and where the message is kept: Lambda's record.
    const [gaveUp, ...more] = runtime.logged(GAVE_UP);
    expect(more).toEqual([]);
    expect(gaveUp).toMatchObject({ level: 'error', function: SUBSCRIBER, attempts: 3, error: 'Error: publisher down (injected)' });
    const file = String(gaveUp!.file);
    expect(path.basename(file)).toBe(`${SUBSCRIBER}-on-failure.jsonl`);
    expect(existsSync(file)).toBe(true);
    const record = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3, functionArn: expect.stringMatching(new RegExp(`^arn:aws:lambda:[^:]+:\\d{12}:function:\\S+-${SUBSCRIBER}:\\$LATEST$`)) },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'publisher down (injected)' },
    });
    expect(readTaskEventMessage(record.requestPayload.Records[0].Sns.Message)).toEqual([expect.objectContaining({ taskId: lost, type: 'TASK_CREATED' })]);

    // Live, the given-up event never came; the one after it did, once.
    expect(feed.wire.filter((e) => e.taskId === lost)).toEqual([]);
    expect(feed.wire.filter((e) => e.taskId === kept)).toHaveLength(1);
    // The event itself is kept: the API lists it, in order, once.
    const stored = await allTaskEvents(runtime.stack.graphqlUrl, token);
    expect(eventProblems(stored)).toEqual([]);
    expect(stored.filter((e) => e.taskId === lost).map((e) => e.type)).toEqual(['TASK_CREATED']);
    expect(duplicates(feed.wire)).toEqual([]);
    tally.survived("subscriber fails past Lambda's retries");
  });

  it('a feed that missed the given-up event live fetches it as soon as the next one shows the gap, and hands both over in order', async () => {
    // The previous test's given-up event: stored, never seen live.
    const stored = await allTaskEvents(runtime.stack.graphqlUrl, token);
    const lost = stored.find((e) => !feed.wire.some((w) => w.sequence === e.sequence));
    expect(lost).toBeDefined();
    await until('the feed to hand over the given-up event', () => feed.received.some((e) => e.sequence === lost!.sequence), 5_000);
    const handed = feed.received.map((e) => e.sequence);
    expect(handed).toEqual([...new Set(handed)].sort((a, b) => a - b));
    expect(handed).toEqual(stored.filter((e) => e.sequence >= handed[0]).map((e) => e.sequence));
  });
});
