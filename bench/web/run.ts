/**
 * bench/web: the web app as a person gets it, in Debian's headless Chromium.
 *
 *   npm run bench:web [-- --runs 7 --tasks 500 --changes 40 --concurrency 8 --only bundle,load,live --json]
 *
 * 1. bundle: builds the app (vite build into a temp folder) and weighs, gzipped (-9), what a first
 *    visit downloads, what opening the board adds, and the largest lazy chunks; Chromium's own
 *    list of fetched files checks the prediction. The same build is served to the browser below.
 * 2. load: starts SecureTask as `npm start` does (fresh data folder), creates the tasks through
 *    the API as an admin, then opens /board in a new browser context per run (empty cache) and
 *    again in a second tab of that context (warm cache), timing navigation -> all cards in the
 *    DOM, -> the header says Live, -> a click on a card's title has opened its drawer.
 * 3. live: an admin (A) and a member (B) on the board; A moves a task with the drawer's Status
 *    combobox; B's MutationObserver notes when the card is in its new column. Both read Date.now().
 *
 * Progress goes to stderr; the summary (Markdown) or, with --json, every figure to stdout.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { projectRoot, startApp, type RunningApp } from '../../test/browser/harness/app.ts';
import { measureBundle } from './bundle.ts';
import { COLLECT, READY, probeScript } from './probe.ts';
import { makeUsers, seedTasks, waitForSettled, type SeededTask } from './seed.ts';
import { say } from '../say.ts';

/** The issue's goal for the initial JavaScript, gzipped (KB = 1,000 bytes). */
const GOAL_INITIAL_JS_KB = 250;

/**
 * test/browser/harness/browser.ts, loaded at run time: it hands a function that uses
 * `sessionStorage` to the page, which the root tsconfig (no DOM types) cannot check.
 */
interface BrowserHarness {
  launch(options?: { camera?: string }): Promise<Browser>;
  openPage(browser: Browser, origin: string, options?: { viewport?: { width: number; height: number }; session?: string }): Promise<{ page: Page; context: BrowserContext; errors: string[] }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const kb = (bytes: number) => bytes / 1000;
const fmtKb = (bytes: number) => `${kb(bytes).toFixed(1)} KB`;
const ms = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US'));

// ---------------------------------------------------------------------------------------------
// Statistics

interface Spread {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles. */
function spread(values: number[]): Spread {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n, p50: NaN, p95: NaN, min: NaN, max: NaN, mean: NaN };
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * n) - 1)];
  return { n, p50: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[n - 1], mean: sorted.reduce((s, v) => s + v, 0) / n };
}

// ---------------------------------------------------------------------------------------------
// 1. The bundle

interface ChunkInfo {
  file: string;
  imports: string[];
  dynamicImports: string[];
  css: string[];
  facade: string | null;
  isEntry: boolean;
}

interface FileSize {
  file: string;
  gzip: number;
  /** The source module the chunk stands for, when it is a route or a lazy import. */
  module?: string;
}

export interface BundleResult {
  buildSeconds: number;
  /** index.html's script, its modulepreloads and its stylesheet (bench/web/bundle.ts). */
  entry: { jsGzip: number; cssGzip: number; files: FileSize[] };
  /** A newcomer's first visit to `/`: the entry plus the Welcome route's chunk and what it imports. */
  firstVisit: { jsGzip: number; cssGzip: number; files: FileSize[] };
  /** What opening /board adds to the entry: its route chunk and imports, and the live link chunk. */
  boardAdds: { jsGzip: number; cssGzip: number; files: FileSize[] };
  /** A signed-in visit straight to /board: entry + boardAdds. */
  boardVisit: { jsGzip: number; cssGzip: number };
  lazyChunks: FileSize[];
  /** What Chromium actually fetched (filled in by the browser phases). */
  observed: { firstVisit?: { jsGzip: number; cssGzip: number; files: string[] }; boardVisit?: { jsGzip: number; cssGzip: number; files: string[] } };
  goal: { limitKb: number; measuredKb: number; met: boolean };
}

