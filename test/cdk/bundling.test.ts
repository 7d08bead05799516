import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { describe, expect, it } from 'vitest';
import { api } from '../../api/definition.ts';
import type { FunctionDefinition } from '../../api/types.ts';
import { handlerBundling } from '../../cdk/constructs/functions.ts';
import { projectRoot } from './synth.ts';

// The unit suite skips bundling; this file bundles each handler as the stack does (esbuild from
// node_modules, no Docker) so a handler that cannot be bundled, or grows past 1 MB, fails here.
describe('handler bundles', () => {
  // The description's functions, and the one the stack adds in AWS only (stack.ts).
  const entries: [string, Pick<FunctionDefinition, 'entry' | 'nativeModules'>][] = [...Object.entries(api.functions), ['apiKeyRenewal', { entry: 'functions/api-key-renewal/handler.ts' }]];
  it.each(entries)('%s bundles with esbuild to under 1 MB', (name, fn) => {
    const entry = path.join(projectRoot, fn.entry);
    if (!existsSync(entry)) {
      console.warn(`[cdk test] skipped bundling ${name}: ${fn.entry} does not exist yet`);
      return;
    }
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, `Bundle-${name}`);
    new nodejs.NodejsFunction(stack, name, {
      entry,
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      bundling: handlerBundling(fn.nativeModules, projectRoot),
    });
    const outdir = app.synth().directory;
    const assetDir = path.join(outdir, readdirSync(outdir).find((f) => f.startsWith('asset.'))!);
    const code = readdirSync(assetDir).find((f) => f.endsWith('.mjs'))!;
    expect(code, 'ESM output').toBe('index.mjs');
    const size = statSync(path.join(assetDir, code)).size;
    // Native modules sit beside the bundle, built for Lambda (Linux, arm64), not for this machine.
    const installed = (name: string) => existsSync(path.join(assetDir, 'node_modules', name, 'package.json'));
    const nativeOk = (fn.nativeModules ?? []).map((name) => [name, installed(name), name !== 'sharp' || (installed('@img/sharp-linux-arm64') && !installed('@img/sharp-linux-x64'))]);
    rmSync(outdir, { recursive: true, force: true });
    expect(size).toBeLessThan(1024 * 1024);
    for (const [name, beside, forLambda] of nativeOk) expect([name, beside, forLambda]).toEqual([name, true, true]);
  }, 120_000);
});
