/**
 * Attack: forge, bend or confuse a session token (every JWT attack class we know of) over HTTP
 * on the product API: the real Lambda authorizer (functions/authorizer) behind the real
 * identityValidationExpression, with tokens forged from the local stack's own key files. Every
 * forgery is a 401 on `{ me { id } }`; each test also asks the authorizer's decision function
 * why, so a 401 for the wrong reason fails the test. Revocation by signOut: revoked-token-replay.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { base64url, calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '../../functions/authorizer/authorize.ts';
import { loadLocalKeys, rotateLocalKey } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { findDashboardToken, findMemberships } from '../../functions/shared/boards.ts';
import { getUser } from '../../functions/shared/users.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { setUserAttribute } from '../helpers/users.ts';

const REFUSED = { status: 401, body: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] } };
const EMAIL = 'member@example.com';

let stack: TestStack;
let keysDir: string;
let member: { token: string; userId: string };

beforeAll(async () => {
  // No authorizer cache: a change to the Users table is seen on the very next request.
  stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0 } });
  keysDir = path.join(stack.dataDir, 'keys');
  member = await stack.tokenFor(EMAIL, 'MEMBER');
});
afterAll(() => stack?.stop());

const me = (authorization: string) => stack.graphql('{ me { id } }', undefined, { authorization });
const activeKey = async () => (await loadLocalKeys(keysDir)).active;
const audienceOf = () => ({ issuer: stack.config.tokenIssuer, audience: stack.config.tokenAudience });

/** Why the authorizer refuses (or accepts) a token, from its decision function with the stack's keys and table. */
async function reason(token: string): Promise<string> {
  const decision = await authorize(token, {
    issuer: stack.config.tokenIssuer,
    audience: stack.config.tokenAudience,
    resultTtlSeconds: 0,
    maxLifetimeSeconds: stack.config.tokenLifetimeSeconds,
    publicKey: async (kid) => (await loadLocalKeys(keysDir)).publicKeys.get(kid),
    findUser: (id) => stack.functionAccess.runAs('authorizer', () => getUser(stack.tableName('Users'), id)),
    findMemberships: (userId) => stack.functionAccess.runAs('authorizer', () => findMemberships(stack.tableName('BoardMembers'), userId)),
    findDashboardToken: (id) => stack.functionAccess.runAs('authorizer', () => findDashboardToken(stack.tableName('DashboardTokens'), id)),
  });
  return decision.isAuthorized ? 'AUTHORIZED' : decision.reason;
}

interface ForgeOptions {
  /** Claims to set (or replace); `undefined` removes a claim. */
  claims?: Record<string, unknown>;
  /** Protected-header fields over `{ alg: 'ES256', kid, typ: 'JWT' }`. */
  header?: Record<string, unknown>;
  key?: { kid: string; privateKey: CryptoKey | Uint8Array };
}

/** A token for the member with every SecureTask claim right, then changed as `options` says. */
async function forge(options: ForgeOptions = {}): Promise<string> {
  const key = options.key ?? (await activeKey());
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: stack.config.tokenIssuer,
    aud: stack.config.tokenAudience,
    sub: member.userId,
    email: EMAIL,
    role: 'MEMBER',
    iat: now,
    nbf: now,
    exp: now + 600,
    jti: randomUUID(),
    ...options.claims,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT', ...options.header } as { alg: string })
    .sign(key.privateKey);
}

describe('a genuine token', () => {
  it('opens the API: 200 with the token holder as me', async () => {
    expect(await me(member.token)).toEqual({ status: 200, body: { data: { me: { id: member.userId } } } });
    expect(await reason(member.token)).toBe('AUTHORIZED');
  });

  it('works behind "Bearer "', async () => {
    expect(await me(`Bearer ${member.token}`)).toEqual({ status: 200, body: { data: { me: { id: member.userId } } } });
  });

  it('the forging helper makes a token the API accepts (so each attack below differs by one thing)', async () => {
    const token = await forge();
    expect(await me(token)).toEqual({ status: 200, body: { data: { me: { id: member.userId } } } });
  });
});

