/**
 * The machine readable zone of an ID: where it is on the card (lines of the MRZ alphabet with
 * runs of fillers), and its lines fitted to one of ICAO 9303's formats (TD1: 3 x 30, TD2:
 * 2 x 36, TD3: 2 x 44). OCR miscounts long runs of `<`; a line a character or two off is mended
 * in its longest filler run. A character OCR added to a field is taken out only as a last resort,
 * and only where the print corroborates the result (`mendMrz`).
 */
import { parse } from 'mrz';
import type { Box, OcrLine } from './ocr.ts';

/** Line count and length of each format. */
const FORMATS = [
  { name: 'TD1', lines: 3, length: 30 },
  { name: 'TD2', lines: 2, length: 36 },
  { name: 'TD3', lines: 2, length: 44 },
] as const;
type Format = (typeof FORMATS)[number];
/** How far a line read may be from its format's length and still be mended. */
const LENGTH_TOLERANCE = 2;

/** Whether a line of the first reading looks like part of an MRZ: the alphabet, long, with filler runs. */
export function looksLikeMrz(text: string): boolean {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (compact.length < 20 || !/<<|[«‹]/.test(compact)) return false;
  const inAlphabet = [...compact].filter((c) => /[A-Z0-9<«‹]/.test(c)).length;
  return inAlphabet >= 0.85 * compact.length;
}

/** The box around the lines that look like an MRZ, grown by half a line each way; undefined when none do. */
export function mrzRegion(lines: OcrLine[], width: number, height: number): Box | undefined {
  const candidates = lines.filter((line) => looksLikeMrz(line.text));
  if (candidates.length === 0) return undefined;
  const box = {
    x0: Math.min(...candidates.map((l) => l.box.x0)),
    y0: Math.min(...candidates.map((l) => l.box.y0)),
    x1: Math.max(...candidates.map((l) => l.box.x1)),
    y1: Math.max(...candidates.map((l) => l.box.y1)),
  };
  const lineHeight = Math.max(...candidates.map((l) => l.box.y1 - l.box.y0));
  // The first reading may have missed a line of the zone (a row of fillers): look a line further.
  const grow = lineHeight * 1.5;
  return {
    x0: Math.max(0, Math.round(box.x0 - lineHeight)),
    y0: Math.max(0, Math.round(box.y0 - grow)),
    // A last character the first reading missed (a check digit after a run of fillers) is further right.
    x1: Math.min(width, Math.round(box.x1 + lineHeight * 3)),
    y1: Math.min(height, Math.round(box.y1 + grow)),
  };
}

/**
 * The MRZ's lines fitted to a format, or undefined when the lines read are no MRZ of a known
 * format (a zone of the wrong shape, or too few lines read). Lines that are not MRZ-like
 * (text above or below the zone) are ignored.
 */
export function fitMrz(lines: string[]): string[] | undefined {
  const zone = zoneLines(lines);
  for (const format of FORMATS) {
    const candidate = formatLines(zone, format);
    const fitted = candidate?.map((line) => mendLength(line, format.length));
    if (!fitted || fitted.some((line) => line === undefined)) continue;
    const mended = asFormat(fitted as string[], format);
    if (mended) return mended;
  }
  return undefined;
}

/** The lines that may be an MRZ, in its alphabet: an MRZ has no lower case (a `b` the page reading saw is a 6, as `«` is two fillers). */
function zoneLines(lines: string[]): string[] {
  return lines.map((line) => line.replace(/\s+/g, '').replace(/b/g, '6').replace(/«/g, '<<').replace(/‹/g, '<').toUpperCase()).filter((line) => line.length >= 20 && /^[A-Z0-9<]+$/.test(line));
}

/** The zone's last `format.lines` lines (a passport's MRZ sits at the bottom of the page) when each is near the format's length. */
function formatLines(zone: string[], format: Format): string[] | undefined {
  if (zone.length < format.lines) return undefined;
  const candidate = zone.slice(-format.lines);
  return candidate.every((line) => Math.abs(line.length - format.length) <= LENGTH_TOLERANCE) ? candidate : undefined;
}

/** Lines of the format's length cleaned of misread fillers, when they have the format's structure; else undefined. */
function asFormat(fitted: string[], format: Format): string[] | undefined {
  // The name line (TD1's third, TD2's and TD3's first) may hold one-letter names; the others do not.
  const nameLine = format.name === 'TD1' ? 2 : 0;
  const mended = fitted.map((line, i) => (i === nameLine ? namesThenFillers(line) : withoutStrayLetters(line)));
  try {
    const parsed = parse(mended, { autocorrect: true });
    // The zone's structure, not its check digits: a real MRZ has dates where its format puts them
    // (a wrong check digit is for the verifier to find; a zone that only looks like an MRZ is none).
    const isDate = (value: string | null | undefined) => /^\d{6}$/.test(value ?? '');
    if (parsed.format === format.name && isDate(parsed.fields.birthDate) && isDate(parsed.fields.expirationDate)) return mended;
  } catch {
    // Not this format after all.
  }
  return undefined;
}

