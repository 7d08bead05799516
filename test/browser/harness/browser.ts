/**
 * Debian's Chromium driven by playwright-core, with a fake camera that films a real face image
 * from ../shared/faces, console errors collected (a scenario fails on any), and screenshots saved
 * under test-results/browser/ for CI to keep.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from './app.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(projectRoot, 'test-results', 'browser');
/** The shared face images (never copied into the project). */
export const FACES = path.resolve(projectRoot, '..', 'shared', 'faces');

// Without the networking flags Chromium keeps calling Google's hosts, which this closed network refuses.
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * An MJPEG file for `--use-file-for-fake-video-capture`: the image as one 640x480 JPEG frame
 * (Chromium loops it), framed like a webcam shot with the face in the middle.
 */
export async function fakeCamera(image: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'securetask-camera-'));
  const file = path.join(dir, `${path.basename(image, path.extname(image))}.mjpeg`);
  const frame = await sharp(image).resize(640, 480, { fit: 'contain', background: { r: 128, g: 128, b: 128 } }).jpeg({ quality: 92 }).toBuffer();
  writeFileSync(file, frame);
  return file;
}

/** Launches Chromium; with `camera`, its only camera films that image. */
export async function launch({ camera }: { camera?: string } = {}): Promise<Browser> {
  const args = [...FLAGS];
  if (camera) args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${await fakeCamera(camera)}`);
  return chromium.launch({ executablePath: CHROMIUM, args });
}

/** A page whose console errors and uncaught exceptions are collected in `errors`. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

/** Pages open now: a failing scenario screenshots them (see `screenshotOpenPages`). */
const openPages = new Set<Page>();

/** Saves what every open page shows, as `<prefix>-<n>.png`: what a failed scenario left on screen. */
export async function screenshotOpenPages(prefix: string): Promise<void> {
  let n = 0;
  for (const page of openPages) {
    if (!page.isClosed()) await screenshot(page, `${prefix}-${++n}`).catch(() => undefined);
  }
}

/** Opens a context (camera allowed for `origin`) and a page in it. */
export async function openPage(browser: Browser, origin: string, { viewport = { width: 1280, height: 860 }, session }: { viewport?: { width: number; height: number }; session?: string } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, permissions: ['camera'], baseURL: origin });
  // A signed-in person, without going through the camera (scenarios that are not about sign-in).
  if (session) await context.addInitScript((token) => sessionStorage.setItem('securetask.session', token), session);
  const page = await context.newPage();
  openPages.add(page);
  page.once('close', () => openPages.delete(page));
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, context, errors };
}

/** Saves a full-page screenshot as test-results/browser/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
