import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_PATHS } from '../../frontend/console/src/console-settings.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

// The console's settings carry the local IAM user's secret and its action mints ADMIN tokens: the
// running runtime must give them to the console on this machine and to nobody else, with the
// runtime listening on every address, as `npm start` can be told to.
let stack: TestStack;
let port: number;
beforeAll(async () => {
  stack = await startTestStack({ host: '0.0.0.0' });
  port = Number(new URL(stack.graphqlUrl).port);
});
afterAll(async () => {
  await stack?.stop();
});

/** A request as the sender writes it: any Host, any Origin, to any of this machine's addresses. */
function send(options: { address?: string; path: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: options.address ?? '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: { 'content-type': 'application/json', ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
const askToken = { method: 'POST' as const, path: CONSOLE_PATHS.devToken, body: JSON.stringify({ email: 'ana@example.com', role: 'ADMIN' }) };

describe('the console settings and dev tokens, on the running runtime', () => {
  it('answer the console on this machine: the IAM keys, and a token for an email and role', async () => {
    const settings = await send({ path: CONSOLE_PATHS.settings, headers: { host: `localhost:${port}` } });
    expect(settings.status).toBe(200);
    expect(JSON.parse(settings.body).iamCredentials.secretAccessKey).toMatch(/\S{20,}/);
    const token = await send({ ...askToken, headers: { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` } });
    expect(token.status).toBe(200);
    expect(JSON.parse(token.body).token).toMatch(/^eyJ/);
  });

  it('refuse a page of another site calling the local port', async () => {
    for (const asked of [{ path: CONSOLE_PATHS.settings }, askToken]) {
      const answer = await send({ ...asked, headers: { host: `127.0.0.1:${port}`, origin: 'https://evil.example' } });
      expect(answer.status).toBe(403);
      expect(answer.body).not.toMatch(/secretAccessKey|eyJ/);
    }
  });

  it('refuse another name pointed at this machine (DNS rebinding)', async () => {
    for (const asked of [{ path: CONSOLE_PATHS.settings }, askToken]) {
      const answer = await send({ ...asked, headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}` } });
      expect(answer.status).toBe(403);
      expect(answer.body).not.toMatch(/secretAccessKey|eyJ/);
    }
  });

  const external = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;
  if (!external) console.log('local-console-guard: this machine has no network address besides loopback, so a request from another address cannot be made here; the unit test of refusal() covers it');
  it.skipIf(!external)('refuse a request that reaches another address of the machine, whatever Host it writes', async () => {
    for (const asked of [{ path: CONSOLE_PATHS.settings }, askToken]) {
      const answer = await send({ ...asked, address: external, headers: { host: `localhost:${port}` } });
      expect(answer.status).toBe(403);
      expect(answer.body).not.toMatch(/secretAccessKey|eyJ/);
    }
    // The API itself answers there: only the console's secrets are kept to this machine.
    const api = await send({ address: external, method: 'POST', path: '/graphql', headers: { host: `${external}:${port}`, 'x-api-key': stack.apiKey }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(api.status).toBe(200);
  });
});
