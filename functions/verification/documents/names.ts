/**
 * Whether the name a person entered is the name on their document: tolerant of how people write
 * their own name (case, accents, hyphens and apostrophes, the order of their given names, a
 * middle name left out or given as an initial), strict about a different person's name (another
 * first name, another surname, a name the document does not have).
 */

/** A name as the document holds it. */
export interface DocumentName {
  surname: string;
  givenNames: string;
}

/** Suffixes that documents and people add or leave out. */
const SUFFIXES = new Set(['JR', 'SR', 'II', 'III', 'IV']);
/** Letters that do not decompose into a base letter and an accent, as ICAO 9303 transliterates them. */
const TRANSLITERATIONS: Record<string, string> = { ß: 'SS', Æ: 'AE', æ: 'AE', Ø: 'OE', ø: 'OE', Œ: 'OE', œ: 'OE', Ł: 'L', ł: 'L', Đ: 'D', đ: 'D', Þ: 'TH', þ: 'TH', Ð: 'D', ð: 'D', ı: 'I' };

/**
 * A name as comparable tokens: accents removed, upper case, apostrophes dropped (O'Brien, as an
 * MRZ writes it, OBRIEN), hyphens and other marks as spaces, suffixes left out.
 */
export function nameTokens(name: string): string[] {
  return name
    .replace(/[ßæÆøØœŒłŁđĐþÞðÐı]/g, (c) => TRANSLITERATIONS[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/['’`´]/g, '')
    .replace(/[^A-Z]+/g, ' ')
    .trim()
    .split(' ')
    .filter((token) => token && !SUFFIXES.has(token));
}

/**
 * True when `entered` names the document's holder: every part of the surname is there (or the
 * surname written as one word), at least one given name is there in full (when the document has
 * any), and every other part entered is one of the document's given names, in any order, or an
 * initial (of one of them, or a middle initial the document leaves out).
 */
export function namesMatch(entered: string, document: DocumentName): boolean {
  const person = nameTokens(entered);
  const surname = nameTokens(document.surname);
  const given = nameTokens(document.givenNames);
  if (surname.length === 0 || person.length === 0) return false;

  const rest = withoutSurname(person, surname);
  if (!rest) return false;
  const unused = [...given];
  let fullGivenNames = 0;
  for (const token of rest) {
    const full = unused.indexOf(token);
    if (full >= 0) {
      unused.splice(full, 1);
      fullGivenNames += 1;
      continue;
    }
    if (token.length === 1) {
      const initial = unused.findIndex((name) => name.startsWith(token));
      if (initial >= 0) unused.splice(initial, 1);
      continue; // a middle initial the document does not print
    }
    return false; // a name the document does not have
  }
  return given.length === 0 ? fullGivenNames === 0 : fullGivenNames > 0;
}

/** `person` less the surname's tokens (in order or as one joined word); undefined when the surname is not there. */
function withoutSurname(person: string[], surname: string[]): string[] | undefined {
  const rest = [...person];
  if (surname.every((part) => rest.includes(part))) {
    for (const part of surname) rest.splice(rest.indexOf(part), 1);
    return rest;
  }
  // "Vandenberg" for VAN DEN BERG, or "van den Berg" for VANDENBERG.
  const joined = surname.join('');
  for (let start = 0; start < person.length; start++) {
    for (let end = start + 1; end <= person.length; end++) {
      if (person.slice(start, end).join('') === joined) return [...person.slice(0, start), ...person.slice(end)];
    }
  }
  return undefined;
}
