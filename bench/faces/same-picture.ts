/**
 * The same-picture check of verification (functions/verification/replay/same-picture.ts) on the
 * shared images: does it take a copy of the ID photo (or of a stored reference face) for the same
 * picture, and never two different photos of one person?
 *
 *   node --import tsx bench/faces/same-picture.ts [--json] [--root <dir>] [--quick]
 *
 * Landmarks come from the offline face engine, as the local Rekognition reports them (in AWS,
 * Rekognition's own). Same-picture pairs, made here from the shared images:
 * - copies: every card and every photo a card was made from, against itself re-encoded (JPEG
 *   quality 40), halved, doubled, cropped to 80 %, brightened, and as PNG;
 * - portraits: the face cut out of each card (as someone would feed the ID's portrait to the
 *   camera stream), at its size and doubled, against the card;
 * - renditions: each card against the photo it was made from (the card stretches it to 3:4);
 * - the one duplicate in the set: photos/obama_5 is obama_1 letterboxed to 720p.
 * Different pictures: every pair of two different photos of one person (lfw/, photos/, people/,
 * and each card against its person's other photos). `--quick`: lfw/ limited to 8 people.
 *
 * Goal: every same-picture pair at or above the threshold, every different pair below, and the
 * margins on both sides printed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createFaceEngine, type PooledFaceEngine } from '../../local/faces/engine.ts';
import { SAME_PICTURE_THRESHOLD, samePictureScore, type FacePicture } from '../../functions/verification/replay/same-picture.ts';
import { distribution } from './measure.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    quick: { type: 'boolean' },
    root: { type: 'string', default: path.resolve(projectRoot, '..', 'shared', 'faces') },
  },
});
const root = path.resolve(values.root as string);
if (!existsSync(path.join(root, 'cards'))) {
  console.error(`same-picture bench: no cards/ under ${root} (use --root)`);
  process.exit(2);
}
const say = (line: string) => process.stderr.write(`${line}\n`);

/** One image with its person, the picture it is (copies share it), and its largest face. */
interface Item {
  name: string;
  person: string;
  picture: string;
  bytes: Uint8Array;
  face?: FacePicture;
}

type PairKind = 'copy' | 'portrait' | 'rendition' | 'duplicate' | 'different';
const SAME_KINDS: PairKind[] = ['copy', 'portrait', 'rendition', 'duplicate'];

const engine = await createFaceEngine();
try {
  const items = await loadItems();
  say(`analysing ${items.length} images with the offline engine`);
  for (const item of items) item.face = await facePicture(engine, item.bytes);
  const pairs = makePairs(items.filter((i) => i.face));
  say(`scoring ${pairs.length} pairs`);
  const scored: { kind: PairKind; a: string; b: string; score: number; ms: number }[] = [];
  for (const [kind, a, b] of pairs) {
    const t0 = performance.now();
    const score = await samePictureScore(a.face!, b.face!);
    if (score !== undefined) scored.push({ kind, a: a.name, b: b.name, score, ms: performance.now() - t0 });
  }
  report(scored);
} finally {
  await engine.close();
}

