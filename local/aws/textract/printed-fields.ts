/**
 * The printed (visual) zone of an ID read as fields: each value is the text under its label
 * ("Surname", "Date of birth", "Document no.", ...), as on ID cards, passports and driving
 * licences, in English and the other languages such documents commonly label in. Only the
 * words under (or right after) the label count: a photo beside the text reads as noise on the
 * same line.
 */
import type { Box, OcrLine, OcrWord } from './ocr.ts';

/** A value read, with the mean confidence of its words (0-100). */
export interface ReadValue {
  text: string;
  confidence: number;
}

/** The printed fields found; dates are ISO (`YYYY-MM-DD`) with the text as printed beside them. */
export interface PrintedFields {
  surname?: ReadValue;
  givenNames?: ReadValue;
  dateOfBirth?: ReadValue & { iso: string };
  dateOfExpiry?: ReadValue & { iso: string };
  documentNumber?: ReadValue;
  documentType?: 'PASSPORT' | 'DRIVER LICENSE FRONT' | 'OTHER';
}

const LABELS = {
  names: /\b(surname|last name|family name|nom)\b.*\b(given|first|fore)\s*names?\b/i,
  surname: /\b(surname|last name|family name|nom|apellidos?|nachname|name)\b/i,
  givenNames: /\b(given names?|first names?|forenames?|pr[ée]noms?|nombres?|vornamen?)\b/i,
  dateOfBirth: /\b(date of birth|birth date|born|DOB|date de naissance|geburtsdatum)\b/i,
  dateOfExpiry: /\b(date of expiry|expiry|expires|expiration|valid until|exp|date d'expiration|g[üu]ltig bis)\b/i,
  documentNumber: /\b(document|card|passport|licen[cs]e|ID)\s*(no|nr|number|#)\b|\bdocument number\b/i,
};

/** The labels whose values the reader looks for. */
export type FieldLabel = keyof typeof LABELS;

/**
 * Labels found with nothing read under them, and where their value should be: the page reading
 * drops a lone short word ("RAJ") now and then, which a reading of that one line finds.
 */
export function unreadValues(linesAsRead: OcrLine[]): { label: FieldLabel; region: Box }[] {
  const lines = linesAsRead.map(withLabelWordsMended);
  const found = (Object.keys(LABELS) as FieldLabel[]).map((label) => ({ label, under: valueUnder(lines, LABELS[label], label === 'surname' ? LABELS.givenNames : undefined) }));
  const combined = found.find((f) => f.label === 'names')?.under;
  return found.flatMap(({ label, under }) => {
    // One "Surname / Given names" label stands for both names.
    if (combined && (label === 'surname' || label === 'givenNames')) return [];
    return under && 'gap' in under ? [{ label, region: under.gap }] : [];
  });
}

/**
 * Reads the fields from the lines of one upright card (or page); `filled` has the lines read
 * where {@link unreadValues} said a value was missing.
 */
export function printedFields(linesAsRead: OcrLine[], filled: Partial<Record<FieldLabel, OcrLine[]>> = {}): PrintedFields {
  const lines = linesAsRead.map(withLabelWordsMended);
  const fields: PrintedFields = { documentType: documentTypeOf(lines) };
  const valueOf = (label: FieldLabel, unless?: RegExp): ReadValue | undefined => {
    const under = valueUnder(lines, LABELS[label], unless);
    if (under && 'text' in under) return under;
    const line = filled[label]?.find((l) => l.words.length > 0);
    return under && line ? readValue(line.words) : undefined;
  };
  const combined = valueOf('names');
  if (combined) {
    const [surname, given] = splitCombinedName(combined.text);
    fields.surname = { text: surname, confidence: combined.confidence };
    if (given) fields.givenNames = { text: given, confidence: combined.confidence };
  } else {
    const surname = valueOf('surname', LABELS.givenNames);
    const given = valueOf('givenNames');
    if (surname) fields.surname = { ...surname, text: cleanName(surname.text) };
    if (given) fields.givenNames = { ...given, text: cleanName(given.text) };
  }
  for (const key of ['dateOfBirth', 'dateOfExpiry'] as const) {
    const value = valueOf(key);
    const iso = value && isoDate(value.text);
    if (value && iso) fields[key] = { ...value, iso };
  }
  const number = valueOf('documentNumber');
  const compact = number?.text.replace(/[\s-]/g, '').toUpperCase();
  if (number && compact && /^[A-Z0-9]{5,20}$/.test(compact)) fields.documentNumber = { ...number, text: compact };
  return { ...unlabelled(lines), ...fields };
}

/** The longer words of the labels, which OCR reads with a letter lost or changed in small print ("srname", "Sumame"). */
const LABEL_WORDS = ['surname', 'given', 'names', 'forenames', 'birth', 'expiry', 'expires', 'expiration', 'document', 'number', 'family'];

/**
 * The line with each word that is a label word misread by a letter or two (one for words of
 * up to six letters) spelled right. Only words in lower case: labels are printed in sentence
 * case, the values (names, codes) in capitals, and a value is never re-spelled.
 */
function withLabelWordsMended(line: OcrLine): OcrLine {
  const mend = (word: OcrWord): OcrWord => {
    const letters = word.text.match(/^(\p{P}*)(\p{L}{4,})(\p{P}*)$/u);
    if (!letters || !/\p{Ll}/u.test(letters[2]!)) return word;
    const lower = letters[2]!.toLowerCase();
    if (LABEL_WORDS.includes(lower)) return word;
    // The nearest label word, when near enough ("expirey" is "expiry", not "expires").
    const [nearest] = LABEL_WORDS.map((label) => ({ label, edits: editDistance(lower, label) }))
      .filter(({ label, edits }) => edits <= (label.length <= 6 ? 1 : 2))
      .sort((a, b) => a.edits - b.edits);
    return nearest ? { ...word, text: letters[1] + nearest.label + letters[3] } : word;
  };
  const words = line.words.map(mend);
  return words.every((word, i) => word === line.words[i]) ? line : { ...line, text: words.map((w) => w.text).join(' '), words };
}

/** Levenshtein distance: the fewest letters inserted, deleted or changed to turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** Words of a document's title, never a name. */
const TITLE = /\b(REPUBLIC|KINGDOM|STATE|IDENTITY|CARD|PASSPORT|LICEN[CS]E|DRIVING|PERMIT)\b/;

/** A field whose value was found without its label is trusted this much at most. */
const UNLABELLED_CONFIDENCE = 70;

/**
 * What the values say without their labels, for a card photographed from afar, whose small
 * labels did not read: of the dates, the earliest is the birth and the latest the expiry; a
 * line that is one code of letters and digits is the document number; the lines of capitals
 * above the first date are the name, surname first (as ICAO documents print it).
 */
function unlabelled(lines: OcrLine[]): Omit<PrintedFields, 'documentType'> {
  const cap = (line: OcrLine): ReadValue => ({ text: line.text, confidence: Math.min(line.confidence, UNLABELLED_CONFIDENCE) });
  const fields: Omit<PrintedFields, 'documentType'> = {};
  const dated = lines.map((line) => ({ line, iso: isoDate(line.text) })).filter((d): d is { line: OcrLine; iso: string } => d.iso !== undefined);
  if (dated.length >= 2) {
    const sorted = [...dated].sort((a, b) => a.iso.localeCompare(b.iso));
    fields.dateOfBirth = { ...cap(sorted[0]!.line), iso: sorted[0]!.iso };
    fields.dateOfExpiry = { ...cap(sorted.at(-1)!.line), iso: sorted.at(-1)!.iso };
  }
  const code = lines.find((line) => /^[A-Z0-9]{6,12}$/.test(line.text) && (line.text.match(/\d/g) ?? []).length >= 5 && !isoDate(line.text));
  if (code) fields.documentNumber = cap(code);
  const firstDate = dated[0]?.line.box.y0 ?? Infinity;
  const names = lines.filter(
    (line) =>
      line.box.y1 <= firstDate &&
      line.confidence >= 60 &&
      /^[\p{Lu}][\p{Lu}\-' ]{1,40}$/u.test(line.text) &&
      !TITLE.test(line.text) &&
      !Object.values(LABELS).some((label) => label.test(line.text)),
  );
  if (names.length === 1) {
    const [surname, given] = splitCombinedName(names[0]!.text);
    fields.surname = { text: surname, confidence: cap(names[0]!).confidence };
    if (given) fields.givenNames = { text: given, confidence: cap(names[0]!).confidence };
  } else if (names.length === 2) {
    fields.surname = { ...cap(names[0]!), text: cleanName(names[0]!.text) };
    fields.givenNames = { ...cap(names[1]!), text: cleanName(names[1]!.text) };
  }
  return fields;
}

/** What kind of document the title says it is, in Textract's ID_TYPE words. */
function documentTypeOf(lines: OcrLine[]): PrintedFields['documentType'] {
  const all = lines.map((l) => l.text).join(' ');
  if (/\bPASS[PF]ORT\b/i.test(all)) return 'PASSPORT';
  if (/\bDRIV(ING|ER'?S?)\s*LICEN[CS]E\b|\bPERMIS DE CONDUIRE\b|\bF[ÜU]HRERSCHEIN\b/i.test(all)) return 'DRIVER LICENSE FRONT';
  return 'OTHER';
}

/**
 * The value of the field labelled by `label`: the rest of the label's line after a colon, or
 * else the words of the next line down that start under the label. `unless` excludes label lines
 * that also match another label (a "Name" pattern must not take the "Given names" line).
 */
function valueUnder(lines: OcrLine[], label: RegExp, unless?: RegExp): ReadValue | { gap: Box } | undefined {
  let gap: { gap: Box } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!label.test(line.text) || (unless?.test(line.text) && !LABELS.names.test(line.text))) continue;
    const offsets = wordOffsets(line);
    const match = label.exec(line.text)!;
    // The label's own letters set its place and size (a slash or a stray mark can be much taller).
    const labelWords = line.words.filter((w, k) => offsets[k]! + w.text.length > match.index && offsets[k]! < match.index + match[0].length && /\p{L}/u.test(w.text));
    if (!labelWords.length) continue;
    const colon = line.text.indexOf(':', match.index + match[0].length - 1);
    const afterColon = colon < 0 ? [] : line.words.filter((_, k) => offsets[k]! > colon);
    if (afterColon.length) return readValue(afterColon);
    const left = Math.min(...labelWords.map((w) => w.box.x0));
    const labelHeight = Math.max(...labelWords.map((w) => w.box.y1 - w.box.y0));
    const bottom = Math.max(...labelWords.map((w) => w.box.y1));
    // The next line whose middle is below the label, within three label heights.
    const next = lines.slice(i + 1).find((candidate) => {
      const middle = (candidate.box.y0 + candidate.box.y1) / 2;
      return middle > bottom && middle <= bottom + labelHeight * 3.5 && candidate.words.some((w) => w.box.x1 > left);
    });
    // Under the label: from a little left of its start (bold values sit flush with it) onwards.
    const words = next?.words.filter((w) => w.box.x0 >= left - labelHeight * 1.5) ?? [];
    if (words.length && !Object.values(LABELS).some((other) => other.test(words.map((w) => w.text).join(' ')))) return readValue(words);
    gap ??= { gap: { x0: Math.max(0, Math.round(left - labelHeight)), y0: Math.round(bottom), x1: Math.round(left + labelHeight * 30), y1: Math.round(bottom + labelHeight * 3.5) } };
  }
  return gap;
}

/** Where each word of the line starts in the line's text. */
function wordOffsets(line: OcrLine): number[] {
  let cursor = 0;
  return line.words.map((w) => {
    const at = line.text.indexOf(w.text, cursor);
    cursor = at < 0 ? cursor : at + w.text.length;
    return at < 0 ? cursor : at;
  });
}

function readValue(words: OcrWord[]): ReadValue {
  return { text: words.map((w) => w.text).join(' ').trim(), confidence: words.reduce((sum, w) => sum + w.confidence, 0) / words.length };
}

/** "SMITH, JOHN PAUL" or "SMITH JOHN" under "Surname / Given names": surname first. */
function splitCombinedName(text: string): [string, string] {
  const clean = cleanName(text);
  const comma = text.indexOf(',');
  if (comma >= 0) return [cleanName(text.slice(0, comma)), cleanName(text.slice(comma + 1))];
  const [surname = '', ...given] = clean.split(' ');
  return [surname, given.join(' ')];
}

/** Upper case letters (accents kept), hyphens, apostrophes and single spaces; OCR's stray marks dropped. */
function cleanName(text: string): string {
  return text
    .toUpperCase()
    .replace(/[^\p{L}\-' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `DD.MM.YYYY`, `DD/MM/YYYY`, `DD-MM-YYYY`, `YYYY-MM-DD` or `DD MMM YYYY` as an ISO date; undefined when not a real date. */
export function isoDate(text: string): string | undefined {
  const t = text.toUpperCase().replace(/[OQ]/g, (c, i, s) => (/\d/.test(s[i - 1] ?? '') || /\d/.test(s[i + 1] ?? '') ? '0' : c));
  let day: number, month: number, year: number;
  let m = /(\d{4})[-./](\d{2})[-./](\d{2})/.exec(t);
  if (m) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /(\d{1,2})\s*[-./ ]\s*(\d{1,2})\s*[-./ ]\s*(\d{4})/.exec(t))) [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /(\d{1,2})\s*([A-Z]{3})[A-Z]*\s*[/ ]?\s*(\d{4})/.exec(t)) && MONTHS.includes(m[2]!)) [day, month, year] = [Number(m[1]), MONTHS.indexOf(m[2]!) + 1, Number(m[3])];
  else return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}
