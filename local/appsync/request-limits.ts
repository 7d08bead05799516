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
  isListType,
  isNonNullType,
  Kind,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type GraphQLOutputType,
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
 * Fields a request may resolve, estimated before it runs: every field counted once per object it
 * is resolved on, fragments expanded where they are spread, introspection lists multiplied by the
 * schema's real sizes (the API's own lists are bounded at run time by resolverCountLimit and
 * their data). Not an AppSync figure either; the full introspection query of a 100-type schema
 * estimates at about 20,000.
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

/** A field's depth in a response path: its field keys, list indexes not counted. */
export function depthOfPath(path: { prev: unknown; key: string | number } | undefined): number {
  let depth = 0;
  for (let p = path; p; p = p.prev as typeof p) if (typeof p.key === 'string') depth += 1;
  return depth;
}

/**
 * Estimates how many fields an operation resolves, stopping as soon as the count passes `cap`
 * (so the estimate itself is bounded work).
 */
function estimateFields(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, cap: number): number {
  const fragments = fragmentsOf(document);
  const sizes = introspectionListSizes(schema);
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  let total = 0;
  const walk = (set: SelectionSetNode | undefined, parent: GraphQLCompositeType | null | undefined, times: number, spread: ReadonlySet<string>): void => {
    if (!set || total > cap) return;
    for (const selection of set.selections) {
      if (total > cap) return;
      if (selection.kind === Kind.FIELD) {
        total += times;
        const type = fieldType(schema, parent, selection.name.value);
        if (!selection.selectionSet || !type) continue;
        const named = getNamedType(type);
        const multiplier = isListOf(type) && parent?.name.startsWith('__') ? (sizes.get(`${parent.name}.${selection.name.value}`) ?? 1) : 1;
        walk(selection.selectionSet, isCompositeType(named) ? named : null, times * multiplier, spread);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, on && isCompositeType(on) ? on : parent, times, spread);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spread.has(selection.name.value)) continue;
        const definition = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
        const on = definition?.kind === Kind.FRAGMENT_DEFINITION ? schema.getType(definition.typeCondition.name.value) : parent;
        walk(fragment, on && isCompositeType(on) ? on : parent, times, new Set([...spread, selection.name.value]));
      }
    }
  };
  walk(operation.selectionSet, root, 1, new Set());
  return total;
}

function fieldType(schema: GraphQLSchema, parent: GraphQLCompositeType | null | undefined, name: string): GraphQLOutputType | undefined {
  if (name === '__schema') return schema.getType('__Schema') as GraphQLOutputType;
  if (name === '__type') return schema.getType('__Type') as GraphQLOutputType;
  if (!parent || isUnionType(parent)) return undefined;
  return parent.getFields()[name]?.type;
}

function isListOf(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** The largest length each introspection list has in this schema (`__Schema.types`, `__Type.fields`...). */
const sizesBySchema = new WeakMap<GraphQLSchema, Map<string, number>>();
function introspectionListSizes(schema: GraphQLSchema): Map<string, number> {
  let sizes = sizesBySchema.get(schema);
  if (sizes) return sizes;
  const types = Object.values(schema.getTypeMap());
  const max = (values: number[]) => Math.max(1, ...values);
  const withFields = types.filter((t) => isObjectType(t) || isInterfaceType(t)) as { getFields(): Record<string, { args: readonly unknown[] }> }[];
  sizes = new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', schema.getDirectives().length],
    ['__Type.fields', max(withFields.map((t) => Object.keys(t.getFields()).length))],
    ['__Type.inputFields', max(types.map((t) => (isInputObjectType(t) ? Object.keys(t.getFields()).length : 0)))],
    ['__Type.enumValues', max(types.map((t) => (isEnumType(t) ? t.getValues().length : 0)))],
    ['__Type.interfaces', max(types.map((t) => (isObjectType(t) || isInterfaceType(t) ? t.getInterfaces().length : 0)))],
    ['__Type.possibleTypes', max(types.map((t) => (isUnionType(t) ? t.getTypes().length : isInterfaceType(t) ? schema.getPossibleTypes(t).length : 0)))],
    ['__Field.args', max(withFields.flatMap((t) => Object.values(t.getFields()).map((f) => f.args.length)))],
    ['__Directive.args', max(schema.getDirectives().map((d) => d.args.length))],
    ['__Directive.locations', 20],
  ]);
  sizesBySchema.set(schema, sizes);
  return sizes;
}

function fragmentsOf(document: DocumentNode): Map<string, SelectionSetNode> {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  }
  return fragments;
}
