/**
 * CDK benchmark: one full `cdk synth` as CI runs it (esbuild bundling, CloudFormation
 * validation, cdk-nag), then the template's resource count and each Lambda bundle's size
 * (goal: every handler under 1 MB). Prints the figures; BENCHMARKS.md is kept by hand.
 *
 *   node --import tsx bench/cdk/run.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const outdir = mkdtempSync(path.join(tmpdir(), 'securetask-cdk-bench-'));
const limit = 1024 * 1024;

try {
  const started = performance.now();
  const synth = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', outdir], { cwd: projectRoot, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (synth.status !== 0) {
    process.stderr.write(synth.stdout + synth.stderr);
    throw new Error(`cdk synth failed (exit ${synth.status})`);
  }

  const templateFile = readdirSync(outdir).find((f) => f.endsWith('.template.json'))!;
  const template = JSON.parse(readFileSync(path.join(outdir, templateFile), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: { FunctionName?: string }; Metadata?: Record<string, string> }>;
  };
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
    });

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`full cdk synth (bundling + CloudFormation validation + cdk-nag): ${seconds.toFixed(1)} s`);
  console.log(`template: ${templateFile}, ${resources.length} resources, ${kb(statSync(path.join(outdir, templateFile)).size)}`);
  for (const [type, count] of [...byType].sort()) console.log(`  ${type.padEnd(44)} ${count}`);
  console.log('Lambda bundles (minified ESM, AWS SDK included; source map beside it):');
  for (const b of bundles) console.log(`  ${b.name.padEnd(40)} ${kb(b.code).padStart(10)}  (map ${kb(b.map)})  ${b.code < limit ? 'under 1 MB' : 'OVER 1 MB'}`);
  if (bundles.some((b) => b.code >= limit)) process.exitCode = 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