async function loadItems(): Promise<Item[]> {
  const items: Item[] = [];
  const add = (name: string, person: string, picture: string, bytes: Uint8Array) => items.push({ name, person, picture, bytes });
  const read = (file: string) => readFile(path.join(root, file));
  const cards = (await readdir(path.join(root, 'cards'))).filter((f) => f.endsWith('.jpg'));
  const sources = new Map<string, string>(); // person -> the photo their cards were made from
  for (const card of cards) {
    const person = card.replace(/^(bbt|facerec)_/, '').replace(/_card.*$/, '');
    sources.set(person, card.startsWith('bbt_') ? `people/${person}_${person}1.png` : `photos/${person}_1.jpg`);
    add(`cards/${card}`, person, `card:${card}`, await read(`cards/${card}`));
  }
  for (const dir of ['photos', 'people']) {
    for (const file of await readdir(path.join(root, dir))) {
      const person = dir === 'photos' ? file.replace(/_\d+\.\w+$/, '') : file.split('_')[0]!;
      if (!/\.(jpe?g|png)$/.test(file) || /^group|^bbt\d/.test(file) || !/_/.test(file)) continue;
      // obama_5 is obama_1 letterboxed: one picture.
      add(`${dir}/${file}`, person, file === 'obama_5.jpg' ? 'photos/obama_1.jpg' : `${dir}/${file}`, await read(`${dir}/${file}`));
    }
  }
  const lfwFiles = (await readdir(path.join(root, 'lfw'))).filter((f) => f.endsWith('.jpg')).sort();
  const lfwPeople = [...new Set(lfwFiles.map((f) => f.replace(/_\d+\.jpg$/, '')))].slice(0, values.quick ? 8 : undefined);
  for (const file of lfwFiles) {
    const person = file.replace(/_\d+\.jpg$/, '');
    if (lfwPeople.includes(person)) add(`lfw/${file}`, `lfw:${person}`, `lfw/${file}`, await read(`lfw/${file}`));
  }
  // Attack copies: of each card, and of each photo a card was made from.
  const originals = items.filter((i) => i.name.startsWith('cards/') || [...sources.values()].includes(i.name));
  for (const original of originals) {
    for (const [label, bytes] of await copiesOf(original.bytes)) add(`${original.name} ${label}`, original.person, original.picture, bytes);
  }
  for (const card of items.filter((i) => i.name.startsWith('cards/') && !i.name.includes(' '))) {
    for (const [label, bytes] of await portraitsOf(card.bytes)) add(`${card.name} ${label}`, card.person, card.picture, bytes);
  }
  // The card's source photo is a rendition of the card's picture: marked by the `source` map.
  for (const item of items) if (!item.name.startsWith('cards/') && sources.get(item.person) === item.picture) item.picture = `source:${item.person}|${item.picture}`;
  return items;
}

/** The image re-encoded, scaled, cropped and brightened, as a copy fed into the flow would be. */
async function copiesOf(bytes: Uint8Array): Promise<[string, Buffer][]> {
  const image = () => sharp(bytes).rotate();
  const { width = 0, height = 0 } = await image().toBuffer({ resolveWithObject: true }).then((r) => r.info);
  return Promise.all([
    image().jpeg({ quality: 40 }).toBuffer().then((b) => ['(JPEG q40)', b] as [string, Buffer]),
    image().resize(Math.round(width / 2)).jpeg({ quality: 85 }).toBuffer().then((b) => ['(50 %)', b] as [string, Buffer]),
    image().resize(Math.round(width * 2)).jpeg({ quality: 85 }).toBuffer().then((b) => ['(200 %)', b] as [string, Buffer]),
    image()
      .extract({ left: Math.round(width * 0.1), top: Math.round(height * 0.08), width: Math.round(width * 0.8), height: Math.round(height * 0.85) })
      .jpeg({ quality: 80 })
      .toBuffer()
      .then((b) => ['(cropped)', b] as [string, Buffer]),
    image().modulate({ brightness: 1.15 }).jpeg({ quality: 75 }).toBuffer().then((b) => ['(brighter)', b] as [string, Buffer]),
    image().png().toBuffer().then((b) => ['(PNG)', b] as [string, Buffer]),
  ]);
}

/** The card's portrait cut out (found by the engine), at its own size and doubled. */
async function portraitsOf(card: Uint8Array): Promise<[string, Buffer][]> {
  const analysis = await engine.analyze(card);
  const face = analysis.faces[0];
  if (!face) return [];
  const margin = face.box.width * 0.35;
  const left = Math.max(0, Math.round(face.box.x - margin));
  const top = Math.max(0, Math.round(face.box.y - margin));
  const width = Math.min(analysis.width - left, Math.round(face.box.width + 2 * margin));
  const height = Math.min(analysis.height - top, Math.round(face.box.height + 2 * margin));
  const cut = () => sharp(card).rotate().extract({ left, top, width, height });
  return [
    ['(portrait)', await cut().jpeg({ quality: 85 }).toBuffer()],
    ['(portrait, 200 %)', await cut().resize(width * 2).jpeg({ quality: 85 }).toBuffer()],
  ];
}

