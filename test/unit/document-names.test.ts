import { describe, expect, it } from 'vitest';
import { namesMatch, nameTokens } from '../../functions/verification/documents/names.ts';

const doc = (surname: string, givenNames: string) => ({ surname, givenNames });

describe('namesMatch: the name entered against the name on the document', () => {
  it.each([
    ['the same name in another case', 'anna maria eriksson', doc('ERIKSSON', 'ANNA MARIA')],
    ['surname first', 'Eriksson Anna Maria', doc('ERIKSSON', 'ANNA MARIA')],
    ['given names in another order', 'Maria Anna Eriksson', doc('ERIKSSON', 'ANNA MARIA')],
    ['a middle name left out', 'Anna Eriksson', doc('ERIKSSON', 'ANNA MARIA')],
    ['a middle name as an initial', 'Anna M. Eriksson', doc('ERIKSSON', 'ANNA MARIA')],
    ['a middle initial the document does not print', 'John F. Kennedy', doc('KENNEDY', 'JOHN')],
    ['accents entered, none on the MRZ-style document', 'Zoë Müller-Lüdenscheidt', doc('MULLER LUDENSCHEIDT', 'ZOE')],
    ['no accents entered, accents printed', 'Zoe Muller-Ludenscheidt', doc('MÜLLER-LÜDENSCHEIDT', 'ZOË')],
    ['an apostrophe as the MRZ drops it', "Sinéad O'Connor", doc('OCONNOR', 'SINEAD')],
    ['a particle written as one word', 'Ingrid Vandenberg', doc('VAN DEN BERG', 'INGRID')],
    ['a suffix left out', 'Martin Luther King', doc('KING JR', 'MARTIN LUTHER')],
    ['ß as SS', 'Hans Großmann', doc('GROSSMANN', 'HANS')],
    ['a mononym', 'Obama', doc('OBAMA', '')],
  ])('matches %s', (_case, entered, document) => {
    expect(namesMatch(entered, document)).toBe(true);
  });

  it.each([
    ['another first name', 'Jane Smith', doc('SMITH', 'JOHN')],
    ['another surname', 'John Smithson', doc('SMITH', 'JOHN')],
    ['the surname alone', 'Smith', doc('SMITH', 'JOHN')],
    ['only an initial for the given names', 'J. Smith', doc('SMITH', 'JOHN')],
    ['an extra full given name', 'John Peter Smith', doc('SMITH', 'JOHN')],
    ['a given name where the document has none', 'Barack Obama', doc('OBAMA', '')],
    ['someone else with the same given names', 'Anna Maria Svensson', doc('ERIKSSON', 'ANNA MARIA')],
    ['an empty name', '', doc('SMITH', 'JOHN')],
    ['a close but different surname', 'John Smyth', doc('SMITH', 'JOHN')],
  ])('refuses %s', (_case, entered, document) => {
    expect(namesMatch(entered, document)).toBe(false);
  });

  it('compares names as ICAO 9303 transliterates them', () => {
    expect(nameTokens("Ørsted-Æbelø O'Brien Jr.")).toEqual(['OERSTED', 'AEBELOE', 'OBRIEN']);
  });
});
