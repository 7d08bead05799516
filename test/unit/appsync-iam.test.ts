import { describe, expect, it } from 'vitest';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  verifySigV4,
  type IncomingSignedRequest,
  type LocalCredentials,
} from '../../local/appsync/auth/iam.ts';

const REGION = 'us-east-1';
const NOW = new Date('2024-01-01T12:00:00Z');

const alice: LocalCredentials = {
  accessKeyId: 'AKIDLOCALALICE',
  secretAccessKey: 'alice-secret-key',
  accountId: '123456789012',
  userArn: 'arn:aws:iam::123456789012:user/alice',
  username: 'AIDALOCALALICE',
};
const session: LocalCredentials = {
  accessKeyId: 'ASIALOCALSESSION',
  secretAccessKey: 'session-secret-key',
  sessionToken: 'session-token-value',
  accountId: '123456789012',
  userArn: 'arn:aws:sts::123456789012:assumed-role/app/session',
  username: 'AROALOCALROLE:session',
};
const lookup = (id: string) => [alice, session].find((c) => c.accessKeyId === id);

const BODY = JSON.stringify({ query: 'mutation { createTask(boardId: "main", title: "a") { id } }', variables: {} });

interface SignOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  service?: string;
  date?: Date;
  path?: string;
  body?: string;
  applyChecksum?: boolean;
}

/** Signs a POST to http://localhost:4000/graphql exactly as an AWS SDK client would. */
async function sign(opts: SignOptions = {}): Promise<IncomingSignedRequest> {
  const signer = new SignatureV4({
    service: opts.service ?? 'appsync',
    region: opts.region ?? REGION,
    credentials: opts.credentials ?? alice,
    sha256: Sha256,
    applyChecksum: opts.applyChecksum,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: 'localhost',
      port: 4000,
      path: opts.path ?? '/graphql',
      headers: { 'content-type': 'application/json; charset=UTF-8', accept: '*/*', host: 'localhost:4000' },
      body: opts.body ?? BODY,
    }),
    { signingDate: opts.date ?? NOW },
  );
  return {
    method: signed.method,
    host: 'localhost:4000',
    path: signed.path,
    headers: { ...signed.headers, 'user-agent': 'aws-sdk-js/3 test', connection: 'keep-alive' },
    body: String(signed.body),
  };
}

/** Turns the mutation into another one, so a successful check would be a real hole. */
function tamper(body: string): string {
  const changed = body.replace('createTask', 'deleteTask');
  expect(changed).not.toBe(body);
  return changed;
}

const verify = (req: IncomingSignedRequest) => verifySigV4(req, lookup, { region: REGION, now: NOW });
const MISMATCH = /^The request signature we calculated does not match the signature you provided\./;

async function expectRejected(req: IncomingSignedRequest, reason: string | RegExp) {
  const result = await verify(req);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  if (typeof reason === 'string') expect(result.reason).toBe(reason);
  else expect(result.reason).toMatch(reason);
}

