import { graphql } from './graphql.ts';
import type { SeenEvent } from './event-feed-client.ts';

/** Every task event the API keeps, oldest first (`taskEvents(boardId: "main")`, paged). */
export async function allTaskEvents(graphqlUrl: string, token: string): Promise<SeenEvent[]> {
  const events: SeenEvent[] = [];
  let after: number | null = null;
  for (;;) {
    const answer = await graphql(graphqlUrl, 'query ($a: Int) { taskEvents(boardId: "main", after: $a, limit: 100) { items { sequence type taskId task { version } } lastSequence hasMore } }', { a: after }, { authorization: token });
    const page = answer.body?.data?.taskEvents;
    if (!page) throw new Error(`taskEvents failed: ${answer.failure ?? JSON.stringify(answer.body)}`);
    events.push(...page.items);
    if (!page.hasMore || page.items.length === 0) return events;
    after = page.items.at(-1).sequence;
  }
}

/**
 * The acknowledged writes the API no longer shows: tasks that are gone or older than the
 * version a 200 answer returned. Read through the API, as the person who wrote them would.
 */
export async function lostWrites(graphqlUrl: string, token: string, acked: Map<string, number>): Promise<string[]> {
  const lost: string[] = [];
  const ids = [...acked.keys()];
  for (let i = 0; i < ids.length; i += 25) {
    const slice = ids.slice(i, i + 25);
    const query = `{ ${slice.map((id, n) => `t${n}: task(boardId: "main", id: ${JSON.stringify(id)}) { id version }`).join(' ')} }`;
    const answer = await graphql(graphqlUrl, query, {}, { authorization: token });
    if (!answer.body?.data) throw new Error(`reading tasks failed: ${answer.failure ?? JSON.stringify(answer.body)}`);
    slice.forEach((id, n) => {
      const task = answer.body!.data[`t${n}`] as { version: number } | null;
      if (!task || task.version < acked.get(id)!) lost.push(`${id}: acknowledged v${acked.get(id)}, now ${task ? `v${task.version}` : 'missing'}`);
    });
  }
  return lost;
}

/**
 * What is wrong with a list of task events as a client got them, in words (empty: nothing):
 * sequences must only grow (no duplicate, no reordering), and each task's events must carry
 * its versions 1, 2, 3... each exactly once, up to at least `versions` (its acknowledged
 * version, when given), with no version missing in between.
 */
export function eventProblems(events: SeenEvent[], versions: Map<string, number> = new Map()): string[] {
  const problems: string[] = [];
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.sequence <= events[i - 1]!.sequence) problems.push(`sequence ${events[i]!.sequence} came after ${events[i - 1]!.sequence}`);
  }
  const byTask = new Map<string, number[]>();
  for (const event of events) {
    if (!event.task) continue;
    byTask.set(event.taskId, [...(byTask.get(event.taskId) ?? []), event.task.version]);
  }
  for (const [taskId, seen] of byTask) {
    const expected = Array.from({ length: Math.max(...seen) }, (_, i) => i + 1);
    if (seen.join() !== expected.join()) problems.push(`task ${taskId}: versions ${seen.join(',')}, expected ${expected.join(',')}`);
  }
  for (const [taskId, version] of versions) {
    const highest = Math.max(0, ...(byTask.get(taskId) ?? []));
    if (highest < version) problems.push(`task ${taskId}: acknowledged v${version}, events only up to v${highest}`);
  }
  return problems;
}

/** Sequences that appear more than once in `events` (duplicates delivered). */
export function duplicates(events: SeenEvent[]): number[] {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const { sequence } of events) (seen.has(sequence) ? twice : seen).add(sequence);
  return [...twice];
}
