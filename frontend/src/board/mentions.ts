/**
 * `@name` mentions in a comment: what is being typed after an `@` (for the autocomplete), the
 * text with a chosen name put in, and the people a body still mentions when it is sent (the API
 * takes their ids; it notifies them in the app and by email).
 */
import type { People } from './format.ts';

/** A mention being typed: the `@` at `start`, the letters after it up to the caret. */
export interface MentionQuery {
  start: number;
  query: string;
}

/** The mention the caret is in, if any: an `@` at the start or after a space, then no space. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | undefined {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return undefined;
  if (at > 0 && !/\s/.test(before[at - 1]!)) return undefined;
  const query = before.slice(at + 1);
  if (/\s/.test(query) || query.length > 30) return undefined;
  return { start: at, query };
}

/** The people whose name starts with (or has a word starting with) the query, at most `limit`. */
export function mentionCandidates(people: People, query: string, exclude?: string, limit = 6): { id: string; name: string }[] {
  const wanted = query.toLocaleLowerCase();
  return [...people]
    .filter(([id, name]) => id !== exclude && name.toLocaleLowerCase().split(/\s+/).some((word) => word.startsWith(wanted)))
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit);
}

/** The text with `@query` (from `mention.start` to the caret) replaced by `@Name `, and where the caret goes. */
export function insertMention(text: string, caret: number, mention: MentionQuery, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  return { text: text.slice(0, mention.start) + inserted + text.slice(caret), caret: mention.start + inserted.length };
}

/** The people of `ids` the board knows, id -> name: a comment's mentions as the mention box holds them. */
export function mentionsByName(ids: readonly string[], people: People): Map<string, string> {
  return new Map(ids.flatMap((id) => (people.has(id) ? [[id, people.get(id)!] as const] : [])));
}

/** The ids of the chosen people whose `@Name` is still in the body (deleting the text un-mentions them). */
export function mentionedIds(body: string, chosen: ReadonlyMap<string, string>): string[] {
  return [...chosen].filter(([, name]) => body.includes(`@${name}`)).map(([id]) => id);
}