async function buildAndMeasure(outDir: string): Promise<{ result: BundleResult; sizeOf: (files: string[]) => { jsGzip: number; cssGzip: number } }> {
  say(`bundle: vite build into ${outDir}`);
  const started = Date.now();
  const output = await build({
    configFile: path.join(projectRoot, 'frontend/vite.config.ts'),
    build: { outDir, emptyOutDir: true },
    logLevel: 'warn',
  });
  const buildSeconds = (Date.now() - started) / 1000;
  say(`  built in ${buildSeconds.toFixed(1)} s`);

  const outputs = (Array.isArray(output) ? output : [output]) as { output: any[] }[];
  const chunks = new Map<string, ChunkInfo>();
  for (const { output: items } of outputs) {
    for (const item of items) {
      if (item.type !== 'chunk') continue;
      chunks.set(item.fileName, {
        file: item.fileName,
        imports: item.imports ?? [],
        dynamicImports: item.dynamicImports ?? [],
        css: [...(item.viteMetadata?.importedCss ?? [])],
        facade: item.facadeModuleId ? path.relative(projectRoot, item.facadeModuleId) : null,
        isEntry: !!item.isEntry,
      });
    }
  }
  const gzipCache = new Map<string, number>();
  const gz = (file: string) => {
    if (!gzipCache.has(file)) gzipCache.set(file, gzipSync(readFileSync(path.join(outDir, file)), { level: 9 }).length);
    return gzipCache.get(file)!;
  };
  /** The chunks `roots` load before running: themselves and their static imports, recursively. */
  const closure = (roots: string[]) => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      chunks.get(file)?.imports.forEach(visit);
    };
    roots.forEach(visit);
    return seen;
  };
  const cssOf = (files: Iterable<string>) => new Set([...files].flatMap((f) => chunks.get(f)?.css ?? []));
  const sizeOf = (files: string[]) => ({
    jsGzip: files.filter((f) => f.endsWith('.js')).reduce((s, f) => s + gz(f), 0),
    cssGzip: files.filter((f) => f.endsWith('.css')).reduce((s, f) => s + gz(f), 0),
  });
  const describe = (files: Iterable<string>): FileSize[] =>
    [...files].map((file) => ({ file, gzip: gz(file), module: chunks.get(file)?.facade ?? undefined })).sort((a, b) => b.gzip - a.gzip);
  const byModule = (test: (facade: string) => boolean) => {
    const found = [...chunks.values()].find((c) => c.facade && test(c.facade));
    if (!found) throw new Error('a route chunk was not found in the build output');
    return found.file;
  };

  const initial = measureBundle(outDir);
  const entry = [...chunks.values()].find((c) => c.isEntry)!;
  const entryJs = closure([entry.file]);
  const entryFiles = new Set([...entryJs, ...cssOf(entryJs)]);
  const missingPreloads = [...entryJs].filter((f) => !initial.initialFiles.includes(f));
  if (missingPreloads.length) say(`  note: the entry imports ${missingPreloads.join(', ')} without a modulepreload in index.html`);

  const welcome = byModule((f) => f.endsWith('src/app/Welcome.tsx'));
  const board = byModule((f) => f.endsWith('src/board/BoardPage.tsx'));
  const realtime = byModule((f) => f.includes('aws-appsync-subscription-link'));

  const firstVisitJs = closure([entry.file, welcome]);
  const firstVisit = new Set([...firstVisitJs, ...cssOf(firstVisitJs)]);
  const boardJs = closure([board, realtime]);
  const boardAdds = new Set([...boardJs, ...cssOf(boardJs)].filter((f) => !entryFiles.has(f)));

  const firstVisitSize = sizeOf([...firstVisit]);
  const boardAddsSize = sizeOf([...boardAdds]);
  const result: BundleResult = {
    buildSeconds,
    entry: { jsGzip: initial.initialJsGzip, cssGzip: initial.initialCssGzip, files: describe(initial.initialFiles) },
    firstVisit: { ...firstVisitSize, files: describe(firstVisit) },
    boardAdds: { ...boardAddsSize, files: describe(boardAdds) },
    boardVisit: { jsGzip: initial.initialJsGzip + boardAddsSize.jsGzip, cssGzip: initial.initialCssGzip + boardAddsSize.cssGzip },
    lazyChunks: initial.lazyChunks.slice(0, 6).map((c) => ({ ...c, module: chunks.get(c.file)?.facade ?? undefined })),
    observed: {},
    goal: { limitKb: GOAL_INITIAL_JS_KB, measuredKb: kb(firstVisitSize.jsGzip), met: kb(firstVisitSize.jsGzip) <= GOAL_INITIAL_JS_KB },
  };
  say(`  entry ${fmtKb(result.entry.jsGzip)} JS + ${fmtKb(result.entry.cssGzip)} CSS; first visit to / ${fmtKb(firstVisitSize.jsGzip)} JS; /board adds ${fmtKb(boardAddsSize.jsGzip)} JS`);
  return { result, sizeOf };
}

