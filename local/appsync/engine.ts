import { randomUUID } from 'node:crypto';
import {
  execute,
  getNamedType,
  getOperationAST,
  parse,
  validate,
  GraphQLError,
  Kind,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { DirectiveRules } from './auth/directives.ts';
import type { AuthRequest, Authenticator, Caller } from './auth/authenticate.ts';
import { appendedToAppSyncError, FieldError, requestError, toAppSyncError, type AppendedError } from './errors.ts';
import { appSyncInfo } from './info.ts';
import type { IncomingRequest } from './request.ts';
import { runResolver, type LoadedResolver } from './resolver-runner.ts';
import type { SubscriptionHub } from './realtime/hub.ts';
import type { StartRequest } from './realtime/protocol.ts';
import { startSubscription, type StartResult } from './realtime/start.ts';


/** What goes back: an HTTP status and a JSON body. */
export interface EngineResponse {
  status: number;
  body: unknown;
}

/** The transport-agnostic core of the local AppSync, which the HTTP and real-time adapters call. */
export interface Engine {
  /** Handles one GraphQL request. Never throws: every failure becomes a response. */
  handle(request: IncomingRequest): Promise<EngineResponse>;
  /** Authenticates a real-time connection from the headers it came with. */
  connect(request: IncomingRequest): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Checks a real-time `start` as HTTP requests are checked, and starts the subscription. */
  subscribe(request: IncomingRequest, graphql: StartRequest): Promise<StartResult>;
}

export interface EngineOptions {
  schema: GraphQLSchema;
  rules: DirectiveRules;
  resolvers: ReadonlyMap<string, LoadedResolver>;
  authenticate: Authenticator;
  env: Record<string, string>;
  domainName: string;
  /** Where mutation responses and invalidations go to reach subscribers. */
  hub?: SubscriptionHub;
  /**
   * AppSync's `queryDepthLimit` and `resolverCountLimit`; by default those the API description
   * put on the schema (`extensions.appsyncLimits`, see local/stack/api.ts), else none.
   */
  limits?: { queryDepth: number; resolverCount: number };
}

export type RequestLimits = NonNullable<EngineOptions['limits']>;

/** A field's auth outcome and resolver for one auth mode. */
interface FieldPlan {
  key: string;
  denial?: string;
  resolver?: LoadedResolver;
}

interface ExecutionContext {
  caller: Caller;
  request: IncomingRequest;
  appended: AppendedError[];
  invalidations: { subscriptionField: string; payload: Record<string, unknown> }[];
  /** Resolvers run so far for this request (resolverCountLimit). */
  resolverCount: number;
}

/** How many parsed and validated documents are kept; clients send the same few again and again. */
const DOCUMENT_CACHE_SIZE = 500;

/**
 * The transport-agnostic core of the local AppSync: body -> auth -> parse -> validate ->
 * execute with APPSYNC_JS resolvers -> a response shaped as AppSync shapes it.
 */
export function createEngine(options: EngineOptions): Engine {
  const documents = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();
  const limits = options.limits ?? (options.schema.extensions as { appsyncLimits?: RequestLimits }).appsyncLimits;

  const prepare = (query: string) => {
    let prepared = documents.get(query);
    if (!prepared) {
      try {
        const document = parse(query);
        let errors = validate(options.schema, document);
        if (!errors.length && limits?.queryDepth) errors = depthErrors(document, limits.queryDepth);
        prepared = errors.length ? { errors } : { document };
      } catch (error) {
        prepared = { errors: [error instanceof GraphQLError ? error : unreadableDocument(error, limits?.queryDepth)] };
      }
      if (documents.size >= DOCUMENT_CACHE_SIZE) documents.delete(documents.keys().next().value as string);
      documents.set(query, prepared);
    }
    return prepared;
  };

  // Synchronous for plain properties (most fields): a promise per field is measurable on a page of 50 tasks.
  /** What a field needs per auth mode, worked out once: every field of every page asks. */
  const plans = new Map<GraphQLObjectType, Map<string, FieldPlan>>();
  const planOf = (info: GraphQLResolveInfo, mode: Caller['mode']): FieldPlan => {
    let byField = plans.get(info.parentType);
    if (!byField) plans.set(info.parentType, (byField = new Map()));
    const planKey = `${mode} ${info.fieldName}`;
    let plan = byField.get(planKey);
    if (!plan) {
      const typeName = info.parentType.name;
      const returnType = getNamedType(info.returnType);
      const onType = options.rules.fieldAllows(typeName, info.fieldName).has(mode) ? returnType.name : typeName;
      const key = `${typeName}.${info.fieldName}`;
      plan = {
        key,
        denial: options.rules.allows(mode, typeName, info.fieldName, returnType) ? undefined : `Not Authorized to access ${info.fieldName} on type ${onType}`,
        resolver: options.resolvers.get(key),
      };
      byField.set(planKey, plan);
    }
    return plan;
  };

  const fieldResolver: GraphQLFieldResolver<unknown, ExecutionContext> = (source, args, context, info) => {
    const { caller } = context;
    const plan = planOf(info, caller.mode);
    if (plan.denial) throw new FieldError(plan.denial, 'Unauthorized');
    if (caller.deniedFields.size && caller.deniedFields.has(plan.key)) return null;

    const resolver = plan.resolver;
    if (!resolver) {
      return source && typeof source === 'object' ? (source as Record<string, unknown>)[info.fieldName] : undefined;
    }
    context.resolverCount += 1;
    if (limits?.resolverCount && context.resolverCount > limits.resolverCount) {
      throw new FieldError(
        `The request runs more than ${limits.resolverCount} resolvers (the API's resolverCountLimit); ${plan.key} was not run.`,
        'ValidationError',
      );
    }
    return runResolver(resolver, {
      arguments: args,
      identity: caller.identity,
      source: source ?? null,
      request: { headers: context.request.headers, domainName: options.domainName },
      info: appSyncInfo(info),
      env: options.env,
      authType: caller.authType,
    }).then((outcome) => {
      const locations = info.fieldNodes.flatMap((n) => (n.loc ? [{ line: n.loc.startToken.line, column: n.loc.startToken.column }] : []));
      for (const e of outcome.appendedErrors) context.appended.push({ ...e, path: pathOf(info.path), locations });
      context.invalidations.push(...outcome.extensions.invalidations);
      return outcome.value;
    });
  };

  return {
    /** Handles one GraphQL request. Never throws: every failure becomes a response. */
    async handle(request: IncomingRequest): Promise<EngineResponse> {
      const graphql = parseBody(request.body);
      if ('error' in graphql) return { status: 400, body: requestError('MalformedHttpRequestException', graphql.error) };

      const authRequest: AuthRequest = { ...request, graphql, requestId: randomUUID() };
      const auth = await options.authenticate(authRequest);
      if (!auth.ok) return { status: 401, body: requestError('UnauthorizedException', auth.message) };

      const prepared = prepare(graphql.query);
      if ('errors' in prepared) return { status: 400, body: { data: null, errors: prepared.errors.map(toAppSyncError) } };
      const operation = getOperationAST(prepared.document, graphql.operationName);
      if (!operation) {
        return { status: 400, body: requestError('BadRequestException', 'Unknown or ambiguous operation: name the one to run in operationName.') };
      }
      if (operation.operation === 'subscription') {
        return { status: 400, body: requestError('UnsupportedOperation', 'Subscriptions are served on the real-time endpoint, not over HTTP.') };
      }

      const context: ExecutionContext = { caller: auth.caller, request, appended: [], invalidations: [], resolverCount: 0 };
      const result = await execute({
        schema: options.schema,
        document: prepared.document,
        operationName: graphql.operationName,
        variableValues: graphql.variables,
        contextValue: context,
        fieldResolver,
      });
      // As AppSync does, the mutation is answered first and its subscribers hear of it afterwards.
      const hub = options.hub;
      if (operation.operation === 'mutation' && hub && result.data) setImmediate(() => notify(hub, operation, result.data!, context));
      const errors = [...(result.errors ?? []).map(toAppSyncError), ...context.appended.map(appendedToAppSyncError)];
      const body = errors.length ? { data: result.data ?? null, errors } : { data: result.data ?? null };
      // No data at all means the variables were refused before anything ran.
      return { status: result.data === undefined ? 400 : 200, body };
    },

    /** Authenticates a real-time connection from the headers it came with. */
    async connect(request: IncomingRequest): Promise<{ ok: true } | { ok: false; message: string }> {
      const auth = await options.authenticate({ ...request, graphql: { query: '' }, requestId: randomUUID() });
      return auth.ok ? { ok: true } : { ok: false, message: auth.message };
    },

    /**
     * Checks a real-time `start` with the same auth pipeline, directive rules and resolvers as
     * HTTP. `request` carries the start's own authorization headers and its `data` as body.
     */
    async subscribe(request: IncomingRequest, graphql: StartRequest): Promise<StartResult> {
      const auth = await options.authenticate({ ...request, graphql, requestId: randomUUID() });
      if (!auth.ok) return { ok: false, error: { errorType: 'UnauthorizedException', message: auth.message, errorCode: 401 } };
      return startSubscription({ ...options, prepare }, auth.caller, request, graphql);
    },
  };
}

/**
 * After a mutation: each root field that produced a value is published to the subscriptions
 * listening to it, then the invalidations its resolvers asked for are applied.
 */
function notify(hub: SubscriptionHub, operation: OperationDefinitionNode, data: Record<string, unknown>, context: ExecutionContext): void {
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const value = data[selection.alias?.value ?? selection.name.value];
    if (value !== null && value !== undefined) hub.publish(selection.name.value, value);
  }
  for (const { subscriptionField, payload } of context.invalidations) hub.invalidate(subscriptionField, payload);
}

