/**
 * Server-side subscription filters as AppSync evaluates them: argument filters (each argument
 * the subscriber gave must equal the mutation response's field of that name) and enhanced
 * filters (`{ filterGroup: [{ filters: [{ fieldName, operator, value }] }] }`: AND inside a
 * group, OR across groups). The same shape serves invalidation filters.
 */

/** One condition of an enhanced filter. */
export interface FilterCondition {
  fieldName: string;
  operator: string;
  value: unknown;
}

/** An enhanced filter as `util.transform.toSubscriptionFilter` makes it. */
export interface EnhancedFilter {
  filterGroup: { filters: FilterCondition[] }[];
}

const OPERATORS: Record<string, (actual: unknown, expected: unknown) => boolean> = {
  eq: (a, e) => equal(a, e),
  ne: (a, e) => !equal(a, e),
  lt: (a, e) => comparable(a, e) && (a as number) < (e as number),
  le: (a, e) => comparable(a, e) && (a as number) <= (e as number),
  gt: (a, e) => comparable(a, e) && (a as number) > (e as number),
  ge: (a, e) => comparable(a, e) && (a as number) >= (e as number),
  contains: (a, e) => (Array.isArray(a) ? a.some((x) => equal(x, e)) : typeof a === 'string' && typeof e === 'string' && a.includes(e)),
  notContains: (a, e) => !OPERATORS.contains(a, e),
  beginsWith: (a, e) => typeof a === 'string' && typeof e === 'string' && a.startsWith(e),
  in: (a, e) => Array.isArray(e) && e.some((x) => equal(a, x)),
  notIn: (a, e) => Array.isArray(e) && !e.some((x) => equal(a, x)),
  between: (a, e) => Array.isArray(e) && e.length === 2 && comparable(a, e[0]) && comparable(a, e[1]) && (a as number) >= (e[0] as number) && (a as number) <= (e[1] as number),
  containsAny: (a, e) => Array.isArray(a) && Array.isArray(e) && e.some((x) => a.some((y) => equal(x, y))),
  attributeExists: (a, e) => (a !== undefined && a !== null) === Boolean(e),
};

/**
 * Checks an enhanced filter's shape when a subscription starts, so a bad filter is the
 * subscriber's error then, not a silent non-delivery later. Returns a reason, or undefined.
 */
export function invalidFilterReason(filter: unknown): string | undefined {
  if (!filter || typeof filter !== 'object' || !Array.isArray((filter as EnhancedFilter).filterGroup)) {
    return 'a subscription filter needs a filterGroup array';
  }
  for (const group of (filter as EnhancedFilter).filterGroup) {
    if (!group || !Array.isArray(group.filters) || group.filters.length === 0) return 'each filter group needs a non-empty filters array';
    for (const condition of group.filters) {
      if (typeof condition?.fieldName !== 'string') return 'each filter needs a fieldName';
      if (!(condition.operator in OPERATORS)) return `unknown filter operator "${String(condition.operator)}"`;
    }
  }
  return undefined;
}

/** Whether `payload` passes the enhanced filter (no filter passes everything). */
export function matchesFilter(filter: EnhancedFilter | undefined, payload: unknown): boolean {
  if (!filter) return true;
  return filter.filterGroup.some((group) =>
    group.filters.every((condition) => OPERATORS[condition.operator](valueAt(payload, condition.fieldName), condition.value)),
  );
}

/**
 * Whether the mutation response matches every argument the subscriber gave. An argument given as
 * `null` matches only responses where that field is null (or absent): AppSync's argument filters
 * compare values, and null is a value ("if the argument is null, only events where that field is
 * null are delivered", issue 20's measurement against AppSync). An argument not given at all does
 * not filter.
 */
export function matchesArguments(args: Record<string, unknown>, payload: unknown): boolean {
  return Object.entries(args).every(([name, expected]) => {
    if (expected === undefined) return true;
    const actual = valueAt(payload, name);
    return expected === null ? actual === null || actual === undefined : equal(actual, expected);
  });
}

/** A field of the payload by dotted path (`task.status`). */
function valueAt(payload: unknown, path: string): unknown {
  let value = payload;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function comparable(a: unknown, b: unknown): boolean {
  return (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
}
