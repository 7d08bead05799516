import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facesAvailable, facesDir } from '../helpers/faces.ts';
import { projectRoot } from '../helpers/stack.ts';

const run = promisify(execFile);
/** CharlesMoose_0002 and _0003 show someone beside him. */
const MULTI_FACE = 2;
const securetask = (...args: string[]) =>
  run(process.execPath, [path.join(projectRoot, 'bin/securetask.js'), ...args], { cwd: projectRoot, env: { ...process.env, SECURETASK_FACE_ACCEPT: '90', SECURETASK_FACE_REVIEW: '80' } });

/** `securetask faces ...` as an operator runs it, on the shared images. */
describe.skipIf(!facesAvailable)('securetask faces', () => {
  let folder: string;
  beforeAll(async () => {
    // A small calibration set outside the project: two people, three images each; two of
    // Charles Moose's press photos show a second face.
    folder = await mkdtemp(path.join(tmpdir(), 'securetask-calibrate-'));
    for (const file of ['photos/obama_1.jpg', 'photos/obama_2.jpg', 'photos/obama_3.jpg', 'lfw/CharlesMoose_0001.jpg', 'lfw/CharlesMoose_0002.jpg', 'lfw/CharlesMoose_0003.jpg']) {
      await copyFile(path.join(facesDir, file), path.join(folder, path.basename(file)));
    }
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('compare prints the similarity, the decision under the configured thresholds and the time', async () => {
    const same = JSON.parse((await securetask('faces', 'compare', path.join(facesDir, 'cards/facerec_obama_card_on_desk.jpg'), path.join(facesDir, 'photos/obama_2.jpg'), '--json')).stdout);
    expect(same).toMatchObject({ decision: 'ACCEPT', thresholds: { accept: 90, review: 80 } });
    expect(same.similarity).toBeGreaterThanOrEqual(90);
    expect(same.compareMs).toBeGreaterThan(0);
    const other = JSON.parse((await securetask('faces', 'compare', path.join(facesDir, 'photos/obama_1.jpg'), path.join(facesDir, 'photos/biden_1.jpg'), '--json')).stdout);
    expect(other.decision).toBe('REJECT');
    expect(other.similarity).toBeLessThan(80);
    const text = (await securetask('faces', 'compare', path.join(facesDir, 'photos/obama_1.jpg'), path.join(facesDir, 'photos/obama_3.jpg'))).stdout;
    expect(text).toMatch(/similarity\s+\d+\.\d \/ 100/);
    expect(text).toMatch(/decision\s+ACCEPT/);
  }, 240_000);

  it('calibrate counts genuine and impostor pairs and reports the error rates and their thresholds', async () => {
    const report = JSON.parse((await securetask('faces', 'calibrate', folder, '--json')).stdout);
    expect(report.images).toEqual({ found: 6, used: 6, multiFace: MULTI_FACE });
    expect(report.pairs).toMatchObject({ genuine: 6, impostor: 9 });
    expect(report.similarity.equalErrorRate).toBeDefined();
    const text = (await securetask('faces', 'calibrate', folder)).stdout;
    expect(text).toMatch(/equal error rate/i);
    expect(text).toMatch(/0\.1 %/);
    expect(text).toMatch(new RegExp(`6 used \\(${MULTI_FACE} with more than one face: their main face\\)`));
  }, 360_000);

  it('says how to use it when the arguments are wrong', async () => {
    await expect(securetask('faces', 'compare', 'only-one.jpg')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/usage: securetask faces compare/i) });
  });
});