describe('forged tokens (HTTP 401)', () => {
  const now = () => Math.floor(Date.now() / 1000);

  const attacks: { name: string; reason: string; make: () => Promise<string> }[] = [
    {
      name: 'alg none, no signature (fails the identityValidationExpression before the Lambda)',
      reason: 'TOKEN_ALGORITHM',
      make: async () =>
        new UnsecuredJWT({ email: EMAIL, role: 'ADMIN', jti: randomUUID() })
          .setIssuer(stack.config.tokenIssuer)
          .setAudience(stack.config.tokenAudience)
          .setSubject(member.userId)
          .setIssuedAt()
          .setExpirationTime('10m')
          .encode(),
    },
    {
      name: 'alg none with a filler signature (reaches the Lambda)',
      reason: 'TOKEN_ALGORITHM',
      make: async () => {
        const [header, payload] = (await forge({ claims: { role: 'ADMIN' } })).split('.');
        const none = base64url.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(header))), alg: 'none' }));
        return `${none}.${payload}.AAAA`;
      },
    },
    {
      name: 'HS256 keyed with the public key (algorithm confusion)',
      reason: 'TOKEN_ALGORITHM',
      make: async () => {
        const { active, publicKeys } = await loadLocalKeys(keysDir);
        const pem = await exportSPKI(publicKeys.get(active.kid)!);
        return forge({ header: { alg: 'HS256' }, claims: { role: 'ADMIN' }, key: { kid: active.kid, privateKey: new TextEncoder().encode(pem) } });
      },
    },
    {
      name: 'HS256 keyed with the public JWK file as it is on disk',
      reason: 'TOKEN_ALGORITHM',
      make: async () => {
        const { kid } = await activeKey();
        const { d: _private, ...publicJwk } = JSON.parse(await readFile(path.join(keysDir, `${kid}.jwk.json`), 'utf8')) as Record<string, unknown>;
        return forge({ header: { alg: 'HS256' }, key: { kid, privateKey: new TextEncoder().encode(JSON.stringify(publicJwk)) } });
      },
    },
    {
      name: 'expired (exp a minute ago), validly signed',
      reason: 'TOKEN_EXPIRED',
      make: () => forge({ claims: { iat: now() - 1_860, nbf: now() - 1_860, exp: now() - 60 } }),
    },
    {
      name: 'not yet valid (nbf in 10 minutes), validly signed',
      reason: 'TOKEN_NOT_YET_VALID',
      make: () => forge({ claims: { nbf: now() + 600 } }),
    },
    { name: 'wrong iss', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { iss: 'https://attacker.example' } }) },
    { name: 'wrong aud', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { aud: 'some-other-api' } }) },
    { name: 'no sub claim', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { sub: undefined } }) },
    { name: 'no jti claim', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { jti: undefined } }) },
    { name: 'no exp claim', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { exp: undefined } }) },
    { name: 'a role SecureTask does not have', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { role: 'ROOT' } }) },
    {
      name: 'signed by a fresh key under an unknown kid',
      reason: 'TOKEN_UNKNOWN_KEY',
      make: async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return forge({ key: { kid: 'local-attacker', privateKey } });
      },
    },
    {
      name: 'signed by a fresh key claiming the real kid',
      reason: 'TOKEN_SIGNATURE',
      make: async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return forge({ key: { kid: (await activeKey()).kid, privateKey } });
      },
    },
    {
      name: 'a genuine token with role changed to ADMIN in the payload, signature kept',
      reason: 'TOKEN_SIGNATURE',
      make: async () => {
        const [header, , signature] = member.token.split('.');
        const claims = decodeJwt(member.token);
        expect(claims.role).toBe('MEMBER');
        return `${header}.${base64url.encode(JSON.stringify({ ...claims, role: 'ADMIN' }))}.${signature}`;
      },
    },
    {
      name: 'a genuine token with its signature cut off',
      reason: 'TOKEN_SIGNATURE',
      make: async () => member.token.split('.').slice(0, 2).join('.') + '.',
    },
    {
      name: 'issued in the future (iat in an hour, nbf now), validly signed',
      reason: 'TOKEN_NOT_YET_VALID',
      make: () => forge({ claims: { iat: now() + 3_600, exp: now() + 3_600 + 600 } }),
    },
    {
      name: 'validly signed but living longer than any session token (exp in 10 years)',
      reason: 'TOKEN_CLAIMS',
      make: () => forge({ claims: { exp: now() + 10 * 365 * 86_400 } }),
    },
    { name: 'no iat claim', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { iat: undefined } }) },
    { name: 'no email claim', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { email: undefined } }) },
    { name: 'no role claim', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { role: undefined } }) },
    { name: 'a generation that is not a whole number', reason: 'TOKEN_CLAIMS', make: () => forge({ claims: { gen: 'latest' } }) },
    {
      name: 'no kid at all',
      reason: 'TOKEN_UNKNOWN_KEY',
      make: async () => {
        const { privateKey } = await activeKey();
        return new SignJWT({ ...decodeJwt(await forge()) }).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(privateKey);
      },
    },
    {
      name: 'kid that is not a string (an object naming the real kid)',
      reason: 'TOKEN_UNKNOWN_KEY',
      make: async () => forge({ header: { kid: { kid: (await activeKey()).kid } } }),
    },
    {
      name: 'token of another stage: its own key folder, our issuer, audience and user id',
      reason: 'TOKEN_UNKNOWN_KEY',
      make: async () => {
        const otherStage = await mkdtemp(path.join(tmpdir(), 'securetask-other-stage-'));
        try {
          const { active } = await loadLocalKeys(otherStage);
          return (await mintSessionToken({ sub: member.userId, email: EMAIL, role: 'ADMIN' }, active, { ...audienceOf(), lifetimeSeconds: 600 })).token;
        } finally {
          await rm(otherStage, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'token of another stage that shares our key but has its own audience',
      reason: 'TOKEN_CLAIMS',
      make: () => forge({ claims: { aud: `${stack.config.tokenAudience}-staging` } }),
    },
    {
      name: 'validly signed for a user id that does not exist',
      reason: 'USER_UNKNOWN',
      make: () => forge({ claims: { sub: randomUUID() } }),
    },
  ];

  it.each(attacks)('$name -> 401 ($reason)', async ({ make, reason: expected }) => {
    const token = await make();
    expect(await me(token)).toEqual(REFUSED);
    expect(await me(`Bearer ${token}`)).toEqual(REFUSED);
    expect(await reason(token)).toBe(expected);
  });
});

