import { readdirSync } from 'node:fs';
import path from 'node:path';
import { AnalyzeIDCommand, TextractClient } from '@aws-sdk/client-textract';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDocument } from '../../functions/verification/documents/checks.ts';
import { DocumentReadError, type DocumentAnalysis } from '../../functions/verification/documents/document-reader.ts';
import { readMrz } from '../../functions/verification/documents/mrz.ts';
import { TextractDocumentReader } from '../../functions/verification/documents/textract.ts';
import { startLocalTextract, type LocalTextract } from '../../local/aws/textract/textract.ts';
import { face, facesAvailable, facesDir } from '../helpers/faces.ts';
import { photograph, renderCard, type CardHolder } from '../helpers/id-cards.ts';
import { signedUserAccess } from '../helpers/signed-access.ts';

// The real TextractClient, through the verify function's own reader, against the local Textract:
// its protocol, its SigV4 check and its OCR on cards made here and on the shared card scenes.
const credentials = { accessKeyId: 'AKIDLOCALTEX', secretAccessKey: 'local-secret' };
const region = 'us-east-1';
const now = new Date('2026-06-01T00:00:00Z');
const holder: CardHolder = { surname: 'Lindqvist', givenNames: 'Maja Elin', dateOfBirth: '1988-11-23', dateOfExpiry: '2031-03-14', documentNumber: 'K47120953', sex: 'F' };

let textract: LocalTextract;
let reader: TextractDocumentReader;
let client: TextractClient;

beforeAll(async () => {
  textract = await startLocalTextract({ access: signedUserAccess(credentials, region) });
  await textract.warm();
  client = new TextractClient({ endpoint: textract.endpoint, region, credentials, maxAttempts: 1 });
  reader = new TextractDocumentReader({ client, retry: { attempts: 1 } });
}, 120_000);
afterAll(async () => {
  client?.destroy();
  await textract?.stop();
});

const verdictOf = (analysis: DocumentAnalysis, enteredName = 'Maja Lindqvist') => checkDocument(analysis, { enteredName, now, minimumAge: 0, minimumConfidence: 80 });

async function readFailure(promise: Promise<unknown>): Promise<DocumentReadError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DocumentReadError);
  return error as DocumentReadError;
}

