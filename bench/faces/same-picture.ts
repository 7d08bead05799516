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
 *   quality 40), halved, doubled, cropped around the face, brightened, and as PNG;
 * - portraits: the face cut out of each card (as someone would feed the ID's portrait to the
 *   camera stream), at its size and doubled, against the card;
 * - renditions: a person's cards in their three scenes against each other and against the photo
 *   they were made from (the card stretches it to 3:4; the desk scenes photograph the card);
 * - the one duplicate in the set: photos/obama_5 is obama_1 letterboxed to 720p.
 * Different pictures: every pair of two different photos of one person (lfw/, photos/, people/,
 * and each card against its person's other photos). `--quick`: lfw/ limited to 8 people.
 *
 * Goal: every same-picture pair at or above the threshold, every different pair below, and the
 * margins on both sides printed.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createFaceEngine, type PooledFaceEngine } from '../../local/faces/engine.ts';
import { SAME_PICTURE_THRESHOLD, samePictureScore, type FacePicture } from '../../functions/verification/replay/same-picture.ts';
import { distribution } from './measure.ts';
import { say } from '../say.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    quick: { type: 'boolean' },
    /** A JSON file of landmarks by image hash: reruns skip the face engine for images it has seen. */
    cache: { type: 'string' },
    root: { type: 'string', default: path.resolve(projectRoot, '..', 'shared', 'faces') },
  },
});
const root = path.resolve(values.root as string);
if (!existsSync(path.join(root, 'cards'))) {
  console.error(`same-picture bench: no cards/ under ${root} (use --root)`);
  process.exit(2);
}

/** One image with its person, the picture it is (copies share it), and its largest face. */
interface Item {
  name: string;
  person: string;
  picture: string;
  /** For an attack copy: the name of the image it was made from. */
  original?: string;
  bytes: Uint8Array;
  face?: FacePicture;
}

type PairKind = 'copy' | 'portrait' | 'rendition' | 'duplicate' | 'different';
const SAME_KINDS: PairKind[] = ['copy', 'portrait', 'rendition', 'duplicate'];

const engine = await createFaceEngine();
const cache: Record<string, Omit<FacePicture, 'bytes'> | null> = values.cache && existsSync(values.cache) ? JSON.parse(await readFile(values.cache, 'utf8')) : {};
try {
  const items = await loadItems();
  say(`analysing ${items.length} images with the offline engine`);
  for (const item of items) item.face = await facePicture(engine, item.bytes);
  if (values.cache) await writeFile(values.cache, JSON.stringify(cache));
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
  const add = (name: string, person: string, picture: string, bytes: Uint8Array, original?: string) => items.push({ name, person, picture, bytes, original });
  const read = (file: string) => readFile(path.join(root, file));
  // A person's cards (all three scenes) show the photo they were made from: one picture.
  const cards = (await readdir(path.join(root, 'cards'))).filter((f) => f.endsWith('.jpg'));
  const sources = new Map<string, string>(); // person -> the photo their cards were made from
  for (const card of cards) {
    const person = card.replace(/^(bbt|facerec)_/, '').replace(/_card.*$/, '');
    sources.set(person, card.startsWith('bbt_') ? `people/${person}_${person}1.png` : `photos/${person}_1.jpg`);
    add(`cards/${card}`, person, `portrait:${person}`, await read(`cards/${card}`));
  }
  for (const dir of ['photos', 'people']) {
    for (const file of await readdir(path.join(root, dir))) {
      const person = dir === 'photos' ? file.replace(/_\d+\.\w+$/, '') : file.split('_')[0]!;
      if (!/\.(jpe?g|png)$/.test(file) || /^group|^bbt\d/.test(file) || !/_/.test(file)) continue;
      const name = `${dir}/${file}`;
      // obama_5 is obama_1 letterboxed: one picture.
      const picture = sources.get(person) === name || (file === 'obama_5.jpg' && sources.get(person) === 'photos/obama_1.jpg') ? `portrait:${person}` : name;
      add(name, person, picture, await read(name));
    }
  }
  const lfwFiles = (await readdir(path.join(root, 'lfw'))).filter((f) => f.endsWith('.jpg')).sort();
  const lfwPeople = [...new Set(lfwFiles.map((f) => f.replace(/_\d+\.jpg$/, '')))].slice(0, values.quick ? 8 : undefined);
  for (const file of lfwFiles) {
    const person = file.replace(/_\d+\.jpg$/, '');
    if (lfwPeople.includes(person)) add(`lfw/${file}`, `lfw:${person}`, `lfw/${file}`, await read(`lfw/${file}`));
  }
  // Attack copies: of each card, and of each photo a card was made from.
  const originals = items.filter((i) => i.picture.startsWith('portrait:') && i.name !== 'photos/obama_5.jpg');
  for (const original of originals) {
    for (const [label, bytes] of await copiesOf(original.bytes)) add(`${original.name} ${label}`, original.person, original.picture, bytes, original.name);
  }
  for (const card of originals.filter((i) => i.name.startsWith('cards/'))) {
    for (const [label, bytes] of await portraitsOf(card.bytes)) add(`${card.name} ${label}`, card.person, card.picture, bytes, card.name);
  }
  return items;
}

