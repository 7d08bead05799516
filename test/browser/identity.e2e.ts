/**
 * Identity in a real browser with a fake camera filming a real face: a person onboards with an
 * ID card image and a matching selfie and lands on the board (as the admin of a fresh install);
 * an impostor's selfie is refused with a reason; a returning person signs in with their face.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startApp, type RunningApp } from './harness/app.ts';
import { expectNoA11yViolations } from './harness/a11y.ts';
import { launch, openPage, screenshot } from './harness/browser.ts';
import { facesAvailable, penny, sheldonFace, verifyIdentity } from './harness/people.ts';

describe.skipIf(!facesAvailable)('identity', () => {
  let app: RunningApp;
  let pennyCamera: Browser;
  let impostorCamera: Browser;
  beforeAll(async () => {
    // Open signup, so the impostor gets as far as the face comparison.
    [app, pennyCamera, impostorCamera] = await Promise.all([startApp({ SECURETASK_SIGNUP: 'open' }), launch({ camera: penny.selfie }), launch({ camera: sheldonFace })]);
  });
  afterAll(async () => {
    await Promise.all([pennyCamera?.close(), impostorCamera?.close()]);
    await app?.stop();
  });

  it('onboards a person with an ID card and a matching selfie, straight onto the board as the first admin', async () => {
    const { page, context, errors } = await openPage(pennyCamera, app.url);
    await verifyIdentity(page, { ...penny, email: 'penny@example.com' }, (step) => screenshot(page, `onboarding-1-${step}`));
    await page.waitForURL(/\/board$/, { timeout: 60_000 });
    await page.getByRole('link', { name: 'Admin' }).waitFor();
    await screenshot(page, 'onboarding-2-board');
    await expectNoA11yViolations(page, 'empty board of a new admin');
    expect(await page.getByText('penny@example.com').first().isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("refuses an impostor's selfie against Penny's ID with a reason and the attempts left", async () => {
    const { page, context, errors } = await openPage(impostorCamera, app.url);
    await verifyIdentity(page, { ...penny, email: 'not-penny@example.com' });
    await page.getByRole('heading', { name: 'We need a new photo' }).waitFor({ timeout: 60_000 });
    expect(await page.getByText('2 attempts left.', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText(/does not match the photo on the ID/).isVisible()).toBe(true);
    await screenshot(page, 'impostor-refused');
    await expectNoA11yViolations(page, 'verification: new photo needed');
    expect(page.url()).toMatch(/\/verify$/);
    // The console may log the failed comparison's GraphQL answer; nothing else.
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });

  it('signs a returning person in with their face and back to where they were going', async () => {
    const { page, context, errors } = await openPage(pennyCamera, app.url);
    await page.goto('/dashboard');
    await page.waitForURL(/\/sign-in\?next=%2Fdashboard$/);
    await page.getByRole('textbox', { name: 'Email' }).fill('penny@example.com');
    const take = page.getByRole('button', { name: 'Take selfie' });
    await page.waitForFunction(() => !(document.querySelector('button[disabled]')?.textContent ?? '').includes('Take selfie'));
    await take.click();
    await page.getByRole('img', { name: 'Your selfie' }).waitFor();
    await screenshot(page, 'face-sign-in');
    await expectNoA11yViolations(page, 'face sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard$/, { timeout: 60_000 });
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