/**
 * AppSync's queryDepthLimit: the root fields are depth 1, each nested selection of fields one
 * more; fragments count where they are spread; introspection fields (`__schema`, `__type`) are
 * not counted. One error per operation that goes deeper than `limit`.
 */
function depthErrors(document: DocumentNode, limit: number): GraphQLError[] {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  }
  const depthOf = (set: SelectionSetNode | undefined, spread: Set<string>): number => {
    if (!set) return 0;
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, spread));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, spread));
      } else if (!spread.has(selection.name.value)) {
        deepest = Math.max(deepest, depthOf(fragments.get(selection.name.value), new Set([...spread, selection.name.value])));
      }
    }
    return deepest;
  };
  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const depth = depthOf(definition.selectionSet, new Set());
    if (depth > limit) {
      errors.push(new GraphQLError(`The query has depth ${depth}, more than the API's queryDepthLimit of ${limit}.`, { nodes: definition }));
    }
  }
  return errors;
}

/**
 * What a client is told when graphql-js itself fails on a document: its parser and validation
 * recurse, so selections nested a few thousand deep overflow the stack. The RangeError's own
 * text would say nothing to a client (and something about the server), so it is not passed on.
 */
function unreadableDocument(error: unknown, depthLimit: number | undefined): GraphQLError {
  if (error instanceof RangeError) {
    return new GraphQLError(`The document is nested too deeply to read${depthLimit ? `; the API allows a query depth of ${depthLimit}` : ''}.`);
  }
  return new GraphQLError('The document could not be read.');
}

function parseBody(body: string): { query: string; operationName?: string; variables?: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: 'Unable to parse the request body as JSON.' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'The request body must be a JSON object with a "query".' };
  const { query, operationName, variables } = value as Record<string, unknown>;
  if (typeof query !== 'string' || query.length === 0) return { error: 'The request body must have a "query" string.' };
  if (operationName != null && typeof operationName !== 'string') return { error: '"operationName" must be a string.' };
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return { error: '"variables" must be a JSON object.' };
  return { query, operationName: operationName ?? undefined, variables: (variables as Record<string, unknown>) ?? undefined };
}

function pathOf(path: { prev: unknown; key: string | number } | undefined): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let p = path as { prev: unknown; key: string | number } | undefined; p; p = p.prev as typeof p) keys.unshift(p.key);
  return keys;
}
