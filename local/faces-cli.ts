import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../api/config.ts';
import { decide } from '../functions/verification/decide.ts';
import { assessComparison } from '../functions/verification/quality-gate.ts';
import { FaceMatchError } from '../functions/verification/faces/face-matcher.ts';
import { calibrateFolder, formatCalibrationReport } from './faces/calibration.ts';
import { createFaceEngine } from './faces/engine.ts';
import { OfflineFaceMatcher } from './offline-matcher.ts';

export const FACES_USAGE = `  faces compare <a> <b> [--json]
                                similarity of the faces in two images (0-100), the decision under
                                the current thresholds (SECURETASK_FACE_ACCEPT / _REVIEW), and the time
  faces calibrate <folder> [--json]
                                error rates over images named <person>_<anything>.jpg|png (an image
                                with several faces counts with its main face, and is counted), and
                                the thresholds that give them: choose thresholds on your own data`;

/** `securetask faces ...`: the offline matcher from the command line, for calibration. */
export async function facesCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'compare') return compare(rest);
  if (sub === 'calibrate') return calibrate(rest);
  console.error(`securetask faces: say compare or calibrate\n\n${FACES_USAGE}`);
  return 2;
}

async function compare(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length !== 2) {
    console.error(`usage: securetask faces compare <a> <b> [--json]`);
    return 2;
  }
  const [a, b] = await Promise.all(positionals.map((file) => readFile(file)));
  const policy = configFromEnv().verification;
  const loading = Date.now();
  const engine = await createFaceEngine({ workers: 1 });
  const loadedMs = Date.now() - loading;
  try {
    const matcher = new OfflineFaceMatcher(engine);
    const started = Date.now();
    let result: { similarity: number; decision: string; reason?: string; quality?: string[] };
    try {
      const comparison = await matcher.compareFaces(a, b, { qualityFilter: policy.qualityFilter });
      const quality = assessComparison(comparison, policy.qualityGate);
      result = {
        similarity: Math.round(comparison.similarity * 100) / 100,
        decision: decide(comparison.similarity, policy, 'ONBOARDING', quality),
        ...(quality.length ? { quality: quality.map((q) => `${q.image}: ${q.problem}`) } : {}),
      };
    } catch (error) {
      if (!(error instanceof FaceMatchError)) throw error;
      result = { similarity: 0, decision: 'REJECT', reason: error.code };
    }
    const compareMs = Date.now() - started;
    const thresholds = { accept: policy.acceptSimilarity, review: policy.reviewSimilarity };
    if (values.json) {
      console.log(JSON.stringify({ a: positionals[0], b: positionals[1], ...result, thresholds, compareMs, modelLoadMs: loadedMs }, null, 2));
    } else {
      console.log(`similarity  ${result.similarity.toFixed(1)} / 100${result.reason ? `  (${result.reason})` : ''}`);
      console.log(`decision    ${result.decision}  (accept >= ${thresholds.accept}, review >= ${thresholds.review})`);
      if (result.quality) console.log(`quality     ${result.quality.join(', ')} (the quality gate sends this to review)`);
      console.log(`time        ${compareMs} ms to compare (models loaded in ${(loadedMs / 1000).toFixed(1)} s)`);
    }
    return 0;
  } finally {
    await engine.close();
  }
}

async function calibrate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length !== 1) {
    console.error(`usage: securetask faces calibrate <folder> [--json]`);
    return 2;
  }
  const engine = await createFaceEngine();
  try {
    const report = await calibrateFolder(positionals[0], engine, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\ranalysing images ${done}/${total}`);
      else if (done === total) process.stderr.write(`analysed ${total} images\n`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(values.json ? JSON.stringify(report, null, 2) : formatCalibrationReport(report));
    return 0;
  } finally {
    await engine.close();
  }
}
