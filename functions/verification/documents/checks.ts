/**
 * What the verify function concludes from a document reading, as plain functions: each check of
 * the policy with its outcome, and the verdict they add up to. A check that fails is a clear
 * mismatch the person can act on; a check that cannot be made (a field not read, or read with too
 * little confidence) is UNREADABLE, which sends a person whose face matches to a reviewer rather
 * than away. Outcomes are audited; the values read never are.
 */
import type { DocumentAnalysis, DocumentField } from './document-reader.ts';
import { readMrz, type MrzReading } from './mrz.ts';
import { namesMatch, nameTokens } from './names.ts';

/** The checks, in the order their failures are told to the person. */
export const DOCUMENT_CHECKS = ['IS_DOCUMENT', 'NOT_EXPIRED', 'NAME_MATCHES', 'MRZ_CHECK_DIGITS', 'MRZ_MATCHES_PRINTED', 'MINIMUM_AGE'] as const;
export type DocumentCheckName = (typeof DOCUMENT_CHECKS)[number];
export type CheckOutcome = 'PASS' | 'FAIL' | 'UNREADABLE' | 'NOT_APPLICABLE';

/** One check and how it came out. */
export interface DocumentCheck {
  check: DocumentCheckName;
  outcome: CheckOutcome;
}

/** What the checks add up to: PASS, a FAIL with the first failed check, or UNREADABLE. */
export interface DocumentVerdict {
  outcome: 'PASS' | 'FAIL' | 'UNREADABLE';
  /** The check a FAIL is about (the first in DOCUMENT_CHECKS order). */
  failed?: DocumentCheckName;
  checks: DocumentCheck[];
}

/** What the checks need besides the reading. */
export interface CheckContext {
  /** The name the person entered when they started. */
  enteredName: string;
  /** The policy's clock. */
  now: Date;
  /** 0: no age check. */
  minimumAge: number;
  /** A field read with less confidence (0-100) is doubtful: it can pass a check, never fail one. */
  minimumConfidence: number;
}

/** A plain photo has next to no text; an ID has a title, labels and values. */
const DOCUMENT_TEXT_LINES = 3;

/** A value the checks use, and whether it is certain enough to fail a check on. */
interface Reading {
  value: string;
  certain: boolean;
}

/**
 * The value of each field as the checks use it: the printed one read with confidence, else the
 * MRZ's (whose check digits held), else the printed one read with less confidence, which can
 * pass a check but never fail one: a doubtful reading goes to a reviewer, not back to the person.
 */
export function documentValues(analysis: DocumentAnalysis, mrz: MrzReading | undefined, minimumConfidence: number) {
  // The MRZ speaks where no check digit read as a digit is wrong; a date or number only where its own check digit holds.
  const usable = mrz && mrz.failedCheckDigits.length === 0 ? mrz : undefined;
  const pick = (field: DocumentField | undefined, fromMrz: string | undefined, verified = true): Reading | undefined => {
    if (field && field.confidence >= minimumConfidence) return { value: field.value, certain: true };
    if (fromMrz && verified) return { value: fromMrz, certain: true };
    return field ? { value: field.value, certain: false } : undefined;
  };
  const { fields } = analysis;
  const surnameFromPrint = !!fields.surname && fields.surname.confidence >= minimumConfidence;
  const surname = pick(fields.surname, usable?.surname);
  // Given names come from where the surname came from: a name is read as a whole.
  const givenNames = surnameFromPrint || !usable?.surname ? fields.givenNames?.value : usable.givenNames;
  return {
    surname,
    givenNames: givenNames ?? '',
    nameCertain: !!surname?.certain && (surnameFromPrint ? (fields.givenNames?.confidence ?? 100) >= minimumConfidence : true),
    dateOfBirth: pick(fields.dateOfBirth, usable?.dateOfBirth, usable?.verified.dateOfBirth),
    dateOfExpiry: pick(fields.dateOfExpiry, usable?.dateOfExpiry, usable?.verified.dateOfExpiry),
    documentNumber: pick(fields.documentNumber, usable?.documentNumber, usable?.verified.documentNumber),
  };
}