/**
 * A filler read as a letter (`<` as C, K or E is OCR's commonest MRZ error): a lone letter
 * between fillers, where a line of numbers and codes has no one-letter field, is a filler; so
 * is a pair of those look-alikes inside a run of fillers (`<<<CC<<<`).
 */
function withoutStrayLetters(line: string): string {
  return line.replace(/(?<=<)[A-Z](?=<)/g, '<').replace(/(?<=<<)[CKE]{2}(?=<<)/g, '<<');
}

/**
 * The name line as ICAO 9303 lays it out: surname, `<<`, given names, and from the next `<<` on
 * fillers only. A letter read there is a misread filler.
 */
function namesThenFillers(line: string): string {
  const end = line.indexOf('<<', line.indexOf('<<') + 2);
  return end < 0 ? line : line.slice(0, end) + '<'.repeat(line.length - end);
}

/** The line at exactly `length`, fillers added to or taken from its longest run of `<` (which is never the last character). */
function mendLength(line: string, length: number): string | undefined {
  if (line.length === length) return line;
  const runs = [...line.slice(0, -1).matchAll(/<{2,}/g)];
  const longest = runs.sort((a, b) => b[0].length - a[0].length)[0];
  if (!longest || longest.index === undefined) return undefined;
  const runLength = longest[0].length + (length - line.length);
  if (runLength < 1) return undefined;
  return line.slice(0, longest.index) + '<'.repeat(runLength) + line.slice(longest.index + longest[0].length);
}

/**
 * Of several readings of one zone, the lines whose check digits all hold, taking each line from
 * any reading of the same format; else the first reading; undefined when there is none.
 */
export function bestMrz(readings: string[][]): string[] | undefined {
  for (const first of readings) {
    const same = readings.filter((r) => r.length === first.length && r.every((line, i) => line.length === first[i]!.length));
    const choices = first.map((_, i) => [...new Set(same.map((r) => r[i]!))]);
    let combinations: string[][] = [[]];
    for (const options of choices) combinations = combinations.flatMap((prefix) => options.map((option) => [...prefix, option]));
    const holding = combinations.find(mrzChecksHold);
    if (holding) return holding;
  }
  return readings[0];
}

/** Whether every check digit of the fitted lines holds. */
export function mrzChecksHold(lines: string[]): boolean {
  try {
    return parse(lines, { autocorrect: true }).details.every((detail) => !detail.field?.endsWith('CheckDigit') || detail.valid);
  } catch {
    return false;
  }
}

/** What the printed side of the document says, read apart from the MRZ, to corroborate an MRZ reading with (dates ISO). */
export interface PrintedValues {
  documentNumber?: string;
  dateOfBirth?: string;
  dateOfExpiry?: string;
  surname?: string;
  givenNames?: string;
}

type CheckedField = 'documentNumber' | 'dateOfBirth' | 'dateOfExpiry';

/**
 * The zone with its name line taken from whichever reading says the printed name, when the chosen
 * reading does not: the name line has no check digit to choose by, and OCR reads `O` as `Q` or
 * a card's edge as a letter there. Only lines read are chosen from, so a print altered to another
 * name (its MRZ left as issued) still disagrees in every reading.
 */
export function withPrintedName(zone: string[], readings: string[][], printed: PrintedValues): string[] {
  const nameLine = zone.length === 3 ? 2 : 0;
  if (!namesDiffer(zone, printed)) return zone;
  const agreeing = readings.find((reading) => reading.length === zone.length && reading[nameLine]!.length === zone[nameLine]!.length && saysName(reading[nameLine]!, printed));
  return agreeing ? zone.map((line, i) => (i === nameLine ? agreeing[nameLine]! : line)) : zone;
}

/** Whether the print's name was read and the zone's name line says another. */
export function namesDiffer(zone: string[], printed: PrintedValues): boolean {
  return !!printed.surname && !saysName(zone[zone.length === 3 ? 2 : 0]!, printed);
}

