/**
 * The API console's plain logic: the headers each auth choice puts on a request (IAM's checked by
 * the runtime's own SigV4 verifier), what the console's endpoints refuse (other sites, other host
 * names), and the dev token's input.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { authHeaders, realtimeAuth, type ConsoleAuth } from '../../frontend/console/src/auth.ts';
import { verifySigV4, type LocalCredentials } from '../../local/appsync/auth/iam.ts';
import { refusal } from '../../local/console.ts';
import { DevTokenInputError, devTokenInput } from '../../local/dev-tokens.ts';

const URL_ = 'http://127.0.0.1:4123/graphql';
const BODY = JSON.stringify({ query: '{ __typename }' });
const local: LocalCredentials = { accessKeyId: 'AKIACONSOLETEST', secretAccessKey: 'console-secret', accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:user/securetask-local', username: 'securetask-local' };
const iam: ConsoleAuth = { mode: 'AWS_IAM', credentials: { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey }, region: 'us-east-1' };

/** What the runtime's IAM check says of a request sent with `headers` (the browser adds `host`). */
const runtimeVerdict = (headers: Record<string, string>, body = BODY) =>
  verifySigV4({ method: 'POST', host: '127.0.0.1:4123', path: '/graphql', headers: { ...headers, host: '127.0.0.1:4123' }, body }, (id) => (id === local.accessKeyId ? local : undefined), { region: 'us-east-1' });

describe('the console auth choices', () => {
  it('sends the API key as x-api-key and a dev token as Authorization, keeping the other headers', async () => {
    expect(await authHeaders({ mode: 'API_KEY', apiKey: 'da2-abc' }, URL_, BODY, { 'content-type': 'application/json' })).toEqual({ 'content-type': 'application/json', 'x-api-key': 'da2-abc' });
    expect(await authHeaders({ mode: 'AWS_LAMBDA', token: 'eyJ.token' }, URL_, BODY, {})).toEqual({ authorization: 'eyJ.token' });
  });

  it('signs IAM requests so that the runtime accepts them, and a changed body is refused', async () => {
    const headers = await authHeaders(iam, URL_, BODY, { 'content-type': 'application/json' });
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIACONSOLETEST\/\d{8}\/us-east-1\/appsync\/aws4_request/);
    expect(headers).not.toHaveProperty('host');
    expect((await runtimeVerdict(headers)).ok).toBe(true);
    expect((await runtimeVerdict(headers, JSON.stringify({ query: 'mutation { deleteTask }' }))).ok).toBe(false);
  });

  it('gives the real-time link the same choice in its own words', () => {
    expect(realtimeAuth({ mode: 'API_KEY', apiKey: 'da2-abc' })).toEqual({ type: 'API_KEY', apiKey: 'da2-abc' });
    expect(realtimeAuth({ mode: 'AWS_LAMBDA', token: 't' })).toEqual({ type: 'AWS_LAMBDA', token: 't' });
    expect(realtimeAuth(iam)).toEqual({ type: 'AWS_IAM', credentials: { accessKeyId: 'AKIACONSOLETEST', secretAccessKey: 'console-secret' } });
  });
});

describe("the console's settings and dev tokens answer only the console", () => {
  const request = (headers: Record<string, string>, remoteAddress = '127.0.0.1') => ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

  it('answers the page itself and scripts on this machine', () => {
    expect(refusal(request({ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' }))).toBeUndefined();
    expect(refusal(request({ host: 'localhost:4000', origin: 'https://localhost:4000' }))).toBeUndefined();
    expect(refusal(request({ host: '[::1]:4000' }, '::1'))).toBeUndefined();
    expect(refusal(request({ host: 'localhost:4000' }, '::ffff:127.0.0.1'))).toBeUndefined();
  });

  it('refuses another machine, whatever Host it writes (the runtime listening on every address)', () => {
    expect(refusal(request({ host: 'localhost:4000' }, '192.168.1.23'))?.status).toBe(403);
    expect(refusal(request({ host: '127.0.0.1:4000' }, '::ffff:10.0.0.5'))?.status).toBe(403);
    expect(refusal(request({ host: 'localhost:4000' }, '2001:db8::1'))?.status).toBe(403);
  });

  it('refuses another site calling the local port', () => {
    expect(refusal(request({ host: '127.0.0.1:4000', origin: 'https://evil.example' }))?.status).toBe(403);
    expect(refusal(request({ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:5999' }))?.status).toBe(403);
  });

  it('refuses a host name that is not loopback (DNS rebinding), whatever the origin says', () => {
    expect(refusal(request({ host: 'evil.example:4000', origin: 'http://evil.example:4000' }))?.status).toBe(403);
    expect(refusal(request({}))?.status).toBe(403);
  });
});

describe('a dev token request', () => {
  it('takes an email and a role in any case, the role optional', () => {
    expect(devTokenInput(' ana@example.com ', 'admin')).toEqual({ email: 'ana@example.com', role: 'ADMIN' });
    expect(devTokenInput('ana@example.com', undefined)).toEqual({ email: 'ana@example.com', role: undefined });
  });

  it('refuses anything else with a reason', () => {
    expect(() => devTokenInput('not-an-email', 'ADMIN')).toThrow(DevTokenInputError);
    expect(() => devTokenInput({ $ne: null }, 'ADMIN')).toThrow(DevTokenInputError);
    expect(() => devTokenInput('ana@example.com', 'ROOT')).toThrow(/ADMIN or MEMBER/);
  });
});