// ---------------------------------------------------------------------------------------------
// 2. Loading the board

export interface LoadSample {
  /** Navigation start -> the board page (toolbar, "Loading the board…") is in the DOM (ms). */
  mounted: number;
  /** -> all cards in the DOM. */
  cards: number;
  /** -> the frame after that (rAF + setTimeout 0: roughly when it was painted). */
  cardsFrame: number;
  /** -> the header's status says Live. */
  live: number;
  /** -> both of the above, seen by the harness (when it clicks). */
  ready: number;
  /** -> the drawer of the clicked card is on screen (frame after it rendered): interactive. */
  interactive: number;
  /** The click as the page got it -> the drawer on screen. */
  clickToDrawer: number;
  /** The click's timestamp -> its first listener ran (main thread busy = long). */
  inputDelay: number;
  /** Ready -> the click's timestamp: the harness's own round trip, included in `interactive`. */
  harnessGap: number;
  /** Last board-code script (a /assets/*.js response) before the cards. */
  scriptsLoaded: number;
  /** Last /graphql response before the cards: the board's data is in. */
  dataLoaded: number;
  graphqlRequests: number;
  domContentLoaded: number;
  longTasks: { count: number; totalMs: number; maxMs: number; blockingMs: number };
  /** /assets/ files fetched from the network (not from the cache). */
  fetchedAssets: string[];
  errors: string[];
}

async function loadBoard(page: Page, cards: number, errors: string[]): Promise<LoadSample> {
  await page.addInitScript(probeScript({ cards }));
  await page.goto('/board', { waitUntil: 'commit' });
  const ready = await page.waitForFunction(READY, undefined, { polling: 'raf', timeout: 120_000 });
  const target = (await ready.jsonValue()) as { x: number; y: number; title: string };
  await page.mouse.click(target.x, target.y);
  await page.waitForFunction('window.__bench.drawerFrame !== null', undefined, { polling: 'raf', timeout: 60_000 });
  const m = (await page.evaluate(COLLECT)) as any;
  const click = (m.clicks as { timeStamp: number; handled: number }[]).find((c) => c.timeStamp >= m.readyAt) ?? m.clicks[m.clicks.length - 1];
  const before = (end: number) => end > 0 && end <= m.cards;
  const resources = m.resources as { name: string; end: number; transfer: number; type: string }[];
  const graphql = resources.filter((r) => r.name === '/graphql' && before(r.end));
  const scripts = resources.filter((r) => r.name.startsWith('/assets/') && r.name.endsWith('.js') && before(r.end));
  const long = (m.longTasks as [number, number][]).filter(([start]) => start <= m.drawerFrame);
  return {
    mounted: m.mounted,
    cards: m.cards,
    cardsFrame: m.cardsFrame,
    live: m.live,
    ready: m.readyAt,
    interactive: m.drawerFrame,
    clickToDrawer: m.drawerFrame - click.timeStamp,
    inputDelay: click.handled - click.timeStamp,
    harnessGap: click.timeStamp - m.readyAt,
    scriptsLoaded: Math.max(0, ...scripts.map((r) => r.end)),
    dataLoaded: Math.max(0, ...graphql.map((r) => r.end)),
    graphqlRequests: graphql.length,
    domContentLoaded: m.domContentLoaded,
    longTasks: {
      count: long.length,
      totalMs: long.reduce((s, [, d]) => s + d, 0),
      maxMs: Math.max(0, ...long.map(([, d]) => d)),
      blockingMs: long.reduce((s, [, d]) => s + Math.max(0, d - 50), 0),
    },
    // transferSize 0: served from the memory or disk cache.
    fetchedAssets: resources.filter((r) => r.name.startsWith('/assets/') && r.transfer > 0).map((r) => r.name.slice(1)),
    errors: [...errors],
  };
}

