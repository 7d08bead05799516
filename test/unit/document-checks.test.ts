import { describe, expect, it } from 'vitest';
import { checkDocument, type CheckContext, type DocumentCheckName } from '../../functions/verification/documents/checks.ts';
import type { DocumentAnalysis } from '../../functions/verification/documents/document-reader.ts';
import { readMrz } from '../../functions/verification/documents/mrz.ts';
import { td1 } from '../helpers/id-cards.ts';

const now = new Date('2026-06-01T12:00:00Z');
const holder = { surname: 'Eriksson', givenNames: 'Anna Maria', dateOfBirth: '1974-08-12', dateOfExpiry: '2030-04-15', documentNumber: 'D23145890' };
const context: CheckContext = { enteredName: 'Anna Eriksson', now, minimumAge: 0, minimumConfidence: 80 };
const sure = (value: string) => ({ value, confidence: 95 });
const card = (changes: Partial<DocumentAnalysis['fields']> = {}, mrz = td1(holder)): DocumentAnalysis => ({
  fields: { surname: sure('ERIKSSON'), givenNames: sure('ANNA MARIA'), dateOfBirth: sure('1974-08-12'), dateOfExpiry: sure('2030-04-15'), documentNumber: sure('D23145890'), ...changes },
  mrz,
  textLines: 12,
});
const outcomes = (analysis: DocumentAnalysis, changes: Partial<CheckContext> = {}) =>
  Object.fromEntries(checkDocument(analysis, { ...context, ...changes }).checks.map((c) => [c.check, c.outcome])) as Record<DocumentCheckName, string>;

describe('readMrz', () => {
  it('reads a TD1 zone: fields, ISO dates with their century, check digits', () => {
    const reading = readMrz(td1(holder), now)!;
    expect(reading).toMatchObject({ format: 'TD1', checkDigitsValid: true, surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'D23145890', dateOfBirth: '1974-08-12', dateOfExpiry: '2030-04-15', issuingState: 'UTO' });
  });

  it('names the check digit that does not hold', () => {
    expect(readMrz(td1(holder, { badCheckDigit: true }), now)).toMatchObject({ checkDigitsValid: false, failedCheckDigits: expect.arrayContaining(['birthDateCheckDigit']) });
  });

  it('is undefined for lines of no known format', () => {
    expect(readMrz(['IDXEX48739948<<<<<<<<<<<<<<<<<<<<<<<<', 'OBAMA<<<<<<<<<<<<<<<<<<<<<<<<<<<'], now)).toBeUndefined();
  });
});