describe('kid injection: the kid names a key, never a path or a lookup', () => {
  // Signed by the attacker's own key: a kid that led anywhere but "unknown key" would mean the
  // authorizer resolved it to something (a file, a prototype property, a wildcard match).
  const kids = (activeKid: string) => [
    `../keys/${activeKid}`,
    `${activeKid}/../${activeKid}`,
    `./${activeKid}`,
    `${activeKid}.jwk.json`,
    `${activeKid}\u0000`,
    '../../../../../../etc/passwd',
    '/dev/null',
    'active-kid',
    '../iam-credentials',
    '*',
    "' OR '1'='1",
    '__proto__',
    'constructor',
    'toString',
  ];

  it('every injected kid is an unknown key (401)', async () => {
    const activeKid = (await activeKey()).kid;
    const { privateKey } = await generateKeyPair('ES256');
    for (const kid of kids(activeKid)) {
      const token = await forge({ key: { kid, privateKey } });
      expect(await me(token), kid).toEqual(REFUSED);
      expect(await reason(token), kid).toBe('TOKEN_UNKNOWN_KEY');
    }
  });
});

describe('key injection through the header: jwk, jku, x5u, x5c are never followed', () => {
  let requests = 0;
  let keyServer: ReturnType<typeof createServer>;
  let keyServerUrl: string;
  let attacker: { privateKey: CryptoKey; jwk: Record<string, unknown>; kid: string };

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig' };
    attacker = { privateKey, jwk, kid: await calculateJwkThumbprint(jwk) };
    // The attacker's key set, served on loopback: a verifier that followed jku/x5u would ask here.
    keyServer = createServer((_, response) => {
      requests += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [{ ...attacker.jwk, kid: attacker.kid }] }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    keyServerUrl = `http://127.0.0.1:${(keyServer.address() as { port: number }).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => keyServer?.close(() => resolve())));

  const injections = () => [
    { name: 'jwk: the attacker\'s public key embedded, with its thumbprint as kid', header: { jwk: attacker.jwk, kid: attacker.kid }, reason: 'TOKEN_UNKNOWN_KEY' },
    { name: 'jwk embedded under the real kid', header: { jwk: attacker.jwk }, realKid: true, reason: 'TOKEN_SIGNATURE' },
    { name: 'jku pointing at the attacker\'s key set', header: { jku: keyServerUrl, kid: attacker.kid }, reason: 'TOKEN_UNKNOWN_KEY' },
    { name: 'jku under the real kid', header: { jku: keyServerUrl }, realKid: true, reason: 'TOKEN_SIGNATURE' },
    { name: 'x5u pointing at the attacker\'s server', header: { x5u: keyServerUrl, kid: attacker.kid }, reason: 'TOKEN_UNKNOWN_KEY' },
    { name: 'x5c with a made-up chain under the real kid', header: { x5c: [base64url.encode('not a certificate')] }, realKid: true, reason: 'TOKEN_SIGNATURE' },
  ];

  it('each injection is a 401, and nothing ever fetches the attacker\'s key set', async () => {
    const activeKid = (await activeKey()).kid;
    for (const injection of injections()) {
      const kid = injection.realKid ? activeKid : (injection.header as { kid: string }).kid;
      const token = await forge({ claims: { role: 'ADMIN' }, header: { ...injection.header, kid }, key: { kid, privateKey: attacker.privateKey } });
      expect(await me(token), injection.name).toEqual(REFUSED);
      expect(await reason(token), injection.name).toBe(injection.reason);
    }
    expect(requests).toBe(0);
  });
});

describe('oversized tokens and token confusion', () => {
  it('a validly signed token over 2,048 characters never reaches the authorizer (401)', async () => {
    const token = await forge({ claims: { padding: 'x'.repeat(2_100) } });
    expect(token.length).toBeGreaterThan(2_048);
    // The authorizer itself would take it: only the edge's length limit stands in the way.
    expect(await reason(token)).toBe('AUTHORIZED');
    expect(await me(token)).toEqual(REFUSED);
  });

  it('a 1 MB Authorization header is refused (401 or 431) without a crash, and the API still answers', async () => {
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `${'a'.repeat(500_000)}.${'b'.repeat(500_000)}.c` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect([401, 431]).toContain(response.status);
    expect(await me(member.token)).toEqual({ status: 200, body: { data: { me: { id: member.userId } } } });
  });

  it('the API key sent as a session token, and a session token sent as the API key, are both refused', async () => {
    expect(await me(stack.apiKey)).toEqual(REFUSED);
    expect(await stack.graphql('{ me { id } }', undefined, { 'x-api-key': member.token })).toEqual(REFUSED);
  });

  it('a session token dressed as a SigV4 header is an IAM request, and fails as one', async () => {
    const { status, body } = await stack.graphql('{ me { id } }', undefined, { authorization: `AWS4-HMAC-SHA256 ${member.token}` });
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
  });
});

describe('the Users table decides, not the token', () => {
  const setUser = (userId: string, attribute: 'status' | 'role', value: string) => setUserAttribute(stack, userId, attribute, value);

  it('a DISABLED (or INVITED) user is refused at once, with a token that verifies; ACTIVE again opens it again', async () => {
    const { token, userId } = await stack.tokenFor('disabled@example.com', 'MEMBER');
    expect(await me(token)).toEqual({ status: 200, body: { data: { me: { id: userId } } } });
    for (const status of ['DISABLED', 'INVITED']) {
      await setUser(userId, 'status', status);
      expect(await me(token)).toEqual(REFUSED);
      expect(await reason(token)).toBe(`USER_${status}`);
    }
    await setUser(userId, 'status', 'ACTIVE');
    expect(await me(token)).toEqual({ status: 200, body: { data: { me: { id: userId } } } });
  });

  it('a user deleted from the table is refused', async () => {
    const { token, userId } = await stack.tokenFor('gone@example.com', 'MEMBER');
    expect((await me(token)).status).toBe(200);
    await stack.dynamodb.send(new DeleteItemCommand({ TableName: stack.tableName('Users'), Key: { id: { S: userId } } }));
    expect(await me(token)).toEqual(REFUSED);
    expect(await reason(token)).toBe('USER_UNKNOWN');
  });

  it('a role changed in the table shows in me { role }, whatever the token says', async () => {
    const { token, userId } = await stack.tokenFor('promoted@example.com', 'MEMBER');
    const ask = () => stack.graphql('{ me { id role } }', undefined, { authorization: token });
    expect(await ask()).toEqual({ status: 200, body: { data: { me: { id: userId, role: 'MEMBER' } } } });
    await setUser(userId, 'role', 'ADMIN');
    expect(await ask()).toEqual({ status: 200, body: { data: { me: { id: userId, role: 'ADMIN' } } } });
    expect(decodeJwt(token).role).toBe('MEMBER');
  });
});

describe('key rotation', () => {
  it('after rotateLocalKey, tokens of the old key and of the new key both work', async () => {
    const before = await stack.tokenFor('rotation@example.com', 'MEMBER');
    const oldKid = decodeProtectedHeader(before.token).kid;
    expect(await me(before.token)).toEqual({ status: 200, body: { data: { me: { id: before.userId } } } });

    const newKid = await rotateLocalKey(keysDir);
    expect(newKid).not.toBe(oldKid);
    const after = await stack.tokenFor('rotation@example.com', 'MEMBER');
    expect(decodeProtectedHeader(after.token).kid).toBe(newKid);

    expect(await me(before.token)).toEqual({ status: 200, body: { data: { me: { id: before.userId } } } });
    expect(await me(after.token)).toEqual({ status: 200, body: { data: { me: { id: after.userId } } } });
  });

  it('deleting an old key file revokes its tokens at once, while the active key keeps working', async () => {
    const old = await stack.tokenFor('revoked@example.com', 'MEMBER');
    const oldKid = decodeProtectedHeader(old.token).kid as string;
    expect((await me(old.token)).status).toBe(200);
    await rotateLocalKey(keysDir);
    const fresh = await stack.tokenFor('revoked@example.com', 'MEMBER');

    await rm(path.join(keysDir, `${oldKid}.jwk.json`));
    expect((await me(old.token)).status).toBe(401);
    expect((await me(fresh.token)).status).toBe(200);
  });
});
