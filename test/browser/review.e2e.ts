/**
 * Manual review in two browsers: a person whose faces are close but not close enough waits for
 * a review (the policy here sends every genuine pair to review); an admin sees both images side
 * by side, approves with a note, and the person's page says they are verified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startApp, type RunningApp } from './harness/app.ts';
import { expectNoA11yViolations } from './harness/a11y.ts';
import { launch, openPage, screenshot } from './harness/browser.ts';
import { facesAvailable, leonard, verifyIdentity } from './harness/people.ts';

describe.skipIf(!facesAvailable)('manual review', () => {
  let app: RunningApp;
  let leonardCamera: Browser;
  let adminBrowser: Browser;
  beforeAll(async () => {
    [app, leonardCamera, adminBrowser] = await Promise.all([
      startApp({ SECURETASK_SIGNUP: 'open', SECURETASK_FACE_ACCEPT: '100', SECURETASK_FACE_REVIEW: '50', ADMIN_EMAILS: 'reviewer@example.com' }),
      launch({ camera: leonard.selfie }),
      launch(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([leonardCamera?.close(), adminBrowser?.close()]);
    await app?.stop();
  });

  it('an admin approves a review, and the person is told they can sign in', async () => {
    const person = await openPage(leonardCamera, app.url);
    await verifyIdentity(person.page, { ...leonard, email: 'leonard@example.com' });
    await person.page.getByRole('heading', { name: 'Waiting for a review' }).waitFor({ timeout: 60_000 });
    await screenshot(person.page, 'review-1-waiting');
    await expectNoA11yViolations(person.page, 'waiting for a review');

    const admin = await openPage(adminBrowser, app.url, { session: await app.token('reviewer@example.com', 'ADMIN') });
    await admin.page.goto('/admin/reviews');
    await admin.page.getByRole('article', { name: leonard.name }).waitFor();
    await admin.page.getByRole('button', { name: `Review ${leonard.name}` }).click();
    const dialog = admin.page.getByRole('dialog', { name: `Review ${leonard.name}` });
    // Both images load from their one-minute links.
    for (const name of [`ID document of ${leonard.name}`, `Selfie of ${leonard.name}`]) {
      const image = dialog.getByRole('img', { name });
      await image.waitFor();
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    }
    await screenshot(admin.page, 'review-2-admin-dialog');
    await expectNoA11yViolations(admin.page, 'review dialog');

    // A note is required: approving without one says so.
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.getByText(/Write a note/).waitFor();
    await dialog.getByRole('textbox', { name: 'Note' }).fill('Same person as the ID photo; checked the card in a call.');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.page.getByRole('heading', { name: 'Nobody is waiting' }).waitFor();
    await screenshot(admin.page, 'review-3-queue-empty');

    // The person's page, still open, learns of the approval and offers face sign-in.
    await person.page.getByRole('heading', { name: "You're verified" }).waitFor({ timeout: 30_000 });
    await person.page.getByRole('link', { name: 'Sign in with your face' }).waitFor();
    await screenshot(person.page, 'review-4-person-verified');

    const audit = await app.graphql(await app.token('reviewer@example.com', 'ADMIN'), '{ auditLog(filter: { action: VERIFICATION_REVIEWED }) { items { outcome } } }');
    expect(audit.auditLog.items.map((i: { outcome: string }) => i.outcome)).toEqual(['APPROVED']);
    expect([...person.errors, ...admin.errors]).toEqual([]);
  });
});
