import { randomUUID } from 'node:crypto';
import {
  execute,
  getNamedType,
  getOperationAST,
  parse,
  validate,
  NoFragmentCyclesRule,
  GraphQLError,
  Kind,
  responsePathAsArray,
  type DocumentNode,
  type OperationDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { DirectiveRules } from './auth/directives.ts';
import type { AuthRequest, Authenticator, Caller } from './auth/authenticate.ts';
import { appendedToAppSyncError, FieldError, fieldLocations, located, requestError, toAppSyncError, type AppendedError } from './errors.ts';
import { appSyncInfo } from './info.ts';
import type { IncomingRequest } from './request.ts';
import { depthOfPath, documentDepth, longestFragmentChain, MAX_DOCUMENT_DEPTH, MAX_DOCUMENT_TOKENS, MAX_FRAGMENT_CHAIN, overDeepFields, workLimitError } from './request-limits.ts';
import { runResolver, type LoadedResolver } from './resolver-runner.ts';
import { toValidationErrors, validationError, type ValidationErrorEntry } from './validation-errors.ts';
import type { SubscriptionHub } from './realtime/hub.ts';
import type { StartRequest } from './realtime/protocol.ts';
import { startSubscription, type StartResult } from './realtime/start.ts';


/** What goes back: an HTTP status, a JSON body, and AppSync's `x-amzn-*` response headers. */
export interface EngineResponse {
  status: number;
  body: unknown;
  /** `x-amzn-RequestId` always; `x-amzn-ErrorType` when the whole request was refused. */
  headers: Record<string, string>;
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
  /** Set when some field of the operation is deeper than queryDepthLimit: those fields error. */
  depthLimit?: number;
}

/** How many parsed and validated documents are kept; clients send the same few again and again. */
const DOCUMENT_CACHE_SIZE = 500;

/**
 * The transport-agnostic core of the local AppSync: body -> auth -> parse -> validate ->
 * execute with APPSYNC_JS resolvers -> a response shaped as AppSync shapes it.
 */
export function createEngine(options: EngineOptions): Engine {
  const documents = new Map<string, { document: DocumentNode } | { errors: ValidationErrorEntry[] }>();
  const operationChecks = new WeakMap<OperationDefinitionNode, OperationCheck>();
  /** The limits of one operation, worked out once per cached document: refusal, or the depth at which fields error. */
  const checkOperation = (document: DocumentNode, operation: OperationDefinitionNode): OperationCheck => {
    let check = operationChecks.get(operation);
    if (!check) {
      check = operationCheck(options.schema, document, operation, limits?.queryDepth);
      operationChecks.set(operation, check);
    }
    return check;
  };
  const limits = options.limits ?? (options.schema.extensions as { appsyncLimits?: RequestLimits }).appsyncLimits;

  const prepare = (query: string) => {
    let prepared = documents.get(query);
    if (!prepared) {
      try {
        const document = parse(query, { maxTokens: MAX_DOCUMENT_TOKENS });
        // Cycles first: graphql-js's other rules (overlapping fields) take seconds on a long cycle.
        let errors = validate(options.schema, document, [NoFragmentCyclesRule]);
        const depth = errors.length ? 0 : documentDepth(document);
        if (depth > MAX_DOCUMENT_DEPTH) {
          errors = [validationError('MaxQueryDepth', `The document nests more than ${MAX_DOCUMENT_DEPTH} levels (AppSync's largest queryDepthLimit); it is not read further.`)];
        } else if (!errors.length && longestFragmentChain(document) > MAX_FRAGMENT_CHAIN) {
          errors = [validationError('MaxFragmentChain', `The document spreads fragments inside fragments more than ${MAX_FRAGMENT_CHAIN} deep; the local runtime does not read it further.`)];
        }
        if (!errors.length) errors = validate(options.schema, document);
        prepared = errors.length ? { errors: toValidationErrors(errors, document) } : { document };
      } catch (error) {
        prepared = { errors: toValidationErrors([error instanceof GraphQLError ? error : unreadableDocument(error, limits?.queryDepth)]) };
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

  const resolveField: GraphQLFieldResolver<unknown, ExecutionContext> = (source, args, context, info) => {
    const { caller } = context;
    if (context.depthLimit !== undefined && depthOfPath(info.path) > context.depthLimit) {
      throw new FieldError(`Field '${info.fieldName}' is deeper than the API's queryDepthLimit of ${context.depthLimit}; it was not run.`, 'ValidationError');
    }
    const plan = planOf(info, caller.mode);
    if (plan.denial) throw new FieldError(plan.denial, 'Unauthorized');
    if (caller.mayCall && info.path.prev === undefined && !caller.mayCall(info.parentType.name, info.fieldName)) {
      throw new FieldError(`Not Authorized to access ${info.fieldName} on type ${info.parentType.name}`, 'Unauthorized');
    }
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
      const locations = fieldLocations(info);
      for (const e of outcome.appendedErrors) context.appended.push({ ...e, path: responsePathAsArray(info.path), locations });
      context.invalidations.push(...outcome.extensions.invalidations);
      return outcome.value;
    });
  };
  const fieldResolver: GraphQLFieldResolver<unknown, ExecutionContext> = (source, args, context, info) => {
    try {
      const value = resolveField(source, args, context, info);
      return value instanceof Promise ? value.catch((error: unknown) => Promise.reject(located(error, info))) : value;
    } catch (error) {
      throw located(error, info);
    }
  };

  return {
    /** Handles one GraphQL request. Never throws: every failure becomes a response. */
    async handle(request: IncomingRequest): Promise<EngineResponse> {
      const requestId = randomUUID();
      const answer = (status: number, body: unknown): EngineResponse => ({ status, body, headers: { 'x-amzn-RequestId': requestId } });
      // A refusal of the whole request also names its type in a header, as AWS services do.
      const refuse = (status: number, errorType: string, message: string): EngineResponse => ({
        status,
        body: requestError(errorType, message),
        headers: { 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': errorType },
      });
      const graphql = request.method === 'GET' ? parseQueryString(request.query) : parseBody(request.body);
      if ('error' in graphql) return refuse(400, 'MalformedHttpRequestException', graphql.error);

      const authRequest: AuthRequest = { ...request, graphql, requestId };
      const auth = await options.authenticate(authRequest);
      if (!auth.ok) return refuse(401, 'UnauthorizedException', auth.message);

      const prepared = prepare(graphql.query);
      if ('errors' in prepared) return answer(200, { data: null, errors: prepared.errors });
      const operation = getOperationAST(prepared.document, graphql.operationName);
      if (!operation) {
        return refuse(400, 'BadRequestException', 'Unknown or ambiguous operation: name the one to run in operationName.');
      }
      if (operation.operation === 'subscription') {
        return refuse(400, 'UnsupportedOperation', 'Subscriptions are served on the real-time endpoint, not over HTTP.');
      }
      const check = checkOperation(prepared.document, operation);
      if (check.refusal) return answer(200, { data: null, errors: toValidationErrors([check.refusal]) });

      const context: ExecutionContext = { caller: auth.caller, request, appended: [], invalidations: [], resolverCount: 0, depthLimit: check.depthLimit };
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
      // No data at all means the variables were refused before anything ran: AppSync answers that
      // as it answers validation, HTTP 200 with data null and no errorType.
      if (result.data === undefined) {
        const refused = (result.errors ?? []).map((e) => ({ path: null, locations: (e.locations ?? []).map((l) => ({ ...l, sourceName: null })), message: e.message }));
        return answer(200, { data: null, errors: refused });
      }
      return answer(200, errors.length ? { data: result.data, errors } : { data: result.data });
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

interface OperationCheck {
  /** Why the operation is refused before anything runs. */
  refusal?: GraphQLError;
  /** Set when some of its fields are deeper than queryDepthLimit. */
  depthLimit?: number;
}

/**
 * The limits of one operation. Over-deep fields of the API's own types error where they are, and
 * the rest of the response comes back (AppSync: "If a non-nullable field produces an error, the
 * error will be thrown upwards to the first nullable field available"). Introspection runs inside
 * graphql-js, where no field can be stopped one by one, so an over-deep introspection field
 * refuses the whole request, as does a request whose expanded size is over the local bound.
 */
function operationCheck(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, depthLimit: number | undefined): OperationCheck {
  if (depthLimit) {
    const overDeep = overDeepFields(document, operation, depthLimit);
    const introspection = overDeep.find((f) => f.introspection);
    if (introspection) {
      return {
        refusal: validationError(
          'MaxQueryDepth',
          `Field '${introspection.node.name.value}' is at depth ${introspection.depth}, deeper than the API's queryDepthLimit of ${depthLimit}.`,
          introspection.node,
        ),
      };
    }
    const refusal = workLimitError(schema, document, operation);
    return refusal ? { refusal } : { depthLimit: overDeep.length ? depthLimit : undefined };
  }
  const refusal = workLimitError(schema, document, operation);
  return refusal ? { refusal } : {};
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

/** A GET request's `query`, `operationName` and `variables` (JSON) query-string parameters, read as a POST body is. */
function parseQueryString(queryString: string | undefined): ReturnType<typeof parseBody> {
  const params = new URLSearchParams(queryString ?? '');
  let variables: unknown;
  try {
    variables = params.has('variables') ? JSON.parse(params.get('variables')!) : undefined;
  } catch {
    return { error: 'Unable to parse the "variables" parameter as JSON.' };
  }
  return readRequest({ query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined, variables });
}

function parseBody(body: string): { query: string; operationName?: string; variables?: Record<string, unknown> } | { error: string } {
  if (nestingDepth(body, MAX_JSON_NESTING) > MAX_JSON_NESTING) return { error: `The request body nests arrays and objects deeper than ${MAX_JSON_NESTING} levels.` };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: 'Unable to parse the request body as JSON.' };
  }
  return readRequest(value);
}

function readRequest(value: unknown): ReturnType<typeof parseBody> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'The request body must be a JSON object with a "query".' };
  const { query, operationName, variables } = value as Record<string, unknown>;
  if (typeof query !== 'string' || query.length === 0) return { error: 'The request body must have a "query" string.' };
  if (operationName != null && typeof operationName !== 'string') return { error: '"operationName" must be a string.' };
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return { error: '"variables" must be a JSON object.' };
  return { query, operationName: operationName ?? undefined, variables: (variables as Record<string, unknown>) ?? undefined };
}

/**
 * How deep a JSON text nests `[` and `{`, counted outside strings, stopping once past `stop`. A
 * body of 200,000 nested arrays takes JSON.parse hundreds of milliseconds; this scan refuses it
 * in a few (not an AppSync figure: no real request nests variables this deep).
 */
const MAX_JSON_NESTING = 64;
function nestingDepth(text: string, stop: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth += 1;
      if (depth > deepest && (deepest = depth) > stop) return deepest;
    } else if (c === 93 || c === 125) depth -= 1;
  }
  return deepest;
}

