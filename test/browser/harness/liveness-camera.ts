/**
 * Chromium's fake camera for liveness checks: a video file made in the test from a shared face
 * image, following the challenge of the very session the page is about to run.
 *
 * The challenge (the oval, the colours) exists only once the API created the Face Liveness
 * session, and Chromium's fake camera plays one file, named at launch. The way through, honest to
 * both: the browser is launched with a placeholder file (the same size and rate); when the page's
 * startLivenessCheck answer comes back, the test reads the stand-in's session file (its documented
 * test hook, local/aws/rekognition/README.md: the oval and colours are drawn when the session is
 * created), films the clip for that challenge with test/helpers/liveness-video.ts into the camera
 * file, and only then hands the answer to the page. The component opens the camera after it has
 * the answer, so Chromium reads the new file: a person who was already sitting in front of the
 * camera. Nothing in the page, the component or the stand-in is told about any of this.
 *
 * The clip starts far from the oval and stays there long enough for the component to load, open
 * the stream and start recording before the face moves in (Chromium loops the file; a check that
 * ran past its end would see the face jump back). The browser trusts the run's TLS certificate
 * (the local Rekognition's wss://) by its public key alone (--ignore-certificate-errors-spki-list).
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomInt, X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import { createFaceEngine, type PooledFaceEngine } from '../../../local/faces/index.ts';
import { makeLivenessClip, sourceImage, type ClipOptions, type SourceImage } from '../../helpers/liveness-video.ts';
import { plannedChallenge, standInVerdict } from '../../helpers/liveness-plan.ts';
import type { RunningApp } from './app.ts';
import { CHROMIUM, FLAGS } from './browser.ts';

/** Who is in front of the camera: a clip kind and its people (test/helpers/liveness-video.ts). */
export type Presentation = Omit<ClipOptions, 'challenge' | 'seed' | 'y4mFile' | 'timing'>;

/**
 * What the camera plays for a check: a clip filmed for it, or the very clip played for the
 * previous check (a recording of an earlier check, played to the camera again).
 */
export type CameraInput = Presentation | 'the previous clip';

/**
 * How long the face waits far from the oval, moves, and holds in it, and stays after the colours
 * (ms): see the file comment. A loaded machine's Chromium shows the colours slower than planned,
 * so the clip goes on well past them rather than loop back mid-check. Not longer: the clip is
 * filmed while the session's 3 minutes run, and a machine at load 30 took most of them to film
 * 22 s of it (the component then finds the session gone: "could not check the video").
 * The move into the oval takes 1.5 s, as a person's unhurried shift does: the component stops
 * recording on the first frame it sees the face fit, so the recording ends on the approach; the
 * stand-in judges the fit there with the component's own face box (ears included), and the
 * medium check needs the frames of the approach to see the room stay still behind the head.
 */
const TIMING = { initialMs: 7000, moveMs: 1500, holdMs: 9000, tailMs: 5000 };

/**
 * The fake camera's frame rate: the component asks for at least 15. Fewer frames leave a loaded
 * machine's Chromium more room to play them in time: a camera that falls behind the clock films
 * the screen's colours later than the component showed them.
 */
const CAMERA_FPS = 15;

/**
 * The fake camera's frame size: the smallest the component accepts. At 640 x 480 headless
 * Chromium's software capture and VP8 encoder kept 2.5-5.8 of 15 frames a second on this machine
 * and dropped the last 1.3-3.1 s of each recording; at 320 x 240, 11-14.5 and 0.1 s
 * (docs/verification.md).
 */
const CAMERA_SIZE = { width: 320, height: 240 };

/** Every clip of a run differs (a person never moves the same way twice); LIVENESS_SEED repeats a run. */
let nextSeed = Number(process.env.LIVENESS_SEED ?? randomInt(1, 2 ** 30));
const seedsOfRun = nextSeed;