// ---------------------------------------------------------------------------------------------
// 3. A change in one browser, seen in another

export interface ChangeSample {
  to: string;
  /** A's Status change (Date.now()) -> the card in its new column in B's DOM. */
  delay: number;
  /** -> the frame after that in B. */
  delayFrame: number;
  /** A's change -> A's MoveTasks request sent. */
  sendLag: number;
  /** A's MoveTasks fetch: sent -> response. */
  roundTrip: number;
  /** A's response -> B's DOM. */
  afterResponse: number;
}

const LABELS: Record<string, string> = { TODO: 'To do', IN_PROGRESS: 'In progress', BLOCKED: 'Blocked', DONE: 'Done' };

async function liveChanges(
  harness: BrowserHarness,
  browser: Browser,
  app: RunningApp,
  tokens: { a: string; b: string },
  task: SeededTask,
  cards: number,
  changes: number,
): Promise<{ samples: ChangeSample[]; missed: number; errors: string[] }> {
  const a = await harness.openPage(browser, app.url, { session: tokens.a });
  const b = await harness.openPage(browser, app.url, { session: tokens.b });
  await a.page.addInitScript(probeScript({ cards, watchMoves: true }));
  await b.page.addInitScript(probeScript({ cards }));
  await Promise.all([a.page.goto(`/board/${encodeURIComponent(task.id)}`), b.page.goto('/board')]);
  const live = 'window.__bench && window.__bench.cards !== null && window.__bench.live !== null';
  await Promise.all([a.page.waitForFunction(live, undefined, { timeout: 120_000 }), b.page.waitForFunction(live, undefined, { timeout: 120_000 })]);
  const status = a.page.getByRole('combobox', { name: 'Status' });
  await status.waitFor();
  await sleep(1000);

  const targets = ['IN_PROGRESS', 'BLOCKED'].filter((s) => s !== task.status);
  if (targets.length < 2) targets.push(task.status === 'IN_PROGRESS' ? 'TODO' : 'IN_PROGRESS');
  const samples: ChangeSample[] = [];
  let missed = 0;
  for (let i = 0; i < changes; i++) {
    const to = targets[i % 2];
    await b.page.evaluate(`(() => { const m = window.__bench; m.seen = null; m.seenFrame = null; m.expect = ${JSON.stringify({ id: task.id, label: LABELS[to] })}; })()`);
    await status.selectOption(to);
    try {
      await b.page.waitForFunction('window.__bench.seenFrame !== null', undefined, { polling: 'raf', timeout: 15_000 });
      await a.page.waitForFunction(`window.__bench.sends.length > ${i} && window.__bench.sends[${i}].end !== null`, undefined, { timeout: 15_000 });
    } catch {
      missed++;
      say(`  change ${i + 1}: not seen in B within 15 s`);
      await sleep(2000);
      continue;
    }
    const [sentA, seenB] = (await Promise.all([
      a.page.evaluate(`({ change: window.__bench.changes[${i}], send: window.__bench.sends[${i}] })`),
      b.page.evaluate('({ seen: window.__bench.seen, seenFrame: window.__bench.seenFrame })'),
    ])) as [{ change: number; send: { start: number; end: number; ok: boolean } }, { seen: number; seenFrame: number }];
    if (!sentA.send.ok) say(`  change ${i + 1}: MoveTasks answered an HTTP error`);
    samples.push({
      to,
      delay: seenB.seen - sentA.change,
      delayFrame: seenB.seenFrame - sentA.change,
      sendLag: sentA.send.start - sentA.change,
      roundTrip: sentA.send.end - sentA.send.start,
      afterResponse: seenB.seen - sentA.send.end,
    });
    if ((i + 1) % 10 === 0) say(`  ${i + 1}/${changes} changes; p50 so far ${ms(spread(samples.map((s) => s.delay)).p50)} ms`);
    await sleep(300);
  }
  const errors = [...a.errors, ...b.errors];
  await a.context.close();
  await b.context.close();
  return { samples, missed, errors };
}

