import { describe, expect, it } from 'vitest';
import { fitMrz, mendMrz, mrzChecksHold, withPrintedName } from '../../local/aws/textract/mrz-zone.ts';
import { checkDigit, td1 } from '../helpers/id-cards.ts';

// The offline reader's last resort for a zone OCR read with a character too many (issue 18):
// a mend is taken only when the print corroborates it, never because check digits hold.
const holder = { surname: 'Lindqvist', givenNames: 'Maja Elin', dateOfBirth: '1988-11-23', dateOfExpiry: '2031-03-14', documentNumber: 'K47120953', sex: 'F' as const };
const card = td1(holder);
const print = { documentNumber: 'K47120953', dateOfBirth: '1988-11-23', dateOfExpiry: '2031-03-14' };
/** `line` with `extra` read in before position `at`. */
const inserted = (line: string, at: number, extra: string) => line.slice(0, at) + extra + line.slice(at);
/** Whether the reading, fitted to its format without mending, holds (a stray character in a date can leave no format fitting at all). */
const holdsUnmended = (reading: string[]) => {
  const fitted = fitMrz(reading);
  return fitted !== undefined && mrzChecksHold(fitted);
};

/** A passport's two lines (TD3), check digits computed. */
function td3(number: string, birth: string, expiry: string): string[] {
  const personal = '<'.repeat(14);
  const head = `${number}${checkDigit(number)}UTO${birth}${checkDigit(birth)}F${expiry}${checkDigit(expiry)}${personal}${checkDigit(personal)}`;
  const composite = checkDigit(head.slice(0, 10) + head.slice(13, 20) + head.slice(21, 43));
  return ['P<UTOLINDQVIST<<MAJA<ELIN'.padEnd(44, '<'), head + composite];
}

describe('mending an MRZ read with a character too many', () => {
  it('takes out a stray character in the document number when the printed number says the same', () => {
    // As Tesseract read a card turned 30 degrees on a desk: a `0` between the issuing state and the number.
    const reading = [inserted(card[0]!, 5, '0'), card[1]!, card[2]!];
    expect(holdsUnmended(reading)).toBe(false);
    expect(mendMrz([reading], print)).toEqual(card);
  });

  it("takes out a stray character in a passport's birth date when the printed date says the same", () => {
    const passport = td3('L898902C3', '740812', '301215');
    const reading = [passport[0]!, inserted(passport[1]!, 15, '1')];
    expect(holdsUnmended(reading)).toBe(false);
    expect(mendMrz([reading], { documentNumber: 'L898902C3', dateOfBirth: '1974-08-12', dateOfExpiry: '2030-12-15' })).toEqual(passport);
  });

  it('takes the one reading of several that mends, the other readings too far gone', () => {
    const twoStray = [inserted(inserted(card[0]!, 5, '0'), 7, 'A'), card[1]!, card[2]!];
    const oneStray = [inserted(card[0]!, 5, '0'), card[1]!, card[2]!];
    expect(mendMrz([twoStray, oneStray], print)).toEqual(card);
  });

  it('makes up no number when the print was not read, although a deletion makes every check digit hold', () => {
    const reading = [inserted(card[0]!, 5, '0'), card[1]!, card[2]!];
    // What deleting until the check digits hold would take: it happens to be right here, but nothing tells it from a wrong deletion.
    expect(mrzChecksHold([card[0]!, card[1]!, card[2]!])).toBe(true);
    expect(mendMrz([reading], {})).toBeUndefined();
    expect(mendMrz([reading], { dateOfBirth: print.dateOfBirth, dateOfExpiry: print.dateOfExpiry })).toBeUndefined();
  });

  it('makes up no number that the check digits pass but the print does not say', () => {
    // K read as A (worth 10 and 20: the same to every check digit) and a stray 3 before it. Deleting
    // the 3 makes the document number's and the composite check digits hold, on the number A47120953.
    const reading = [inserted(card[0]!.replace('K', 'A'), 5, '3'), card[1]!, card[2]!];
    expect(mrzChecksHold([card[0]!.replace('K', 'A'), card[1]!, card[2]!])).toBe(true);
    expect(mendMrz([reading], print)).toBeUndefined();
  });

  it('leaves a wrong check digit on the card wrong: a mend cannot make it hold', () => {
    const forged = td1(holder, { badCheckDigit: true });
    const reading = [forged[0]!, inserted(forged[1]!, 3, '7'), forged[2]!];
    expect(mendMrz([reading], print)).toBeUndefined();
  });

  it('mends nothing in a zone read at its length', () => {
    expect(mendMrz([card], print)).toBeUndefined();
  });
});

describe('choosing the name line, which has no check digit, by the print', () => {
  const names = { surname: 'LINDQVIST', givenNames: 'MAJA ELIN' };

  it('takes the name line of the reading that says the printed name', () => {
    const misread = [card[0]!, card[1]!, 'LINDQVIST<<MAJA<ELTN<<<<<<<<<<'];
    expect(withPrintedName(misread, [misread, card], names)).toEqual(card);
  });

  it('keeps the name every reading says when the print says another (a print altered after issue)', () => {
    const issued = [card[0]!, card[1]!, 'LINDGREN<<MAJA<ELIN<<<<<<<<<<<'];
    expect(withPrintedName(issued, [issued, issued], names)).toEqual(issued);
  });
});

describe('fitting a line whose fillers read as letters', () => {
  it('reads a pair of C inside a run of fillers as fillers, so the composite check digit holds', () => {
    const reading = [card[0]!.slice(0, 25) + 'CC<<<', card[1]!, card[2]!];
    expect(fitMrz(reading)).toEqual(card);
    expect(mrzChecksHold(fitMrz(reading)!)).toBe(true);
  });
});
