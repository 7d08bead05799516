/**
 * Calibration: how well the engine tells people apart on a folder of labelled photos, and at which
 * thresholds. The arithmetic (pairs, error rates) is pure; `calibrateFolder` adds the file
 * handling and the engine, for `securetask faces calibrate <folder>` and the benchmark.
 *
 * File names carry the labels: `<person>_<anything>.<jpg|jpeg|png>`, and ID-card scenes
 * `<set>_<person>_card<anything>` (e.g. `bbt_howard_card_on_desk.jpg` is howard). A SOURCES.tsv
 * next to the images may say an image was made from another one ("... from photos/obama_1.jpg");
 * such pairs (a card and the photo it was printed from, two scenes of one card) are not
 * independent evidence and are left out of the counts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { equalErrorRate, type RatesAt, ratesAt, rejectRateAtAcceptRate, type ScoreStats, scoreStats } from './error-rates.ts';
import { mainFace } from '../offline-matcher.ts';
import { matchScore, RECOMMENDED_THRESHOLDS, scoreToSimilarity } from './similarity.ts';
import type { FaceEngine } from './types.ts';

/** An image with its label. */
export interface LabelledImage {
  /** Person key (lower case). */
  person: string;
  /** Absolute path. */
  file: string;
  /** Absolute path of the image it was made from (itself if none): pairs with the same origin are skipped. */
  origin: string;
}

/** An image that was not used, and why. */
export interface SkippedImage {
  file: string;
  reason: string;
}

/** A labelled image and its face descriptor. */
export interface DescribedImage extends LabelledImage {
  descriptor: ArrayLike<number>;
}

/** One scored pair, for listing the hardest cases. */
export interface ScoredPair {
  a: string;
  b: string;
  /** The fused score (`similarity.ts`). */
  score: number;
  similarity: number;
}

/** Genuine and impostor scores of a set of images. */
export interface PairScores {
  genuine: number[];
  impostor: number[];
  /** Pairs left out because both images come from one source image. */
  excludedSameOrigin: number;
  /** The lowest-scoring genuine and highest-scoring impostor pairs (up to 5 each). */
  hardestGenuine: ScoredPair[];
  hardestImpostor: ScoredPair[];
}

/** Error figures on one scale. */
export interface ScaleReport {
  equalErrorRate: (RatesAt & { rate: number }) | null;
  /** False rejects at no more than 0.1 % false accepts. */
  atOneInAThousand: RatesAt | null;
  /** False rejects at no more than 0.01 % false accepts (null below 10,000 impostor pairs: it could not be seen). */
  atOneInTenThousand: RatesAt | null;
  genuine: ScoreStats;
  impostor: ScoreStats;
}

/** Where a false-accept rate falls on both scales, measured. */
export interface MeasuredAnchor {
  falseAcceptRate: number;
  /** Lowest fused score with at most this false-accept rate (null without enough impostor pairs). */
  score: number | null;
  /** The same threshold on the 0-100 scale of `similarity.ts`. */
  similarity: number | null;
  /** Impostor pairs allowed above the threshold: what the anchor rests on. */
  impostorPairsAbove: number;
}

