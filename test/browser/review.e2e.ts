/**
 * Manual review in two browsers: a person whose faces are close but not close enough waits for
 * a review (the policy here sends every genuine pair to review) after a liveness check filmed for
 * their session (harness/liveness-camera.ts); an admin sees the ID photo and the live reference
 * image side by side, the liveness check's confidence and frames, approves with a note, and the
 * person's page says they are verified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startApp, type RunningApp } from './harness/app.ts';
import { expectNoA11yViolations } from './harness/a11y.ts';
import { launch, openPage, screenshot } from './harness/browser.ts';
import { genuineCheck, LIVENESS_SCENARIO_ENV, launchLivenessCamera, type LivenessCamera } from './harness/liveness-camera.ts';
import { facesAvailable, leonard, verifyIdentity } from './harness/people.ts';

// Filming a clip and the stand-in's decision each take tens of seconds on a loaded 2-core machine.
describe.skipIf(!facesAvailable)('manual review', { timeout: 900_000 }, () => {
  let app: RunningApp;
  let camera: LivenessCamera;
  let adminBrowser: Browser;
  beforeAll(async () => {
    app = await startApp({ SECURETASK_SIGNUP: 'open', SECURETASK_FACE_ACCEPT: '100', SECURETASK_FACE_REVIEW: '50', ADMIN_EMAILS: 'reviewer@example.com', ...LIVENESS_SCENARIO_ENV });
    [camera, adminBrowser] = await Promise.all([launchLivenessCamera(app), launch()]);
  });
  afterAll(async () => {
    await Promise.all([camera?.close(), adminBrowser?.close()]);
    await app?.stop();
  });

  it('an admin approves a review, and the person is told they can sign in', async () => {
    const person = await openPage(camera.browser, app.url);
    const face = await camera.person(leonard.face);
    const { outcome, text, verdict } = await genuineCheck(app, camera, person.page, { kind: 'genuine', person: face }, () => verifyIdentity(person.page, { ...leonard, email: 'leonard@example.com' }), 'Waiting for a review');
    expect(outcome, `${text}\nthe stand-in's verdict: ${await verdict()}`).toBe('signed in');
    await screenshot(person.page, 'review-1-waiting');
    await expectNoA11yViolations(person.page, 'waiting for a review');

    const admin = await openPage(adminBrowser, app.url, { session: await app.token('reviewer@example.com', 'ADMIN') });
    await admin.page.goto('/admin/reviews');
    await admin.page.getByRole('article', { name: leonard.name }).waitFor();
    await admin.page.getByRole('button', { name: `Review ${leonard.name}` }).click();
    const dialog = admin.page.getByRole('dialog', { name: `Review ${leonard.name}` });
    // The images load from their one-minute links: the ID, the live reference image, a frame of the video.
    for (const name of [`ID document of ${leonard.name}`, `Live face (liveness check) of ${leonard.name}`, `Frame of the liveness video 1 of ${leonard.name}`]) {
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
