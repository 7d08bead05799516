/**
 * Identity in a real browser, with Amplify's liveness component against the local Face Liveness
 * stand-in, and Chromium's fake camera playing clips filmed from ../shared/faces for each
 * session's own challenge (test/browser/harness/liveness-camera.ts says how):
 *
 * - a person who follows the challenge onboards with their ID card and lands on the board;
 * - a still photo held to the camera, the ID card held up and moved into the oval, and two faces
 *   are refused, each with the reason the person reads;
 * - a returning person signs in with their face; a still photo of them does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './harness/app.ts';
import { expectNoA11yViolations } from './harness/a11y.ts';
import { openPage, screenshot } from './harness/browser.ts';
import { readSessionFile, standInVerdict } from '../helpers/liveness-plan.ts';
import { genuineCheck, LIVENESS_SCENARIO_ENV, launchLivenessCamera, outcomeOf, runLivenessCheck, type LivenessCamera } from './harness/liveness-camera.ts';
import { facesAvailable, penny, sheldonFace, verifyIdentity } from './harness/people.ts';

const PENNY_CARD = 'cards/bbt_penny_card.jpg';

let app: RunningApp;

// Filming a clip and the stand-in's decision each take tens of seconds on a loaded 2-core machine.
describe.skipIf(!facesAvailable)('identity with a liveness check', { timeout: 900_000 }, () => {
  let camera: LivenessCamera;
  beforeAll(async () => {
    // Open signup, so that the attacks get as far as the liveness check.
    app = await startApp({ SECURETASK_SIGNUP: 'open', ...LIVENESS_SCENARIO_ENV });
    camera = await launchLivenessCamera(app);
  });
  afterAll(async () => {
    await camera?.close();
    await app?.stop();
  });

  it('onboards a person who follows the challenge as the first admin, who creates the first board', async () => {
    const { page, context, errors } = await openPage(camera.browser, app.url);
    const person = await camera.person(penny.face);
    const { outcome, text, verdict } = await genuineCheck(
      app,
      camera,
      page,
      { kind: 'genuine', person },
      async () => {
        await verifyIdentity(page, { ...penny, email: 'penny@example.com' }, (step) => screenshot(page, `onboarding-1-${step}`));
        await page.getByRole('heading', { name: 'Show your face' }).waitFor();
        await expectNoA11yViolations(page, 'the liveness step, the component loading');
      },
      /\/board$/,
    );
    expect(outcome, `${text}\nthe stand-in's verdict: ${await verdict()}`).toBe('signed in');
    await page.getByRole('link', { name: 'Admin' }).waitFor();
    expect(await page.getByText('penny@example.com').first().isVisible()).toBe(true);
    // The first admin of a new installation is on no board yet: she creates the first one, and is on it.
    await page.getByRole('textbox', { name: 'Name' }).fill('Physics Lab');
    await screenshot(page, 'onboarding-3-first-board');
    await expectNoA11yViolations(page, 'the first board');
    await page.getByRole('button', { name: 'Create board' }).click();
    await page.waitForURL(/\/board\?board=PL$/);
    await page.getByRole('heading', { name: 'Board', exact: true }).waitFor();
    await screenshot(page, 'onboarding-4-board');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a still photo held to the camera: the face never fills the oval, and the person is told to move closer', async () => {
    const { page, context } = await openPage(camera.browser, app.url);
    const person = await camera.person(penny.face);
    await runLivenessCheck(camera, page, { kind: 'still-photo', person, stillAt: 'start' }, () => verifyIdentity(page, { ...penny, email: 'photo@example.com' }));
    const { outcome, text } = await outcomeOf(page, /\/board$/);
    expect(outcome).toBe('refused');
    expect(text).toMatch(/did not fill the oval in time\. Move closer/);
    await page.getByRole('button', { name: 'Start a new liveness check' }).waitFor();
    await screenshot(page, 'refused-still-photo');
    await expectNoA11yViolations(page, 'liveness check stopped');
    await context.close();
  });

  it('refuses the ID card held up and moved into the oval, saying no live person was seen', async () => {
    const { page, context } = await openPage(camera.browser, app.url);
    const [person, card] = await Promise.all([camera.person(penny.face), camera.person(PENNY_CARD)]);
    const sessionId = await runLivenessCheck(camera, page, { kind: 'id-card', person, card }, () => verifyIdentity(page, { ...penny, email: 'card@example.com' }));
    const { outcome, text } = await outcomeOf(page, /\/board$/);
    const verdict = await standInVerdict(app.dataDir, sessionId);
    expect(outcome, `the stand-in's verdict: ${verdict}`).toBe('refused');
    // Which checks refused it, for whoever reads the run (the light check also refuses some genuine clips here).
    console.info(`ID card held up: ${verdict.match(/"scores":\{[^}]*\}/)?.[0] ?? verdict}`);
    // The stand-in finds no live person (what surrounds the face moves with it), or the image is the ID's own photo.
    expect(text).toMatch(/could not confirm a live person|is the photo on your ID|did not fill the oval/);
    await screenshot(page, 'refused-id-card');
    await context.close();
  });

  it('refuses two faces in front of the camera, asking for only one', async () => {
    const { page, context } = await openPage(camera.browser, app.url);
    const [person, second] = await Promise.all([camera.person(penny.face), camera.person(sheldonFace)]);
    const sessionId = await runLivenessCheck(camera, page, { kind: 'two-faces', person, second }, () => verifyIdentity(page, { ...penny, email: 'two@example.com' }));
    const { outcome, text } = await outcomeOf(page, /\/board$/);
    const verdict = await standInVerdict(app.dataDir, sessionId);
    expect(outcome, `the stand-in's verdict: ${verdict}`).toBe('refused');
    console.info(`two faces: ${verdict.match(/"scores":\{[^}]*\}/)?.[0] ?? verdict}`);
    expect(text).toMatch(/Only one face|alone/);
    await screenshot(page, 'refused-two-faces');
    await context.close();
  });

  it('signs a returning person in with their face and back to where they were going; a still photo of them, or a recording of their earlier check, does not', async () => {
    const { page, context, errors } = await openPage(camera.browser, app.url);
    const person = await camera.person(penny.face);
    await page.goto('/dashboard');
    await page.waitForURL(/\/sign-in\?next=%2Fdashboard$/);

    // A photo of Penny held still: refused, and the page says what to do.
    await page.getByRole('textbox', { name: 'Email' }).fill('penny@example.com');
    await screenshot(page, 'face-sign-in-1');
    await expectNoA11yViolations(page, 'face sign-in');
    await runLivenessCheck(camera, page, { kind: 'still-photo', person, stillAt: 'start' }, () => page.getByRole('button', { name: 'Sign in' }).click());
    const still = await outcomeOf(page, /\/dashboard$/);
    expect(still.outcome).toBe('refused');
    expect(still.text).toMatch(/did not fill the oval in time\. Move closer/);

    // Penny herself, following the challenge of a new check: filmed from another photo of her, since
    // her reference face came from the first one (the same picture again is refused as a copy of it).
    const again = await camera.person(penny.signInFace);
    const { outcome, text, verdict } = await genuineCheck(app, camera, page, { kind: 'genuine', person: again }, () => page.getByRole('button', { name: 'Start a new liveness check' }).click(), /\/dashboard$/);
    expect(outcome, `${text}\nthe stand-in's verdict: ${await verdict()}`).toBe('signed in');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    // The recording of that very check, played to the camera for a new sign-in: refused, by the
    // component (the face goes to the earlier check's oval, not this one's) or by the stand-in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out on every device.').waitFor();
    await page.goto('/dashboard');
    await page.waitForURL(/\/sign-in\?next=%2Fdashboard$/);
    await page.getByRole('textbox', { name: 'Email' }).fill('penny@example.com');
    const replaySession = await runLivenessCheck(camera, page, 'the previous clip', () => page.getByRole('button', { name: 'Sign in' }).click());
    const replayed = await outcomeOf(page, /\/dashboard$/);
    console.log(`a recording of an earlier check: ${replayed.text}; the stand-in: ${await standInVerdict(app.dataDir, replaySession)}`);
    expect(replayed.outcome).toBe('refused');
    // Whatever else refused it, a video that reached the stand-in is known for the recording it is:
    // the other checks pass a replay whose oval lies near the earlier one's.
    const checks = (await readSessionFile(app.dataDir, replaySession))?.Result?.Checks as { scores?: { replay?: number } } | undefined;
    const replayScore = checks?.scores?.replay;
    if (replayScore !== undefined) expect(replayScore, 'the stand-in\'s replay score (0: a recording of an earlier session)').toBe(0);
    expect(replayed.text).toMatch(/could not confirm a live person|did not fill the oval in time/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
