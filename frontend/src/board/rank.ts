/**
 * Card order. Ranks are base-62 fractions compared byte by byte (resolvers/lib/tasks.ts); the
 * board computes the same rank the server will give a moved card, so the card lands in its final
 * place at once instead of jumping when the answer comes back.
 */
import type { RankPosition } from '../generated/graphql.ts';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANK_MAX = 64;

/** Orders two ranks as the byStatus index does; tasks without a rank (made before ranks) go last. */
export function compareRanks(a: string | null | undefined, b: string | null | undefined): number {
  if (a === b) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  // Ranks are ASCII, so UTF-16 order is byte order.
  return a < b ? -1 : 1;
}

/**
 * The shortest rank strictly between `after` (absent: the top) and `before` (absent: the
 * bottom): the same digits the server's rankBetween picks. Undefined when there is no such rank.
 */
export function rankBetween(after: string | null | undefined, before: string | null | undefined): string | undefined {
  const a = after ?? '';
  const b = before ?? '';
  if (a && b && a >= b) return undefined;
  let out = '';
  let bounded = b !== '';
  for (let i = 0; i < RANK_MAX; i++) {
    const low = i < a.length ? DIGITS.indexOf(a[i]) : 0;
    const high = bounded ? (i < b.length ? DIGITS.indexOf(b[i]) : 0) : DIGITS.length;
    if (high - low > 1) return out + DIGITS[Math.floor((low + high) / 2)];
    out += DIGITS[low];
    if (high - low === 1) bounded = false;
  }
  return undefined;
}

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
