// `util.time`: AppSync formats and parses with Java's DateTimeFormatter patterns and accepts
// either IANA zone ids ("Australia/Perth") or offsets ("+08:00") as the timezone argument. This
// module implements the common subset of those patterns on top of Intl, so no date library is
// needed inside the sandbox.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MS_PER_MINUTE = 60_000;

/** Wall-clock fields of an instant in some zone, plus that zone's offset at the instant. */
interface ZonedFields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  weekday: number; // 0 = Sunday
  offsetMinutes: number;
  zone: string;
}

/** A parsed `±HH[:]MM`, `±HH`, `Z`, `UTC` or `GMT` offset, or null when `zone` is not one. */
function parseOffset(zone: string): number | null {
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT' || zone === 'UT') return 0;
  const match = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(zone);
  if (!match) return null;
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Error(`util.time: unknown timezone "${zone}"`);
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Offset of `zone` from UTC, in minutes, at the instant `epochMs`. */
function offsetAt(zone: string, epochMs: number): number {
  const fixed = parseOffset(zone);
  if (fixed !== null) return fixed;
  const parts: Record<string, number> = {};
  for (const part of zoneFormatter(zone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return Math.round((asUtc - wholeSeconds) / MS_PER_MINUTE);
}

function fieldsAt(epochMs: number, zone: string): ZonedFields {
  const offsetMinutes = offsetAt(zone, epochMs);
  const local = new Date(epochMs + offsetMinutes * MS_PER_MINUTE);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millis: local.getUTCMilliseconds(),
    weekday: local.getUTCDay(),
    offsetMinutes,
    zone,
  };
}

/** Epoch milliseconds of a wall-clock time in `zone` (DST gaps resolve forward, like Java). */
function wallClockToEpoch(wallAsUtc: number, zone: string): number {
  let guess = wallAsUtc - offsetAt(zone, wallAsUtc) * MS_PER_MINUTE;
  // A second pass settles instants near a DST transition.
  guess = wallAsUtc - offsetAt(zone, guess) * MS_PER_MINUTE;
  return guess;
}

// ---------------------------------------------------------------------------------------------
// Pattern tokenising
// ---------------------------------------------------------------------------------------------

type Token = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number };

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "'") {
      // '' is a literal quote; otherwise quote to quote is literal text.
      if (pattern[i + 1] === "'") {
        tokens.push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i += 1;
      while (i < pattern.length) {
        if (pattern[i] === "'" && pattern[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (pattern[i] === "'") {
          i += 1;
          break;
        } else {
          text += pattern[i];
          i += 1;
        }
      }
      tokens.push({ kind: 'literal', text });
    } else if (/[A-Za-z]/.test(ch)) {
      let count = 1;
      while (pattern[i + count] === ch) count += 1;
      tokens.push({ kind: 'field', letter: ch, count });
      i += count;
    } else {
      tokens.push({ kind: 'literal', text: ch });
      i += 1;
    }
  }
  return tokens;
}

const pad = (value: number, width: number): string => String(Math.abs(value)).padStart(width, '0');

function formatOffset(minutes: number, withColon: boolean, withMinutes = true): string {
  const sign = minutes < 0 ? '-' : '+';
  const h = pad(Math.trunc(Math.abs(minutes) / 60), 2);
  const m = pad(Math.abs(minutes) % 60, 2);
  if (!withMinutes && m === '00') return `${sign}${h}`;
  return withColon ? `${sign}${h}:${m}` : `${sign}${h}${m}`;
}

function zoneName(fields: ZonedFields, long: boolean): string {
  if (parseOffset(fields.zone) !== null) return fields.offsetMinutes === 0 ? 'Z' : formatOffset(fields.offsetMinutes, true);
  const formatter = new Intl.DateTimeFormat('en-US', { timeZone: fields.zone, timeZoneName: long ? 'long' : 'short' });
  const date = new Date(Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute) - fields.offsetMinutes * MS_PER_MINUTE);
  return formatter.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? fields.zone;
}

