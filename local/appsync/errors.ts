import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';

/** An error a resolver raised (`util.error`, `util.unauthorized`) or the runtime raised for a field. */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly errorType: string | null,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
    this.name = 'FieldError';
  }

  /** The field's place in the document, set by the engine where it raised it (else graphql-js's). */
  locations?: { line: number; column: number }[];
}

/** Where a field is in the document, read from its tokens. */
export function fieldLocations(info: GraphQLResolveInfo): { line: number; column: number }[] {
  return info.fieldNodes.flatMap((n) => (n.loc ? [{ line: n.loc.startToken.line, column: n.loc.startToken.column }] : []));
}

/**
 * A field's error with its path, its locations read from the field's tokens. Left to graphql-js,
 * each error's location is found by scanning the document from its start (`getLocation`): a wide
 * document with an error on each of its ~1,000 fields (past resolverCountLimit) spent about 40 ms
 * of its answer doing that alone. Any other error is left as it is.
 */
export function located(error: unknown, info: GraphQLResolveInfo): unknown {
  if (!(error instanceof FieldError)) return error;
  error.locations = fieldLocations(info);
  return new GraphQLError(error.message, { path: responsePathAsArray(info.path), originalError: error });
}

/** An error that rides along with a field's value (`util.appendError`). */
export interface AppendedError {
  path: readonly (string | number)[];
  locations: { line: number; column: number }[];
  message: string;
  errorType?: string;
  data?: unknown;
  errorInfo?: unknown;
}

/** One entry of a response's `errors`, in AppSync's shape. */
export interface AppSyncErrorEntry {
  path: readonly (string | number)[] | null;
  data: unknown;
  errorType: string | null;
  errorInfo: unknown;
  locations: { line: number; column: number; sourceName: null }[];
  message: string;
}

/**
 * Shapes a graphql-js error the way AppSync reports it. Errors without a path come from
 * checking the request (syntax, validation, variables): `ValidationError`. Errors on a path
 * that no resolver raised are the runtime's own (a null in a non-null field): `ExecutionError`.
 */
export function toAppSyncError(error: GraphQLError): AppSyncErrorEntry {
  const original = error.originalError;
  const fieldError = original instanceof FieldError ? original : undefined;
  return {
    path: error.path ?? null,
    data: fieldError?.data ?? null,
    errorType: fieldError ? fieldError.errorType : error.path ? 'ExecutionError' : 'ValidationError',
    errorInfo: fieldError?.errorInfo ?? null,
    locations: (error.locations ?? fieldError?.locations ?? []).map((l) => ({ line: l.line, column: l.column, sourceName: null })),
    message: error.message,
  };
}

/** Shapes an appended error. */
export function appendedToAppSyncError(error: AppendedError): AppSyncErrorEntry {
  return {
    path: error.path,
    data: error.data ?? null,
    errorType: error.errorType ?? null,
    errorInfo: error.errorInfo ?? null,
    locations: error.locations.map((l) => ({ ...l, sourceName: null })),
    message: error.message,
  };
}

/** A request-level error (no field ran): `{ errorType, message }` only, as AppSync sends it. */
export function requestError(errorType: string, message: string) {
  return { errors: [{ errorType, message }] };
}
