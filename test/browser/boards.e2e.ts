/**
 * Boards in the browser: a person on two boards switches between them; a comment posted in one
 * browser appears in the open task drawer of another, live; a wall screen on a dashboard token
 * (/kiosk#token=...) shows a board's figures and follows a change without anyone signed in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from './harness/app.ts';
import { expectNoA11yViolations } from './harness/a11y.ts';
import { launch, openPage, screenshot } from './harness/browser.ts';

let app: RunningApp;
let browser: Browser;
let adminToken: string;
let anaToken: string;
let ops: { id: string; key: string };
let opsTask: { id: string };

const createTask = (boardId: string, title: string) =>
  app.graphql(adminToken, 'mutation ($b: ID!, $i: CreateTaskInput!) { createTask(boardId: $b, input: $i) { id } }', { b: boardId, i: { title } }).then((d) => d.createTask as { id: string });

const card = (page: Page, title: string) => page.getByRole('article', { name: title, exact: true });

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  // Memberships count from a token's first request (the authorizer caches its answer), so each
  // token is made once the boards and memberships it needs are in place.
  const setup = await app.token('lead@example.com', 'ADMIN');
  ops = (await app.graphql(setup, 'mutation { createBoard(input: { key: "OPS", name: "Operations" }) { id key } }')).createBoard;
  await app.token('ana@example.com', 'MEMBER');
  const users = (await app.graphql(setup, '{ users(limit: 100) { items { id email } } }')).users.items as { id: string; email: string }[];
  const anaId = users.find((u) => u.email === 'ana@example.com')!.id;
  await app.graphql(setup, 'mutation ($b: ID!, $u: ID!) { setBoardMember(boardId: $b, userId: $u, role: MEMBER) { role } }', { b: ops.id, u: anaId });
  adminToken = await app.token('lead@example.com', 'ADMIN');
  anaToken = await app.token('ana@example.com', 'MEMBER');
  await createTask('main', 'Plan the launch');
  opsTask = await createTask(ops.id, 'Rotate the keys');
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('boards in the browser', () => {
  it('switch boards: the board switcher shows the other board and puts it in the address', async () => {
    const ana = await openPage(browser, app.url, { session: anaToken });
    await ana.page.goto('/board');
    await card(ana.page, 'Plan the launch').waitFor();
    const switcher = ana.page.getByRole('combobox', { name: 'Board' });
    expect(await switcher.locator('option').allTextContents()).toEqual(['Main board (MAIN)', 'Operations (OPS)']);
    await switcher.selectOption('OPS');
    await card(ana.page, 'Rotate the keys').waitFor();
    expect(await card(ana.page, 'Plan the launch').count()).toBe(0);
    expect(new URL(ana.page.url()).search).toBe('?board=OPS');
    await screenshot(ana.page, 'boards-1-switched');
    await expectNoA11yViolations(ana.page, 'board (switched)');
    expect(ana.errors).toEqual([]);
    await ana.context.close();
  });

  it("a comment posted in one browser appears in the other's open task drawer", async () => {
    const lead = await openPage(browser, app.url, { session: adminToken });
    const ana = await openPage(browser, app.url, { session: anaToken });
    for (const { page } of [lead, ana]) {
      await page.goto(`/board/${opsTask.id}?board=OPS`);
      await page.getByRole('heading', { name: /^Comments/ }).waitFor();
    }
    // Both drawers are subscribed once their list is read; give the subscriptions a moment to start.
    await ana.page.waitForTimeout(1500);
    await lead.page.getByRole('combobox', { name: /Add a comment/ }).fill('Keys rotated on staging.');
    await lead.page.getByRole('button', { name: 'Post comment' }).click();
    await ana.page.getByText('Keys rotated on staging.', { exact: true }).waitFor({ timeout: 15_000 });
    expect(await ana.page.getByRole('status').filter({ hasText: 'commented: Keys rotated on staging.' }).count()).toBe(1);
    await screenshot(ana.page, 'boards-2-comment-arrived');
    await expectNoA11yViolations(ana.page, 'task drawer with a live comment');
    expect([...lead.errors, ...ana.errors]).toEqual([]);
    await lead.context.close();
    await ana.context.close();
  });

  it('a kiosk dashboard follows a change without anyone signed in', async () => {
    const made = await app.graphql(adminToken, 'mutation ($b: ID!) { createDashboardToken(boardId: $b, name: "Hallway", expiresInDays: 30) { token } }', { b: ops.id });
    const wall = await openPage(browser, app.url, { viewport: { width: 1920, height: 1080 } });
    await wall.page.goto(`/kiosk#token=${encodeURIComponent(made.createDashboardToken.token)}`);
    const total = wall.page.locator('.dash-tile', { has: wall.page.getByText('Tasks on the board', { exact: true }) }).locator('.dash-tile-value');
    await total.waitFor();
    expect(await total.textContent()).toBe('1');
    await createTask(ops.id, 'Renew the certificate');
    await expect.poll(() => total.textContent(), { timeout: 15_000 }).toBe('2');
    expect(wall.page.url()).toContain('/kiosk');
    expect(await wall.page.getByRole('button', { name: /sign in|verify/i }).count()).toBe(0);
    expect(await wall.page.evaluate(() => sessionStorage.getItem('securetask.session'))).toBeNull();
    await wall.page.waitForTimeout(800); // the bars' transition
    await screenshot(wall.page, 'boards-3-kiosk');
    await expectNoA11yViolations(wall.page, 'kiosk dashboard');
    expect(wall.errors).toEqual([]);
    await wall.context.close();
  });
});
