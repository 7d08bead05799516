/**
 * What was read from the ID, beside the images: each field with the reader's confidence, the
 * MRZ lines, and the document checks that did not pass (failed, or could not be made). These
 * fields are personal data: the API answers them in the review queue only.
 */
import type { ReviewFieldsFragment } from '../../generated/graphql.ts';

type Reading = NonNullable<ReviewFieldsFragment['document']>;
type Check = Reading['checks'][number];

const FIELDS: [keyof Reading, string][] = [
  ['surname', 'Surname'],
  ['givenNames', 'Given names'],
  ['dateOfBirth', 'Date of birth'],
  ['dateOfExpiry', 'Date of expiry'],
  ['documentNumber', 'Document number'],
  ['documentType', 'Document type'],
  ['issuingCountry', 'Issued by'],
];

/** What each check means, for the reviewer. */
export const CHECK_NAMES: Record<Check['check'], string> = {
  IS_DOCUMENT: 'Shows an ID document',
  NOT_EXPIRED: 'Not expired',
  NAME_MATCHES: 'Name matches the name entered',
  MRZ_CHECK_DIGITS: 'Machine-readable zone: check digits',
  MRZ_MATCHES_PRINTED: 'Machine-readable zone agrees with the print',
  MINIMUM_AGE: 'Old enough',
};

/** The checks a reviewer must look at: those that failed or could not be made. */
export function checksToLookAt(reading: Reading | null): Check[] {
  return (reading?.checks ?? []).filter((c) => c.outcome === 'FAIL' || c.outcome === 'UNREADABLE');
}

export function DocumentReading({ reading }: { reading: Reading | null }) {
  if (!reading) return <p className="admin-muted">Nothing was read from the ID (document checks are off, or it was not read).</p>;
  const problems = checksToLookAt(reading);
  return (
    <>
      {problems.length > 0 && (
        <ul className="admin-document-checks" aria-label="Document checks to look at">
          {problems.map((c) => (
            <li key={c.check} className={c.outcome === 'FAIL' ? 'admin-check-failed' : 'admin-check-unread'}>
              {CHECK_NAMES[c.check]}: {c.outcome === 'FAIL' ? 'failed' : 'could not be checked'}
            </li>
          ))}
        </ul>
      )}
      <dl className="admin-facts" aria-label="Read from the ID">
        {FIELDS.map(([key, label]) => {
          const field = reading[key] as { value: string; confidence: number } | null;
          return (
            <div key={key}>
              <dt>{label}</dt>
              <dd>{field ? `${field.value} (${Math.round(field.confidence)} % sure)` : 'not read'}</dd>
            </div>
          );
        })}
      </dl>
      {reading.mrz.length > 0 && <pre className="admin-mrz" aria-label="Machine-readable zone as read">{reading.mrz.join('\n')}</pre>}
    </>
  );
}
