// The direction of imports that keeps the house standing (docs/architecture.md): the emulators
// (local/appsync, local/aws, local/faces) know nothing of SecureTask, and functions/ (what
// Lambda runs) never reaches into local/. Read from the source, so a new import that breaks a
// rule fails CI with the file and the line.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** SecureTask's own code, and the wiring of local/ (its top level and local/stack/). */
const SECURETASK = ['api/', 'functions/', 'resolvers/', 'rules/', 'frontend/', 'cdk/'];
const EMULATORS = ['local/appsync/', 'local/aws/', 'local/faces/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|tsx|mts)$/.test(file) && !file.includes('node_modules'))
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')));
}

/** Every relative import of `file` (static, re-export, dynamic), as a project path with its line. */
function importsOf(file: string): { target: string; line: number }[] {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  return lines.flatMap((text, index) =>
    [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map(([, specifier]) => ({
      target: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)),
      line: index + 1,
    })),
  );
}

/** Imports of files under `dirs` that land in `forbidden` (and not in `allowed`). */
function violations(dirs: string[], forbidden: (target: string) => boolean): string[] {
  return dirs.flatMap((dir) => sourceFiles(dir).flatMap((file) => importsOf(file).filter(({ target }) => forbidden(target)).map(({ target, line }) => `${file}:${line} imports ${target}`)));
}

/**
 * Known exceptions, each with why and what ends it. Calibration (error rates and thresholds of the
 * engine) compares the main face of each photo as the verification function chooses it; it goes to
 * the wiring with cross-validation, or the main-face choice comes to the engine as an option.
 */
const KNOWN = new Set(['local/faces/calibration.ts:17 imports local/offline-matcher.ts']);

const isWiring = (target: string) => target.startsWith('local/') && !EMULATORS.some((emulator) => target.startsWith(emulator));

describe('import direction', () => {
  it('the emulators import no SecureTask code and none of the wiring in local/', () => {
    const found = violations(EMULATORS, (target) => SECURETASK.some((dir) => target.startsWith(dir)) || isWiring(target));
    expect(found.filter((violation) => !KNOWN.has(violation))).toEqual([]);
  });

  it('functions/ never imports local/', () => {
    expect(violations(['functions/'], (target) => target.startsWith('local/'))).toEqual([]);
  });

  it('what runs in AWS or the browser (functions, resolvers, rules, the web app, the CDK app) imports neither local/ nor benchmarks nor tests', () => {
    const offline = (target: string) => ['local/', 'bench/', 'test/'].some((dir) => target.startsWith(dir));
    expect(violations(['functions/', 'resolvers/', 'rules/', 'frontend/src/', 'cdk/'], offline)).toEqual([]);
  });

  it('the rules the API and the web app share import nothing but each other', () => {
    expect(violations(['rules/'], (target) => !target.startsWith('rules/'))).toEqual([]);
  });

  it('finds the imports it checks (a rule that reads nothing passes anything)', () => {
    expect(importsOf('local/stack/index.ts').map(({ target }) => target)).toContain('api/naming.ts');
    expect(sourceFiles('local/appsync/').length).toBeGreaterThan(20);
  });
});
