/**
 * How much work one request may ask for, worked out from its document before anything runs:
 * AppSync's `queryDepthLimit` (introspection fields count, as every field does: AWS's definition
 * is "the amount of nested levels allowed in the body of query", with no exception), and the
 * local runtime's own bounds on a document's size and fan-out, so that one request cannot hold
 * the event loop (graphql-js parses, validates and runs introspection synchronously).
 *
 * https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html
 */
import {
  getNamedType,
  Kind,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLCompositeType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  isInputObjectType,
  isEnumType,
} from 'graphql';

/**
 * Tokens a document may have (graphql-js stops parsing past it). Not an AppSync figure: AppSync
 * bounds the body (1 MB), but a 1 MB document takes graphql-js seconds to parse and validate;
 * 15,000 tokens is far above any real client's documents (the full introspection query has 300).
 */
export const MAX_DOCUMENT_TOKENS = 15_000;

/**
 * Fields a request may resolve, counted before it runs: fragments expanded where they are spread,
 * introspection counted exactly over the schema (its lists are the schema's types, fields and
 * arguments), the API's own fields once per selection (their lists are bounded at run time by
 * resolverCountLimit and their data). Not an AppSync figure either; the full introspection query
 * resolves about 25,000 fields on SecureTask's 86-type schema.
 */
export const MAX_ESTIMATED_FIELDS = 100_000;

/** Why a document is refused before it runs, or undefined when it may run. */
export function workLimitError(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): GraphQLError | undefined {
  const estimate = estimateFields(schema, document, operation, MAX_ESTIMATED_FIELDS);
  if (estimate <= MAX_ESTIMATED_FIELDS) return undefined;
  return new GraphQLError(
    `The request would resolve more than ${MAX_ESTIMATED_FIELDS} fields once its fragments and lists are expanded; the local runtime refuses it before it runs.`,
    { nodes: operation },
  );
}

/**
 * The over-deep field nodes of an operation: those nested deeper than `limit` (root fields are
 * depth 1), introspection fields included. Each is reported with its depth.
 */
export function overDeepFields(document: DocumentNode, operation: OperationDefinitionNode, limit: number): { node: FieldNode; depth: number; introspection: boolean }[] {
  const fragments = fragmentsOf(document);
  const found = new Map<FieldNode, { node: FieldNode; depth: number; introspection: boolean }>();
  // Memoised per (fragment, depth): a fragment spread many times is walked once per depth.
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, depth: number, introspection: boolean, spread: ReadonlySet<string>) => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const isIntrospection = introspection || selection.name.value === '__schema' || selection.name.value === '__type';
        if (depth > limit) {
          if (!found.has(selection)) found.set(selection, { node: selection, depth, introspection: isIntrospection });
          continue; // below an over-deep field nothing runs
        }
        walk(selection.selectionSet, depth + 1, isIntrospection, spread);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth, introspection, spread);
      } else {
        const name = selection.name.value;
        const key = `${name}\u0000${depth}\u0000${introspection}`;
        if (spread.has(name) || seen.has(key)) continue;
        seen.add(key);
        walk(fragments.get(name), depth, introspection, new Set([...spread, name]));
      }
    }
  };
  walk(operation.selectionSet, 1, false, new Set());
  return [...found.values()];
}

/**
 * How deep a document nests, fragments expanded where they are spread (cycles must have been
 * refused first), stopping once past `stop`. Checked before graphql-js's validation, whose
 * overlapping-field rule takes seconds on a chain of a thousand fragments.
 */
export const MAX_DOCUMENT_DEPTH = 75; // AppSync's largest queryDepthLimit
export function documentDepth(document: DocumentNode, stop = MAX_DOCUMENT_DEPTH): number {
  const fragments = fragmentsOf(document);
  const memo = new Map<string, number>();
  const depthOf = (set: SelectionSetNode | undefined, level: number): number => {
    if (!set || level > stop) return level;
    let deepest = level;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, selection.selectionSet ? depthOf(selection.selectionSet, level + 1) : level + 1);
      else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(selection.selectionSet, level));
      else {
        const name = selection.name.value;
        if (!memo.has(name)) {
          memo.set(name, 0); // a cycle (refused earlier) counts as nothing here
          memo.set(name, depthOf(fragments.get(name), 0));
        }
        deepest = Math.max(deepest, level + memo.get(name)!);
      }
      if (deepest > stop) return deepest;
    }
    return deepest;
  };
  let deepest = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) deepest = Math.max(deepest, depthOf(definition.selectionSet, 0));
    if (deepest > stop) break;
  }
  return deepest;
}

/**
 * Fragments spread inside fragments: the longest such chain (cycles must have been refused first).
 * graphql-js's overlapping-field rule compares fields through every link of a chain, so a chain
 * of a thousand takes it seconds; real documents chain a handful.
 */