function unsupportedLetter(letter: string): never {
  throw new Error(`util.time: pattern letter "${letter}" is not supported by the local runtime`);
}

function formatField(letter: string, count: number, f: ZonedFields): string {
  switch (letter) {
    case 'y':
    case 'u':
      return count === 2 ? pad(f.year % 100, 2) : pad(f.year, count);
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[f.month - 1];
      if (count === 3) return MONTHS[f.month - 1].slice(0, 3);
      return pad(f.month, count);
    case 'd':
      return pad(f.day, count);
    case 'D': {
      const dayOfYear = (Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000 + 1;
      return pad(dayOfYear, count);
    }
    case 'E':
      return count >= 4 ? DAYS[f.weekday] : DAYS[f.weekday].slice(0, 3);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(f.hour, count);
    case 'k':
      return pad(f.hour === 0 ? 24 : f.hour, count);
    case 'K':
      return pad(f.hour % 12, count);
    case 'h':
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'm':
      return pad(f.minute, count);
    case 's':
      return pad(f.second, count);
    case 'S':
      // Fraction of second: the first `count` digits of the (millisecond-precise) fraction.
      return pad(f.millis, 3).padEnd(count, '0').slice(0, count);
    case 'G':
      return count >= 4 ? 'Anno Domini' : 'AD';
    case 'Z':
      if (count <= 3) return formatOffset(f.offsetMinutes, false);
      if (count === 4) return f.offsetMinutes === 0 ? 'GMT' : `GMT${formatOffset(f.offsetMinutes, true)}`;
      return f.offsetMinutes === 0 ? 'Z' : formatOffset(f.offsetMinutes, true);
    case 'X':
    case 'x': {
      if (letter === 'X' && f.offsetMinutes === 0) return 'Z';
      if (count === 1) return formatOffset(f.offsetMinutes, false, false);
      return formatOffset(f.offsetMinutes, count >= 3);
    }
    case 'z':
      return zoneName(f, count >= 4);
    case 'V':
      return f.zone;
    default:
      return unsupportedLetter(letter);
  }
}

/** Formats `epochMs` in `zone` (IANA id or offset) with a Java DateTimeFormatter pattern. */
export function formatEpoch(epochMs: number, pattern: string, zone = 'UTC'): string {
  const fields = fieldsAt(epochMs, zone);
  return tokenize(pattern)
    .map((t) => (t.kind === 'literal' ? t.text : formatField(t.letter, t.count, fields)))
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const OFFSET_SOURCE = 'Z|[+-]\\d{2}(?::?\\d{2})?';

function fieldSource(letter: string, count: number): string {
  switch (letter) {
    case 'y':
    case 'u':
      return count === 2 ? '\\d{2}' : '[+-]?\\d{4,9}';
    case 'M':
    case 'L':
      if (count >= 3) return '[A-Za-z]+';
      return count === 2 ? '\\d{2}' : '\\d{1,2}';
    case 'd':
    case 'H':
    case 'k':
    case 'K':
    case 'h':
    case 'm':
    case 's':
      return count === 2 ? '\\d{2}' : '\\d{1,2}';
    case 'D':
      return '\\d{1,3}';
    case 'S':
      return `\\d{${count}}`;
    case 'E':
      return '[A-Za-z]+';
    case 'a':
      return '[AaPp][Mm]';
    case 'G':
      return '[A-Za-z ]+';
    case 'Z':
    case 'X':
    case 'x':
      return count === 4 ? `GMT(?:${OFFSET_SOURCE})?` : OFFSET_SOURCE;
    case 'V':
    case 'z':
      return '[A-Za-z_/+\\-0-9]+';
    default:
      return unsupportedLetter(letter);
  }
}

function monthFromName(text: string): number {
  const index = MONTHS.findIndex((m) => m.toLowerCase().startsWith(text.toLowerCase()) && text.length >= 3);
  if (index < 0) throw new Error(`util.time: unknown month "${text}"`);
  return index + 1;
}

/**
 * Parses `text` with a Java DateTimeFormatter pattern into epoch milliseconds. An offset or zone
 * in the text wins; otherwise the wall clock is read in `zone` (UTC by default). Throws on text
 * that does not match the pattern, as AppSync does.
 */
export function parseToEpoch(text: string, pattern: string, zone = 'UTC'): number {
  const tokens = tokenize(pattern);
  const fieldTokens = tokens.filter((t): t is Extract<Token, { kind: 'field' }> => t.kind === 'field');
  const source = tokens.map((t) => (t.kind === 'literal' ? escapeRegExp(t.text) : `(${fieldSource(t.letter, t.count)})`)).join('');
  const match = new RegExp(`^${source}$`).exec(String(text));
  if (!match) throw new Error(`util.time: "${text}" does not match the pattern "${pattern}"`);

  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let pm: boolean | null = null;
  let offset: number | null = null;
  let parsedZone: string | null = null;
  for (const [i, token] of fieldTokens.entries()) {
    const value = match[i + 1];
    switch (token.letter) {
      case 'y':
      case 'u':
        year = token.count === 2 ? 2000 + Number(value) : Number(value);
        break;
      case 'M':
      case 'L':
        month = token.count >= 3 ? monthFromName(value) : Number(value);
        break;
      case 'd':
        day = Number(value);
        break;
      case 'D':
        month = 1;
        day = Number(value);
        break;
      case 'H':
      case 'k':
        hour = Number(value) % 24;
        break;
      case 'h':
      case 'K':
        hour = Number(value) % 12;
        break;
      case 'a':
        pm = value.toUpperCase() === 'PM';
        break;
      case 'm':
        minute = Number(value);
        break;
      case 's':
        second = Number(value);
        break;
      case 'S':
        millis = Math.floor(Number(`0.${value}`) * 1000 + 1e-6);
        break;
      case 'Z':
      case 'X':
      case 'x':
        offset = parseOffset(value.replace(/^GMT(?=[+-])/, '')) ?? 0;
        break;
      case 'V':
      case 'z':
        parsedZone = value;
        break;
      default:
        break; // text-only fields (E, G) carry no information the others do not
    }
  }
  if (pm === true) hour += 12;

  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0-99 to 1900-1999; Java does not.
  const fixedYear = new Date(wallAsUtc);
  if (year >= 0 && year < 100) fixedYear.setUTCFullYear(year);
  const wall = fixedYear.getTime();
  if (offset !== null) return wall - offset * MS_PER_MINUTE;
  return wallClockToEpoch(wall, parsedZone ?? zone);
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses an ISO 8601 timestamp; one without an offset is read as UTC, never as server time. */
export function parseISO8601(text: string): number {
  const match = ISO_8601.exec(String(text).trim());
  if (!match) throw new Error(`util.time: "${text}" is not an ISO 8601 timestamp`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  const millis = Math.floor(Number(`0.${frac}`) * 1000 + 1e-6);
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis);
  const offset = zone === undefined ? 0 : (parseOffset(zone.toUpperCase()) ?? 0);
  return wall - offset * MS_PER_MINUTE;
}

/** The `util.time` object, reading the clock through `now` so tests can pin it. */
export function createTimeUtils(now: () => number = Date.now) {
  return {
    nowISO8601: (): string => new Date(now()).toISOString(),
    nowEpochSeconds: (): number => Math.floor(now() / 1000),
    nowEpochMilliSeconds: (): number => now(),
    nowFormatted: (format: string, timezone?: string): string => formatEpoch(now(), format, timezone),
    parseFormattedToEpochMilliSeconds: (timestamp: string, format: string, timezone?: string): number =>
      parseToEpoch(timestamp, format, timezone),
    parseISO8601ToEpochMilliSeconds: (timestamp: string): number => parseISO8601(timestamp),
    epochMilliSecondsToSeconds: (milliseconds: number): number => Math.floor(milliseconds / 1000),
    epochMilliSecondsToISO8601: (milliseconds: number): string => new Date(milliseconds).toISOString(),
    epochMilliSecondsToFormatted: (milliseconds: number, format: string, timezone?: string): string =>
      formatEpoch(milliseconds, format, timezone),
  };
}