describe('checkDocument', () => {
  it('passes a valid, current ID in the name entered', () => {
    const verdict = checkDocument(card(), context);
    expect(verdict.outcome).toBe('PASS');
    expect(outcomes(card())).toEqual({ IS_DOCUMENT: 'PASS', NOT_EXPIRED: 'PASS', NAME_MATCHES: 'PASS', MRZ_CHECK_DIGITS: 'PASS', MRZ_MATCHES_PRINTED: 'PASS', MINIMUM_AGE: 'NOT_APPLICABLE' });
  });

  it('fails a plain photo with no text as no document, and checks nothing else', () => {
    const verdict = checkDocument({ fields: {}, mrz: [], textLines: 0 }, context);
    expect(verdict).toMatchObject({ outcome: 'FAIL', failed: 'IS_DOCUMENT' });
    expect(verdict.checks.filter((c) => c.outcome !== 'NOT_APPLICABLE')).toHaveLength(1);
  });

  it('sends some text without the fields of an ID to review, not away', () => {
    expect(checkDocument({ fields: { dateOfBirth: sure('1990-01-01') }, mrz: [], textLines: 9 }, context).outcome).toBe('UNREADABLE');
  });

  it('fails an expired ID, by the policy clock', () => {
    const expired = card({ dateOfExpiry: sure('2026-05-31') }, td1({ ...holder, dateOfExpiry: '2026-05-31' }));
    expect(checkDocument(expired, context)).toMatchObject({ outcome: 'FAIL', failed: 'NOT_EXPIRED' });
    expect(checkDocument(expired, { ...context, now: new Date('2026-05-31T23:00:00Z') }).outcome).toBe('PASS');
  });

  it("fails another person's name", () => {
    expect(checkDocument(card(), { ...context, enteredName: 'Maria Svensson' })).toMatchObject({ outcome: 'FAIL', failed: 'NAME_MATCHES' });
  });

  it('fails a wrong check digit, and no longer trusts the MRZ for agreement', () => {
    const forged = card({}, td1(holder, { badCheckDigit: true }));
    expect(checkDocument(forged, context)).toMatchObject({ outcome: 'FAIL', failed: 'MRZ_CHECK_DIGITS' });
    expect(outcomes(forged).MRZ_MATCHES_PRINTED).toBe('NOT_APPLICABLE');
  });

  it('takes a check digit read as a letter as a doubtful reading, not a forgery', () => {
    const [line1, line2, line3] = td1(holder);
    const misread = card({}, [line1!, `${line2!.slice(0, 29)}H`, line3!]);
    expect(outcomes(misread)).toMatchObject({ MRZ_CHECK_DIGITS: 'UNREADABLE', MRZ_MATCHES_PRINTED: 'PASS' });
    expect(readMrz(misread.mrz, now)).toMatchObject({ failedCheckDigits: [], unreadableCheckDigits: ['compositeCheckDigit'] });
  });

  it('takes a wrong check digit over a field that differs from the print as a misread: review, not refusal', () => {
    const [line1, line2, line3] = td1(holder);
    // 740812 read as 740817: the birth date's check digit no longer holds, and the print says otherwise.
    const misread = card({}, [line1!, `740817${line2!.slice(6)}`, line3!]);
    expect(readMrz(misread.mrz, now)!.failedCheckDigits).toContain('birthDateCheckDigit');
    expect(outcomes(misread).MRZ_CHECK_DIGITS).toBe('UNREADABLE');
  });

  it('fails an MRZ that says another birth date than the print', () => {
    expect(checkDocument(card({ dateOfBirth: sure('1975-08-12') }), context)).toMatchObject({ outcome: 'FAIL', failed: 'MRZ_MATCHES_PRINTED' });
  });

  it('takes an MRZ name cut short by its fixed length as agreeing', () => {
    const long = { ...holder, givenNames: 'Anna Maria Theresia Konstanze' };
    expect(outcomes(card({ givenNames: sure('ANNA MARIA THERESIA KONSTANZE') }, td1(long))).MRZ_MATCHES_PRINTED).toBe('PASS');
  });

  it('reads a document without an MRZ (a licence) from its print alone', () => {
    expect(outcomes(card({}, []))).toMatchObject({ IS_DOCUMENT: 'PASS', NAME_MATCHES: 'PASS', MRZ_CHECK_DIGITS: 'NOT_APPLICABLE', MRZ_MATCHES_PRINTED: 'NOT_APPLICABLE' });
  });

  it('never fails on a doubtful reading: a misread name with low confidence goes to review', () => {
    const doubtful = card({ surname: { value: 'ERIKSOM', confidence: 55 } }, []);
    expect(checkDocument(doubtful, context)).toMatchObject({ outcome: 'UNREADABLE' });
  });

  it('prefers the MRZ (its check digits holding) to a doubtful print, and can fail on it', () => {
    const misread = card({ surname: { value: 'ERIKSOM', confidence: 55 } });
    expect(outcomes(misread)).toMatchObject({ NAME_MATCHES: 'PASS', MRZ_MATCHES_PRINTED: 'UNREADABLE' });
    expect(outcomes(misread, { enteredName: 'Maria Svensson' }).NAME_MATCHES).toBe('FAIL');
  });

  it('checks a minimum age from the date of birth when the policy asks', () => {
    const young = card({ dateOfBirth: sure('2010-06-02') }, td1({ ...holder, dateOfBirth: '2010-06-02' }));
    expect(checkDocument(young, { ...context, minimumAge: 16 })).toMatchObject({ outcome: 'FAIL', failed: 'MINIMUM_AGE' });
    expect(outcomes(card(), { minimumAge: 18 }).MINIMUM_AGE).toBe('PASS');
    expect(outcomes(card({ dateOfBirth: undefined }, []), { minimumAge: 18 }).MINIMUM_AGE).toBe('UNREADABLE');
  });
});
