/**
 * The web app's weight: what a first visit downloads before anything lazy (the entry script, the
 * chunks index.html preloads, the CSS), gzipped as a server sends it, and each lazy chunk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFigures {
  /** Gzipped bytes of the JavaScript a first visit loads. */
  initialJsGzip: number;
  initialCssGzip: number;
  initialFiles: string[];
  /** Every other script chunk, gzipped, largest first. */
  lazyChunks: { file: string; gzip: number }[];
}

const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** Reads a Vite build folder (frontend/dist). */
export function measureBundle(distDir: string): BundleFigures {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  const initialFiles = referenced.filter((f) => f.endsWith('.js') || f.endsWith('.css'));
  const size = (files: string[]) => files.reduce((sum, f) => sum + gzipped(path.join(distDir, f)), 0);
  const initialJs = initialFiles.filter((f) => f.endsWith('.js'));
  const lazyChunks = readdirSync(path.join(distDir, 'assets'))
    .map((f) => `assets/${f}`)
    .filter((f) => f.endsWith('.js') && !initialJs.includes(f))
    .map((file) => ({ file, gzip: gzipped(path.join(distDir, file)) }))
    .sort((a, b) => b.gzip - a.gzip);
  return { initialJsGzip: size(initialJs), initialCssGzip: size(initialFiles.filter((f) => f.endsWith('.css'))), initialFiles, lazyChunks };
}
