/**
 * The machine readable zone of an ID: where it is on the card (lines of the MRZ alphabet with
 * runs of fillers), and its lines fitted to one of ICAO 9303's formats (TD1: 3 x 30, TD2:
 * 2 x 36, TD3: 2 x 44). OCR miscounts long runs of `<`; a line a character or two off is mended
 * in its longest filler run, never in a character that carries data or a check digit.
 */
import { parse } from 'mrz';
import type { Box, OcrLine } from './ocr.ts';

/** Line count and length of each format. */
const FORMATS = [
  { name: 'TD1', lines: 3, length: 30 },
  { name: 'TD2', lines: 2, length: 36 },
  { name: 'TD3', lines: 2, length: 44 },
] as const;
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
  // An MRZ has no lower case: a `b` the page reading saw is a 6 (as `«` is two fillers).
  const zone = lines.map((line) => line.replace(/\s+/g, '').replace(/b/g, '6').replace(/«/g, '<<').replace(/‹/g, '<').toUpperCase()).filter((line) => line.length >= 20 && /^[A-Z0-9<]+$/.test(line));
  for (const format of FORMATS) {
    if (zone.length < format.lines) continue;
    // The zone is the format's last `lines` lines (a passport's MRZ sits at the bottom of the page).
    const candidate = zone.slice(-format.lines);
    if (!candidate.every((line) => Math.abs(line.length - format.length) <= LENGTH_TOLERANCE)) continue;
    const fitted = candidate.map((line) => mendLength(line, format.length));
    if (fitted.some((line) => line === undefined)) continue;
    // The name line (TD1's third, TD2's and TD3's first) may hold one-letter names; the others do not.
    const nameLine = format.name === 'TD1' ? 2 : 0;
    const mended = (fitted as string[]).map((line, i) => (i === nameLine ? namesThenFillers(line) : withoutStrayLetters(line)));
    try {
      const parsed = parse(mended as string[], { autocorrect: true });
      // The zone's structure, not its check digits: a real MRZ has dates where its format puts them
      // (a wrong check digit is for the verifier to find; a zone that only looks like an MRZ is none).
      const isDate = (value: string | null | undefined) => /^\d{6}$/.test(value ?? '');
      if (parsed.format === format.name && isDate(parsed.fields.birthDate) && isDate(parsed.fields.expirationDate)) return mended as string[];
    } catch {
      // Not this format after all.
    }
  }
  return undefined;
}

/**
 * A filler read as a letter (`<` as C, K or E is OCR's commonest MRZ error): a lone letter
 * between fillers, where a line of numbers and codes has no one-letter field, is a filler.
 */
function withoutStrayLetters(line: string): string {
  return line.replace(/(?<=<)[A-Z](?=<)/g, '<');
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
