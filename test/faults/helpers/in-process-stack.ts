/**
 * The runtime in the test's own process (`startLocalStack`), for faults that do not need a
 * process kill: it can use a dedicated DynamoDB Local, turn on the fan-out's fault injection,
 * and hands every structured service line (stream pollers, SNS) to the test to read.
 */
import { inject } from 'vitest';
import type { SecureTaskConfig } from '../../../api/config.ts';
import type { LocalStack } from '../../../local/stack/index.ts';
import { startScratchStack } from '../../../local/stack/scratch.ts';

/** A running in-process runtime and what fault tests read from it. */
export interface FaultStack {
  stack: LocalStack;
  config: SecureTaskConfig;
  /** Every structured line the local services wrote, info included. */
  serviceLines: string[];
  /** Parsed service lines whose `msg` contains `text`. */
  logged(text: string): Record<string, unknown>[];
  tokenFor(email: string, role: 'ADMIN' | 'MEMBER'): Promise<string>;
  /** Stops the runtime and removes its data folder. */
  stop(): Promise<void>;
}

/** Starts the product API on a free port, on `dynamodbEndpoint` (default: the run's shared DynamoDB Local) with its own tables. */
export async function startFaultStack(options: { dynamodbEndpoint?: string; faultInjection?: boolean; config?: Partial<SecureTaskConfig> } = {}): Promise<FaultStack> {
  process.env.SECURETASK_LOG_LEVEL ??= 'silent'; // the functions' own INFO lines; service lines come to us
  const serviceLines: string[] = [];
  const stack = await startScratchStack({
    config: options.config,
    dynamodbEndpoint: options.dynamodbEndpoint ?? inject('dynamodbEndpoint'),
    faultInjection: options.faultInjection,
    serviceLog: (line) => serviceLines.push(line),
  });
  return {
    stack,
    config: stack.config,
    serviceLines,
    logged: (text) =>
      serviceLines.flatMap((line) => {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          return String(parsed.msg ?? '').includes(text) ? [parsed] : [];
        } catch {
          return [];
        }
      }),
    async tokenFor(email, role) {
      return (await stack.tokenFor(email, role)).token;
    },
    stop: () => stack.stop(),
  };
}
