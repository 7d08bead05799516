import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ApiDefinition } from '../../api/types.ts';
import { createAsyncInvoker } from '../aws/index.ts';
import { startFanOut, type FanOut } from '../fan-out.ts';
import { startScheduler } from '../scheduler.ts';

/** What makes functions run besides requests: the fan-out and the schedules. */
export interface LocalTriggers {
  fanOut: FanOut;
  stop(): Promise<void>;
}

/**
 * The description's triggers, as cdk/constructs/realtime.ts and topics.ts wire them in AWS: table
 * streams -> functions -> SNS -> subscriber functions (see local/fan-out.ts), and the SCHEDULE
 * triggers on timers.
 */
export async function startTriggers(options: {
  api: ApiDefinition;
  dynamodb: DynamoDBClient;
  dynamodbEndpoint: string;
  region: string;
  accountId: string;
  dataDir: string;
  tableName: (table: string) => string;
  topicArn: (topic: string) => string;
  invoke: (name: string, event: unknown) => Promise<unknown>;
  functionArn: (name: string) => string;
  log: (line: string) => void;
  progress: (line: string) => void;
  faultInjection?: boolean;
}): Promise<LocalTriggers> {
  const { progress, ...fanOutOptions } = options;
  progress('starting the fan-out: table streams -> SNS -> functions');
  const fanOut = await startFanOut(fanOutOptions);
  const scheduled = createAsyncInvoker({ invoke: options.invoke, functionArn: options.functionArn, onFailureDir: path.join(options.dataDir, 'dead-letters'), log: options.log });
  const scheduler = startScheduler({ api: options.api, invoker: scheduled });
  return {
    fanOut,
    async stop() {
      scheduler.stop();
      await fanOut.stop();
      await scheduled.idle();
    },
  };
}