/** Runs every check on `analysis`. */
export function checkDocument(analysis: DocumentAnalysis, context: CheckContext): DocumentVerdict {
  const mrz = analysis.mrz.length ? readMrz(analysis.mrz, context.now) : undefined;
  const values = documentValues(analysis, mrz, context.minimumConfidence);
  const { surname, dateOfBirth, dateOfExpiry, documentNumber } = values;
  /** FAIL when `failed`, but only on a certain reading; PASS otherwise. */
  const judged = (reading: Reading | undefined, failed: (value: string) => boolean): CheckOutcome =>
    !reading ? 'UNREADABLE' : !failed(reading.value) ? 'PASS' : reading.certain ? 'FAIL' : 'UNREADABLE';

  // The document type is always answered (OTHER when nothing says otherwise): it is no sign of a document.
  const anyField = [analysis.fields.surname, analysis.fields.givenNames, analysis.fields.dateOfBirth, analysis.fields.dateOfExpiry, analysis.fields.documentNumber].some(Boolean);
  const isDocument: CheckOutcome =
    mrz || (surname && [dateOfBirth, dateOfExpiry, documentNumber].filter(Boolean).length >= 2)
      ? 'PASS'
      : analysis.textLines < DOCUMENT_TEXT_LINES && !anyField
        ? 'FAIL'
        : 'UNREADABLE';
  if (isDocument === 'FAIL') return verdict([{ check: 'IS_DOCUMENT', outcome: 'FAIL' }, ...DOCUMENT_CHECKS.slice(1).map((check) => ({ check, outcome: 'NOT_APPLICABLE' as const }))]);

  const today = context.now.toISOString().slice(0, 10);
  const name = surname && { value: surname.value, certain: values.nameCertain };
  return verdict([
    { check: 'IS_DOCUMENT', outcome: isDocument },
    { check: 'NOT_EXPIRED', outcome: judged(dateOfExpiry, (expiry) => expiry < today) },
    { check: 'NAME_MATCHES', outcome: judged(name, (value) => !namesMatch(context.enteredName, { surname: value, givenNames: values.givenNames })) },
    { check: 'MRZ_CHECK_DIGITS', outcome: analysis.mrz.length === 0 ? 'NOT_APPLICABLE' : !mrz ? 'UNREADABLE' : checkDigits(mrz, values) },
    { check: 'MRZ_MATCHES_PRINTED', outcome: mrz && mrz.failedCheckDigits.length === 0 ? agreement(mrz, analysis, context.minimumConfidence) : 'NOT_APPLICABLE' },
    { check: 'MINIMUM_AGE', outcome: context.minimumAge <= 0 ? 'NOT_APPLICABLE' : judged(dateOfBirth, (birth) => ageOn(birth, context.now) < context.minimumAge) },
  ]);
}

/** The fields each check digit covers. */
const COVERS: Record<string, ('documentNumber' | 'dateOfBirth' | 'dateOfExpiry')[]> = {
  documentNumberCheckDigit: ['documentNumber'],
  birthDateCheckDigit: ['dateOfBirth'],
  expirationDateCheckDigit: ['dateOfExpiry'],
  compositeCheckDigit: ['documentNumber', 'dateOfBirth', 'dateOfExpiry'],
};

/**
 * PASS when every check digit holds. A wrong check digit whose field says what the print
 * says (with confidence) is a wrong check digit: FAIL. One whose field says something else than
 * the print was most likely misread there, in the field or the digit: a reviewer decides.
 */
function checkDigits(mrz: MrzReading, values: ReturnType<typeof documentValues>): CheckOutcome {
  if (mrz.checkDigitsValid) return 'PASS';
  const printed = (field: 'documentNumber' | 'dateOfBirth' | 'dateOfExpiry') => (values[field]?.certain ? values[field].value : undefined);
  const misread = (checkDigit: string) => (COVERS[checkDigit] ?? []).some((field) => printed(field) !== undefined && mrz[field] !== printed(field));
  const wrong = mrz.failedCheckDigits.filter((checkDigit) => !misread(checkDigit));
  return wrong.length ? 'FAIL' : 'UNREADABLE';
}

function verdict(checks: DocumentCheck[]): DocumentVerdict {
  const failed = checks.find((c) => c.outcome === 'FAIL');
  if (failed) return { outcome: 'FAIL', failed: failed.check, checks };
  return { outcome: checks.some((c) => c.outcome === 'UNREADABLE') ? 'UNREADABLE' : 'PASS', checks };
}

/**
 * Whether the MRZ and the printed fields say the same wherever both were read. Names are
 * compared as the MRZ writes them (no accents, no punctuation) and may be cut short in the MRZ,
 * whose name field has a fixed length. A disagreement with a doubtful printed reading is
 * UNREADABLE, not FAIL.
 */
function agreement(mrz: MrzReading, analysis: DocumentAnalysis, minimumConfidence: number): CheckOutcome {
  const { fields } = analysis;
  const pairs: [string | undefined, DocumentField | undefined, 'name' | 'exact'][] = [
    [mrz.surname, fields.surname, 'name'],
    [mrz.givenNames, fields.givenNames, 'name'],
    [mrz.verified.dateOfBirth ? mrz.dateOfBirth : undefined, fields.dateOfBirth, 'exact'],
    [mrz.verified.dateOfExpiry ? mrz.dateOfExpiry : undefined, fields.dateOfExpiry, 'exact'],
    [mrz.verified.documentNumber ? mrz.documentNumber : undefined, fields.documentNumber && { ...fields.documentNumber, value: fields.documentNumber.value.replace(/[\s<-]/g, '') }, 'exact'],
  ];
  const compared = pairs.filter(([a, b]) => a && b);
  if (compared.length === 0) return 'NOT_APPLICABLE';
  const same = ([a, b, how]: (typeof pairs)[number]) => {
    if (how === 'exact') return a === b!.value;
    const fromMrz = nameTokens(a!).join('');
    const onCard = nameTokens(b!.value).join('');
    return fromMrz === onCard || (fromMrz.length >= 5 && onCard.startsWith(fromMrz));
  };
  const differing = compared.filter((pair) => !same(pair));
  if (differing.length === 0) return 'PASS';
  return differing.some(([, printed]) => printed!.confidence >= minimumConfidence) ? 'FAIL' : 'UNREADABLE';
}

/** Whole years from `dateOfBirth` (ISO) to `now`. */
export function ageOn(dateOfBirth: string, now: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const age = now.getUTCFullYear() - year;
  const hadBirthday = now.getUTCMonth() + 1 > month || (now.getUTCMonth() + 1 === month && now.getUTCDate() >= day);
  return hadBirthday ? age : age - 1;
}