// ---------------------------------------------------------------------------------------------

function machine() {
  const cpus = os.cpus();
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return {
    date: new Date().toISOString(),
    commit: git('rev-parse', '--short', 'HEAD'),
    frontendChanged: git('status', '--porcelain', '--', 'frontend') !== '',
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: '',
    loadAverage: { start: os.loadavg().map((n) => Math.round(n * 100) / 100), end: [] as number[] },
  };
}

function loadRow(name: string, samples: LoadSample[]) {
  const s = (pick: (x: LoadSample) => number) => spread(samples.map(pick));
  const cell = (x: Spread) => (x.n === 1 ? ms(x.p50) : `${ms(x.p50)} (${ms(x.min)}–${ms(x.max)})`);
  return `| ${name} | ${samples.length} | ${cell(s((x) => x.scriptsLoaded))} | ${cell(s((x) => x.mounted))} | ${cell(s((x) => x.dataLoaded))} | ${cell(s((x) => x.cards))} | ${cell(s((x) => x.cardsFrame))} | ${cell(s((x) => x.live))} | ${cell(s((x) => x.interactive))} | ${cell(s((x) => x.clickToDrawer))} | ${cell(s((x) => x.longTasks.totalMs))} (${ms(s((x) => x.longTasks.maxMs).p50)}) |`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '7' },
      tasks: { type: 'string', default: '500' },
      changes: { type: 'string', default: '40' },
      concurrency: { type: 'string', default: '8' },
      only: { type: 'string', default: 'bundle,load,live' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'npm run bench:web [-- --runs 7 --tasks 500 --changes 40 --concurrency 8 --only bundle,load,live --json]\n' +
        '  --runs         board loads (each: a new context with an empty cache, then a second tab with a warm cache)\n' +
        '  --tasks        tasks created through the API before the board is opened\n' +
        '  --changes      status changes made in one browser and timed in another\n' +
        '  --concurrency  createTask requests in flight while seeding\n' +
        '  --only         any of bundle, load, live (the build is always made and served)\n' +
        '  --json         every figure and sample on stdout instead of the Markdown summary\n',
    );
    return;
  }
  const runs = Number(values.runs);
  const taskCount = Number(values.tasks);
  const changeCount = Number(values.changes);
  const concurrency = Number(values.concurrency);
  const only = new Set(values.only!.split(','));
  const meta = machine();
  say(`bench/web ${meta.date}: ${meta.cores} x ${meta.cpuModel}, Node ${meta.node}, load average ${meta.loadAverage.start.join(' ')}`);

  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) await Promise.resolve(step()).catch((e) => say(`cleanup: ${e}`));
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

  const results: {
    meta: typeof meta & { runs: number; tasks: number; changes: number; user: string };
    bundle?: BundleResult;
    load?: { seedSeconds: number; settleSeconds: number; samples: { run: number; cold: LoadSample; warm: LoadSample }[] };
    live?: { samples: ChangeSample[]; missed: number; errors: string[] };
  } = { meta: { ...meta, runs, tasks: taskCount, changes: changeCount, user: 'admin' } };

  try {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'securetask-web-bench-'));
    cleanups.push(() => rmSync(outDir, { recursive: true, force: true }));
    const { result: bundle, sizeOf } = await buildAndMeasure(outDir);
    if (only.has('bundle')) results.bundle = bundle;

    if (only.has('load') || only.has('live') || only.has('bundle')) {
      say('app: starting SecureTask (npm start) on a fresh data folder, serving that build');
      const app = await startApp({ SECURETASK_WEB_DIR: outDir });
      cleanups.push(() => app.stop());
      const harness = (await import(pathToFileURL(path.join(projectRoot, 'test/browser/harness/browser.ts')).href)) as BrowserHarness;
      const browser = await harness.launch();
      cleanups.push(() => browser.close());
      meta.chromium = browser.version();
      results.meta.chromium = meta.chromium;
      say(`  ${app.url}, Chromium ${meta.chromium}`);

      let tasks: SeededTask[] = [];
      let tokens: { admin: string; member: string } | undefined;
      if (only.has('load') || only.has('live')) {
        const { admin, members } = await makeUsers(app);
        tokens = { admin: admin.token, member: members[0].token };
        say(`seed: ${taskCount} tasks as ${admin.email}, ${concurrency} at a time`);
        const seedStart = Date.now();
        tasks = await seedTasks(app, admin, [admin, ...members], taskCount, concurrency, say);
        const seedSeconds = (Date.now() - seedStart) / 1000;
        say(`  created in ${seedSeconds.toFixed(1)} s; waiting for the stream consumers`);
        const settled = await waitForSettled(app, admin.token, taskCount);
        say(`  settled in ${(settled.ms / 1000).toFixed(1)} s (last task event ${settled.sequence})`);
        results.load = { seedSeconds, settleSeconds: settled.ms / 1000, samples: [] };
      }

      if (only.has('load') && tokens) {
        for (let run = 1; run <= runs; run++) {
          const { page, context, errors } = await harness.openPage(browser, app.url, { session: tokens.admin });
          const cold = await loadBoard(page, taskCount, errors);
          await page.close();
          const warmPage = await context.newPage();
          const warmErrors: string[] = [];
          warmPage.on('pageerror', (e) => warmErrors.push(e.message));
          warmPage.on('console', (msg) => msg.type() === 'error' && warmErrors.push(msg.text()));
          const warm = await loadBoard(warmPage, taskCount, warmErrors);
          await context.close();
          results.load!.samples.push({ run, cold, warm });
          say(`load ${run}/${runs}: empty cache: cards ${ms(cold.cards)} ms, Live ${ms(cold.live)} ms, interactive ${ms(cold.interactive)} ms; warm cache: cards ${ms(warm.cards)}, Live ${ms(warm.live)}, interactive ${ms(warm.interactive)} ms`);
          await sleep(1000);
        }
        const firstBoard = results.load!.samples[0]?.cold.fetchedAssets ?? [];
        if (results.bundle && firstBoard.length) results.bundle.observed.boardVisit = { ...sizeOf(firstBoard), files: firstBoard };
      }

      if (only.has('bundle') && results.bundle) {
        // A newcomer's first visit, as Chromium fetches it.
        const { page, context } = await harness.openPage(browser, app.url);
        await page.goto('/');
        await page.getByRole('heading', { level: 1 }).waitFor();
        await sleep(1000);
        const fetched = (await page.evaluate(
          "performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.startsWith('/assets/')).map((p) => p.slice(1))",
        )) as string[];
        await context.close();
        results.bundle.observed.firstVisit = { ...sizeOf(fetched), files: fetched };
        say(`bundle: Chromium fetched ${fetched.length} files on a first visit to / (${fmtKb(sizeOf(fetched).jsGzip)} JS gzipped)`);
      }

      if (only.has('live') && tokens) {
        const task = tasks.find((t) => t.status === 'TODO' && !t.assigneeId) ?? tasks[0];
        say(`live: ${changeCount} status changes of “${task.title}” by the admin (drawer's Status), watched by a member`);
        results.live = await liveChanges(harness, browser, app, { a: tokens.admin, b: tokens.member }, task, taskCount, changeCount);
      }
    }
  } finally {
    meta.loadAverage.end = os.loadavg().map((n) => Math.round(n * 100) / 100);
    results.meta.loadAverage = meta.loadAverage;
    await cleanUp();
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  process.stdout.write(report(results));
}