describe('the local Textract: AnalyzeID in Textract shapes', () => {
  it("answers every normalized field, dates with Textract's NormalizedValue, and the text as LINE blocks", async () => {
    const card = await renderCard(holder);
    const output = await client.send(new AnalyzeIDCommand({ DocumentPages: [{ Bytes: card }] }));
    expect(output.DocumentMetadata).toEqual({ Pages: 1 });
    const document = output.IdentityDocuments![0]!;
    const types = document.IdentityDocumentFields!.map((f) => f.Type!.Text);
    expect(types).toEqual(expect.arrayContaining(['FIRST_NAME', 'MIDDLE_NAME', 'LAST_NAME', 'DATE_OF_BIRTH', 'EXPIRATION_DATE', 'DOCUMENT_NUMBER', 'ID_TYPE', 'MRZ_CODE', 'ADDRESS']));
    const value = (type: string) => document.IdentityDocumentFields!.find((f) => f.Type!.Text === type)!.ValueDetection!;
    expect(value('FIRST_NAME').Text).toBe('MAJA');
    expect(value('MIDDLE_NAME').Text).toBe('ELIN');
    expect(value('DATE_OF_BIRTH')).toMatchObject({ Text: '23.11.1988', NormalizedValue: { Value: '1988-11-23T00:00:00', ValueType: 'DATE' } });
    expect(value('ADDRESS').Text).toBe('');
    expect(value('MRZ_CODE').Text!.split('\n')).toHaveLength(3);
    expect(document.Blocks!.filter((b) => b.BlockType === 'LINE').length).toBeGreaterThan(8);
  });

  it('refuses a request signed with the wrong secret, as AWS does (403 InvalidSignatureException)', async () => {
    const wrong = new TextractDocumentReader({ clientConfig: { endpoint: textract.endpoint, region, credentials: { ...credentials, secretAccessKey: 'wrong' } }, retry: { attempts: 1 } });
    expect((await readFailure(wrong.analyze(await renderCard(holder)))).code).toBe('ACCESS_DENIED');
  });

  it('refuses what Textract refuses: no pages, a file that is no image, a damaged image, too many pixels', async () => {
    await expect(client.send(new AnalyzeIDCommand({ DocumentPages: [] }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect((await readFailure(reader.analyze(Buffer.from('%PDF-1.7 not an image')))).code).toBe('INVALID_IMAGE');
    const card = await renderCard(holder);
    expect((await readFailure(reader.analyze(card.subarray(0, 600)))).code).toBe('UNREADABLE');
    const huge = await sharp({ create: { width: 12_000, height: 9_000, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
    expect((await readFailure(reader.analyze(huge))).code).toBe('IMAGE_TOO_LARGE');
  }, 60_000);
});

describe('reading generated cards', () => {
  it.each(['card', 'desk', 'far'] as const)('reads an ID card with a TD1 MRZ photographed as %s: every field, MRZ valid', async (scene) => {
    const analysis = await reader.analyze(await photograph(await renderCard(holder), scene, 3));
    const mrz = readMrz(analysis.mrz, now);
    expect(mrz).toMatchObject({ format: 'TD1', checkDigitsValid: true, surname: 'LINDQVIST', givenNames: 'MAJA ELIN', dateOfBirth: '1988-11-23', dateOfExpiry: '2031-03-14', documentNumber: 'K47120953' });
    expect(verdictOf(analysis).outcome).toBe('PASS');
  }, 60_000);

  it('reads a driving licence without an MRZ from its printed fields', async () => {
    const analysis = await reader.analyze(await photograph(await renderCard(holder, { mrz: 'none' }), 'desk', 5));
    expect(analysis.mrz).toEqual([]);
    expect(analysis.fields).toMatchObject({
      surname: { value: 'LINDQVIST' },
      givenNames: { value: 'MAJA ELIN' },
      dateOfBirth: { value: '1988-11-23' },
      dateOfExpiry: { value: '2031-03-14' },
      documentNumber: { value: 'K47120953' },
      documentType: { value: 'DRIVER LICENSE FRONT' },
    });
    expect(verdictOf(analysis).outcome).toBe('PASS');
  }, 60_000);

  it('finds the wrong check digit of a card whose print is correct', async () => {
    const analysis = await reader.analyze(await renderCard(holder, { mrz: 'bad-check-digit' }));
    expect(verdictOf(analysis)).toMatchObject({ outcome: 'FAIL', failed: 'MRZ_CHECK_DIGITS' });
  }, 60_000);

  it.each([
    ['turned a quarter', (card: Buffer) => sharp(card).rotate(90).jpeg().toBuffer()],
    ['upside down', (card: Buffer) => sharp(card).rotate(180).jpeg().toBuffer()],
    ['turned 30 degrees on a desk', async (card: Buffer) => sharp(await sharp(card).resize(800).rotate(30, { background: '#6b4a2e' }).jpeg().toBuffer()).extend({ top: 150, bottom: 150, left: 150, right: 150, background: '#6b4a2e' }).jpeg().toBuffer()],
  ])('reads a card %s', async (_how, turn) => {
    const analysis = await reader.analyze(await turn(await renderCard(holder)));
    expect(verdictOf(analysis).outcome).toBe('PASS');
  }, 60_000);

  it('reads a card that shows its face twice (a ghost image) like any other', async () => {
    const photo = facesAvailable ? await face('photos/biden_1.jpg') : undefined;
    const analysis = await reader.analyze(await renderCard(holder, { photo, ghostPhoto: true }));
    expect(verdictOf(analysis).outcome).toBe('PASS');
  }, 60_000);

  it('reads no document in a photo without text', async () => {
    const plain = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#8fa3b0' } }).jpeg().toBuffer();
    const analysis = await reader.analyze(plain);
    expect(analysis).toMatchObject({ fields: { documentType: { value: 'OTHER' } }, mrz: [], textLines: 0 });
    expect(verdictOf(analysis)).toMatchObject({ outcome: 'FAIL', failed: 'IS_DOCUMENT' });
  }, 60_000);
});

describe.skipIf(!facesAvailable)('reading the shared card scenes (../shared/faces/cards)', () => {
  const cards = facesAvailable ? readdirSync(path.join(facesDir, 'cards')).filter((f) => f.endsWith('.jpg')) : [];

  it('reads no document in a portrait photo', async () => {
    const analysis = await reader.analyze(await face('photos/obama_2.jpg'));
    expect(verdictOf(analysis, 'Barack Obama')).toMatchObject({ outcome: 'FAIL', failed: 'IS_DOCUMENT' });
  }, 60_000);

  it.each(cards)('reads %s with the name printed on it', async (file) => {
    const name = file.split('_')[1]!.toUpperCase();
    const analysis = await reader.analyze(await face(`cards/${file}`));
    expect(analysis.fields.surname?.value).toBe(name);
    expect(verdictOf(analysis, name).checks.find((c) => c.check === 'NAME_MATCHES')!.outcome).toBe('PASS');
  }, 60_000);
});
