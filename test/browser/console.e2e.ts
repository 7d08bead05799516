/**
 * The API console at /local: GraphiQL loads with the schema's docs, runs a query with each auth
 * mode (the API key, a dev token for an email and role, IAM), and a subscription receives the event
 * of a mutation over AppSync's real-time protocol.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from './harness/app.ts';
import { launch, openPage, screenshot, type WatchedPage } from './harness/browser.ts';

let app: RunningApp;
let browser: Browser;
let console_: WatchedPage;

/**
 * Replaces the query in GraphiQL's editor with the operation `name` (and runs it, unless it is a
 * subscription, which answers over the WebSocket). GraphiQL reads the operation's name from the
 * editor a moment after it changes: the tab's title says when it has.
 */
async function enter(page: Page, name: string, operation: string): Promise<void> {
  await page.locator('.graphiql-query-editor .monaco-editor').first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // Inserted at once, not typed: Monaco would close each brace typed.
  await page.keyboard.insertText(operation);
  await page.locator('.graphiql-tab-active').filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) }).waitFor();
}

/** Runs a query or mutation; resolves to the response pane's text once the API answered. */
async function run(page: Page, name: string, operation: string): Promise<string> {
  await enter(page, name, operation);
  const answered = page.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST');
  await page.getByRole('button', { name: /Execute query/ }).click();
  await answered;
  return responseText(page);
}

/** What GraphiQL's response pane shows (Monaco draws it with non-breaking spaces). */
async function responseText(page: Page): Promise<string> {
  await page.waitForTimeout(300); // the editor draws the answer after it arrives
  return ((await page.locator('.graphiql-response .view-lines').innerText()) ?? '').replace(/\u00a0/g, ' ');
}

async function chooseAuth(page: Page, label: string) {
  await page.getByRole('radio', { name: label }).check();
}

/** Asks the runtime for a dev token for `email` with `role`, as a person does in the console. */
async function getDevToken(page: Page, email: string, role: 'ADMIN' | 'MEMBER') {
  await chooseAuth(page, 'Dev token');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('combobox', { name: 'Role' }).selectOption(role);
  await page.getByRole('button', { name: 'Get a dev token' }).click();
  await page.getByText(`Token for ${email} (${role})`).waitFor();
}

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  console_ = await openPage(browser, app.url);
  await console_.page.goto('/local');
  await console_.page.getByRole('heading', { name: 'SecureTask API console' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the API console', () => {
  it("loads GraphiQL for the local endpoint with the schema's docs", async () => {
    const { page } = console_;
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    await page.getByRole('link', { name: 'Query' }).first().click();
    // The field and its description, from the schema the runtime serves.
    await page.getByText('The signed-in user, with their current role', { exact: false }).first().waitFor();
    await screenshot(page, 'api-console-docs');
    await page.getByRole('button', { name: /Hide Documentation Explorer/ }).click();
  });

  it('runs a query with each auth mode', async () => {
    const { page } = console_;
    await chooseAuth(page, 'API key');
    expect(await run(page, 'Session', 'query Session { verification(id: "no-such-session") { id state } }')).toMatch(/"verification": null/);
    // The key opens only the onboarding calls: the runtime decides with the mode the console sent.
    expect(await run(page, 'Me', 'query Me { me { email } }')).toMatch(/Not Authorized to access me on type Query/);

    await getDevToken(page, 'ana@example.com', 'MEMBER');
    const me = await run(page, 'MyRole', 'query MyRole { me { email role } }');
    expect(me).toMatch(/"email": "ana@example.com"/);
    expect(me).toMatch(/"role": "MEMBER"/);

    await chooseAuth(page, 'IAM (SigV4)');
    const signed = page.waitForRequest((r) => r.url().endsWith('/graphql') && r.method() === 'POST');
    expect(await run(page, 'Typename', 'query Typename { __typename }')).toMatch(/"__typename": "Query"/);
    expect((await (await signed).allHeaders()).authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIA/);
    // IAM is the fan-out's mode: it may publish events, not read a user's data.
    expect(await run(page, 'Me', 'query Me { me { email } }')).toMatch(/Not Authorized to access me on type Query/);
    await screenshot(page, 'api-console-iam');
  });

  it('receives a subscription event over the real-time protocol when a mutation happens', async () => {
    const { page } = console_;
    await getDevToken(page, 'ana@example.com', 'ADMIN');
    await enter(page, 'NewTasks', 'subscription NewTasks { onTaskEvent(boardId: "main", type: TASK_CREATED) { type task { title } } }');
    await page.getByRole('button', { name: /Prettify query/ }).click();
    await page.locator('.graphiql-query-editor .monaco-editor').first().click();
    await page.keyboard.press('ControlOrMeta+Home'); // the editor scrolled right while the query was one line
    await page.getByRole('button', { name: /Execute query/ }).click();
    await page.getByRole('status').filter({ hasText: 'Subscription listening' }).waitFor({ timeout: 20_000 });

    const admin = await app.token('lead@example.com', 'ADMIN');
    await app.graphql(admin, 'mutation { createTask(boardId: "main", input: { title: "Seen in the console" }) { id } }');
    await expect.poll(() => responseText(page), { timeout: 20_000 }).toMatch(/"title": "Seen in the console"/);
    expect(await responseText(page)).toMatch(/"type": "TASK_CREATED"/);
    await screenshot(page, 'api-console-subscription');
    expect(console_.errors).toEqual([]);
  });
});
