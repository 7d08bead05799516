/**
 * CDK benchmark: two full `cdk synth` runs in a row as CI runs them (esbuild bundling,
 * CloudFormation validation, cdk-nag), with an example deployment's settings (`npm run
 * synth:check`). Prints the synth times, the template's resources, each Lambda bundle's size
 * (goal: every handler under 1 MB) and whether the two templates are identical (goal: they
 * are; asset hashes included, so the bundles must be byte-for-byte the same too). Exits non-zero
 * when a goal is missed. BENCHMARKS.md is kept by hand.
 *
 *   node --import tsx bench/cdk/run.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const limit = 1024 * 1024;
/** The settings of `npm run synth:check`: a stage that would deploy. */
const exampleContext = ['stage=check', 'mailFrom=no-reply@tasks.example.com', 'tokenIssuer=https://tasks.example.com', 'adminEmails=admin@example.com'];

interface Template {
  Resources: Record<string, { Type: string; Properties?: { FunctionName?: string }; Metadata?: Record<string, string> }>;
}

/** One full synth into a fresh folder: how long it took, the template, and where it is. */
function synth(): { seconds: number; outdir: string; templateFile: string; text: string; template: Template } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'securetask-cdk-bench-'));
  const started = performance.now();
  const args = ['cdk', 'synth', '--quiet', '--output', outdir, ...exampleContext.flatMap((c) => ['-c', c])];
  const run = spawnSync('npx', args, { cwd: projectRoot, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error(`cdk synth failed (exit ${run.status})`);
  }
  const templateFile = readdirSync(outdir).find((f) => f.endsWith('.template.json'))!;
  const text = readFileSync(path.join(outdir, templateFile), 'utf8');
  return { seconds, outdir, templateFile, text, template: JSON.parse(text) as Template };
}

/** The first place two JSON values differ, as a path, or undefined when they are the same. */
function firstDifference(a: unknown, b: unknown, at = '$'): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${at}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
    if (found) return found;
  }
  return at;
}

const first = synth();
const second = synth();
try {
  const { template, outdir, templateFile } = first;
  const resources = Object.values(template.Resources);
  const byType = new Map<string, number>();
  for (const r of resources) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);

  const bundles = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'] && typeof r.Properties?.FunctionName === 'string')
    .map(([, r]) => {
      const dir = path.join(outdir, r.Metadata!['aws:asset:path']);
      const code = readdirSync(dir).find((f) => /\.m?js$/.test(f))!;
      const map = readdirSync(dir).find((f) => f.endsWith('.map'));
      return { name: r.Properties!.FunctionName!, code: statSync(path.join(dir, code)).size, map: map ? statSync(path.join(dir, map)).size : 0 };
    })
    .sort((a, b) => b.code - a.code);

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`full cdk synth (bundling + CloudFormation validation + cdk-nag): ${first.seconds.toFixed(1)} s, then ${second.seconds.toFixed(1)} s`);
  console.log(`template: ${templateFile}, ${resources.length} resources, ${kb(statSync(path.join(outdir, templateFile)).size)}`);
  for (const [type, count] of [...byType].sort()) console.log(`  ${type.padEnd(44)} ${count}`);
  console.log('Lambda bundles (minified ESM, AWS SDK included; source map beside it, in the function package only):');
  for (const b of bundles) console.log(`  ${b.name.padEnd(40)} ${kb(b.code).padStart(10)}  (map ${kb(b.map)})  ${b.code < limit ? 'under 1 MB' : 'OVER 1 MB'}`);
  const difference = firstDifference(first.template, second.template);
  console.log(`stable synth: ${difference === undefined && first.text === second.text ? 'the two templates are identical' : `the templates DIFFER at ${difference ?? 'formatting'}`}`);
  if (bundles.some((b) => b.code >= limit) || first.text !== second.text) process.exitCode = 1;
} finally {
  for (const run of [first, second]) rmSync(run.outdir, { recursive: true, force: true });
}
