/**
 * Card order. Ranks are base-62 fractions compared byte by byte; the board computes, with the
 * shared rules' rankBetween (rules/task-rules.ts), the same rank the server will give a moved
 * card, so the card lands in its final place at once instead of jumping when the answer comes back.
 */
import type { RankPosition } from '../generated/graphql.ts';

export { compareRanks, rankBetween } from '../../../rules/task-rules.ts';

/**
 * The position argument for a card placed between two neighbours (either may be absent). A
 * neighbour without a rank cannot bound anything, and two neighbours out of order (equal ranks
 * from the same millisecond) keep only the card above, which the server can always place below.
 */
export function positionBetween(above: string | null | undefined, below: string | null | undefined): RankPosition {
  const position: RankPosition = { after: above ?? null, before: below ?? null };
  if (position.after && position.before && position.after >= position.before) position.before = null;
  return position;
}