describe('verifySigV4: valid signatures', () => {
  it('accepts an SDK-signed POST and returns the AppSync IAM identity', async () => {
    const result = await verify(await sign());
    expect(result).toEqual({
      ok: true,
      identity: {
        accountId: '123456789012',
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        sourceIp: [],
        username: 'AIDALOCALALICE',
        userArn: 'arn:aws:iam::123456789012:user/alice',
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      },
    });
  });

  it('accepts a signature without x-amz-content-sha256 (payload hashed from the body)', async () => {
    const req = await sign({ applyChecksum: false });
    expect(req.headers['x-amz-content-sha256']).toBeUndefined();
    expect((await verify(req)).ok).toBe(true);
  });

  it('accepts the realtime /connect signature over an empty-object body', async () => {
    expect((await verify(await sign({ path: '/graphql/connect', body: '{}' }))).ok).toBe(true);
  });

  it('accepts session credentials carrying the configured token', async () => {
    const result = await verify(await sign({ credentials: session }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.identity.userArn).toBe(session.userArn);
  });

  it('accepts header names in any case and requests within the 5 minute window', async () => {
    const req = await sign({ date: new Date(NOW.getTime() - 4 * 60 * 1000) });
    const upper = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect((await verify({ ...req, headers: upper })).ok).toBe(true);
  });
});

describe('verifySigV4: attacks and malformed requests', () => {
  it('rejects a tampered body', async () => {
    const req = await sign({ applyChecksum: false });
    await expectRejected({ ...req, body: tamper(req.body) }, MISMATCH);
  });

  it('rejects a tampered body even when the signed content hash header is left in place', async () => {
    const req = await sign();
    await expectRejected(
      { ...req, body: tamper(req.body) },
      'The provided x-amz-content-sha256 header does not match what was computed.',
    );
  });

  it('rejects a body swapped together with a recomputed content hash header', async () => {
    const req = await sign();
    const body = tamper(req.body);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(body).digest('hex');
    await expectRejected({ ...req, body, headers: { ...req.headers, 'x-amz-content-sha256': hash } }, MISMATCH);
  });

  it('rejects a tampered signed header', async () => {
    const req = await sign();
    await expectRejected({ ...req, headers: { ...req.headers, 'content-type': 'text/plain' } }, MISMATCH);
  });

  it('rejects a signature replayed onto a different path', async () => {
    const req = await sign({ path: '/graphql/connect', body: BODY });
    await expectRejected({ ...req, path: '/graphql' }, MISMATCH);
  });

  it('rejects a signature replayed onto a different host', async () => {
    const req = await sign();
    await expectRejected({ ...req, host: 'evil:4000', headers: { ...req.headers, host: 'evil:4000' } }, MISMATCH);
  });

  it('rejects a signature made with the wrong secret', async () => {
    await expectRejected(await sign({ credentials: { ...alice, secretAccessKey: 'guess' } }), MISMATCH);
  });

  it('rejects an unknown access key', async () => {
    await expectRejected(
      await sign({ credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } }),
      'The security token included in the request is invalid.',
    );
  });

  it('rejects a request signed 6 minutes ago', async () => {
    await expectRejected(
      await sign({ date: new Date(NOW.getTime() - 6 * 60 * 1000) }),
      'Signature expired: 20240101T115400Z is now earlier than 20240101T115500Z (20240101T120000Z - 5 min.)',
    );
  });

  it('rejects a request dated 6 minutes in the future', async () => {
    await expectRejected(
      await sign({ date: new Date(NOW.getTime() + 6 * 60 * 1000) }),
      'Signature not yet current: 20240101T120600Z is still later than 20240101T120500Z (20240101T120000Z + 5 min.)',
    );
  });

  it('rejects a fresh x-amz-date pasted onto an old signature', async () => {
    const req = await sign({ date: new Date(NOW.getTime() - 60 * 60 * 1000) });
    await expectRejected({ ...req, headers: { ...req.headers, 'x-amz-date': '20240101T120000Z' } }, MISMATCH);
  });

  it('rejects a credential scoped to another region', async () => {
    await expectRejected(await sign({ region: 'eu-west-1' }), "Credential should be scoped to a valid region, not 'eu-west-1'.");
  });

  it('rejects a credential scoped to another service', async () => {
    await expectRejected(await sign({ service: 'execute-api' }), "Credential should be scoped to correct service: 'appsync'.");
  });

  it('rejects a request without an Authorization header', async () => {
    const req = await sign();
    const { authorization: _dropped, ...headers } = req.headers;
    await expectRejected({ ...req, headers }, 'Missing Authentication Token');
  });

  it('rejects an Authorization header without a Credential', async () => {
    const req = await sign();
    const auth = String(req.headers.authorization).replace(/Credential=[^,]+, /, '');
    await expectRejected({ ...req, headers: { ...req.headers, authorization: auth } }, "Authorization header requires 'Credential' parameter.");
  });

  it('rejects an Authorization header that is not SigV4', async () => {
    const req = await sign();
    await expectRejected({ ...req, headers: { ...req.headers, authorization: 'Bearer abc' } }, /Unsupported authorization algorithm 'Bearer'/);
  });

  it('rejects a truncated Credential scope', async () => {
    const req = await sign();
    const auth = String(req.headers.authorization).replace('/aws4_request', '');
    await expectRejected({ ...req, headers: { ...req.headers, authorization: auth } }, /^Credential should be of the form/);
  });

  it('rejects a signature that does not cover host', async () => {
    const signer = new SignatureV4({ service: 'appsync', region: REGION, credentials: alice, sha256: Sha256 });
    const signed = await signer.sign(
      new HttpRequest({ method: 'POST', hostname: 'localhost', path: '/graphql', headers: { 'content-type': 'application/json' }, body: BODY }),
      { signingDate: NOW },
    );
    expect(String(signed.headers.authorization)).not.toMatch(/SignedHeaders=[^,]*host/);
    await expectRejected(
      { method: 'POST', host: 'localhost:4000', path: '/graphql', headers: { ...signed.headers, host: 'localhost:4000' }, body: BODY },
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('rejects a session token that does not match the stored one', async () => {
    await expectRejected(
      await sign({ credentials: { ...session, sessionToken: 'stolen-or-stale-token' } }),
      'The security token included in the request is invalid.',
    );
  });

  it('rejects session credentials used without their token', async () => {
    const { sessionToken: _omitted, ...permanent } = session;
    await expectRejected(await sign({ credentials: permanent }), 'The security token included in the request is invalid.');
  });

  it('rejects a token sent with permanent credentials that have none', async () => {
    await expectRejected(
      await sign({ credentials: { ...alice, sessionToken: 'made-up' } }),
      'The security token included in the request is invalid.',
    );
  });

  it('rejects a request without X-Amz-Date', async () => {
    const req = await sign();
    const { 'x-amz-date': _dropped, ...headers } = req.headers;
    await expectRejected({ ...req, headers }, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  });
});