/** The largest face with its landmarks as ratios, as Rekognition reports them. */
async function facePicture(faces: PooledFaceEngine, bytes: Uint8Array): Promise<FacePicture | undefined> {
  const analysis = await faces.analyze(bytes);
  const face = analysis.faces[0];
  if (!face) return undefined;
  const { width, height } = analysis;
  return {
    bytes,
    info: { width, height },
    face: {
      boundingBox: { left: face.box.x / width, top: face.box.y / height, width: face.box.width / width, height: face.box.height / height },
      landmarks: face.landmarks.map((l) => ({ type: l.type, x: l.x / width, y: l.y / height })),
    },
  };
}

function makePairs(items: Item[]): [PairKind, Item, Item][] {
  const pairs: [PairKind, Item, Item][] = [];
  const byPerson = new Map<string, Item[]>();
  for (const item of items) byPerson.set(item.person, [...(byPerson.get(item.person) ?? []), item]);
  for (const group of byPerson.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i]!;
        const b = group[j]!;
        const copy = a.name.includes(' ') || b.name.includes(' ');
        if (a.picture === b.picture) pairs.push([copy ? (a.name.includes('portrait') || b.name.includes('portrait') ? 'portrait' : 'copy') : 'duplicate', a, b]);
        else if (isRendition(a, b)) pairs.push(['rendition', a, b]);
        // Copies are compared with their own original only: the different pairs are real photos.
        else if (!copy) pairs.push(['different', a, b]);
      }
    }
  }
  return pairs;
}

/** A card (not a copy of it) against the photo it was made from. */
function isRendition(a: Item, b: Item): boolean {
  const [card, photo] = a.name.startsWith('cards/') ? [a, b] : [b, a];
  return card.name.startsWith('cards/') && !card.name.includes(' ') && !photo.name.includes(' ') && photo.picture.startsWith(`source:${card.person}|`);
}

function report(scored: { kind: PairKind; a: string; b: string; score: number; ms: number }[]): void {
  const kinds = [...SAME_KINDS, 'different' as const].map((kind) => {
    const rows = scored.filter((s) => s.kind === kind).sort((x, y) => x.score - y.score);
    const extreme = kind === 'different' ? rows.at(-1) : rows[0];
    return {
      kind,
      pairs: rows.length,
      min: rows[0]?.score,
      max: rows.at(-1)?.score,
      p1: rows[Math.floor(rows.length * 0.01)]?.score,
      p999: rows[Math.min(rows.length - 1, Math.floor(rows.length * 0.999))]?.score,
      extreme: extreme && `${extreme.a} ~ ${extreme.b}`,
      wrong: rows.filter((r) => (kind === 'different' ? r.score >= SAME_PICTURE_THRESHOLD : r.score < SAME_PICTURE_THRESHOLD)).length,
    };
  });
  const lowestSame = Math.min(...scored.filter((s) => s.kind !== 'different').map((s) => s.score));
  const highestDifferent = Math.max(...scored.filter((s) => s.kind === 'different').map((s) => s.score));
  const time = distribution(scored.map((s) => s.ms));
  const result = {
    threshold: SAME_PICTURE_THRESHOLD,
    kinds,
    lowestSame,
    highestDifferent,
    marginBelowSame: lowestSame - SAME_PICTURE_THRESHOLD,
    marginAboveDifferent: SAME_PICTURE_THRESHOLD - highestDifferent,
    msPerPair: { p50: time.p50, p95: time.p95 },
  };
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const f = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(4));
  console.log(`same-picture check, threshold ${SAME_PICTURE_THRESHOLD}`);
  console.log('kind        pairs  min     p1      max     wrong  extreme pair');
  for (const k of kinds) {
    const extreme = k.kind === 'different' ? f(k.max) : f(k.min);
    console.log(`${k.kind.padEnd(11)} ${String(k.pairs).padStart(5)}  ${f(k.min)}  ${f(k.p1)}  ${f(k.max)}  ${String(k.wrong).padStart(5)}  ${k.extreme ?? ''} (${extreme})`);
  }
  console.log(`lowest same-picture score ${f(lowestSame)} (${f(result.marginBelowSame)} above the threshold)`);
  console.log(`highest different-photo score ${f(highestDifferent)} (${f(result.marginAboveDifferent)} below the threshold)`);
  console.log(`time per pair p50 ${time.p50.toFixed(0)} ms, p95 ${time.p95.toFixed(0)} ms (decode, align, register, correlate)`);
}
