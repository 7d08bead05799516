// Which face of a photo is its subject: the largest, discounted by its distance from the centre.
import { describe, expect, it } from 'vitest';
import { mainFaceIndex, mainFaceScore } from '../../functions/verification/faces/main-face.ts';

const box = (left: number, top: number, width: number, height = width) => ({ left, top, width, height });

describe('mainFaceIndex', () => {
  it('picks the only face, and -1 when there is none', () => {
    expect(mainFaceIndex([box(0.4, 0.4, 0.2)])).toBe(0);
    expect(mainFaceIndex([])).toBe(-1);
  });

  it('picks the largest of faces equally far from the centre', () => {
    expect(mainFaceIndex([box(0.4, 0.4, 0.1), box(0.35, 0.35, 0.3)])).toBe(1);
  });

  it('prefers a central subject to a slightly larger bystander at the edge', () => {
    // An LFW press photo: the subject in the middle, a larger face cut by the right edge.
    expect(mainFaceIndex([box(0.59, 0.39, 0.37, 0.44), box(0.24, 0.31, 0.38, 0.43)])).toBe(1);
  });

  it('does not let a small face in the middle beat a large one beside it', () => {
    // A face printed small in the middle of a card photo, the holder large and a little off-centre.
    expect(mainFaceIndex([box(0.45, 0.45, 0.08), box(0.15, 0.2, 0.45)])).toBe(1);
  });

  it('scores area times (1 - distance from the centre)^2, zero in a corner', () => {
    expect(mainFaceScore(box(0.4, 0.4, 0.2))).toBeCloseTo(0.04, 12);
    expect(mainFaceScore(box(-0.1, -0.1, 0.2))).toBe(0);
  });
});
