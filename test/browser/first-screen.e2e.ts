/**
 * A newcomer's first visit: the welcome screen with the two ways in, no console errors, usable on
 * a phone; unknown pages say so; signed-in-only pages send a guest to sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startApp, type RunningApp } from './harness/app.ts';
import { expectNoA11yViolations } from './harness/a11y.ts';
import { launch, openPage, screenshot } from './harness/browser.ts';

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the first screen', () => {
  it('welcomes a newcomer with the two ways in, on a desktop and on a phone, without console errors', async () => {
    const desktop = await openPage(browser, app.url);
    await desktop.page.goto('/');
    await desktop.page.getByRole('heading', { level: 1 }).waitFor();
    expect(await desktop.page.getByRole('link', { name: 'Verify your identity' }).isVisible()).toBe(true);
    expect(await desktop.page.getByRole('link', { name: 'Sign in with your face' }).isVisible()).toBe(true);
    await screenshot(desktop.page, 'first-screen-desktop');
    await expectNoA11yViolations(desktop.page, 'welcome (desktop)');

    const phone = await openPage(browser, app.url, { viewport: { width: 390, height: 844 } });
    await phone.page.goto('/');
    await phone.page.getByRole('link', { name: 'Verify your identity' }).waitFor();
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'first-screen-phone');
    await expectNoA11yViolations(phone.page, 'welcome (phone)');

    expect([...desktop.errors, ...phone.errors]).toEqual([]);
    await desktop.context.close();
    await phone.context.close();
  });

  it('sends a guest who opens the board to sign in, and comes back after', async () => {
    const { page, context, errors } = await openPage(browser, app.url);
    await page.goto('/board');
    await page.waitForURL(/\/sign-in\?next=%2Fboard$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says so for an address that is not a page', async () => {
    const { page, context } = await openPage(browser, app.url);
    await page.goto('/no-such-page');
    await page.getByRole('heading', { name: 'There is nothing here' }).waitFor();
    await context.close();
  });
});