export const MAX_FRAGMENT_CHAIN = 32;
export function longestFragmentChain(document: DocumentNode): number {
  const fragments = fragmentsOf(document);
  const memo = new Map<string, number>();
  const spreadsIn = (set: SelectionSetNode | undefined, found: string[] = []): string[] => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) found.push(selection.name.value);
      else spreadsIn(selection.selectionSet, found);
    }
    return found;
  };
  // Iterative (a chain may be thousands long): resolve a fragment once all it spreads are known.
  const chainOf = (start: string): number => {
    const stack = [start];
    while (stack.length) {
      const name = stack[stack.length - 1]!;
      if (memo.has(name)) {
        stack.pop();
        continue;
      }
      const pending = spreadsIn(fragments.get(name)).filter((n) => fragments.has(n) && !memo.has(n) && !stack.includes(n));
      if (pending.length) {
        stack.push(...pending);
        continue;
      }
      memo.set(name, 1 + Math.max(0, ...spreadsIn(fragments.get(name)).map((n) => memo.get(n) ?? 0)));
      stack.pop();
    }
    return memo.get(start)!;
  };
  return Math.max(0, ...[...fragments.keys()].map(chainOf));
}

/** A field's depth in a response path: its field keys, list indexes not counted. */
export function depthOfPath(path: { prev: unknown; key: string | number } | undefined): number {
  let depth = 0;
  for (let p = path; p; p = p.prev as typeof p) if (typeof p.key === 'string') depth += 1;
  return depth;
}

/**
 * Estimates how many fields an operation resolves, stopping as soon as the count passes `cap`
 * (so the estimate itself is bounded work). Introspection is counted exactly: its data is the
 * schema, so the walk follows the real types, fields and arguments with graphql-js's own
 * introspection resolvers. The API's own fields count once per selection (their lists are bounded
 * at run time by resolverCountLimit and by their data).
 */
export function estimateFields(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, cap: number): number {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  let total = 0;
  /** `value` is the introspection object under this selection (the schema, a type, a field...), when there is one. */
  const walk = (set: SelectionSetNode | undefined, parent: GraphQLCompositeType | null | undefined, value: unknown, spread: ReadonlySet<string>): void => {
    if (!set) return;
    for (const selection of set.selections) {
      if (total > cap) return;
      if (selection.kind === Kind.FIELD) {
        total += 1;
        if (!selection.selectionSet) continue;
        const name = selection.name.value;
        const definition = name === '__schema' || name === '__type' ? undefined : parent && !isUnionType(parent) ? parent.getFields()[name] : undefined;
        const type = name === '__schema' ? schema.getType('__Schema') : name === '__type' ? schema.getType('__Type') : definition ? getNamedType(definition.type) : undefined;
        const child = type && isCompositeType(type) ? type : null;
        let next: unknown;
        if (name === '__schema') next = schema;
        else if (name === '__type') next = largestType(schema); // its name may be a variable: assume the worst
        else if (value !== undefined && definition) next = introspect(schema, definition, value);
        for (const item of Array.isArray(next) ? next : [next]) {
          if (item === null || total > cap) continue;
          walk(selection.selectionSet, child, item, spread);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, on && isCompositeType(on) ? on : parent, value, spread);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spread.has(selection.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value);
        walk(fragment.selectionSet, on && isCompositeType(on) ? on : parent, value, new Set([...spread, selection.name.value]));
      }
    }
  };
  walk(operation.selectionSet, root, undefined, new Set());
  return total;
}

/** One introspection field's value, from graphql-js's own resolver (or the property of that name). */
function introspect(schema: GraphQLSchema, definition: { name: string; resolve?: unknown }, source: unknown): unknown {
  const resolve = definition.resolve as ((source: unknown, args: Record<string, unknown>, context: unknown, info: { schema: GraphQLSchema }) => unknown) | undefined;
  // includeDeprecated: true is the larger answer, so the estimate never falls short.
  return resolve ? resolve(source, { includeDeprecated: true }, undefined, { schema }) : (source as Record<string, unknown>)[definition.name];
}

/** The type with the most fields: what a `__type(name: $n)` costs at worst. */
const largestTypes = new WeakMap<GraphQLSchema, unknown>();
function largestType(schema: GraphQLSchema): unknown {
  if (!largestTypes.has(schema)) {
    const sized = Object.values(schema.getTypeMap()).map((t) => ({
      t,
      n: isObjectType(t) || isInterfaceType(t) || isInputObjectType(t) ? Object.keys(t.getFields()).length : isEnumType(t) ? t.getValues().length : 0,
    }));
    largestTypes.set(schema, sized.sort((a, b) => b.n - a.n)[0]?.t ?? null);
  }
  return largestTypes.get(schema);
}

function fragmentsOf(document: DocumentNode): Map<string, SelectionSetNode> {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  }
  return fragments;
}