/** What `calibrateFolder` reports. */
export interface CalibrationReport {
  folders: string[];
  /** Images found, used, and used although they show more than one face (their main face was used). */
  images: { found: number; used: number; multiFace: number };
  skipped: SkippedImage[];
  people: { person: string; images: number }[];
  pairs: { genuine: number; impostor: number; excludedSameOrigin: number };
  /** On the fused score of `similarity.ts`. */
  score: ScaleReport;
  similarity: ScaleReport;
  /** Rates at the recommended thresholds and at Rekognition's default (0-100 scale). */
  atThresholds: { label: string; rates: RatesAt }[];
  measuredAnchors: MeasuredAnchor[];
  hardestGenuine: ScoredPair[];
  hardestImpostor: ScoredPair[];
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

/**
 * The person a file name names, or null. `<person>_<anything>` gives `<person>`; a name with a
 * `card` part gives the part before it (`bbt_howard_card_far` -> `howard`, `facerec_obama_card`
 * -> `obama`), so cards share a key with the person's photos. Names without `_` (`angry.jpg`,
 * `bbt1.jpg`) have no label.
 */
export function personKeyFromFileName(fileName: string): string | null {
  const stem = path.basename(fileName, path.extname(fileName)).toLowerCase();
  const parts = stem.split('_');
  const card = parts.indexOf('card');
  if (card >= 1) return parts[card - 1] || null;
  // `group_<anything>` is a group photo, not a person called "group".
  if (parts.length >= 2 && parts[0] && parts[0] !== 'group') return parts[0];
  return null;
}

/** Reads SOURCES.tsv of a folder: file name -> absolute path of the image it was made from. */
export function readOrigins(folder: string): Map<string, string> {
  const origins = new Map<string, string>();
  const tsv = path.join(folder, 'SOURCES.tsv');
  if (!existsSync(tsv)) return origins;
  for (const line of readFileSync(tsv, 'utf8').split('\n')) {
    const [name, source] = line.split('\t');
    if (!name || !source) continue;
    const match = /\bfrom\s+(\S+\.(?:jpe?g|png))\b/i.exec(source);
    if (!match) continue;
    // The path may be relative to this folder or to its parent (cards/ names "photos/obama_1.jpg").
    const candidates = [path.resolve(folder, match[1]), path.resolve(folder, '..', match[1])];
    origins.set(name.trim(), candidates.find((c) => existsSync(c)) ?? candidates[1]);
  }
  return origins;
}

/** Image files under `folders` (recursively), labelled where the name allows. */
export function listLabelledImages(folders: string | readonly string[]): { images: LabelledImage[]; skipped: SkippedImage[]; found: number } {
  const images: LabelledImage[] = [];
  const skipped: SkippedImage[] = [];
  let found = 0;
  const visit = (folder: string) => {
    const origins = readOrigins(folder);
    for (const name of readdirSync(folder).sort()) {
      const file = path.join(folder, name);
      if (statSync(file).isDirectory()) {
        visit(file);
        continue;
      }
      if (!IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase())) continue;
      found++;
      const person = personKeyFromFileName(name);
      if (!person) {
        skipped.push({ file, reason: 'no person in the file name (expected <person>_<anything>)' });
        continue;
      }
      images.push({ person, file, origin: origins.get(name) ?? file });
    }
  };
  for (const folder of typeof folders === 'string' ? [folders] : folders) visit(path.resolve(folder));
  return { images, skipped, found };
}

/** Which pairs of a set of images a figure rests on (default: every pair). */
export type PairFilter = (a: DescribedImage, b: DescribedImage) => boolean;

/** Every pair of images: genuine when the person matches, impostor otherwise; same-origin pairs left out. */
export function pairScores(items: readonly DescribedImage[], include?: PairFilter): PairScores {
  const genuine: number[] = [];
  const impostor: number[] = [];
  const genuinePairs: ScoredPair[] = [];
  const impostorPairs: ScoredPair[] = [];
  let excludedSameOrigin = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i];
      const b = items[j];
      if (include && !include(a, b)) continue;
      if (a.origin === b.origin) {
        excludedSameOrigin++;
        continue;
      }
      const score = matchScore(a.descriptor, b.descriptor);
      const pair = { a: a.file, b: b.file, score, similarity: scoreToSimilarity(score) };
      if (a.person === b.person) {
        genuine.push(score);
        genuinePairs.push(pair);
      } else {
        impostor.push(score);
        impostorPairs.push(pair);
      }
    }
  }
  genuinePairs.sort((x, y) => x.score - y.score);
  impostorPairs.sort((x, y) => y.score - x.score);
  return { genuine, impostor, excludedSameOrigin, hardestGenuine: genuinePairs.slice(0, 5), hardestImpostor: impostorPairs.slice(0, 5) };
}

/** Equal error rate, false rejects at 0.1 % false accepts and score statistics of one scale. */
export function scaleReport(genuine: readonly number[], impostor: readonly number[]): ScaleReport {
  return {
    equalErrorRate: equalErrorRate(genuine, impostor),
    atOneInAThousand: rejectRateAtAcceptRate(genuine, impostor, 0.001),
    atOneInTenThousand: impostor.length >= 10_000 ? rejectRateAtAcceptRate(genuine, impostor, 0.0001) : null,
    genuine: scoreStats(genuine),
    impostor: scoreStats(impostor),
  };
}

/** The false-accept rates that placed the review and accept anchors of the 0-100 map (see similarity.ts). */
export const ANCHOR_RATES = [0.001, 0.0001, 0.00002];