/** A browser whose only camera plays the clip filmed for the next liveness check. */
export interface LivenessCamera {
  browser: Browser;
  /** The face engine that locates the faces of source images (the stack's own kind). */
  faces: PooledFaceEngine;
  /** A shared face image (a path under ../shared/faces) ready to be filmed. */
  person(file: string): Promise<SourceImage>;
  /**
   * Films `presentation` for the next liveness check the page starts: the page's
   * startLivenessCheck answer waits until the clip is in the camera file. Resolves (with the
   * session id) once the page has the answer.
   */
  filmNextCheck(page: Page, presentation: CameraInput): Promise<{ sessionId: string; seed: number }>;
  close(): Promise<void>;
}

/** Launches Chromium with the fake liveness camera, trusting `app`'s certificate. */
export async function launchLivenessCamera(app: RunningApp): Promise<LivenessCamera> {
  const dir = mkdtempSync(path.join(tmpdir(), 'securetask-liveness-camera-'));
  const cameraFile = path.join(dir, 'camera.y4m');
  placeholder(cameraFile);
  const spki = spkiHash(readFileSync(path.join(app.dataDir, 'tls', 'localhost.crt'), 'utf8'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...FLAGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${cameraFile}`,
      `--ignore-certificate-errors-spki-list=${spki}`,
    ],
  });
  const faces = await createFaceEngine({ workers: 1 });
  const people = new Map<string, Promise<SourceImage>>();
  const person = (file: string) => {
    if (!people.has(file)) people.set(file, sourceImage(faces, file));
    return people.get(file)!;
  };

  let previousClip: string | undefined;
  const filmNextCheck: LivenessCamera['filmNextCheck'] = (page, presentation) =>
    new Promise((resolve, reject) => {
      let taken = false;
      const handler = async (route: Route) => {
        const body = route.request().postData() ?? '';
        if (taken || !body.includes('startLivenessCheck')) return route.fallback();
        taken = true;
        const seed = nextSeed++;
        try {
          const response = await route.fetch();
          const answer = (await response.json()) as { data?: { startLivenessCheck?: { sessionId: string } } };
          const sessionId = answer.data?.startLivenessCheck?.sessionId;
          if (sessionId) {
            const challenge = await plannedChallenge(app.dataDir, sessionId);
            let clip = previousClip;
            if (presentation !== 'the previous clip') {
              clip = path.join(dir, `clip-${seed}.y4m`);
              await makeLivenessClip({ ...presentation, seed, challenge, y4mFile: clip, y4mFps: CAMERA_FPS, y4mSize: CAMERA_SIZE, timing: TIMING });
            }
            if (!clip) throw new Error('there is no previous clip to play again');
            // Copied whole, then swapped in by the copy's rename: Chromium never reads half a file.
            copyFileSync(clip, `${cameraFile}.next`);
            renameSync(`${cameraFile}.next`, cameraFile);
            previousClip = clip;
          }
          await route.fulfill({ response });
          await page.unroute('**/graphql', handler);
          if (!sessionId) reject(new Error(`startLivenessCheck failed: ${JSON.stringify(answer)}`));
          else resolve({ sessionId, seed });
        } catch (error) {
          reject(new Error(`filming the liveness clip failed (clip seed ${seed}, LIVENESS_SEED=${seedsOfRun}): ${error instanceof Error ? error.message : String(error)}`));
        }
      };
      void page.route('**/graphql', handler);
    });

  return {
    browser,
    faces,
    person,
    filmNextCheck,
    async close() {
      await browser.close();
      await faces.close();
    },
  };
}

/**
 * Runs the liveness check that `start` leads the page into, with `presentation` in front of the
 * camera: the clip is filmed for the check's session before the page gets its answer, then the
 * person presses the component's own "Start video check". Resolves with the Face Liveness session id.
 */
export async function runLivenessCheck(camera: LivenessCamera, page: Page, presentation: CameraInput, start: () => Promise<unknown>): Promise<string> {
  const filmed = camera.filmNextCheck(page, presentation);
  await start();
  const { sessionId } = await filmed;
  await page.getByRole('button', { name: /Start video check/i }).click({ timeout: 90_000 });
  return sessionId;
}

const REFUSED = /^(We need a new liveness check|The liveness check stopped|Try again with a new liveness check|We need a new photo of your ID)$/;

/**
 * Waits for the outcome of a check: the page moves on (to a URL matching `success`, or showing a
 * heading named `success`), or shows a refusal; returns which, and what it says.
 */
export async function outcomeOf(page: Page, success: RegExp | string): Promise<{ outcome: 'signed in' | 'refused'; text: string }> {
  const movedOn = typeof success === 'string' ? page.getByRole('heading', { name: success }).waitFor({ timeout: 300_000 }) : page.waitForURL(success, { timeout: 300_000 });
  const outcome = await Promise.race([
    movedOn.then(() => 'signed in' as const),
    page.getByRole('heading', { name: REFUSED }).waitFor({ timeout: 300_000 }).then(() => 'refused' as const),
  ]);
  const text = outcome === 'refused' ? ((await page.locator('section.onb-card, section.id-state').first().textContent()) ?? '') : '';
  return { outcome, text };
}

/**
 * A genuine person's check, as a person does it: when the offline check refuses them, they start
 * a new check, as the page offers, within the session's three attempts. Why it is needed: the
 * light challenge's colours are on the screen when the component says, and a face reflects them
 * then, but a clip filmed in advance shows them when the clip planned, and the component on a
 * loaded machine notices the face in the oval (and so starts the colours) a few hundred ms late or
 * early; the stand-in then finds the colours off (docs/verification.md). Each refusal is printed
 * with the stand-in's verdict.
 */
export async function genuineCheck(app: RunningApp, camera: LivenessCamera, page: Page, presentation: Presentation, start: () => Promise<unknown>, success: RegExp | string) {
  let sessionId = await runLivenessCheck(camera, page, presentation, start);
  let result = await outcomeOf(page, success);
  for (let retry = 0; retry < 2 && result.outcome === 'refused' && /could not confirm a live person/.test(result.text); retry++) {
    console.warn(`a genuine check was refused; starting a new one. The page said: ${result.text}\nThe stand-in's verdict: ${await standInVerdict(app.dataDir, sessionId)}`);
    sessionId = await runLivenessCheck(camera, page, presentation, () => page.getByRole('button', { name: 'Start a new liveness check' }).click());
    result = await outcomeOf(page, success);
  }
  const last = sessionId;
  return { ...result, verdict: () => standInVerdict(app.dataDir, last) };
}

/**
 * What the browser scenarios run SecureTask with. A file filmed before the check can follow the
 * oval, which the session file holds, but not the light challenge's colours as the component
 * shows them: it shows each when its own clock and a loaded machine's frames allow (1.5 s instead
 * of 475 ms was seen), while a face reflects the screen at once. Filmed ahead, genuine clips
 * were refused by the light check 6 times in 8; so the scenarios ask for the movement challenge
 * (SECURETASK_LIVENESS_CHALLENGE), and the light challenge is tested with the real streaming
 * client (test/integration/face-liveness-*.test.ts), whose clip and colour events agree.
 */
export const LIVENESS_SCENARIO_ENV = { SECURETASK_LIVENESS_CHALLENGE: 'FaceMovementChallenge' };

/** A second of grey at the clip's size and rate: what Chromium enumerates the camera with. */
function placeholder(file: string): void {
  const made = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=gray:s=${CAMERA_SIZE.width}x${CAMERA_SIZE.height}:r=${CAMERA_FPS}`, '-t', '1', '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', '-y', file]);
  if (made.status !== 0) throw new Error(`ffmpeg could not make the placeholder camera file: ${made.stderr}`);
}

/** The base64 SHA-256 of a certificate's public key, as Chromium's --ignore-certificate-errors-spki-list takes it. */
function spkiHash(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
