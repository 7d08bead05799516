import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  getOperationAST,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { DirectiveRules } from '../auth/directives.ts';
import type { Caller } from '../auth/authenticate.ts';
import { FieldError } from '../errors.ts';
import { appSyncInfo } from '../info.ts';
import type { IncomingRequest } from '../request.ts';
import { runResolver, type LoadedResolver } from '../resolver-runner.ts';
import { invalidFilterReason, type EnhancedFilter } from './filters.ts';
import type { ProtocolError, StartRequest } from './protocol.ts';

/** A subscription that may start: everything the hub needs to serve it. */
export interface StartedSubscription {
  field: string;
  args: Record<string, unknown>;
  filter?: EnhancedFilter;
  invalidationFilter?: EnhancedFilter;
  document: DocumentNode;
  operationName?: string;
  variables: Record<string, unknown>;
  caller: Caller;
}

export type StartResult = { ok: true; subscription: StartedSubscription } | { ok: false; error: ProtocolError | ProtocolError[] };

export interface StartDependencies {
  schema: GraphQLSchema;
  rules: DirectiveRules;
  resolvers: ReadonlyMap<string, LoadedResolver>;
  env: Record<string, string>;
  domainName: string;
  prepare(query: string): { document: DocumentNode } | { errors: readonly { message: string }[] };
}

/**
 * Checks a `start` the way AppSync does before it acknowledges it: a subscription operation,
 * variables that fit, every selected field open to the caller's auth mode, and the
 * subscription's resolver (which may refuse with `util.unauthorized()` and may set enhanced and
 * invalidation filters).
 */
export async function startSubscription(
  deps: StartDependencies,
  caller: Caller,
  request: IncomingRequest,
  graphql: StartRequest,
): Promise<StartResult> {
  const fail = (errorType: string, message: string, errorCode?: number): StartResult => ({ ok: false, error: { errorType, message, errorCode } });
  const prepared = deps.prepare(graphql.query);
  // As AppSync sends them: one `{ message }` per validation error, in graphql-java's words.
  if ('errors' in prepared) return { ok: false, error: prepared.errors.map((e) => ({ message: e.message })) };
  const operation = getOperationAST(prepared.document, graphql.operationName);
  if (!operation) return fail('ValidationError', 'Unknown or ambiguous operation: name the one to run in operationName.');
  if (operation.operation !== 'subscription') {
    return fail('UnsupportedOperation', `${operation.operation} operations are not supported through the realtime channel`);
  }
  const root = operation.selectionSet.selections[0];
  if (root.kind !== Kind.FIELD) return fail('ValidationError', 'A subscription must select its field directly.');
  const field = deps.schema.getSubscriptionType()!.getFields()[root.name.value];

  const coerced = getVariableValues(deps.schema, operation.variableDefinitions ?? [], graphql.variables ?? {});
  if (coerced.errors) return fail('ValidationError', coerced.errors.map((e) => e.message).join(' '));
  const variables = coerced.coerced;
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, root, variables);
  } catch (error) {
    return fail('ValidationError', (error as Error).message);
  }

  const denied = deniedField(deps, prepared.document, caller);
  if (denied) return fail('Unauthorized', denied, 401);

  let filter: unknown;
  let invalidationFilter: unknown;
  const resolver = deps.resolvers.get(`Subscription.${field.name}`);
  if (resolver) {
    try {
      const outcome = await runResolver(resolver, {
        arguments: args,
        identity: caller.identity,
        source: null,
        request: { headers: request.headers, domainName: deps.domainName },
        info: appSyncInfo(resolveInfo(deps.schema, root, variables, prepared.document)),
        env: deps.env,
        authType: caller.authType,
      });
      filter = outcome.extensions.subscriptionFilter;
      invalidationFilter = outcome.extensions.subscriptionInvalidationFilter;
    } catch (error) {
      if (error instanceof FieldError) return fail(error.errorType ?? 'Unauthorized', error.message, error.errorType === 'Unauthorized' ? 401 : undefined);
      throw error;
    }
  }
  for (const candidate of [filter, invalidationFilter]) {
    const reason = candidate === undefined ? undefined : invalidFilterReason(candidate);
    if (reason) return fail('ValidationError', `Subscription.${field.name}: ${reason}`);
  }
  return {
    ok: true,
    subscription: {
      field: field.name,
      args,
      filter: filter as EnhancedFilter | undefined,
      invalidationFilter: invalidationFilter as EnhancedFilter | undefined,
      document: prepared.document,
      operationName: graphql.operationName,
      variables,
      caller,
    },
  };
}

/** The first selected field the caller's auth mode may not read, as AppSync words it. */
function deniedField(deps: StartDependencies, document: DocumentNode, caller: Caller): string | undefined {
  const typeInfo = new TypeInfo(deps.schema);
  let denied: string | undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const definition = typeInfo.getFieldDef();
        if (denied || !parent || !definition || node.name.value.startsWith('__')) return;
        if (caller.mayCall && parent === deps.schema.getSubscriptionType() && !caller.mayCall(parent.name, node.name.value)) {
          denied = `Not Authorized to access ${node.name.value} on type ${parent.name}`;
          return;
        }
        if (!deps.rules.allows(caller.mode, parent.name, node.name.value, getNamedType(definition.type))) {
          denied = `Not Authorized to access ${node.name.value} on type ${parent.name}`;
        }
      },
    }),
  );
  return denied;
}

/** Enough of graphql-js's resolve info for `ctx.info` of a subscription resolver. */
function resolveInfo(schema: GraphQLSchema, field: FieldNode, variables: Record<string, unknown>, document: DocumentNode): GraphQLResolveInfo {
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  return {
    fieldName: field.name.value,
    fieldNodes: [field],
    parentType: schema.getSubscriptionType()!,
    variableValues: variables,
    fragments,
  } as unknown as GraphQLResolveInfo;
}