function report(results: {
  meta: ReturnType<typeof machine> & { runs: number; tasks: number; changes: number; user: string };
  bundle?: BundleResult;
  load?: { seedSeconds: number; settleSeconds: number; samples: { run: number; cold: LoadSample; warm: LoadSample }[] };
  live?: { samples: ChangeSample[]; missed: number; errors: string[] };
}): string {
  const { meta, bundle, load, live } = results;
  const out: string[] = [];
  out.push(`# bench/web — ${meta.date}`);
  out.push('');
  out.push(
    `Machine: ${meta.cores} x ${meta.cpuModel}, ${meta.memoryGiB} GiB, ${meta.os}; Node ${meta.node}; Chromium ${meta.chromium || '–'} (headless). ` +
      `Commit ${meta.commit}${meta.frontendChanged ? ' + uncommitted changes in frontend/' : ''}. Load average ${meta.loadAverage.start.join(' ')} at the start, ${meta.loadAverage.end.join(' ')} at the end.`,
  );
  if (bundle) {
    const files = (list: FileSize[]) => list.map((f) => `${path.basename(f.file)} ${fmtKb(f.gzip)}`).join(', ');
    out.push('', `## Initial bundle (gzip -9, KB = 1,000 bytes; build ${bundle.buildSeconds.toFixed(1)} s)`, '');
    out.push('| what | JS | CSS | files |', '|---|---:|---:|---|');
    out.push(`| entry (index.html: script + modulepreloads + stylesheet) | ${fmtKb(bundle.entry.jsGzip)} | ${fmtKb(bundle.entry.cssGzip)} | ${files(bundle.entry.files)} |`);
    out.push(`| first visit to / (entry + Welcome route) | **${fmtKb(bundle.firstVisit.jsGzip)}** | ${fmtKb(bundle.firstVisit.cssGzip)} | ${bundle.firstVisit.files.length} files |`);
    out.push(`| opening /board adds (route chunk, its imports, the live link) | ${fmtKb(bundle.boardAdds.jsGzip)} | ${fmtKb(bundle.boardAdds.cssGzip)} | ${files(bundle.boardAdds.files)} |`);
    out.push(`| signed-in visit straight to /board (entry + the above) | ${fmtKb(bundle.boardVisit.jsGzip)} | ${fmtKb(bundle.boardVisit.cssGzip)} | |`);
    const seen = bundle.observed;
    if (seen.firstVisit) out.push(`| seen by Chromium: first visit to / | ${fmtKb(seen.firstVisit.jsGzip)} | ${fmtKb(seen.firstVisit.cssGzip)} | ${seen.firstVisit.files.length} files |`);
    if (seen.boardVisit) out.push(`| seen by Chromium: first /board load, empty cache | ${fmtKb(seen.boardVisit.jsGzip)} | ${fmtKb(seen.boardVisit.cssGzip)} | ${seen.boardVisit.files.length} files |`);
    out.push('', `Largest lazy chunks: ${bundle.lazyChunks.map((c) => `${path.basename(c.file)} (${c.module ?? 'shared'}) ${fmtKb(c.gzip)}`).join('; ')}.`);
    out.push('', `Goal: initial JavaScript ≤ ${bundle.goal.limitKb} KB gzipped — first visit to / ${bundle.goal.measuredKb.toFixed(1)} KB: **${bundle.goal.met ? 'met' : 'missed'}**.`);
  }
  if (load && load.samples.length) {
    const first = load.samples[0];
    out.push('', `## /board with ${meta.tasks} tasks, navigation -> interactive (ms since navigation start; p50 (min–max))`, '');
    out.push(`Seeded in ${load.seedSeconds.toFixed(1)} s, stream consumers settled ${load.settleSeconds.toFixed(1)} s later. Viewer: the admin, 1280x860.`, '');
    out.push(
      '| load | runs | scripts in | board mounted | data in | 500 cards in DOM | cards painted | Live | interactive | click -> drawer | long tasks total (longest) |'.replace('500', String(meta.tasks)),
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    out.push(loadRow('first load after start (run 1, empty cache)', [first.cold]));
    if (load.samples.length > 1) out.push(loadRow('empty cache (runs 2+, new context)', load.samples.slice(1).map((s) => s.cold)));
    out.push(loadRow('warm cache (second tab, same context)', load.samples.map((s) => s.warm)));
    const all = load.samples.flatMap((s) => [s.cold, s.warm]);
    out.push('');
    out.push(
      `Columns: scripts in = last script response before the cards; board mounted = the board page in the DOM; data in = last GraphQL response before the cards; ` +
        `cards painted = the frame after the cards were in the DOM (rAF + setTimeout 0), ${ms(spread(all.map((s) => s.cardsFrame - s.cards)).p50)} ms later (p50); ` +
        `interactive = a click on the first card's title, sent once the cards and Live were there, has opened its drawer (next frame). ` +
        `Input delay of the click ${ms(spread(all.map((s) => s.inputDelay)).p50)} ms p50, max ${ms(spread(all.map((s) => s.inputDelay)).max)} ms; ` +
        `the harness clicked ${ms(spread(all.map((s) => s.harnessGap)).p50)} ms (p50) after the page was ready, included in "interactive". ` +
        `${ms(spread(all.map((s) => s.graphqlRequests)).p50)} GraphQL requests before the cards. ` +
        `Long tasks: ${ms(spread(all.map((s) => s.longTasks.count)).p50)} per load (p50), blocking time (sum of the part over 50 ms) ${ms(spread(all.map((s) => s.longTasks.blockingMs)).p50)} ms p50.`,
    );
    const errors = [...new Set(all.flatMap((s) => s.errors))];
    if (errors.length) out.push('', `Console errors: ${errors.slice(0, 5).join(' | ')}`);
  }
  if (live) {
    const s = (pick: (x: ChangeSample) => number) => spread(live.samples.map(pick));
    const row = (name: string, x: Spread) => `| ${name} | ${x.n} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.max)} | ${ms(x.min)} |`;
    out.push('', `## A change in one browser, seen in another (${live.samples.length} status changes, ${live.missed} missed)`, '');
    out.push('| figure (ms) | n | p50 | p95 | max | min |', '|---|---:|---:|---:|---:|---:|');
    out.push(row("A's Status change -> card in its new column in B's DOM", s((x) => x.delay)));
    out.push(row('the same, to the next frame in B', s((x) => x.delayFrame)));
    out.push(row("A's MoveTasks round trip (fetch sent -> response)", s((x) => x.roundTrip)));
    out.push(row("A's response -> B's DOM", s((x) => x.afterResponse)));
    out.push(row("A's change -> A's request sent", s((x) => x.sendLag)));
    if (live.errors.length) out.push('', `Console errors: ${[...new Set(live.errors)].slice(0, 5).join(' | ')}`);
  }
  out.push('');
  return out.join('\n');
}

main().catch((error: unknown) => {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
