/**
 * The board in two browsers at once: a card moved in one shows up moved in the other, both ways,
 * by keyboard; an edit saved over someone else's change opens the conflict dialog and a merge
 * keeps both changes; a dashboard on a wall screen follows the board as it changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from './harness/app.ts';
import { expectNoA11yViolations } from './harness/a11y.ts';
import { launch, openPage, screenshot, type WatchedPage } from './harness/browser.ts';

let app: RunningApp;
let browser: Browser;
let adminToken: string;
let memberToken: string;
let memberId: string;
let admin: WatchedPage;
let member: WatchedPage;

const createTask = (input: Record<string, unknown>) =>
  app.graphql(adminToken, 'mutation ($input: CreateTaskInput!) { createTask(boardId: "main", input: $input) { id version } }', { input }).then((d) => d.createTask as { id: string; version: number });

/** The card of `title` in the column named `column`, exactly. */
const cardIn = (page: Page, column: string, title: string) =>
  page.getByRole('region', { name: column, exact: true }).getByRole('article', { name: title, exact: true });

/** Moves a card one column to the right (or left) with the keyboard, as a screen-reader user does. */
async function moveByKeyboard(page: Page, title: string, key: 'ArrowRight' | 'ArrowLeft') {
  await page.getByRole('button', { name: `Move “${title}”`, exact: true }).focus();
  for (const k of ['Space', key, 'Space']) {
    await page.keyboard.press(k);
    await page.waitForTimeout(250);
  }
}

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  adminToken = await app.token('lead@example.com', 'ADMIN');
  memberToken = await app.token('ana@example.com', 'MEMBER');
  memberId = (await app.graphql(memberToken, '{ me { id } }')).me.id;
  await createTask({ title: 'Write the launch plan', priority: 'HIGH', assigneeId: memberId, labels: ['launch'] });
  await createTask({ title: 'Book the venue', status: 'IN_PROGRESS', dueDate: '2026-01-15', labels: ['ops'] });
  await createTask({ title: 'Order the banners', status: 'BLOCKED', priority: 'LOW' });

  admin = await openPage(browser, app.url, { session: adminToken });
  member = await openPage(browser, app.url, { session: memberToken });
  for (const { page } of [admin, member]) {
    await page.goto('/board');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  }
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('two people on the board', () => {
  it("see each other's card moves live", async () => {
    await cardIn(member.page, 'To do', 'Write the launch plan').waitFor();
    await screenshot(admin.page, 'board-1-before');
    await expectNoA11yViolations(admin.page, 'board');

    await moveByKeyboard(admin.page, 'Write the launch plan', 'ArrowRight');
    await cardIn(admin.page, 'In progress', 'Write the launch plan').waitFor();
    await cardIn(member.page, 'In progress', 'Write the launch plan').waitFor({ timeout: 10_000 });
    await screenshot(member.page, 'board-2-member-sees-the-move');

    // And back the other way: the member moves their own task on to Blocked.
    await moveByKeyboard(member.page, 'Write the launch plan', 'ArrowRight');
    await cardIn(admin.page, 'Blocked', 'Write the launch plan').waitFor({ timeout: 10_000 });
    await screenshot(admin.page, 'board-3-admin-sees-the-move');
    expect(await admin.page.getByRole('region', { name: 'To do', exact: true }).getByRole('article').count()).toBe(0);
    expect([...admin.errors, ...member.errors]).toEqual([]);
  });

  it('shows the conflict dialog when a save meets someone else\'s change, and a merge keeps both', async () => {
    const { id } = await createTask({ title: 'Print the flyers', priority: 'MEDIUM' });
    await cardIn(admin.page, 'To do', 'Print the flyers').waitFor();

    // The admin starts editing the title...
    await admin.page.getByRole('link', { name: 'Print the flyers', exact: true }).click();
    const drawer = admin.page.getByRole('dialog', { name: 'Print the flyers' });
    await drawer.getByRole('button', { name: 'Edit task' }).click();
    const form = admin.page.getByRole('dialog', { name: 'Edit task' });
    await form.getByRole('textbox', { name: 'Title' }).fill('Print the flyers (recycled paper)');

    // ...while someone else raises its priority.
    const current = (await app.graphql(adminToken, 'query ($id: ID!) { task(boardId: "main", id: $id) { version } }', { id })).task;
    await app.graphql(adminToken, 'mutation ($input: UpdateTaskInput!) { updateTask(boardId: "main", input: $input) { version } }', { input: { id, expectedVersion: current.version, priority: 'URGENT' } });

    await form.getByRole('button', { name: 'Save changes' }).click();
    const conflict = admin.page.getByRole('alertdialog', { name: 'Someone else changed this task' });
    await conflict.waitFor({ timeout: 10_000 });
    await screenshot(admin.page, 'conflict-dialog');
    await expectNoA11yViolations(admin.page, 'conflict dialog');
    await conflict.getByRole('button', { name: 'Save merge' }).click();
    await conflict.waitFor({ state: 'detached' });

    const saved = (await app.graphql(adminToken, 'query ($id: ID!) { task(boardId: "main", id: $id) { title priority version } }', { id })).task;
    expect(saved).toMatchObject({ title: 'Print the flyers (recycled paper)', priority: 'URGENT' });
    // The member's board shows the merged task without a reload.
    await cardIn(member.page, 'To do', 'Print the flyers (recycled paper)').waitFor({ timeout: 10_000 });
    expect(admin.errors.filter((e) => !/409|Failed to load resource/.test(e))).toEqual([]);
  });

  it('keeps a wall dashboard up to date as the board changes', async () => {
    const wall = await openPage(browser, app.url, { session: memberToken, viewport: { width: 1920, height: 1080 } });
    await wall.page.goto('/dashboard?wall');
    const total = wall.page.locator('.dash-tile', { has: wall.page.getByText('Tasks on the board', { exact: true }) }).locator('.dash-tile-value');
    await expect.poll(() => total.textContent(), { timeout: 10_000 }).toBe('4');

    await createTask({ title: 'Hire the photographer', status: 'DONE', priority: 'URGENT' });
    await createTask({ title: 'Send the invitations', dueDate: '2026-02-01' });
    await expect.poll(() => total.textContent(), { timeout: 10_000 }).toBe('6');
    await wall.page.waitForTimeout(800); // the bars' transition
    await screenshot(wall.page, 'dashboard-wall');
    await expectNoA11yViolations(wall.page, 'dashboard (wall)');
    expect(wall.errors).toEqual([]);
    await wall.context.close();
  });
});
