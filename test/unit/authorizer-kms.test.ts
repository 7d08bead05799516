import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/authorizer/handler.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';

// The authorizer as it runs in AWS: public keys from KMS (GetPublicKey), users from DynamoDB.
// Its logger is made when the handler is imported, so quiet it before that.
vi.hoisted(() => {
  process.env.SECURETASK_LOG_LEVEL = 'silent';
});
const kms = mockClient(KMSClient);
const dynamodb = mockClient(DynamoDBClient);
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const OLD_KEY_ID = 'aaaaaaaa-0000-0000-0000-000000000001';
let signing: { kid: string; privateKey: CryptoKey };
let old: { kid: string; privateKey: CryptoKey };
let spki: Record<string, Uint8Array>;
const audience = { issuer: 'https://securetask.example', audience: 'securetask-api' };
const saved = { ...process.env };

const der = async (key: CryptoKey) => Buffer.from((await exportSPKI(key)).replace(/-----[^-]+-----|\s/g, ''), 'base64');

beforeAll(async () => {
  const current = await generateKeyPair('ES256');
  const previous = await generateKeyPair('ES256');
  signing = { kid: KEY_ID, privateKey: current.privateKey };
  old = { kid: OLD_KEY_ID, privateKey: previous.privateKey };
  spki = { [KEY_ID]: await der(current.publicKey), [OLD_KEY_ID]: await der(previous.publicKey) };
  Object.assign(process.env, {
    TOKEN_KMS_KEY_ID: `${KEY_ID},${OLD_KEY_ID}`,
    TOKEN_ISSUER: audience.issuer,
    TOKEN_AUDIENCE: audience.audience,
    AUTHORIZER_TTL_SECONDS: '60',
    USERS_TABLE: 'Users',
    BOARD_MEMBERS_TABLE: 'BoardMembers',
    DASHBOARD_TOKENS_TABLE: 'DashboardTokens',
    AWS_REGION: 'us-east-1',
    SECURETASK_LOG_LEVEL: 'silent',
  });
  delete process.env.TOKEN_KEYS_DIR;
});
afterAll(() => {
  process.env = saved;
  kms.restore();
  dynamodb.restore();
});
beforeEach(() => {
  kms.reset();
  dynamodb.reset();
  kms.on(GetPublicKeyCommand).callsFake(({ KeyId }) => (spki[KeyId] ? { KeyId, KeySpec: 'ECC_NIST_P256', PublicKey: spki[KeyId] } : Promise.reject(new Error('NotFoundException'))));
  dynamodb.on(GetItemCommand).resolves({ Item: marshall({ id: 'u1', email: 'ada@example.com', role: 'MEMBER', status: 'ACTIVE', createdAt: '2026-11-20T00:00:00Z' }) });
  // Ada's boards, which the authorizer hands to the resolvers with her role.
  dynamodb.on(QueryCommand).resolves({ Items: [marshall({ boardId: 'b1', userId: 'u1', role: 'MEMBER' })] });
});

const event = (token: string) => ({ authorizationToken: token, requestContext: { requestId: 'r1' } });
const mint = (key: { kid: string; privateKey: CryptoKey }) =>
  mintSessionToken({ sub: 'u1', email: 'ada@example.com', role: 'MEMBER' }, key, { ...audience, lifetimeSeconds: 600 }).then((m) => m.token);

describe('the authorizer with KMS keys', () => {
  it('verifies a token signed by the KMS key named in its kid, fetching the public key once', async () => {
    const token = await mint(signing);
    expect(await handler(event(token))).toMatchObject({ isAuthorized: true, resolverContext: { userId: 'u1', role: 'MEMBER' } });
    expect(JSON.stringify(await handler(event(token)))).toContain('b1');
    await handler(event(token));
    expect(kms.commandCalls(GetPublicKeyCommand, { KeyId: KEY_ID })).toHaveLength(1);
  });

  it('accepts a key being rotated out while it is still listed', async () => {
    expect(await handler(event(await mint(old)))).toMatchObject({ isAuthorized: true });
  });

  it('refuses a kid that is not a configured key without asking KMS', async () => {
    const stranger = await generateKeyPair('ES256');
    const token = await mint({ kid: 'ffffffff-0000-0000-0000-000000000000', privateKey: stranger.privateKey });
    expect(await handler(event(token))).toEqual({ isAuthorized: false });
    expect(kms.commandCalls(GetPublicKeyCommand, { KeyId: 'ffffffff-0000-0000-0000-000000000000' })).toHaveLength(0);
  });

  it('refuses a token signed by another key under a configured kid', async () => {
    const stranger = await generateKeyPair('ES256');
    expect(await handler(event(await mint({ kid: KEY_ID, privateKey: stranger.privateKey })))).toEqual({ isAuthorized: false });
  });

  it('refuses a disabled user even with a valid KMS-signed token', async () => {
    dynamodb.on(GetItemCommand).resolves({ Item: marshall({ id: 'u1', email: 'ada@example.com', role: 'MEMBER', status: 'DISABLED', createdAt: 'x' }) });
    expect(await handler(event(await mint(signing)))).toEqual({ isAuthorized: false });
  });
});