/** The image re-encoded, scaled, cropped (to the face and around it) and brightened, as a copy fed into the flow would be. */
async function copiesOf(bytes: Uint8Array): Promise<[string, Buffer][]> {
  const image = () => sharp(bytes).rotate();
  const { width = 0, height = 0 } = await image().toBuffer({ resolveWithObject: true }).then((r) => r.info);
  const face = (await engine.analyze(bytes)).faces[0];
  const box = face ? face.box : { x: 0, y: 0, width, height };
  const crop = {
    left: Math.max(0, Math.round(box.x - box.width * 0.75)),
    top: Math.max(0, Math.round(box.y - box.height * 0.75)),
  };
  const cropSize = { width: Math.min(width - crop.left, Math.round(box.width * 2.5)), height: Math.min(height - crop.top, Math.round(box.height * 2.5)) };
  return Promise.all([
    image().jpeg({ quality: 40 }).toBuffer().then((b) => ['(JPEG q40)', b] as [string, Buffer]),
    image().resize(Math.round(width / 2)).jpeg({ quality: 85 }).toBuffer().then((b) => ['(50 %)', b] as [string, Buffer]),
    image().resize(Math.round(width * 2)).jpeg({ quality: 85 }).toBuffer().then((b) => ['(200 %)', b] as [string, Buffer]),
    image()
      .extract({ ...crop, ...cropSize })
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
  const key = createHash('sha256').update(bytes).digest('hex');
  if (!(key in cache)) {
    const analysis = await faces.analyze(bytes);
    const face = analysis.faces[0];
    const { width, height } = analysis;
    cache[key] = face
      ? {
          info: { width, height },
          face: {
            boundingBox: { left: face.box.x / width, top: face.box.y / height, width: face.box.width / width, height: face.box.height / height },
            landmarks: face.landmarks.map((l) => ({ type: l.type, x: l.x / width, y: l.y / height })),
          },
        }
      : null;
  }
  const found = cache[key];
  return found ? { bytes, ...found } : undefined;
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
        // A copy is compared with the image it was made from; the different pairs are real photos.
        if (a.original || b.original) {
          const [copy, other] = a.original ? [a, b] : [b, a];
          if (copy.original === other.name) pairs.push([copy.name.includes('portrait') ? 'portrait' : 'copy', a, b]);
        } else if (a.picture !== b.picture) pairs.push(['different', a, b]);
        else pairs.push([a.name.startsWith('cards/') || b.name.startsWith('cards/') ? 'rendition' : 'duplicate', a, b]);
      }
    }
  }
  return pairs;
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
