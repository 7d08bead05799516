/**
 * Figure (4): the stream path. `createTask` writes to DynamoDB; the Tasks stream -> stream
 * handler -> SNS -> task-event-publisher -> `publishTaskEvent` (IAM) carries the TASK_CREATED
 * event to `onTaskEvent(boardId: "main")` subscribers. Timed from the createTask response to the subscriber.
 */
import { randomUUID } from 'node:crypto';
import { assertOk, SubscriberPool, type Publisher } from './clients.ts';
import type { HeaderMaker } from './auth.ts';
import { sleep, spread, type Spread } from './stats.ts';

const CREATE_TASK = 'mutation Create($input: CreateTaskInput!) { createTask(boardId: "main", input: $input) { id } }';
const SUBSCRIPTION = 'subscription Created { onTaskEvent(boardId: "main", type: TASK_CREATED) { sequence taskId type task { title } } }';

/** Figure (4). */
export interface StreamResult {
  samples: number;
  timeouts: number;
  /** Delivery minus the createTask response (the write is done when the response leaves). */
  fromResponse: Spread;
  /** Delivery minus the createTask request. */
  fromRequest: Spread;
  /** The createTask round trip itself. */
  roundTrip: Spread;
}

/**
 * Creates `samples` tasks one at a time, each with a unique title, and times each one's
 * TASK_CREATED delivery to one subscriber. A random pause of 0-250 ms between samples keeps
 * them from lining up with the stream poller's 200 ms polling interval.
 */
export async function measureStreamPath(options: {
  graphqlUrl: string;
  realtimeUrl: string;
  /** Lambda-token headers: createTask and onTaskEvent both need a signed-in user. */
  headers: HeaderMaker;
  publisher: Publisher;
  samples: number;
  timeoutMs?: number;
  say: (line: string) => void;
}): Promise<StreamResult> {
  const pool = new SubscriberPool({ graphqlUrl: options.graphqlUrl, realtimeUrl: options.realtimeUrl, headers: options.headers, subscription: SUBSCRIPTION });
  await pool.grow(1);
  const run = randomUUID().slice(0, 8);
  const fromResponse: number[] = [];
  const fromRequest: number[] = [];
  const roundTrips: number[] = [];
  let timeouts = 0;
  try {
    for (let i = -2; i < options.samples; i++) {
      // Two unmeasured samples first: the first event through the path loads its functions.
      const title = `bench-stream-${run}-${i}`;
      let arrived: (at: number) => void = () => {};
      const arrival = new Promise<number>((resolve) => (arrived = resolve));
      pool.sink = (_, data, at) => {
        const event = (data as { onTaskEvent?: { task?: { title?: string } } } | null)?.onTaskEvent;
        if (event?.task?.title === title) arrived(at);
      };
      const posted = await options.publisher.post(CREATE_TASK, { input: { title } });
      assertOk(posted, 'createTask');
      const timeout = sleep(options.timeoutMs ?? 10_000).then(() => undefined);
      const at = await Promise.race([arrival, timeout]);
      if (at === undefined) timeouts += 1;
      else if (i >= 0) {
        fromResponse.push(at - posted.answeredAt);
        fromRequest.push(at - posted.sentAt);
        roundTrips.push(posted.answeredAt - posted.sentAt);
      }
      if (i >= 0 && (i + 1) % 10 === 0) options.say(`  stream path: ${i + 1}/${options.samples}`);
      await sleep(Math.random() * 250);
    }
  } finally {
    pool.sink = () => {};
    await pool.shrinkTo(0);
  }
  return { samples: fromResponse.length, timeouts, fromResponse: spread(fromResponse), fromRequest: spread(fromRequest), roundTrip: spread(roundTrips) };
}
