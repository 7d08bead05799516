import { randomUUID } from 'node:crypto';
import type { ApiDefinition } from '../api/types.ts';
import type { AsyncInvoker } from './aws/lambda/async-invoke.ts';

/** The running timers of the description's SCHEDULE triggers. */
export interface Scheduler {
  stop(): void;
}

/**
 * What EventBridge does for SCHEDULE triggers in AWS: invokes each such function every
 * `everyMinutes`, with a scheduled event, asynchronously (so a failed run is retried by Lambda
 * and then recorded in the function's on-failure destination). The first run comes one period
 * after start, as with a new EventBridge rate rule.
 */
export function startScheduler(options: {
  api: ApiDefinition;
  invoker: AsyncInvoker;
  /** Tests shorten the period; in seconds per "minute". */
  secondsPerMinute?: number;
}): Scheduler {
  const timers: NodeJS.Timeout[] = [];
  for (const [name, fn] of Object.entries(options.api.functions)) {
    for (const trigger of fn.triggers ?? []) {
      if (trigger.kind !== 'SCHEDULE') continue;
      // As EventBridge does, a run starts every period even when the previous one has not ended.
      const timer = setInterval(() => {
        options.invoker.invokeAsync(name, { version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} });
      }, trigger.everyMinutes * (options.secondsPerMinute ?? 60) * 1000);
      timer.unref();
      timers.push(timer);
    }
  }
  return { stop: () => timers.forEach(clearInterval) };
}

/**
 * What a deploy does for DEPLOY triggers in AWS (a custom resource): invokes each such function
 * once, in order, with a CloudFormation-like Create event, and fails the start if one fails (a
 * deploy whose migration fails does not complete either).
 */
export async function runDeployTriggers(options: {
  api: ApiDefinition;
  invoke: (name: string, event: unknown) => Promise<unknown>;
  log: (line: string) => void;
}): Promise<void> {
  for (const [name, fn] of Object.entries(options.api.functions)) {
    if (!fn.triggers?.some((trigger) => trigger.kind === 'DEPLOY')) continue;
    options.log(`running ${name} (once per deploy)`);
    await options.invoke(name, { RequestType: 'Create' });
  }
}
