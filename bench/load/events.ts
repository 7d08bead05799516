/**
 * Task events three ways, to compare them at the end:
 *
 * - expected: every task write the server acknowledged (an updateTask, each task of a
 *   moveTasks) makes exactly one event, named here by `taskId@version`;
 * - published: what the server's event log (`taskEvents(boardId: "main", after:)`) holds after the run began,
 *   each with its sequence: what the stream handler numbered and sent to SNS;
 * - delivered: what each subscriber received (see subscribers.ts).
 */
import type { GraphqlClient } from './graphql.ts';

/** `taskId@version`: one event of one task write. */
export const eventKey = (taskId: string, version: number): string => `${taskId}@${version}`;

/** The events the acknowledged writes imply, with when each write was acknowledged. */
export class ExpectedEvents {
  /** key -> acknowledgement time (performance.now()). */
  readonly ackedAt = new Map<string, number>();

  add(taskId: string, version: number, at: number): void {
    this.ackedAt.set(eventKey(taskId, version), at);
  }

  get size(): number {
    return this.ackedAt.size;
  }
}

/** One event of the server's log. */
export interface PublishedEvent {
  sequence: number;
  key: string;
}

/** The server's event log after `after`, oldest first, read a page (100) at a time. */
export async function readPublished(client: GraphqlClient, after: number): Promise<PublishedEvent[]> {
  const events: PublishedEvent[] = [];
  let cursor = after;
  for (let page = 0; page < 100_000; page++) {
    const answer = await client.call(
      'query Feed($after: Int) { taskEvents(boardId: "main", after: $after, limit: 100) { items { sequence taskId task { version } } lastSequence hasMore } }',
      { after: cursor },
    );
    if (!answer.ok) throw new Error(`taskEvents failed: ${answer.errorKind} ${answer.errorMessage ?? ''}`);
    const { items, lastSequence, hasMore } = answer.data.taskEvents as {
      items: { sequence: number; taskId: string; task: { version: number } | null }[];
      lastSequence: number | null;
      hasMore: boolean;
    };
    for (const item of items) events.push({ sequence: item.sequence, key: eventKey(item.taskId, item.task?.version ?? -1) });
    if (!hasMore || lastSequence === null || items.length === 0) break;
    cursor = lastSequence;
  }
  return events;
}

/** The latest sequence of the server's event log (0 before the first event). */
export async function lastSequence(client: GraphqlClient): Promise<number> {
  const answer = await client.call('{ lastTaskEventSequence(boardId: "main") }');
  if (!answer.ok) throw new Error(`lastTaskEventSequence failed: ${answer.errorKind} ${answer.errorMessage ?? ''}`);
  return answer.data.lastTaskEventSequence ?? 0;
}

/** Expected against published: what the acknowledged writes and the server's log disagree on. */
export interface PublishedAudit {
  expected: number;
  published: number;
  /** Acknowledged writes with no event in the log. */
  notPublished: string[];
  /** Events in the log that no acknowledged write explains (e.g. a write that timed out but happened). */
  unexplained: PublishedEvent[];
  /** Sequences the log holds more than once for one write. */
  publishedTwice: PublishedEvent[];
}

export function auditPublished(expected: ExpectedEvents, published: PublishedEvent[]): PublishedAudit {
  const seen = new Set<string>();
  const publishedTwice: PublishedEvent[] = [];
  const unexplained: PublishedEvent[] = [];
  for (const event of published) {
    if (seen.has(event.key)) publishedTwice.push(event);
    seen.add(event.key);
    if (!expected.ackedAt.has(event.key)) unexplained.push(event);
  }
  const notPublished = [...expected.ackedAt.keys()].filter((key) => !seen.has(key));
  return { expected: expected.size, published: published.length, notPublished, unexplained, publishedTwice };
}
