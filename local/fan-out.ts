import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { ApiDefinition, FunctionTrigger } from '../api/types.ts';
import { createAsyncInvoker } from './aws/lambda/async-invoke.ts';
import { dataFiles } from './data-dir.ts';
import { startLocalSns, type LocalSns } from './aws/sns/sns.ts';
import type { AccessControl } from './aws/iam/index.ts';
import { checkpointFileOf, startStreamPoller, type StreamPoller } from './aws/streams/streams.ts';
import { wakeOnWrites } from './aws/streams/stream-wake.ts';

export interface FanOutOptions {
  api: ApiDefinition;
  dynamodb: DynamoDBClient;
  dynamodbEndpoint: string;
  region: string;
  accountId: string;
  dataDir: string;
  tableName: (table: string) => string;
  topicArn: (topic: string) => string;
  invoke: (functionName: string, event: unknown) => Promise<unknown>;
  /** A function's ARN, for the records of its on-failure destination. */
  functionArn: (functionName: string) => string;
  log: (line: string) => void;
  /** Turns on {@link FanOut.faults} (fault tests only; `npm start` never does). */
  faultInjection?: boolean;
  /** Who may publish to which topic (the functions' grants); without it, anyone anywhere. */
  access?: AccessControl;
}

/**
 * Fault injection for test/faults: a subscriber function that crashes, without mocking it. The
 * failure happens where Lambda's would, in the function's invocation, so Lambda's real
 * asynchronous retries, on-failure records and logs are what the test sees.
 */
export interface FanOutFaults {
  /** The next `count` invocations of `subscriber` (a function name) by SNS fail with `error` instead of running it. */
  failSubscriber(subscriber: string, count: number, error?: Error): void;
  /** How many injected failures are still to come for `subscriber`. */
  pendingFailures(subscriber: string): number;
}

/** The running fan-out: SNS's endpoint for the functions, and a way to wait for it to settle. */
export interface FanOut {
  snsEndpoint: string;
  /** Resolves when every change written so far has gone through streams, SNS and its subscribers (their retries included). */
  settled(): Promise<void>;
  /** Present only with `faultInjection`. */
  faults?: FanOutFaults;
  stop(): Promise<void>;
}

/**
 * Starts what AWS runs for the description's triggers: one stream poller per table whose stream
 * triggers functions, feeding each of them as its own event source mapping would (checkpointed
 * in the data folder) and an in-process SNS whose subscribers are the functions with TOPIC
 * triggers, invoked asynchronously as SNS invokes Lambda. Failures that exhaust their retries are
 * kept in `<dataDir>/dead-letters/`, as the on-failure destinations and DLQs keep them in AWS.
 */
export async function startFanOut(options: FanOutOptions): Promise<FanOut> {
  const deadLetters = dataFiles(options.dataDir).deadLettersDir;
  const functions = Object.entries(options.api.functions);
  const injected = new Map<string, { left: number; error: Error }>();
  /** Runs a subscriber function, unless a failure was injected for it. */
  const runSubscriber = async (name: string, event: unknown): Promise<unknown> => {
    const fault = injected.get(name);
    if (fault && fault.left > 0) {
      fault.left -= 1;
      throw fault.error;
    }
    return options.invoke(name, event);
  };

  // SNS invokes its subscriber functions asynchronously: Lambda's retries and on-failure records.
  const subscriberInvocations = createAsyncInvoker({ invoke: runSubscriber, functionArn: options.functionArn, onFailureDir: deadLetters, log: options.log });

  const topics = Object.fromEntries(
    Object.keys(options.api.topics).map((topic) => [
      topic,
      {
        arn: options.topicArn(topic),
        subscribers: functions
          .filter(([, fn]) => fn.triggers?.some((t) => t.kind === 'TOPIC' && t.topic === topic))
          .map(([name]) => ({ name, deliver: async (event: unknown) => subscriberInvocations.invokeAsync(name, event) })),
      },
    ]),
  );
  const sns: LocalSns = await startLocalSns({
    region: options.region,
    accountId: options.accountId,
    topics,
    deadLetterDir: deadLetters,
    log: options.log,
    access: options.access,
  });

  const streams = new DynamoDBStreamsClient({
    endpoint: options.dynamodbEndpoint,
    region: options.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  streams.middlewareStack.remove('loggerMiddleware'); // see the runtime's client in stack.ts
  const pollers: StreamPoller[] = [];
  const pollerOf = new Map<string, StreamPoller>();
  try {
    for (const [table, consumers] of streamConsumers(options.api)) {
      const poller = await startStreamPoller({
        dynamodb: options.dynamodb,
        streams,
        tableName: options.tableName(table),
        region: options.region,
        log: options.log,
        consumers: consumers.map(({ name, trigger }) => ({
          name,
          handler: (event) => options.invoke(name, event),
          checkpointFile: checkpointFileOf(options.dataDir, name, table),
          batchSize: trigger.batchSize,
          retryAttempts: trigger.retryAttempts,
          bisectBatchOnError: trigger.bisectBatchOnError,
          batchingWindowSeconds: trigger.batchingWindowSeconds,
          onFailure: async ({ records, error }) => {
            await mkdir(deadLetters, { recursive: true });
            const line = JSON.stringify({ time: new Date().toISOString(), function: name, error: String(error), records });
            await appendFile(path.join(deadLetters, `${name}-${table}.jsonl`), line + '\n');
          },
        })),
      });
      pollers.push(poller);
      pollerOf.set(options.tableName(table), poller);
    }
  } catch (error) {
    await Promise.all(pollers.map((p) => p.stop()));
    await sns.stop();
    throw error;
  }
  // A write through the runtime's own client (every resolver's) wakes its table's poller, so a
  // change starts on its way at once instead of after the idle interval.
  wakeOnWrites(options.dynamodb, (table) => pollerOf.get(table)?.wake());

  const faults: FanOutFaults = {
    failSubscriber(subscriber, count, error = new Error(`injected failure of ${subscriber}`)) {
      if (!options.api.functions[subscriber]) throw new Error(`fault injection: no function named ${subscriber}`);
      injected.set(subscriber, { left: count, error });
    },
    pendingFailures: (subscriber) => injected.get(subscriber)?.left ?? 0,
  };
  return {
    snsEndpoint: sns.endpoint,
    faults: options.faultInjection ? faults : undefined,
    async settled() {
      await Promise.all(pollers.map((p) => p.drained()));
      await sns.idle();
      await subscriberInvocations.idle();
    },
    async stop() {
      await Promise.all(pollers.map((p) => p.stop()));
      await sns.stop();
      await subscriberInvocations.idle();
      streams.destroy();
    },
  };
}

type StreamTrigger = Extract<FunctionTrigger, { kind: 'TABLE_STREAM' }>;

/** The functions each table's stream feeds, with their triggers' settings, by logical table name. */
function streamConsumers(api: ApiDefinition): Map<string, { name: string; trigger: StreamTrigger }[]> {
  const out = new Map<string, { name: string; trigger: StreamTrigger }[]>();
  for (const [name, fn] of Object.entries(api.functions)) {
    for (const trigger of fn.triggers ?? []) {
      if (trigger.kind === 'TABLE_STREAM') out.set(trigger.table, [...(out.get(trigger.table) ?? []), { name, trigger }]);
    }
  }
  return out;
}
