import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, startTestStack, type TestStack } from '../helpers/stack.ts';

// docs/clients.md's snippets, as a developer would copy them, run against a local stack.
const run = promisify(execFile);
let stack: TestStack;
let snippets: Map<string, string>;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  stack = await startTestStack();
  const page = await readFile(path.join(projectRoot, 'docs/clients.md'), 'utf8');
  snippets = new Map([...page.matchAll(/<!-- snippet: (\S+) -->\n```\w*\n([\s\S]*?)```/g)].map((match) => [match[1], match[2]]));
  // Inside node_modules, so the snippets' imports resolve to the project's packages.
  dir = await mkdtemp(path.join(projectRoot, 'node_modules', '.client-snippets-'));
  const { token } = await stack.tokenFor('snippets@example.com', 'ADMIN');
  env = { ...process.env, GRAPHQL_URL: stack.graphqlUrl, API_KEY: stack.apiKey, TOKEN: token, NODE_EXTRA_CA_CERTS: stack.certificateFile };
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes snippet `name` to a file and runs it with `command`; its stdout. */
async function runSnippet(name: string, command: string, args: (file: string) => string[] = (file) => [file]): Promise<string> {
  const code = snippets.get(name);
  expect(code, `docs/clients.md has a snippet named ${name}`).toBeDefined();
  const file = path.join(dir, name);
  await writeFile(file, code!);
  const { stdout } = await run(command, args(file), { env, timeout: 60_000 });
  return stdout;
}

describe('docs/clients.md', () => {
  it('curl, with a session token: POST and GET', async () => {
    expect(JSON.parse(await runSnippet('curl-token.sh', 'sh'))).toEqual({ data: { me: { email: 'snippets@example.com', role: 'ADMIN' } } });
    expect(JSON.parse(await runSnippet('curl-get.sh', 'sh'))).toEqual({ data: { me: { email: 'snippets@example.com' } } });
  });

  it('Apollo Client 4: a subscription receives the task its mutation created', async () => {
    const out = await runSnippet('apollo.mjs', process.execPath);
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toMatchObject({ type: 'TASK_CREATED', task: { title: expect.stringMatching(/^Written by Apollo/) } });
  }, 90_000);

  it('Amplify v6: a query, then a subscription that receives the task its mutation created', async () => {
    const lines = (await runSnippet('amplify.mjs', process.execPath)).trim().split('\n');
    expect(JSON.parse(lines[0])).toEqual({ email: 'snippets@example.com', role: 'ADMIN' });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'TASK_CREATED', task: { title: expect.stringMatching(/^Written by Amplify/) } });
  }, 90_000);

  it('Python, standard library only', async (context) => {
    const python = await run('python3', ['--version']).then(() => 'python3', () => undefined);
    if (!python) {
      console.warn('[client snippets] python3 is not installed here: the Python snippet was not run');
      context.skip();
    }
    const out = await runSnippet('client.py', 'python3');
    const lines = out.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^[0-9a-f-]{36}$/); // x-amzn-RequestId
    expect(lines.slice(0, -1).every((line) => /^\S+ .+/.test(line))).toBe(true);
  });
});
