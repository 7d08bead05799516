/**
 * The machine readable zone as the verify function reads it, from whichever backend read the
 * lines: its format (ICAO 9303 TD1, TD2, TD3), its fields, and whether its check digits hold.
 * Parsing is the `mrz` library's; characters OCR confuses (O and 0 in a date) are corrected by
 * the field's type only, never so as to make a check digit pass.
 */
import { parse } from 'mrz';

/** What the MRZ says, dates as `YYYY-MM-DD`. */
export interface MrzReading {
  format: 'TD1' | 'TD2' | 'TD3';
  /** Every check digit (document number, birth, expiry, composite, ...) matches its field. */
  checkDigitsValid: boolean;
  /** The check digits, read as digits, that do not match, by the library's field name (`birthDateCheckDigit`). */
  failedCheckDigits: string[];
  /**
   * Check digits read as something no check digit can be (a letter, or a filler where OCR dropped the digit): the reading, not the
   * document, is in doubt there.
   */
  unreadableCheckDigits: string[];
  /** Whether each field's own check digit holds (the names have none). */
  verified: { documentNumber: boolean; dateOfBirth: boolean; dateOfExpiry: boolean };
  documentCode?: string;
  issuingState?: string;
  surname?: string;
  givenNames?: string;
  documentNumber?: string;
  dateOfBirth?: string;
  dateOfExpiry?: string;
}

/** Reads `lines`; undefined when they are no MRZ of a format the library knows. */
export function readMrz(lines: string[], now: Date): MrzReading | undefined {
  if (lines.length < 2) return undefined;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(lines, { autocorrect: true });
  } catch {
    return undefined;
  }
  if (parsed.format !== 'TD1' && parsed.format !== 'TD2' && parsed.format !== 'TD3') return undefined;
  const raw = (field: string) => parsed.details.find((d) => d.field === field);
  const text = (field: string) => {
    const detail = raw(field);
    const value = detail ? lines[detail.line]?.slice(detail.start, detail.end) : undefined;
    return value?.replace(/</g, ' ').replace(/\s+/g, ' ').trim() || undefined;
  };
  const wrong = parsed.details.filter((d) => d.field?.endsWith('CheckDigit') && !d.valid);
  const asRead = (d: (typeof wrong)[number]) => lines[d.line]?.slice(d.start, d.end) ?? '';
  const failedCheckDigits = wrong.filter((d) => /^[0-9]$/.test(asRead(d))).map((d) => d.field!);
  const unreadableCheckDigits = wrong.filter((d) => !/^[0-9]$/.test(asRead(d))).map((d) => d.field!);
  return {
    format: parsed.format,
    checkDigitsValid: wrong.length === 0,
    failedCheckDigits,
    unreadableCheckDigits,
    verified: {
      documentNumber: !wrong.some((d) => d.field === 'documentNumberCheckDigit'),
      dateOfBirth: !wrong.some((d) => d.field === 'birthDateCheckDigit'),
      dateOfExpiry: !wrong.some((d) => d.field === 'expirationDateCheckDigit'),
    },
    documentCode: text('documentCode'),
    issuingState: text('issuingState'),
    surname: text('lastName'),
    givenNames: text('firstName'),
    documentNumber: parsed.documentNumber ?? text('documentNumber')?.replace(/ /g, ''),
    dateOfBirth: mrzDate(parsed.fields.birthDate, now, 'past'),
    dateOfExpiry: mrzDate(parsed.fields.expirationDate, now, 'future'),
  };
}

/**
 * `YYMMDD` as an ISO date. A birth date is in the past (a year after this one's is last
 * century); an expiry is within fifty years either side of now.
 */
function mrzDate(value: string | null | undefined, now: Date, side: 'past' | 'future'): string | undefined {
  if (!value || !/^\d{6}$/.test(value)) return undefined;
  const yy = Number(value.slice(0, 2));
  const thisYear = now.getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + yy;
  if (side === 'past' && year > thisYear) year -= 100;
  if (side === 'future' && year > thisYear + 50) year -= 100;
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}
