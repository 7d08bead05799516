/**
 * AppSync's service-defined scalars for graphql-js 16.
 *
 * Rules follow https://docs.aws.amazon.com/appsync/latest/devguide/scalars.html and the scalar
 * descriptions AppSync itself returns from introspection. Error wording copies the messages the
 * real service returns where they are known ("Unable to parse `x` as a valid date.", "... as a
 * valid DateTime Object.", "... as a valid phone number.", "Can't serialize value ... Unable to
 * serialize `x` as a valid DateTime Object."); the other scalars use the same pattern.
 */
import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

type Check = (value: string) => boolean;

// AppSync allows `Z` or ±hh:mm with optional :ss; Java's ZoneOffset caps hours at 18.
const OFFSET = '(Z|[+-]\\d{2}:\\d{2}(?::\\d{2})?)';
const DATE = '(-?\\d{4})-(\\d{2})-(\\d{2})';
// Seconds are optional; the fraction is a nanosecond field of 1 to 9 digits and needs seconds.
const TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,9})?)?';
const DATE_RE = new RegExp(`^${DATE}${OFFSET}?$`);
const TIME_RE = new RegExp(`^${TIME}${OFFSET}?$`);
const DATETIME_RE = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function validDate(y: string, m: string, d: string): boolean {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= lengths[month - 1];
}

function validTime(h: string, m: string, s: string | undefined): boolean {
  return Number(h) <= 23 && Number(m) <= 59 && (s === undefined || Number(s) <= 59);
}

function validOffset(offset: string | undefined): boolean {
  if (offset === undefined || offset === 'Z') return true;
  const [h, m, s = 0] = offset.slice(1).split(':').map(Number);
  return m <= 59 && s <= 59 && h * 3600 + m * 60 + s <= 18 * 3600;
}

const isAwsDate: Check = (v) => {
  const m = DATE_RE.exec(v);
  return m !== null && validDate(m[1], m[2], m[3]) && validOffset(m[4]);
};

const isAwsTime: Check = (v) => {
  const m = TIME_RE.exec(v);
  return m !== null && validTime(m[1], m[2], m[3]) && validOffset(m[4]);
};

const isAwsDateTime: Check = (v) => {
  const m = DATETIME_RE.exec(v);
  return m !== null && validDate(m[1], m[2], m[3]) && validTime(m[4], m[5], m[6]) && validOffset(m[7]);
};

// RFC 822 local-part@domain in the practical form AppSync-aligned clients (Amplify DataStore) use.
const EMAIL_RE =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const isAwsEmail: Check = (v) => EMAIL_RE.test(v);

// AppSync: any scheme, local URLs allowed, no scheme-less URLs, no `//` inside the path.
const URL_PARTS_RE = /^[A-Za-z][A-Za-z0-9+.-]*:(\/\/[^/?#]*)?([^?#]*)/;
const isAwsUrl: Check = (v) => {
  if (/\s/.test(v)) return false;
  const parts = URL_PARTS_RE.exec(v);
  if (parts === null || (parts[2] ?? '').includes('//')) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
};

// North American Numbering Plan: area code and exchange both start with 2-9 (so AppSync rejects
// `1110004444`). Numbers without a country code are read as NANP, as the AppSync docs say.
const NANP_RE = /^[2-9]\d{2}[2-9]\d{6}$/;
const isAwsPhone: Check = (v) => {
  if (!/^\+?\d+(?:[ -]\d+)*$/.test(v)) return false;
  const digits = v.replace(/\D/g, '');
  if (!v.startsWith('+')) {
    return NANP_RE.test(digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits);
  }
  if (digits.startsWith('1')) return NANP_RE.test(digits.slice(1));
  // E.164 caps numbers at 15 digits; 7 covers the shortest national plans with their country code.
  return !digits.startsWith('0') && digits.length >= 7 && digits.length <= 15;
};

// Quad-dotted IPv4 or unbracketed IPv6, each with an optional CIDR prefix length.
const isAwsIpAddress: Check = (v) => {
  const [address, prefix, extra] = v.split('/');
  if (extra !== undefined || address.includes('%')) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  return /^(0|[1-9]\d{0,2})$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function parseError(value: unknown, what: string, node?: ValueNode): GraphQLError {
  return new GraphQLError(`Unable to parse \`${show(value)}\` as ${what}.`, node ? { nodes: node } : {});
}

function serializeError(value: unknown, what: string): GraphQLError {
  return new GraphQLError(`Unable to serialize \`${show(value)}\` as ${what}.`);
}

/** Builds a string-carried scalar: the value stays the client's string, only its form is checked. */
function stringScalar(name: string, what: string, check: Check, description: string): GraphQLScalarType {
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize(value) {
      if (typeof value !== 'string' || !check(value)) throw serializeError(value, what);
      return value;
    },
    parseValue(value) {
      if (typeof value !== 'string' || !check(value)) throw parseError(value, what);
      return value;
    },
    parseLiteral(node) {
      if (node.kind !== Kind.STRING) throw parseError(print(node), what, node);
      if (!check(node.value)) throw parseError(node.value, what, node);
      return node.value;
    },
  });
}

// AppSync's documented bounds: -1000000000-01-01T00:00Z .. 1000000000-12-31T23:59:59Z.
const TIMESTAMP_MIN = -31557014167219200n;
const TIMESTAMP_MAX = 31556889864403199n;

function timestampOk(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    BigInt(value) >= TIMESTAMP_MIN &&
    BigInt(value) <= TIMESTAMP_MAX
  );
}

