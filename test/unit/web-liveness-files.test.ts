/**
 * The liveness component's files, served by SecureTask itself: the Vite plugin finds the face
 * model and the WASM binaries the component needs in npm packages, and the local runtime serves
 * them from the build (one folder down in assets/), refusing anything that is not a plain name.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { livenessFiles } from '../../frontend/liveness-files.ts';
import { webAppRoutes } from '../../local/web-app.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');

describe('the liveness files of the build', () => {
  const found = livenessFiles(projectRoot);

  it("takes the WASM binaries of the tfjs-backend-wasm the component itself imports (its pinned version)", () => {
    const pinned = JSON.parse(readFileSync(path.join(projectRoot, 'node_modules/@aws-amplify/ui-react-liveness/package.json'), 'utf8')).dependencies['@tensorflow/tfjs-backend-wasm'];
    expect(found.binaryPath).toBe(`/assets/liveness/tfjs-backend-wasm-${pinned}/`);
    const wasm = found.files.filter((f) => f.urlPath.endsWith('.wasm'));
    expect(wasm.map((f) => path.basename(f.urlPath)).sort()).toEqual(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm']);
    for (const file of wasm) expect(readFileSync(file.source).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d])); // "\0asm"
  });

  it("serves the short-range face detector the component's detector runs: 128 x 128 in, 896 x 17 out, weights beside it", () => {
    const model = found.files.find((f) => `/${f.urlPath}` === found.faceModelUrl)!;
    const json = JSON.parse(readFileSync(model.source, 'utf8'));
    expect(json.signature.inputs.input.tensorShape.dim.map((d: { size: string }) => d.size)).toEqual(['-1', '128', '128', '3']);
    expect(json.signature.outputs.objects).toMatchObject({ name: 'Identity:0', tensorShape: { dim: [{ size: '-1' }, { size: '896' }, { size: '17' }] } });
    for (const weights of json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths)) {
      const served = found.files.find((f) => f.urlPath === path.posix.join(path.posix.dirname(model.urlPath), weights));
      expect(served && existsSync(served.source)).toBe(true);
    }
  });

  it('names no CDN', () => {
    expect([found.binaryPath, found.faceModelUrl, ...found.files.map((f) => f.urlPath)].every((p) => !p.includes('//'))).toBe(true);
  });
});

describe('the local runtime serving the build', () => {
  const dist = mkdtempSync(path.join(tmpdir(), 'securetask-dist-'));
  mkdirSync(path.join(dist, 'assets', 'liveness', 'tfjs-backend-wasm-4.11.0'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(dist, 'assets', 'liveness', 'tfjs-backend-wasm-4.11.0', 'tfjs-backend-wasm.wasm'), '\0asm');
  const routes = webAppRoutes(dist, () => ({}) as never);
  const get = (url: string) => routes.pages['/assets/*']({ url } as IncomingMessage);

  it('serves a liveness file one folder down, as WASM, cached for good', async () => {
    const page = await get('/assets/liveness/tfjs-backend-wasm-4.11.0/tfjs-backend-wasm.wasm');
    expect(page?.contentType).toBe('application/wasm');
    expect(String(page?.body)).toBe('\0asm');
    expect(page?.headers?.['cache-control']).toContain('immutable');
    expect((await get('/assets/index-abc.js'))?.contentType).toMatch(/javascript/);
  });

  it('refuses anything else with a folder: other folders, dot-dot, hidden names, encoded separators', async () => {
    for (const url of [
      '/assets/liveness/../index.html',
      '/assets/liveness/tfjs-backend-wasm-4.11.0/../../../index.html',
      '/assets/liveness/x/..%2F..%2F..%2Findex.html',
      '/assets/other/x/tfjs-backend-wasm.wasm',
      '/assets/liveness/.hidden/x.wasm',
      '/assets/liveness/tfjs-backend-wasm-4.11.0%2F..%2F..%2Findex.html',
      '/assets/liveness/a/b/c.wasm',
      '/assets/..%5Cindex.html',
    ]) {
      expect(await get(url), url).toBeUndefined();
    }
  });
});
