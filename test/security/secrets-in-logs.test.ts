/**
 * Attack: read secrets out of the logs (CloudWatch in AWS: many people can read them) and out of
 * the audit log (every admin reads it). With logging on, this suite runs the flows that handle
 * secrets: onboarding with a real face match (a token is minted), an image refused, an upload
 * refused by S3, forged and revoked tokens refused by the authorizer, a sign-out. Then no log
 * line and no audit entry may hold a token (or its signature), the API key, the IAM secret, the
 * signing key, a presigned URL or its signature, a session id (it is its holder's only secret),
 * an email address, a name, or image bytes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { renderCard, td1, type CardHolder } from '../helpers/id-cards.ts';
import { face, facesAvailable } from '../helpers/faces.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient, personOf, put, type Upload } from '../helpers/verification.ts';

describe.skipIf(!facesAvailable)('secrets in logs', () => {
  let stack: TestStack;
  const lines: string[] = [];
  /** Everything secret this run handled; filled as the flows produce them. */
  const secrets = new Map<string, string>();
  let previousLevel: string | undefined;

  beforeAll(async () => {
    previousLevel = process.env.SECURETASK_LOG_LEVEL;
    process.env.SECURETASK_LOG_LEVEL = 'info';
    // Every line any function or local service writes, as CloudWatch would keep it.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      });
    }
    stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0, verification: { ...defaultVerificationPolicy, attemptsPerSource: 1_000 } } });
    await runFlows();
  }, 120_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    if (previousLevel === undefined) delete process.env.SECURETASK_LOG_LEVEL;
    else process.env.SECURETASK_LOG_LEVEL = previousLevel;
    await stack?.stop();
  });

  const remember = (what: string, value: string | undefined | null) => {
    if (value) secrets.set(`${what} (${value.slice(0, 12)}...)`, value);
  };

  async function runFlows() {
    const client = onboardingClient(stack);
    const admin = await stack.tokenFor('admin.secret@example.com', 'ADMIN');
    remember('admin token', admin.token);
    remember('admin email', 'admin.secret@example.com');
    remember('API key', stack.apiKey);
    const iam = JSON.parse(await readFile(path.join(stack.dataDir, 'iam-credentials.json'), 'utf8')) as { secretAccessKey: string };
    remember('IAM secret', iam.secretAccessKey);
    const keysDir = path.join(stack.dataDir, 'keys');
    const kid = (await readFile(path.join(keysDir, 'active-kid'), 'utf8')).trim();
    remember('signing key', (JSON.parse(await readFile(path.join(keysDir, `${kid}.jwk.json`), 'utf8')) as { d: string }).d);

    // Onboarding, matched for real: the token is minted and returned once.
    const email = 'ada.lovelace@example.com';
    remember('email', email);
    remember('name', 'Ada Lovelace');
    await stack.graphql(`mutation { inviteUser(email: "${email}", role: MEMBER) { email } }`, undefined, { authorization: admin.token });
    // An ID card in her name (with the photo of a real person, whose other photo is filmed for the liveness check):
    // what the document reader reads from it is personal data, and must not be logged either.
    const card: CardHolder = { surname: 'Lovelace', givenNames: 'Ada Augusta', dateOfBirth: '1985-12-10', dateOfExpiry: '2032-11-27', documentNumber: 'C18150415' };
    const idDocument = await renderCard(card, { photo: await face('photos/obama_1.jpg') });
    const person = await personOf(stack, 'photos/obama_2.jpg');
    remember('document number read', card.documentNumber);
    remember('date of birth read', '10.12.1985');
    remember('surname read', 'LOVELACE');
    remember('MRZ line read', td1(card)[1]!);
    for (const [what, bytes] of [['ID image', idDocument]] as const) {
      // Bytes from the middle of the image, as base64 and hex: how image data would show in JSON.
      const slice = bytes.subarray(2_000, 2_048);
      remember(`${what} bytes (base64)`, slice.toString('base64'));
      remember(`${what} bytes (hex)`, slice.toString('hex'));
    }
    const started = await client.start({ email, name: 'Ada Lovelace', idDocument });
    const session = started.data!.startVerification as { id: string; uploads: Upload[] };
    remember('session id', session.id);
    for (const upload of session.uploads) {
      remember('presigned URL', upload.url);
      remember('presigned URL signature', new URL(upload.url).searchParams.get('X-Amz-Signature'));
      remember('presigned URL credential', new URL(upload.url).searchParams.get('X-Amz-Credential'));
    }
    // An upload S3 refuses (wrong type), then the real ones.
    expect((await put(session.uploads[0], idDocument, 'text/plain')).status).toBe(403);
    for (const upload of session.uploads) expect((await put(upload, idDocument)).status).toBe(200);
    // The liveness check: the browser's AWS credentials are secrets (they stream to Rekognition for 15 minutes).
    const checked = await client.liveness(session.id, { kind: 'genuine', person });
    expect(checked.errors).toBeUndefined();
    const browser = checked.data!.startLivenessCheck.credentials;
    remember('liveness secret access key', browser.secretAccessKey);
    remember('liveness session token', browser.sessionToken);
    const verified = (await client.submit(session.id)).data!.submitVerification;
    expect(verified.state).toBe('VERIFIED');
    remember('minted token', verified.token);
    remember('minted token signature', verified.token.split('.')[2]);

    // A refused image: a retake URL, a file that is not an image.
    const other = 'grace.hopper@example.com';
    remember('email', other);
    await stack.graphql(`mutation { inviteUser(email: "${other}", role: MEMBER) { email } }`, undefined, { authorization: admin.token });
    const bad = Buffer.concat([Buffer.from('ffd8ff', 'hex'), Buffer.from('not really a jpeg at all, just text that pretends')]);
    const second = (await client.start({ email: other, idDocument: bad })).data!.startVerification as { id: string; uploads: Upload[] };
    remember('session id', second.id);
    for (const upload of second.uploads) expect((await put(upload, bad)).status).toBe(200);
    expect((await client.submit(second.id)).errors?.[0]?.errorType).toBe('InvalidImage');
    const retake = (await client.requestUpload(second.id, idDocument)).data!.requestUpload as Upload;
    remember('retake URL signature', new URL(retake.url).searchParams.get('X-Amz-Signature'));

    // The authorizer refuses a forged token and, after signOut, the revoked one.
    const forged = verified.token.replace(/\.[^.]+$/, '.AAAA');
    remember('forged token', forged);
    expect((await stack.graphql('{ me { id } }', undefined, { authorization: forged })).status).toBe(401);
    expect((await stack.graphql('mutation { signOut }', undefined, { authorization: verified.token })).body.data).toEqual({ signOut: true });
    expect((await stack.graphql('{ me { id } }', undefined, { authorization: verified.token })).status).toBe(401);
    // Give the fan-out (streams -> SNS -> functions, the mailer) a moment to log what it logs.
    await new Promise((r) => setTimeout(r, 1_500));
  }

  it('the flows logged something (so the checks below look at real output)', () => {
    const json = lines.filter((l) => l.trimStart().startsWith('{'));
    expect(json.length).toBeGreaterThan(3);
    expect(json.some((l) => l.includes('"service":"authorizer"'))).toBe(true);
    expect(json.some((l) => l.includes('"service":"verification"'))).toBe(true);
  });

  it('no log line holds a secret', () => {
    expect(secrets.size).toBeGreaterThan(15);
    const text = lines.join('');
    const leaks = [...secrets].filter(([, value]) => text.includes(value)).map(([what]) => what);
    expect(leaks).toEqual([]);
    expect(text).not.toMatch(/X-Amz-Signature|X-Amz-Credential|eyJ[\w-]{10,}\.eyJ/);
  });

  it('no audit entry holds a token, a URL, an email, a name or image bytes (ids and outcomes only)', async () => {
    const { Items = [] } = await stack.dynamodb.send(new ScanCommand({ TableName: stack.tableName('AuditLog') }));
    expect(Items.length).toBeGreaterThan(5);
    const text = JSON.stringify(Items.map((i) => unmarshall(i)));
    // The audit log names sessions by id on purpose (admins follow them); everything else is out.
    const leaks = [...secrets].filter(([what, value]) => !what.startsWith('session id') && text.includes(value)).map(([what]) => what);
    expect(leaks).toEqual([]);
    expect(text).not.toMatch(/X-Amz-|https?:\/\/|@example\.com/);
  });
});