const AWSTimestamp = new GraphQLScalarType<number, number>({
  name: 'AWSTimestamp',
  description: 'Integer number of seconds before or after 1970-01-01T00:00Z.',
  serialize(value) {
    // Data sources often hand back numbers as numeric strings (DynamoDB N); output accepts them.
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (!timestampOk(n)) throw serializeError(value, 'a valid timestamp');
    return n;
  },
  parseValue(value) {
    if (!timestampOk(value)) throw parseError(value, 'a valid timestamp');
    return value;
  },
  parseLiteral(node) {
    if (node.kind !== Kind.INT) throw parseError(print(node), 'a valid timestamp', node);
    const big = BigInt(node.value);
    if (big < TIMESTAMP_MIN || big > TIMESTAMP_MAX) throw parseError(node.value, 'a valid timestamp', node);
    return Number(big);
  },
});

function parseJson(value: unknown, node?: ValueNode): unknown {
  if (typeof value !== 'string') throw parseError(value, 'valid JSON', node);
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw parseError(value, 'valid JSON', node);
  }
}

function isJsonText(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

const AWSJSON = new GraphQLScalarType<unknown, string>({
  name: 'AWSJSON',
  description:
    'A JSON string (RFC 8259). Input strings are parsed into maps, lists or scalar values before ' +
    'they reach the resolver; results are written back out as JSON strings.',
  serialize(value) {
    // A resolver that already holds serialized JSON returns it unchanged rather than re-quoted;
    // any other string is a JSON string value and is quoted like the rest.
    if (typeof value === 'string' && isJsonText(value)) return value;
    if (value === undefined || typeof value === 'function' || typeof value === 'bigint') {
      throw serializeError(value, 'valid JSON');
    }
    try {
      return JSON.stringify(value);
    } catch {
      throw serializeError(value, 'valid JSON');
    }
  },
  parseValue: (value) => parseJson(value),
  parseLiteral(node) {
    // AppSync rejects object/list literals: the JSON must arrive as a string literal.
    if (node.kind !== Kind.STRING) throw parseError(print(node), 'valid JSON', node);
    return parseJson(node.value, node);
  },
});

/** The nine AppSync scalars, keyed by name, ready to be attached to a schema built from SDL. */
export const appSyncScalars: Record<string, GraphQLScalarType> = {
  AWSDate: stringScalar('AWSDate', 'a valid date', isAwsDate, 'Extended ISO 8601 date YYYY-MM-DD with an optional offset.'),
  AWSTime: stringScalar('AWSTime', 'a valid time', isAwsTime, 'Extended ISO 8601 time hh:mm[:ss[.sss]] with an optional offset.'),
  AWSDateTime: stringScalar(
    'AWSDateTime',
    'a valid DateTime Object',
    isAwsDateTime,
    'Extended ISO 8601 date-time YYYY-MM-DDThh:mm[:ss[.sss]] with a required offset.',
  ),
  AWSTimestamp,
  AWSEmail: stringScalar('AWSEmail', 'a valid email address', isAwsEmail, 'Email address local-part@domain-part (RFC 822).'),
  AWSJSON,
  AWSURL: stringScalar('AWSURL', 'a valid URL', isAwsUrl, 'URL with a scheme (RFC 1738); no // inside the path.'),
  AWSPhone: stringScalar('AWSPhone', 'a valid phone number', isAwsPhone, 'Phone number; spaces or hyphens may separate digit groups.'),
  AWSIPAddress: stringScalar('AWSIPAddress', 'a valid IP address', isAwsIpAddress, 'IPv4 or IPv6 address with an optional CIDR suffix.'),
};

/**
 * SDL for AppSync's built-in scalars and directives (api/appsync-builtins.graphql, which codegen
 * reads too), to prepend to a user schema so graphql-js can build it. Locations and arguments are those AppSync reports through introspection (`@aws_iam`
 * and `@aws_cognito_user_pools` may also mark input objects); `@aws_publish` is the deprecated
 * predecessor of `@aws_subscribe` that AppSync still declares.
 */
export const appSyncDirectiveDefinitions = readFileSync(new URL('../../api/appsync-builtins.graphql', import.meta.url), 'utf8');

/**
 * Rewrites graphql-js's variable-coercion prefix into AppSync's, which names the innermost field:
 * `Variable "$input" got invalid value "x" at "input.due"; Unable to parse ...` becomes
 * `Variable 'due' has an invalid value. Unable to parse ...`. Other messages pass through.
 */
export function toAppSyncErrorMessage(message: string): string {
  const m = /^Variable "\$([^"]+)" got invalid value .*?(?: at "([^"]+)")?; ([\s\S]*)$/.exec(message);
  if (m === null) return message;
  const path = (m[2] ?? m[1]).split(/[.[\]]/).filter((p) => p !== '' && !/^\d+$/.test(p));
  return `Variable '${path[path.length - 1] ?? m[1]}' has an invalid value. ${m[3]}`;
}