/** Everything `CalibrationReport` says about scores, from described images (pure). */
export function evaluateDescriptors(items: readonly DescribedImage[], include?: PairFilter): Omit<CalibrationReport, 'folders' | 'images' | 'skipped'> {
  const scores = pairScores(items, include);
  const simGenuine = scores.genuine.map(scoreToSimilarity);
  const simImpostor = scores.impostor.map(scoreToSimilarity);
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.person, (counts.get(item.person) ?? 0) + 1);
  return {
    people: [...counts].map(([person, images]) => ({ person, images })).sort((a, b) => a.person.localeCompare(b.person)),
    pairs: { genuine: scores.genuine.length, impostor: scores.impostor.length, excludedSameOrigin: scores.excludedSameOrigin },
    score: scaleReport(scores.genuine, scores.impostor),
    similarity: scaleReport(simGenuine, simImpostor),
    atThresholds: [
      { label: `accept (${RECOMMENDED_THRESHOLDS.accept})`, rates: ratesAt(simGenuine, simImpostor, RECOMMENDED_THRESHOLDS.accept) },
      { label: `review (${RECOMMENDED_THRESHOLDS.review}, Rekognition's default)`, rates: ratesAt(simGenuine, simImpostor, RECOMMENDED_THRESHOLDS.review) },
      { label: 'strict (99)', rates: ratesAt(simGenuine, simImpostor, 99) },
    ],
    measuredAnchors: ANCHOR_RATES.map((far) => {
      // An anchor needs at least one impostor pair above it to mean anything.
      const enough = scores.impostor.length * far >= 1;
      const r = enough ? rejectRateAtAcceptRate(scores.genuine, scores.impostor, far) : null;
      return {
        falseAcceptRate: far,
        score: r ? r.threshold : null,
        similarity: r ? scoreToSimilarity(r.threshold) : null,
        impostorPairsAbove: r ? r.falseAccepts : 0,
      };
    }),
    hardestGenuine: scores.hardestGenuine,
    hardestImpostor: scores.hardestImpostor,
  };
}

/** Labelled images analyzed by the engine: what calibration and the benchmark score. */
export interface DescribedFolders {
  folders: string[];
  /** Images found, used, and used although they show more than one face (their main face was used). */
  images: { found: number; used: number; multiFace: number };
  skipped: SkippedImage[];
  described: DescribedImage[];
}

/**
 * Analyzes every labelled image under `folder` (recursively; several folders may be given; `include`
 * picks a slice). An
 * image with several faces counts with its main face (`main-face.ts`), as an ID photo does in a
 * comparison, and is counted; images with no face or unreadable bytes are skipped with the reason.
 */
export async function describeImages(
  folder: string | readonly string[],
  engine: FaceEngine,
  onProgress?: (done: number, total: number, file: string) => void,
  include: (image: LabelledImage) => boolean = () => true,
): Promise<DescribedFolders> {
  const folders = (typeof folder === 'string' ? [folder] : [...folder]).map((f) => path.resolve(f));
  const listed = listLabelledImages(folders);
  const images = listed.images.filter(include);
  const skipped = listed.skipped.filter((s) => include({ person: '', file: s.file, origin: s.file }));
  const found = images.length + skipped.length;
  const described: DescribedImage[] = [];
  let multiFace = 0;
  let done = 0;
  // A few requests in flight keep every worker busy; the engine queues the rest.
  const inFlight = 4;
  let next = 0;
  const work = async () => {
    while (next < images.length) {
      const image = images[next++];
      try {
        const analysis = await engine.analyze(await readFile(image.file));
        const face = mainFace(analysis.faces, analysis);
        if (!face) skipped.push({ file: image.file, reason: 'no face found' });
        else {
          if (analysis.faces.length > 1) multiFace++;
          described.push({ ...image, descriptor: face.descriptor });
        }
      } catch (err) {
        skipped.push({ file: image.file, reason: `cannot analyze: ${err instanceof Error ? err.message : String(err)}` });
      }
      onProgress?.(++done, images.length, image.file);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, images.length) }, work));
  // Analysis order depends on timing; sort so the report is reproducible.
  described.sort((a, b) => a.file.localeCompare(b.file));
  skipped.sort((a, b) => a.file.localeCompare(b.file));
  return { folders, images: { found, used: described.length, multiFace }, skipped, described };
}

/**
 * Analyzes every labelled image under `folder` and reports genuine/impostor pair counts, equal
 * error rate and false rejects at 0.1 % and 0.01 % false accepts, on the fused score and the
 * 0-100 scales, and the rates at the recommended thresholds.
 */
export async function calibrateFolder(
  folder: string | readonly string[],
  engine: FaceEngine,
  onProgress?: (done: number, total: number, file: string) => void,
): Promise<CalibrationReport> {
  const { folders, images, skipped, described } = await describeImages(folder, engine, onProgress);
  return { folders, images, skipped, ...evaluateDescriptors(described) };
}

