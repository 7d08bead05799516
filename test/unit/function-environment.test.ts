// Each function gets only the variables its description entry grants (api/environment.ts, issue
// #21). Locally the functions share one process, so a variable missing from one function's
// environment would only show in AWS: this reads every variable each function's code can reach
// and holds it against what the description gives it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../api/config.ts';
import { api } from '../../api/definition.ts';
import { functionEnvironment, usesTokenKeys } from '../../api/environment.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const deployment = { topicArn: (t: string) => `arn:${t}`, graphqlUrl: 'https://api', imagesBucket: 'bucket', webUrl: 'https://web', livenessRoleArn: 'arn:aws:iam::1:role/liveness' };

/** What Lambda sets itself, and what points the SDK at local stand-ins (`AWS_ENDPOINT_URL_*`). */
const PROVIDED = /^(AWS_[A-Z_]+|SECURETASK_LOG_LEVEL)$/;

/** The files `entry` imports, transitively, within the project (not node_modules). */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  for (const [, specifier] of source.matchAll(/from '(\.[^']+)'/g)) reachable(path.resolve(path.dirname(entry), specifier), seen);
  return seen;
}

/** Every environment variable read in `files`, by the patterns the functions use. */
function variablesRead(files: Iterable<string>): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const [, asked, read] of source.matchAll(/(?:requiredEnv|required)\('([A-Z][A-Z_]+)'|(?:process\.env|\benv)\.([A-Z][A-Z_]+)/g)) found.add(asked ?? read);
  }
  return found;
}

describe('each function reads only what its environment has', () => {
  it.each(Object.entries(api.functions))('%s', (name, fn) => {
    const environment = functionEnvironment(api, defaultConfig, name, deployment);
    const deploymentOnly = usesTokenKeys(api, name) ? ['TOKEN_KEYS_DIR', 'TOKEN_KMS_KEY_ID'] : [];
    const read = [...variablesRead(reachable(path.join(projectRoot, fn.entry)))].filter((v) => !PROVIDED.test(v));
    const missing = read.filter((v) => !(v in environment) && !deploymentOnly.includes(v));
    expect(missing, `${name} reads ${missing.join(', ')} without having it`).toEqual([]);
  });
});
