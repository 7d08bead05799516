import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * The error type AppSync reports when the request object a handler returned is malformed
 * (a missing field, an unknown operation, a value that is not a typed value), before DynamoDB
 * is ever called.
 */
export const REQUEST_ERROR_TYPE = 'MappingTemplate';

/** A malformed request object; the data source turns it into `ctx.error` instead of throwing. */
export class RequestError extends Error {
  readonly type = REQUEST_ERROR_TYPE;
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Narrows to a plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a required field, naming it in AppSync's `$[field]` style when it is missing. */
export function required(request: Record<string, unknown>, field: string, path = '$'): unknown {
  const value = request[field];
  if (value === undefined || value === null) throw new RequestError(`Value for field '${path}[${field}]' not found.`);
  return value;
}

/** Reads an optional string field. */
export function optionalString(request: Record<string, unknown>, field: string, path = '$'): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new RequestError(`Expected a string for '${path}[${field}]'.`);
  return value;
}

/** Reads an optional boolean field. */
export function optionalBoolean(request: Record<string, unknown>, field: string, path = '$'): boolean | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new RequestError(`Expected a boolean for '${path}[${field}]'.`);
  return value;
}

/** Reads an optional non-negative integer field. */
export function optionalInteger(request: Record<string, unknown>, field: string, path = '$'): number | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RequestError(`Expected a non-negative integer for '${path}[${field}]'.`);
  }
  return value;
}

function numberText(value: unknown, path: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return value;
  throw new RequestError(`Expected a number for '${path}' but got ${JSON.stringify(value)}.`);
}

function bytes(value: unknown, path: string): Uint8Array {
  if (typeof value !== 'string') throw new RequestError(`Expected a base64 string for '${path}'.`);
  return Buffer.from(value, 'base64');
}

function list<T>(value: unknown, path: string, each: (item: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) throw new RequestError(`Expected a list for '${path}'.`);
  return value.map((item, index) => each(item, `${path}[${index}]`));
}

/**
 * Converts one AppSync typed value into an SDK AttributeValue. AppSync lets numbers be JSON
 * numbers (`util.dynamodb.toDynamoDB(10)` gives `{ N: 10 }`); DynamoDB only takes strings.
 */
export function toAttributeValue(value: unknown, path: string): AttributeValue {
  if (!isObject(value)) {
    throw new RequestError(`Expected JSON object for attribute value '${path}' but got ${JSON.stringify(value)} instead.`);
  }
  const types = Object.keys(value);
  if (types.length !== 1) {
    throw new RequestError(`Attribute value '${path}' must have exactly one type (S, N, B, SS, NS, BS, M, L, NULL, BOOL).`);
  }
  const type = types[0]!;
  const inner = value[type];
  const at = `${path}[${type}]`;
  switch (type) {
    case 'S':
      if (typeof inner !== 'string') throw new RequestError(`Expected a string for '${at}'.`);
      return { S: inner };
    case 'N':
      return { N: numberText(inner, at) };
    case 'B':
      return { B: bytes(inner, at) };
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new RequestError(`Expected a boolean for '${at}'.`);
      return { BOOL: inner };
    case 'NULL':
      return { NULL: true };
    case 'SS':
      return {
        SS: list(inner, at, (item, p) => {
          if (typeof item !== 'string') throw new RequestError(`Expected a string for '${p}'.`);
          return item;
        }),
      };
    case 'NS':
      return { NS: list(inner, at, numberText) };
    case 'BS':
      return { BS: list(inner, at, bytes) };
    case 'L':
      return { L: list(inner, at, toAttributeValue) };
    case 'M':
      return { M: toAttributeMap(inner, at) };
    default:
      throw new RequestError(`Unknown attribute value type '${type}' at '${path}'.`);
  }
}

/** Converts a map of typed values (a key, an item, expressionValues). */
export function toAttributeMap(value: unknown, path: string): Record<string, AttributeValue> {
  if (!isObject(value)) throw new RequestError(`Expected a map of typed values for '${path}'.`);
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, toAttributeValue(v, `${path}[${name}]`)]));
}

/** Reads a required key: a non-empty map of typed values. */
export function requiredKey(request: Record<string, unknown>, field = 'key', path = '$'): Record<string, AttributeValue> {
  const key = toAttributeMap(required(request, field, path), `${path}[${field}]`);
  if (Object.keys(key).length === 0) throw new RequestError(`Value for field '${path}[${field}]' must not be empty.`);
  return key;
}

/** An expression block (`{ expression, expressionNames?, expressionValues? }`) in SDK terms. */
export interface Expression {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, AttributeValue>;
}

/** Reads an expression block; `undefined` when the field is absent and not required. */
export function readExpression(request: Record<string, unknown>, field: string, path = '$'): Expression | undefined {
  const block = request[field];
  if (block === undefined || block === null) return undefined;
  const at = `${path}[${field}]`;
  if (!isObject(block)) throw new RequestError(`Expected an object for '${at}'.`);
  const expression = required(block, 'expression', at);
  if (typeof expression !== 'string') throw new RequestError(`Expected a string for '${at}[expression]'.`);
  const names = block.expressionNames;
  if (names !== undefined && names !== null) {
    if (!isObject(names) || Object.values(names).some((n) => typeof n !== 'string')) {
      throw new RequestError(`Expected a map of strings for '${at}[expressionNames]'.`);
    }
  }
  const values = block.expressionValues;
  return {
    expression,
    names: isObject(names) && Object.keys(names).length ? (names as Record<string, string>) : undefined,
    values:
      values === undefined || values === null ? undefined : toAttributeMap(values, `${at}[expressionValues]`),
  };
}

/** DynamoDB rejects empty ExpressionAttribute* maps, so merged maps collapse to undefined. */
export function mergeExpressionAttributes(expressions: (Expression | undefined)[]): {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
} {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  for (const expression of expressions) {
    Object.assign(names, expression?.names);
    Object.assign(values, expression?.values);
  }
  return {
    ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
    ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
  };
}

/**
 * Converts a DynamoDB item into the plain JSON AppSync hands to response handlers: numbers as
 * numbers, sets as lists, binary as base64 strings (AppSync's response type conversion).
 */
export function toPlain(item: Record<string, AttributeValue> | undefined | null): Record<string, unknown> | null {
  if (!item) return null;
  return normalize(unmarshall(item, { wrapNumbers: (text: string) => Number(text) })) as Record<string, unknown>;
}

function normalize(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(normalize);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(normalize);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}
