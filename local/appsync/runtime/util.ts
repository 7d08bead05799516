// The `util` global of the APPSYNC_JS runtime. `@aws-appsync/utils` ships only its types (at run
// time it exports `util = {}`), so the emulator builds the real object here and injects it into
// each node:vm sandbox. Behaviour follows the AWS documentation and recorded EvaluateCode output.

import { randomInt, randomUUID } from 'node:crypto';
import KSUID from 'ksuid';
import { ulid } from 'ulid';
import { createTimeUtils } from './time.ts';
import {
  isPlainObject,
  toAttributeMap,
  toAttributeValue,
  toDynamoDBFilterExpression,
  toSubscriptionFilter,
  type AttributeValue,
} from './transform.ts';

/** What `util` needs from the executor running the current request. */
export interface UtilHooks {
  /** Records an error for the field's `errors` entry without stopping evaluation. */
  appendError(error: { message: string; errorType?: string; data?: unknown; errorInfo?: unknown }): void;
  /** The AppSync description of the caller's auth mode, e.g. "API Key Authorization". */
  authType(): string;
}

/**
 * Thrown by `util.error` and `util.unauthorized`. The executor catches it to build the GraphQL
 * error (message, errorType, data, errorInfo); there is no other way out of a handler because
 * APPSYNC_JS forbids `throw`.
 */
export class ResolverError extends Error {
  errorType?: string;
  data?: unknown;
  errorInfo?: unknown;
  /** Set by `util.unauthorized()` so the executor can answer AppSync's Unauthorized shape. */
  unauthorized?: boolean;

  constructor(message: string, errorType?: string, data?: unknown, errorInfo?: unknown) {
    super(message);
    this.name = 'ResolverError';
    if (errorType !== undefined) this.errorType = errorType;
    if (data !== undefined) this.data = data;
    if (errorInfo !== undefined) this.errorInfo = errorInfo;
  }
}

/** A member the local runtime deliberately lacks: fail loudly instead of answering undefined. */
function unsupported(name: string): (...args: unknown[]) => never {
  return () => {
    throw new Error(`util.${name} is not supported by the local runtime`);
  };
}

/** Same escaping as Java's StringEscapeUtils.escapeEcmaScript, which AppSync uses. */
function escapeJavaScript(value: string): string {
  const simple: Record<string, string> = {
    "'": "\\'",
    '"': '\\"',
    '\\': '\\\\',
    '/': '\\/',
    '\b': '\\b',
    '\n': '\\n',
    '\t': '\\t',
    '\f': '\\f',
    '\r': '\\r',
  };
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i];
    const code = value.charCodeAt(i);
    if (simple[ch] !== undefined) out += simple[ch];
    else if (code < 32 || code > 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** Java's URLEncoder.encode(value, "UTF-8"): form encoding, space as "+", only `.-*_` kept. */
function urlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2A/g, '*');
}

/** Java's URLDecoder.decode(value, "UTF-8"). */
function urlDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * Java's String.matches: the pattern must match the whole input. Leading inline flags such as
 * `(?i)` are Java syntax that JavaScript lacks, so they become RegExp flags.
 */
function matches(pattern: string, value: string): boolean {
  let source = String(pattern);
  let flags = '';
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const flag of inline[1]) if (flag !== 'x' && !flags.includes(flag)) flags += flag;
  }
  source = source.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  return new RegExp(`^(?:${source})$`, flags).test(String(value));
}

const NORMALIZATION_FORMS = new Set(['NFC', 'NFD', 'NFKC', 'NFKD']);

/** `util.str`: `normalize` is the declared member; the VTL helpers are kept for ported code. */
function createStringUtils() {
  return {
    normalize(value: string, normalizationType: string): string {
      const form = String(normalizationType).toUpperCase();
      if (!NORMALIZATION_FORMS.has(form)) throw new Error(`util.str.normalize: unknown normalization type "${normalizationType}"`);
      return String(value).normalize(form);
    },
    toUpper: (value: string): string => String(value).toUpperCase(),
    toLower: (value: string): string => String(value).toLowerCase(),
    toReplace: (value: string, target: string, replacement: string): string =>
      String(value).split(String(target)).join(String(replacement)),
  };
}

/** `util.math`, with Java's semantics (Math.round rounds half up, like JavaScript's). */
function createMathUtils() {
  return {
    roundNum: (input: number): number => Math.round(input),
    minVal: (a: number, b: number): number => Math.min(a, b),
    maxVal: (a: number, b: number): number => Math.max(a, b),
    randomDouble: (): number => Math.random(),
    // Both bounds are inclusive: AppSync documents the arguments as the range's low and high values.
    randomWithinRange: (start: number, end: number): number => {
      const low = Math.ceil(Math.min(start, end));
      const high = Math.floor(Math.max(start, end));
      return randomInt(low, high + 1);
    },
  };
}

/** Answers null for null/undefined, as every `util.dynamodb.toX` does. */
function orNull<T, R>(convert: (value: T) => R): (value: T | null | undefined) => R | null {
  return (value) => (value === null || value === undefined ? null : convert(value));
}