/** Whether an MRZ's name line (TD2 and TD3: after the document code and state) holds the printed name, cut to the line's length. */
function saysName(line: string, printed: PrintedValues): boolean {
  const asMrz = (name: string) => name.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase().replace(/['’]/g, '').replace(/[^A-Z]+/g, '<').replace(/^<|<$/g, '');
  const names = line.length === 30 ? line : line.slice(5);
  const expected = `${asMrz(printed.surname!)}<<${asMrz(printed.givenNames ?? '')}`.padEnd(names.length, '<').slice(0, names.length);
  return names === expected;
}

/**
 * The fields with a check digit on each line of each format, [start, end) as printed, the check
 * digit just after: where a surplus character shifts a value onto its check digit.
 */
const CHECKED: Record<Format['name'], [CheckedField, number, number][][]> = {
  TD1: [[['documentNumber', 5, 14]], [['dateOfBirth', 0, 6], ['dateOfExpiry', 8, 14]], []],
  TD2: [[], [['documentNumber', 0, 9], ['dateOfBirth', 13, 19], ['dateOfExpiry', 21, 27]]],
  TD3: [[], [['documentNumber', 0, 9], ['dateOfBirth', 13, 19], ['dateOfExpiry', 21, 27]]],
};

/** A line fitted to its format's length, and which checked fields a deletion there moved. */
interface LineOption {
  line: string;
  moved: CheckedField[];
}

/**
 * A zone that no reading holds, mended where OCR read one character too many (a speck read as
 * `0`, a stroke doubled): such a character shifts the rest of its field onto the check digit. A
 * line read a character or two long has one character deleted, in turn at each place of its
 * checked fields and their check digits, never a filler.
 *
 * Check digits alone cannot tell a right deletion from a wrong one: one wrong deletion in ten
 * passes the field's check digit, and the composite check digit adds nothing (the deletion
 * leaves the field's check digit as it was, and the composite sums the field with the same
 * weights, so it holds whenever the field's does). So a mend is taken only when it is
 * corroborated: every check digit of the zone holds with it, the print (read apart, by other
 * pixels) says the same of every field the deletion moved, and no other mend holds as well.
 * Else undefined: the reading stays unreadable rather than made up.
 *
 * @param readings the zone's lines as read, one array per reading of it
 */
export function mendMrz(readings: string[][], printed: PrintedValues): string[] | undefined {
  const mends = new Map<string, string[]>();
  for (const reading of readings) {
    const zone = zoneLines(reading);
    for (const format of FORMATS) {
      const candidate = formatLines(zone, format);
      if (!candidate) continue;
      const options = candidate.map((line, i) => lineOptions(line, format.length, CHECKED[format.name][i]!));
      for (const choice of combinations(options)) {
        const moved = choice.flatMap((option) => option.moved);
        if (moved.length === 0) continue;
        const mended = asFormat(choice.map((option) => option.line), format);
        if (!mended || !mrzChecksHold(mended) || !printSays(mended, printed, moved)) continue;
        const checked = CHECKED[format.name].flatMap((fields, i) => fields.map(([, start, end]) => mended[i]!.slice(start, end + 1))).join('|');
        if (!mends.has(checked)) mends.set(checked, mended);
      }
    }
  }
  return mends.size === 1 ? [...mends.values()][0] : undefined;
}

/**
 * A line as read fitted to `length`: as it is (fillers mended), and, when it was read too long,
 * with one character of its checked fields deleted, which moves the fields from there on.
 */
function lineOptions(line: string, length: number, checked: [CheckedField, number, number][]): LineOption[] {
  const options = new Map<string, LineOption>();
  const asRead = mendLength(line, length);
  if (asRead) options.set(asRead, { line: asRead, moved: [] });
  const surplus = line.length - length;
  if (surplus <= 0 || checked.length === 0) return [...options.values()];
  const last = Math.max(...checked.map(([, , end]) => end));
  for (let at = checked[0]![1]; at <= Math.min(line.length - 1, last + surplus); at++) {
    if (line[at] === '<') continue;
    const shorter = mendLength(line.slice(0, at) + line.slice(at + 1), length);
    // The deleted character was in a field or its check digit, or before it: from there on each moved.
    if (shorter && !options.has(shorter)) options.set(shorter, { line: shorter, moved: checked.filter(([, , end]) => at <= end).map(([field]) => field) });
  }
  return [...options.values()];
}

function combinations<T>(options: T[][]): T[][] {
  return options.reduce<T[][]>((prefixes, choices) => prefixes.flatMap((prefix) => choices.map((choice) => [...prefix, choice])), [[]]);
}

/** Whether the print was read for each of `fields` and says what the zone says. */
function printSays(lines: string[], printed: PrintedValues, fields: CheckedField[]): boolean {
  const parsed = parse(lines, { autocorrect: true }).fields;
  const yymmdd = (iso: string | undefined) => iso && iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  const inZone = { documentNumber: parsed.documentNumber, dateOfBirth: parsed.birthDate, dateOfExpiry: parsed.expirationDate };
  const inPrint = { documentNumber: printed.documentNumber, dateOfBirth: yymmdd(printed.dateOfBirth), dateOfExpiry: yymmdd(printed.dateOfExpiry) };
  return fields.every((field) => !!inPrint[field] && inPrint[field] === inZone[field]);
}
