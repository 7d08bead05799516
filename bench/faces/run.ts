/**
 * The faces benchmark: accuracy and speed of the offline face engine over /work/shared/faces.
 *
 *   node --import tsx bench/faces/run.ts [--json] [--root <dir>] [--workers <n>] [--compares <n>]
 *                                        [--sweep] [--no-load-test]
 *
 * Figures: genuine and impostor pair counts, equal error rate and false rejects at 0.1 % false
 * accepts (with thresholds, cosine and 0-100), warm compare time p50/p95 (a compare = analyze two
 * images in parallel + similarity, cache off), cold start (create engine -> first result),
 * main-thread event-loop delay while the workers are saturated, and peak memory of the whole
 * process (VmHWM covers every thread, so the workers and their WASM heaps are included).
 * `--sweep` also measures compare latency and responsiveness for 1 and 2 workers and nice 0/10,
 * the data behind `defaultWorkerCount()`.
 *
 * Goals: equal error rate <= 1 %, warm compare p50 <= 250 ms.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { listLabelledImages } from '../../local/faces/calibration.ts';
import { createFaceEngine, defaultWorkerCount } from '../../local/faces/engine.ts';
import { cosineToSimilarity, RECOMMENDED_THRESHOLDS } from '../../local/faces/similarity.ts';
import {
  comparePairs,
  type Distribution,
  measureAccuracy,
  measureColdStart,
  measureCompares,
  measureMemory,
  measureResponsiveness,
  type Responsiveness,
} from './measure.ts';
import { say } from '../say.ts';

const GOALS = { equalErrorRate: 0.01, compareP50Ms: 250 };
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    root: { type: 'string', default: path.resolve(projectRoot, '..', 'shared', 'faces') },
    workers: { type: 'string' },
    compares: { type: 'string', default: '60' },
    sweep: { type: 'boolean' },
    'no-load-test': { type: 'boolean' },
  },
});

const root = path.resolve(values.root as string);
const folders = ['people', 'photos', 'cards'].map((f) => path.join(root, f)).filter((f) => existsSync(f));
if (folders.length === 0) {
  console.error(`faces bench: no people/, photos/ or cards/ under ${root} (use --root)`);
  process.exit(2);
}
const workers = values.workers ? Number(values.workers) : defaultWorkerCount();
const compareCount = Number(values.compares);
const progress = (label: string) => (done: number, total: number) => {
  if (values.json && !process.stderr.isTTY) return;
  process.stderr.write(process.stderr.isTTY ? `\r${label} ${done}/${total}   ` : done === total ? `${label} ${total}/${total}\n` : '');
  if (process.stderr.isTTY && done === total) process.stderr.write('\n');
};

const loadBefore = loadavg()[0];
const { images } = listLabelledImages(folders);
const firstImage = await readFile(images[0].file);

say(`faces bench: ${root} (${folders.map((f) => path.basename(f)).join(', ')}), ${workers} worker(s), ${availableParallelism()} cores, load ${loadBefore.toFixed(2)}`);
say('starting the engine (cold)...');
const cold = await measureColdStart(firstImage, { workers, cacheSize: 0 });
const engine = cold.engine;

let sweep: { workers: number; nice: number; compare: Distribution; responsiveness: Responsiveness }[] | undefined;
try {
  const accuracy = await measureAccuracy(engine, folders, progress('analysing images'));
  const pairs = await comparePairs(folders, compareCount + 3);
  const compare = await measureCompares(engine, pairs, { warmup: 3, onProgress: progress('timing compares') });
  const loadImages = pairs.slice(0, 12).flat();
  let responsiveness: Responsiveness | undefined;
  if (!values['no-load-test']) {
    say('measuring the main thread with the workers saturated (~7 s)...');
    responsiveness = await measureResponsiveness(engine, loadImages, { durationMs: 4_000 });
  }
  const memory = measureMemory(engine);
  const reports = engine.workerReports();

  if (values.sweep) {
    sweep = [];
    for (const [w, nice] of [
      [1, 10],
      [2, 10],
      [2, 0],
    ] as const) {
      say(`sweep: ${w} worker(s), nice ${nice}...`);
      const e = await createFaceEngine({ workers: w, nice, cacheSize: 0 });
      try {
        const d = await measureCompares(e, pairs.slice(0, 33), { warmup: 3 });
        const r = await measureResponsiveness(e, loadImages, { durationMs: 4_000 });
        sweep.push({ workers: w, nice, compare: d, responsiveness: r });
      } finally {
        await e.close();
      }
    }
  }

  const eer = accuracy.cosine.equalErrorRate;
  const frr = accuracy.cosine.atOneInAThousand;
  const result = {
    root,
    folders: folders.map((f) => path.basename(f)),
    cores: availableParallelism(),
    loadAverageBefore: loadBefore,
    workers,
    nice: reports[0]?.thread?.nice ?? null,
    images: { ...accuracy.images, skipped: accuracy.skipped.length, people: accuracy.people.length },
    pairs: accuracy.pairs,
    equalErrorRate: eer && { rate: eer.rate, cosine: eer.threshold, similarity: cosineToSimilarity(eer.threshold) },
    falseRejectsAtOneInAThousand: frr && {
      falseRejectRate: frr.falseRejectRate,
      falseAcceptRate: frr.falseAcceptRate,
      cosine: frr.threshold,
      similarity: cosineToSimilarity(frr.threshold),
    },
    atThresholds: accuracy.atThresholds,
    measuredAnchors: accuracy.measuredAnchors,
    scores: { genuine: accuracy.cosine.genuine, impostor: accuracy.cosine.impostor },
    compareMs: compare,
    coldStart: { engineReadyMs: cold.engineReadyMs, firstResultMs: cold.firstResultMs, workerLoadMs: reports.map((r) => r.loadMs), workerWarmupMs: reports.map((r) => r.warmupMs) },
    eventLoopDelayUnderLoadMs: responsiveness ?? null,
    memory,
    sweep: sweep ?? null,
    goals: {
      equalErrorRate: { goal: GOALS.equalErrorRate, met: !!eer && eer.rate <= GOALS.equalErrorRate },
      compareP50Ms: { goal: GOALS.compareP50Ms, met: compare.p50 <= GOALS.compareP50Ms },
    },
    skipped: accuracy.skipped.map((s) => ({ file: path.relative(root, s.file), reason: s.reason })),
    hardestGenuine: accuracy.hardestGenuine.map((p) => ({ ...p, a: path.relative(root, p.a), b: path.relative(root, p.b) })),
    hardestImpostor: accuracy.hardestImpostor.map((p) => ({ ...p, a: path.relative(root, p.a), b: path.relative(root, p.b) })),
  };

  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    const pct = (v: number, d = 2) => `${(v * 100).toFixed(d)} %`;
    const ms = (v: number) => `${Math.round(v)} ms`;
    const ok = (met: boolean) => (met ? 'met' : 'NOT MET');
    const rows: [string, string, string][] = [
      ['images used / skipped / people', `${result.images.used} / ${result.images.skipped} / ${result.images.people}`, `of ${result.images.found} found`],
      ['genuine / impostor pairs', `${result.pairs.genuine} / ${result.pairs.impostor}`, `${result.pairs.excludedSameOrigin} same-source pairs left out`],
      [
        'equal error rate',
        eer ? `${pct(eer.rate)} @ cos ${eer.threshold.toFixed(3)} (sim ${cosineToSimilarity(eer.threshold).toFixed(1)})` : 'n/a',
        `goal <= ${pct(GOALS.equalErrorRate, 0)}: ${ok(result.goals.equalErrorRate.met)}`,
      ],
      [
        'false rejects at <= 0.1 % false acc.',
        frr ? `${pct(frr.falseRejectRate)} @ cos ${frr.threshold.toFixed(3)} (sim ${cosineToSimilarity(frr.threshold).toFixed(1)})` : 'n/a',
        frr ? `false accepts there ${pct(frr.falseAcceptRate, 3)} (${frr.falseAccepts} pairs)` : '',
      ],
      ...accuracy.atThresholds.map(
        (t) => [`at ${t.label}`, `FAR ${pct(t.rates.falseAcceptRate, 3)}, FRR ${pct(t.rates.falseRejectRate)}`, `${t.rates.falseAccepts} / ${t.rates.falseRejects} pairs`] as [string, string, string],
      ),
      ['genuine cosine (mean +- sd, min)', `${accuracy.cosine.genuine.mean.toFixed(3)} +- ${accuracy.cosine.genuine.sd.toFixed(3)}, ${accuracy.cosine.genuine.min.toFixed(3)}`, ''],
      ['impostor cosine (mean +- sd, max)', `${accuracy.cosine.impostor.mean.toFixed(3)} +- ${accuracy.cosine.impostor.sd.toFixed(3)}, ${accuracy.cosine.impostor.max.toFixed(3)}`, ''],
      ['warm compare p50 / p95 / max', `${ms(compare.p50)} / ${ms(compare.p95)} / ${ms(compare.max)}`, `goal p50 <= ${GOALS.compareP50Ms} ms: ${ok(result.goals.compareP50Ms.met)} (${compare.count} compares)`],
      ['cold start (engine -> first result)', ms(cold.firstResultMs), `engine ready ${ms(cold.engineReadyMs)}`],
      [
        'main thread, workers saturated',
        responsiveness
          ? `event-loop delay p99 ${responsiveness.eventLoopDelay.p99.toFixed(1)} ms (idle ${responsiveness.idleEventLoopDelay.p99.toFixed(1)}), CPU share ${pct(responsiveness.mainThreadCpuShare, 0)}`
          : 'skipped',
        responsiveness ? `${responsiveness.analyses} analyses meanwhile` : '',
      ],
      ['peak memory (RSS, all threads)', memory.peakRssMb == null ? 'n/a' : `${Math.round(memory.peakRssMb)} MB`, `now ${Math.round(memory.rssMb)} MB`],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    console.log(`\nfaces benchmark: ${root}; ${workers} worker(s) at nice ${result.nice ?? '?'}, ${result.cores} cores, load average ${loadBefore.toFixed(2)} at start`);
    console.log(`${'figure'.padEnd(w0)}  ${'value'.padEnd(w1)}  note`);
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
    if (sweep) {
      console.log('\nworkers  nice  compare p50 / p95      with workers saturated: event-loop delay p99 (idle p99), main-thread CPU share');
      for (const s of sweep) {
        const r = s.responsiveness;
        console.log(`${String(s.workers).padEnd(7)}  ${String(s.nice).padEnd(4)}  ${`${ms(s.compare.p50)} / ${ms(s.compare.p95)}`.padEnd(21)}  ${r.eventLoopDelay.p99.toFixed(1)} ms (${r.idleEventLoopDelay.p99.toFixed(1)}), ${pct(r.mainThreadCpuShare, 0)}`);
      }
    }
    if (result.skipped.length) console.log(`\nskipped: ${result.skipped.map((s) => `${s.file} (${s.reason})`).join('; ')}`);
    console.log(`recommended thresholds (0-100): accept >= ${RECOMMENDED_THRESHOLDS.accept}, review >= ${RECOMMENDED_THRESHOLDS.review}`);
  }
} finally {
  await engine.close();
}
