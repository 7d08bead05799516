// Calibration bookkeeping: labels from file names, same-source pairs, pair counts and the report,
// on synthetic descriptors and a throw-away folder of (empty) files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DescribedImage,
  evaluateDescriptors,
  formatCalibrationReport,
  listLabelledImages,
  pairScores,
  personKeyFromFileName,
} from '../../local/faces/calibration.ts';
import { ACCEPT_SCORE, ARCFACE_PART_LENGTH, joinDescriptors, RESNET_LENGTH } from '../../local/faces/similarity.ts';

describe('personKeyFromFileName', () => {
  it.each([
    ['amy_amy1.png', 'amy'],
    ['obama_1.jpg', 'obama'],
    ['Obama_2.JPG', 'obama'],
    ['bbt_howard_card.jpg', 'howard'],
    ['bbt_howard_card_on_desk.jpg', 'howard'],
    ['facerec_obama_card_far.jpg', 'obama'],
  ])('%s is %s', (name, person) => {
    expect(personKeyFromFileName(name)).toBe(person);
  });

  it.each(['angry.jpg', 'bbt1.jpg', '_x.png', 'group_kit_rose.jpg'])('%s has no person', (name) => {
    expect(personKeyFromFileName(name)).toBeNull();
  });
});

/**
 * A joined descriptor (ResNet part, ArcFace part) whose two parts point mostly along `axis`,
 * nudged by `wobble` along the next axis: near axes are the same person, far ones strangers.
 */
function descriptor(axis: number, wobble = 0): Float32Array {
  const part = (length: number) => {
    const v = new Array(length).fill(0);
    v[axis] = 1;
    v[(axis + 1) % length] = wobble;
    return v;
  };
  return joinDescriptors(part(RESNET_LENGTH), part(ARCFACE_PART_LENGTH));
}

function item(person: string, file: string, d: Float32Array, origin = file): DescribedImage {
  return { person, file, origin, descriptor: d };
}

describe('pairScores', () => {
  it('sorts pairs into genuine and impostor and leaves out pairs from one source image', () => {
    const items = [
      item('a', 'a1', descriptor(0)),
      item('a', 'a2', descriptor(0, 0.1)),
      item('a', 'a-card', descriptor(0, 0.05), 'a1'), // made from a1
      item('b', 'b1', descriptor(2)),
      item('b', 'b2', descriptor(2, 0.2)),
    ];
    const s = pairScores(items);
    // 10 pairs: a1-a_card left out; genuine a1-a2, a2-a_card, b1-b2; the other 6 impostor.
    expect(s.excludedSameOrigin).toBe(1);
    expect(s.genuine).toHaveLength(3);
    expect(s.impostor).toHaveLength(6);
    expect(Math.min(...s.genuine)).toBeGreaterThan(ACCEPT_SCORE);
    expect(Math.max(...s.impostor)).toBeLessThan(0);
    expect(s.hardestGenuine[0].score).toBe(Math.min(...s.genuine));
  });
});

describe('evaluateDescriptors', () => {
  it('reports separable people as 0 % equal error rate on both scales', () => {
    const items: DescribedImage[] = [];
    for (let p = 0; p < 4; p++) for (let k = 0; k < 3; k++) items.push(item(`p${p}`, `p${p}_${k}`, descriptor(p * 2, k * 0.05)));
    const r = evaluateDescriptors(items);
    expect(r.pairs).toEqual({ genuine: 12, impostor: 54, excludedSameOrigin: 0 });
    expect(r.people).toHaveLength(4);
    expect(r.score.equalErrorRate?.rate).toBe(0);
    expect(r.similarity.equalErrorRate?.rate).toBe(0);
    expect(r.atThresholds.every((t) => t.rates.falseAccepts === 0)).toBe(true);
    // 54 impostor pairs are too few for any anchor (0.1 % needs at least 1,000).
    expect(r.measuredAnchors.every((a) => a.score === null)).toBe(true);
    expect(r.score.atOneInTenThousand).toBeNull();
  });
});

describe('listLabelledImages', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'faces-calibration-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('walks sub-folders, labels by name, skips unlabelled images and reads SOURCES.tsv', () => {
    mkdirSync(path.join(dir, 'photos'));
    mkdirSync(path.join(dir, 'cards'));
    for (const f of ['photos/obama_1.jpg', 'photos/obama_2.jpg', 'photos/bbt1.jpg', 'photos/notes.txt', 'cards/facerec_obama_card.jpg']) writeFileSync(path.join(dir, f), '');
    writeFileSync(path.join(dir, 'cards', 'SOURCES.tsv'), 'facerec_obama_card.jpg\tsynthetic (made by a card-making script) from photos/obama_1.jpg\n');
    const { images, skipped, found } = listLabelledImages(dir);
    expect(found).toBe(4);
    expect(images.map((i) => [path.relative(dir, i.file), i.person])).toEqual([
      ['cards/facerec_obama_card.jpg', 'obama'],
      ['photos/obama_1.jpg', 'obama'],
      ['photos/obama_2.jpg', 'obama'],
    ]);
    expect(images[0].origin).toBe(path.join(dir, 'photos', 'obama_1.jpg'));
    expect(images[1].origin).toBe(images[1].file);
    expect(skipped).toEqual([{ file: path.join(dir, 'photos', 'bbt1.jpg'), reason: expect.stringMatching(/no person/) }]);
  });
});

describe('formatCalibrationReport', () => {
  it('prints the counts, the error rates with thresholds and the skipped images', () => {
    const items = [item('a', '/x/a_1.jpg', descriptor(0)), item('a', '/x/a_2.jpg', descriptor(0, 0.1)), item('b', '/x/b_1.jpg', descriptor(3))];
    const text = formatCalibrationReport({
      folders: ['/x'],
      images: { found: 5, used: 3, multiFace: 1 },
      skipped: [{ file: '/x/c_1.jpg', reason: 'no face found' }],
      ...evaluateDescriptors(items),
    });
    expect(text).toMatch(/1 genuine, 2 impostor/);
    expect(text).toMatch(/equal error rate\s+0\.00 % @/);
    expect(text).toMatch(/false rejects at <= 0\.1 % false acc\./);
    expect(text).toMatch(/3 used \(1 with more than one face: their main face\)/);
    expect(text).toMatch(/c_1\.jpg: no face found/);
  });
});