const pct = (v: number | undefined | null, digits = 2) => (v == null || Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(digits)} %`);
const num = (v: number | undefined | null, digits = 3) => (v == null || Number.isNaN(v) ? 'n/a' : v.toFixed(digits));

/** The report as text for a terminal: counts, error rates with their thresholds, anchors, skipped images. */
export function formatCalibrationReport(report: CalibrationReport): string {
  const lines: string[] = [];
  const rel = (file: string) => {
    const base = report.folders.length === 1 ? report.folders[0] : path.dirname(report.folders[0]);
    return path.relative(base, file) || file;
  };
  lines.push(`Face calibration over ${report.folders.join(', ')}`);
  lines.push(`  images: ${report.images.found} found, ${report.images.used} used (${report.images.multiFace} with more than one face: their main face), ${report.skipped.length} skipped; ${report.people.length} people`);
  lines.push(`  pairs: ${report.pairs.genuine} genuine, ${report.pairs.impostor} impostor (${report.pairs.excludedSameOrigin} left out: same source image)`);
  lines.push('');
  lines.push('  figure                               fused score       similarity (0-100)');
  const row = (label: string, c: string, s: string) => lines.push(`  ${label.padEnd(36)} ${c.padEnd(17)} ${s}`);
  const eerC = report.score.equalErrorRate;
  const eerS = report.similarity.equalErrorRate;
  row('equal error rate', `${pct(eerC?.rate)} @ ${num(eerC?.threshold)}`, `${pct(eerS?.rate)} @ ${num(eerS?.threshold, 1)}`);
  const farC = report.score.atOneInAThousand;
  const farS = report.similarity.atOneInAThousand;
  row('false rejects at <= 0.1 % false acc.', `${pct(farC?.falseRejectRate)} @ ${num(farC?.threshold)}`, `${pct(farS?.falseRejectRate)} @ ${num(farS?.threshold, 1)}`);
  const tenK = report.score.atOneInTenThousand;
  const tenKS = report.similarity.atOneInTenThousand;
  row('false rejects at <= 0.01 % false acc.', tenK ? `${pct(tenK.falseRejectRate)} @ ${num(tenK.threshold)}` : 'n/a (< 10,000 impostor pairs)', tenKS ? `${pct(tenKS.falseRejectRate)} @ ${num(tenKS.threshold, 1)}` : '');
  row('genuine scores (mean +- sd, min)', `${num(report.score.genuine.mean)} +- ${num(report.score.genuine.sd)}, ${num(report.score.genuine.min)}`, `${num(report.similarity.genuine.mean, 1)}, min ${num(report.similarity.genuine.min, 1)}`);
  row('impostor scores (mean +- sd, max)', `${num(report.score.impostor.mean)} +- ${num(report.score.impostor.sd)}, ${num(report.score.impostor.max)}`, `${num(report.similarity.impostor.mean, 1)}, max ${num(report.similarity.impostor.max, 1)}`);
  lines.push('');
  lines.push('  at thresholds (0-100 scale)            false accepts        false rejects');
  for (const { label, rates } of report.atThresholds) {
    lines.push(`  ${label.padEnd(38)} ${`${pct(rates.falseAcceptRate, 3)} (${rates.falseAccepts})`.padEnd(20)} ${pct(rates.falseRejectRate)} (${rates.falseRejects})`);
  }
  lines.push('');
  lines.push('  measured anchors (compare with similarity.ts: review 80, accept 90)');
  for (const a of report.measuredAnchors) {
    lines.push(
      a.score == null
        ? `    ${pct(a.falseAcceptRate)} false accepts: too few impostor pairs to measure`
        : `    ${pct(a.falseAcceptRate, 3)} false accepts: score ${num(a.score)} = similarity ${num(a.similarity, 1)} (rests on ${a.impostorPairsAbove} impostor pairs above)`,
    );
  }
  if (report.hardestGenuine.length || report.hardestImpostor.length) {
    lines.push('');
    lines.push('  lowest genuine pairs:');
    for (const p of report.hardestGenuine) lines.push(`    ${num(p.score)} (${num(p.similarity, 1)})  ${rel(p.a)}  ${rel(p.b)}`);
    lines.push('  highest impostor pairs:');
    for (const p of report.hardestImpostor) lines.push(`    ${num(p.score)} (${num(p.similarity, 1)})  ${rel(p.a)}  ${rel(p.b)}`);
  }
  if (report.skipped.length) {
    lines.push('');
    lines.push('  skipped:');
    for (const s of report.skipped) lines.push(`    ${rel(s.file)}: ${s.reason}`);
  }
  return lines.join('\n');
}