const copyList = <T>(list: readonly T[]): T[] => Array.from(list);

/** `util.dynamodb`: typed-value builders; numbers stay JS numbers, as AppSync writes them. */
function createDynamodbUtils() {
  const toMapValues = (value: unknown): Record<string, AttributeValue> | null =>
    isPlainObject(value) ? toAttributeMap(value) : null;
  return {
    toDynamoDB: (value: unknown): AttributeValue | null => toAttributeValue(value),
    toString: orNull((value: string) => ({ S: String(value) })),
    toStringSet: orNull((list: string[]) => ({ SS: copyList(list) })),
    toNumber: orNull((value: number) => ({ N: value })),
    toNumberSet: orNull((list: number[]) => ({ NS: copyList(list) })),
    toBinary: orNull((value: string) => ({ B: String(value) })),
    toBinarySet: orNull((list: string[]) => ({ BS: copyList(list) })),
    toBoolean: orNull((value: boolean) => ({ BOOL: value })),
    toNull: (): { NULL: null } => ({ NULL: null }),
    toList: (value: unknown): { L: AttributeValue[] } | null =>
      Array.isArray(value) ? (toAttributeValue(value) as { L: AttributeValue[] }) : null,
    toMap: (value: unknown): { M: Record<string, AttributeValue> } | null => {
      const map = toMapValues(value);
      return map === null ? null : { M: map };
    },
    toMapValues,
    // AppSync stores S3 links as compact JSON in a string attribute: {"s3":{key,bucket,region,version?}}.
    toS3Object(key: string, bucket: string, region: string, version?: string): { S: string } {
      const s3: Record<string, string> = { key, bucket, region };
      if (version !== undefined && version !== null) s3.version = version;
      return { S: JSON.stringify({ s3 }) };
    },
    fromS3ObjectJson(s3ObjectString: string): Record<string, unknown> {
      const parsed: unknown = JSON.parse(s3ObjectString);
      const s3 = isPlainObject(parsed) ? parsed.s3 : undefined;
      if (!isPlainObject(s3)) throw new Error('util.dynamodb.fromS3ObjectJson: the value is not an S3 object JSON string');
      return { ...s3 };
    },
  };
}

/** Freezes the whole tree so one resolver cannot patch `util` for the next. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/**
 * Builds the `util` object for one sandbox. `hooks` connects `appendError` and `authType` to
 * the request being executed; everything else is stateless.
 */
export function createUtil(hooks: UtilHooks) {
  return deepFreeze({
    autoId: (): string => randomUUID(),
    autoUlid: (): string => ulid(),
    autoKsuid: (): string => KSUID.randomSync().string,

    error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      throw new ResolverError(String(message), errorType ?? undefined, data ?? undefined, errorInfo ?? undefined);
    },
    appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
      const error: { message: string; errorType?: string; data?: unknown; errorInfo?: unknown } = { message: String(message) };
      if (errorType !== undefined && errorType !== null) error.errorType = errorType;
      if (data !== undefined && data !== null) error.data = data;
      if (errorInfo !== undefined && errorInfo !== null) error.errorInfo = errorInfo;
      hooks.appendError(error);
    },
    unauthorized(): never {
      const error = new ResolverError('Unauthorized', 'Unauthorized');
      error.unauthorized = true;
      throw error;
    },

    matches,
    authType: (): string => hooks.authType(),
    escapeJavaScript: (value: string): string => escapeJavaScript(String(value)),
    urlEncode: (value: string): string => urlEncode(String(value)),
    urlDecode: (value: string): string => urlDecode(String(value)),
    base64Encode: (value: string): string => Buffer.from(String(value), 'utf8').toString('base64'),
    base64Decode: (value: string): string => Buffer.from(String(value), 'base64').toString('utf8'),

    time: createTimeUtils(),
    str: createStringUtils(),
    math: createMathUtils(),
    dynamodb: createDynamodbUtils(),
    transform: {
      toDynamoDBFilterExpression: (filter: unknown): string | null => toDynamoDBFilterExpression(filter),
      // Recorded AWS output is byte-identical to the filter form for every shape tried.
      toDynamoDBConditionExpression: (condition: unknown): string | null => toDynamoDBFilterExpression(condition),
      toSubscriptionFilter: (filter: unknown, ignoredFields?: unknown, rules?: unknown) =>
        toSubscriptionFilter(filter, ignoredFields, rules),
      toElasticsearchQueryDSL: unsupported('transform.toElasticsearchQueryDSL'),
    },
    rds: { toJsonObject: unsupported('rds.toJsonObject') },
    http: {
      copyHeaders: unsupported('http.copyHeaders'),
      addResponseHeader: unsupported('http.addResponseHeader'),
      addResponseHeaders: unsupported('http.addResponseHeaders'),
    },
    xml: {
      toMap: unsupported('xml.toMap'),
      toJsonString: unsupported('xml.toJsonString'),
    },
  });
}
