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
  /** A field read with less confidence (0-100) counts as not read. */
  minimumConfidence: number;
}

/** A plain photo has next to no text; an ID has a title, labels and values. */
const DOCUMENT_TEXT_LINES = 3;

/** Runs every check on `analysis`. */
export function checkDocument(analysis: DocumentAnalysis, context: CheckContext): DocumentVerdict {
  const sure = (field: DocumentField | undefined) => (field && field.confidence >= context.minimumConfidence ? field.value : undefined);
  const printed = {
    surname: sure(analysis.fields.surname),
    givenNames: sure(analysis.fields.givenNames),
    dateOfBirth: sure(analysis.fields.dateOfBirth),
    dateOfExpiry: sure(analysis.fields.dateOfExpiry),
    documentNumber: sure(analysis.fields.documentNumber),
  };
  const mrz = analysis.mrz.length ? readMrz(analysis.mrz, context.now) : undefined;
  // The MRZ speaks for the document only where its check digits hold.
  const trusted = mrz?.checkDigitsValid ? mrz : undefined;
  const surname = printed.surname ?? trusted?.surname;
  const givenNames = printed.surname ? (printed.givenNames ?? '') : (trusted?.givenNames ?? '');
  const dateOfBirth = printed.dateOfBirth ?? trusted?.dateOfBirth;
  const dateOfExpiry = printed.dateOfExpiry ?? trusted?.dateOfExpiry;

  const isDocument: CheckOutcome =
    mrz || (surname && [dateOfBirth, dateOfExpiry, printed.documentNumber].filter(Boolean).length >= 2)
      ? 'PASS'
      : analysis.textLines < DOCUMENT_TEXT_LINES && !Object.values(printed).some(Boolean)
        ? 'FAIL'
        : 'UNREADABLE';
  if (isDocument === 'FAIL') return verdict([{ check: 'IS_DOCUMENT', outcome: 'FAIL' }, ...DOCUMENT_CHECKS.slice(1).map((check) => ({ check, outcome: 'NOT_APPLICABLE' as const }))]);

  const today = context.now.toISOString().slice(0, 10);
  return verdict([
    { check: 'IS_DOCUMENT', outcome: isDocument },
    { check: 'NOT_EXPIRED', outcome: !dateOfExpiry ? 'UNREADABLE' : dateOfExpiry < today ? 'FAIL' : 'PASS' },
    { check: 'NAME_MATCHES', outcome: !surname ? 'UNREADABLE' : namesMatch(context.enteredName, { surname, givenNames }) ? 'PASS' : 'FAIL' },
    { check: 'MRZ_CHECK_DIGITS', outcome: analysis.mrz.length === 0 ? 'NOT_APPLICABLE' : !mrz ? 'UNREADABLE' : mrz.checkDigitsValid ? 'PASS' : 'FAIL' },
    { check: 'MRZ_MATCHES_PRINTED', outcome: trusted ? agreement(trusted, printed) : 'NOT_APPLICABLE' },
    { check: 'MINIMUM_AGE', outcome: context.minimumAge <= 0 ? 'NOT_APPLICABLE' : !dateOfBirth ? 'UNREADABLE' : ageOn(dateOfBirth, context.now) >= context.minimumAge ? 'PASS' : 'FAIL' },
  ]);
}

function verdict(checks: DocumentCheck[]): DocumentVerdict {
  const failed = checks.find((c) => c.outcome === 'FAIL');
  if (failed) return { outcome: 'FAIL', failed: failed.check, checks };
  return { outcome: checks.some((c) => c.outcome === 'UNREADABLE') ? 'UNREADABLE' : 'PASS', checks };
}

/**
 * Whether the MRZ and the printed fields say the same wherever both were read. Names are
 * compared as the MRZ writes them (no accents, no punctuation) and may be cut short in the MRZ,
 * whose name field has a fixed length.
 */
function agreement(mrz: MrzReading, printed: { surname?: string; givenNames?: string; dateOfBirth?: string; dateOfExpiry?: string; documentNumber?: string }): CheckOutcome {
  const pairs: [string | undefined, string | undefined, 'name' | 'exact'][] = [
    [mrz.surname, printed.surname, 'name'],
    [mrz.givenNames, printed.givenNames, 'name'],
    [mrz.dateOfBirth, printed.dateOfBirth, 'exact'],
    [mrz.dateOfExpiry, printed.dateOfExpiry, 'exact'],
    [mrz.documentNumber, printed.documentNumber?.replace(/[\s<-]/g, ''), 'exact'],
  ];
  const compared = pairs.filter(([a, b]) => a && b);
  if (compared.length === 0) return 'NOT_APPLICABLE';
  const same = ([a, b, how]: (typeof pairs)[number]) => {
    if (how === 'exact') return a === b;
    const fromMrz = nameTokens(a!).join('');
    const onCard = nameTokens(b!).join('');
    return fromMrz === onCard || (fromMrz.length >= 5 && onCard.startsWith(fromMrz));
  };
  return compared.every(same) ? 'PASS' : 'FAIL';
}

/** Whole years from `dateOfBirth` (ISO) to `now`. */
export function ageOn(dateOfBirth: string, now: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const age = now.getUTCFullYear() - year;
  const hadBirthday = now.getUTCMonth() + 1 > month || (now.getUTCMonth() + 1 === month && now.getUTCDate() >= day);
  return hadBirthday ? age : age - 1;
}
