/** The `securetask faces` commands; local/cli.ts declares their arguments and checks them. */
import { readFile } from 'node:fs/promises';
import { configFromEnv } from '../api/config.ts';
import { decide } from '../functions/verification/decide.ts';
import { assessComparison } from '../functions/verification/quality-gate.ts';
import { FaceMatchError } from '../functions/verification/faces/face-matcher.ts';
import { calibrateFolder, formatCalibrationReport } from './faces/calibration.ts';
import { createFaceEngine } from './faces/engine.ts';
import { OfflineFaceMatcher } from './offline-matcher.ts';

/** `securetask faces compare <a> <b>`: the offline matcher on two images, for calibration. */
export async function compare(fileA: string, fileB: string, options: { json?: boolean }): Promise<number> {
  const [a, b] = await Promise.all([fileA, fileB].map((file) => readFile(file)));
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
    if (options.json) {
      console.log(JSON.stringify({ a: fileA, b: fileB, ...result, thresholds, compareMs, modelLoadMs: loadedMs }, null, 2));
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

/** `securetask faces calibrate <folder>`: error rates and thresholds over a folder of labelled images. */
export async function calibrate(folder: string, options: { json?: boolean }): Promise<number> {
  const engine = await createFaceEngine();
  try {
    const report = await calibrateFolder(folder, engine, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\ranalysing images ${done}/${total}`);
      else if (done === total) process.stderr.write(`analysed ${total} images\n`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(options.json ? JSON.stringify(report, null, 2) : formatCalibrationReport(report));
    return 0;
  } finally {
    await engine.close();
  }
}
