/** Per-file setup of the browser scenarios: a failed test leaves screenshots of every open page. */
import { afterEach } from 'vitest';
import { screenshotOpenPages } from './browser.ts';

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60).toLowerCase();
    await screenshotOpenPages(`FAILED-${name}`);
  }
});
