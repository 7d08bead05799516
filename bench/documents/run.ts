/**
 * bench/documents: how well and how fast the offline ID reader reads identity documents, through
 * the path the verify function takes (TextractDocumentReader -> the local Textract over HTTP,
 * SigV4 -> card finder, perspective, Tesseract, MRZ), and what the document checks conclude.
 *
 *   node --import tsx bench/documents/run.ts [--holders 40] [--seed 2026] [--json]
 *
 * Every holder (a name, dates and a number drawn from lists no test uses) gets one card,
 * photographed in three scenes: alone (1011x638), on a desk (55 % of 1600x1200), far (25 % of
 * 2400x1800). Of every ten holders: seven ID cards with a correct TD1 MRZ, one with a wrong check
 * digit, one expired, one driving licence without MRZ. Cards are read one after the other.
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { checkDocument, documentValues } from '../../functions/verification/documents/checks.ts';
import { readMrz } from '../../functions/verification/documents/mrz.ts';
import { nameTokens } from '../../functions/verification/documents/names.ts';
import { TextractDocumentReader } from '../../functions/verification/documents/textract.ts';
import { startLocalTextract } from '../../local/aws/textract/textract.ts';
import { photograph, renderCard, td1, type CardHolder, type CardOptions, type Scene } from '../../test/helpers/id-cards.ts';
import { say } from '../say.ts';

const GIVEN = ['Aiyana', 'Bartholomew', 'Chiamaka', 'Dmitri', 'Eleonora', 'Farhan', 'Guðrún', 'Hiroshi', 'Ifeoma', 'Joaquín', 'Katarzyna', 'Leilani', 'Mateus', 'Nadia', 'Oluwaseun', 'Priya', 'Quentin', 'Rasmus', 'Siobhán', 'Thanh', 'Ulrike', 'Valentina', 'Wiremu', 'Xiomara', 'Yusuf', 'Zofia', 'Amélie', 'Bongani', 'Carys', 'Dariusz'];
const SURNAMES = ['Abernathy', 'Bergström', 'Castellanos', 'Dlamini', 'Eriksen', 'Fitzgerald', 'García Márquez', 'Haddad', 'Ivanova', 'Jankowski', 'Kowalczyk', 'Lindgren', 'Mbeki', 'Nakamura', "O'Sullivan", 'Papadopoulos', 'Quispe', 'Rautenbach', 'Schäfer', 'Tanaka-Reyes', 'Uchenna', 'Vasquez', 'Wójcik', 'Xu', 'Yilmaz', 'Zimmermann', 'Achterberg', 'Bouchard', 'Chakraborty', 'Delacroix'];
const NUMBER_LETTERS = 'ACDEFHJKLMNPRTUVWXY';
const NOW = new Date('2026-06-01T00:00:00Z');
const SCENES: Scene[] = ['card', 'desk', 'far'];

type Kind = 'valid' | 'bad-check-digit' | 'expired' | 'licence';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function holders(count: number, seed: number): { holder: CardHolder; kind: Kind }[] {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const date = (fromYear: number, toYear: number) => {
    const day = new Date(Date.UTC(fromYear, 0, 1) + Math.floor(random() * (toYear - fromYear) * 365.25) * 86_400_000);
    return day.toISOString().slice(0, 10);
  };
  return Array.from({ length: count }, (_, i) => {
    const kind: Kind = (['valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'bad-check-digit', 'expired', 'licence'] as const)[i % 10]!;
    const given = random() < 0.4 ? `${pick(GIVEN)} ${pick(GIVEN)}` : pick(GIVEN);
    const number = pick([...NUMBER_LETTERS]) + String(Math.floor(random() * 1e8)).padStart(8, '0');
    return {
      kind,
      holder: {
        surname: pick(SURNAMES),
        givenNames: given,
        dateOfBirth: date(1940, 2007),
        dateOfExpiry: kind === 'expired' ? date(2016, 2026) : date(2027, 2036),
        documentNumber: number,
        sex: random() < 0.5 ? 'F' : 'M',
      },
    };
  });
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : 'n/a');

async function main() {
  const { values } = parseArgs({ options: { holders: { type: 'string', default: '40' }, seed: { type: 'string', default: '2026' }, json: { type: 'boolean' } } });
  const people = holders(Number(values.holders), Number(values.seed));

  const textract = await startLocalTextract();
  const startedAt = Date.now();
  await textract.warm();
  const warmMs = Date.now() - startedAt;
  const reader = new TextractDocumentReader({ clientConfig: { endpoint: textract.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } } });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

  const results: { scene: Scene; kind: Kind; ms: number; namesAndDates: boolean; number: boolean; outcome: string; failed?: string; mrzFound: boolean }[] = [];
  for (const [index, { holder, kind }] of people.entries()) {
    const options: CardOptions = { mrz: kind === 'licence' ? 'none' : kind === 'bad-check-digit' ? 'bad-check-digit' : 'TD1' };
    const card = await renderCard(holder, options);
    for (const scene of SCENES) {
      const image = await photograph(card, scene, index + 1);
      const t0 = performance.now();
      const analysis = await reader.analyze(image);
      const ms = performance.now() - t0;
      const mrz = analysis.mrz.length ? readMrz(analysis.mrz, NOW) : undefined;
      const read = documentValues(analysis, mrz, 80);
      const entered = `${holder.givenNames} ${holder.surname}`;
      const verdict = checkDocument(analysis, { enteredName: entered, now: NOW, minimumAge: 0, minimumConfidence: 80 });
      const sameName = nameTokens(`${read.givenNames} ${read.surname?.value ?? ''}`).sort().join(' ') === nameTokens(entered).sort().join(' ');
      if ((kind === 'valid' || kind === 'licence') && verdict.outcome === 'FAIL') {
        // What a refused valid card read, beside what it says (generated cards: no one's data).
        const fields = Object.entries(analysis.fields).map(([k, f]) => `${k}=${f?.value}(${Math.round(f?.confidence ?? 0)})`).join(' ');
        say(`refused valid ${scene} card ${index + 1} (${verdict.failed}): read ${analysis.mrz.join(' | ')} ${fields}; card ${kind === 'licence' ? '' : td1(holder).join(' | ')}`);
      }
      results.push({
        scene,
        kind,
        ms,
        namesAndDates: sameName && read.dateOfBirth?.value === holder.dateOfBirth && read.dateOfExpiry?.value === holder.dateOfExpiry,
        number: read.documentNumber?.value === holder.documentNumber,
        outcome: verdict.outcome,
        failed: verdict.failed,
        mrzFound: mrz !== undefined,
      });
    }
    say(`${index + 1}/${people.length} holders read`);
  }
  clearInterval(sampler);
  await textract.stop();

  const rows = (filter: (r: (typeof results)[number]) => boolean) => results.filter(filter);
  const figures = {
    cards: results.length,
    holders: people.length,
    scenes: SCENES,
    namesAndDatesExact: Object.fromEntries(SCENES.map((s) => [s, pct(rows((r) => r.scene === s && r.namesAndDates).length, rows((r) => r.scene === s).length)])),
    namesAndDatesExactAll: pct(rows((r) => r.namesAndDates).length, results.length),
    documentNumberExact: pct(rows((r) => r.number).length, results.length),
    wrongCheckDigitCaught: `${rows((r) => r.kind === 'bad-check-digit' && r.failed === 'MRZ_CHECK_DIGITS').length}/${rows((r) => r.kind === 'bad-check-digit').length}`,
    wrongCheckDigitToReview: rows((r) => r.kind === 'bad-check-digit' && r.outcome === 'UNREADABLE').length,
    expiredCaught: `${rows((r) => r.kind === 'expired' && r.failed === 'NOT_EXPIRED').length}/${rows((r) => r.kind === 'expired').length}`,
    validCards: {
      passed: pct(rows((r) => (r.kind === 'valid' || r.kind === 'licence') && r.outcome === 'PASS').length, rows((r) => r.kind === 'valid' || r.kind === 'licence').length),
      toReview: pct(rows((r) => (r.kind === 'valid' || r.kind === 'licence') && r.outcome === 'UNREADABLE').length, rows((r) => r.kind === 'valid' || r.kind === 'licence').length),
      wronglyRefused: rows((r) => (r.kind === 'valid' || r.kind === 'licence') && r.outcome === 'FAIL').map((r) => `${r.scene}:${r.failed}`),
    },
    mrzFoundOnTd1Cards: pct(rows((r) => r.kind !== 'licence' && r.mrzFound).length, rows((r) => r.kind !== 'licence').length),
    msPerCard: Object.fromEntries(SCENES.map((s) => [s, { p50: Math.round(percentile(rows((r) => r.scene === s).map((r) => r.ms), 50)), p95: Math.round(percentile(rows((r) => r.scene === s).map((r) => r.ms), 95)) }])),
    msPerCardAll: { p50: Math.round(percentile(results.map((r) => r.ms), 50)), p95: Math.round(percentile(results.map((r) => r.ms), 95)) },
    warmUpMs: warmMs,
    peakRssMb: Math.round(peakRss / 1024 / 1024),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 1024 ** 3)} GiB`,
  };
  if (values.json) console.log(JSON.stringify(figures, null, 2));
  else for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(26)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

await main();
