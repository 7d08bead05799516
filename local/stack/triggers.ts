import { createAsyncInvoker } from '../aws/index.ts';
import { dataFiles } from '../data-dir.ts';
import { startFanOut, type FanOut, type FanOutOptions } from '../fan-out.ts';
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
export async function startTriggers(options: FanOutOptions & { progress: (line: string) => void }): Promise<LocalTriggers> {
  const { progress, ...fanOutOptions } = options;
  progress('starting the fan-out: table streams -> SNS -> functions');
  const fanOut = await startFanOut(fanOutOptions);
  const scheduled = createAsyncInvoker({ invoke: options.invoke, functionArn: options.functionArn, onFailureDir: dataFiles(options.dataDir).deadLettersDir, log: options.log });
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
