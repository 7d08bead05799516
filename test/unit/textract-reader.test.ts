import {
  AccessDeniedException,
  AnalyzeIDCommand,
  BadDocumentException,
  DocumentTooLargeException,
  InternalServerError,
  InvalidParameterException,
  ProvisionedThroughputExceededException,
  TextractClient,
  ThrottlingException,
  UnsupportedDocumentException,
} from '@aws-sdk/client-textract';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DocumentReadError } from '../../functions/verification/documents/document-reader.ts';
import { TextractDocumentReader } from '../../functions/verification/documents/textract.ts';

// aws-sdk-client-mock replaces `send`: what these tests see is the reader's own retry policy.
const textract = mockClient(TextractClient);
const meta = { $metadata: {} };
const image = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]);
let sleeps: number[];
const reader = () =>
  new TextractDocumentReader({
    clientConfig: { region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } },
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
const field = (type: string, text: string, confidence = 97.5, date?: string) => ({
  Type: { Text: type },
  ValueDetection: { Text: text, Confidence: confidence, ...(date ? { NormalizedValue: { Value: `${date}T00:00:00`, ValueType: 'DATE' as const } } : {}) },
});

async function failure(promise: Promise<unknown>): Promise<DocumentReadError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DocumentReadError);
  return error as DocumentReadError;
}

beforeEach(() => {
  textract.reset();
  sleeps = [];
});
afterAll(() => textract.restore());

describe('TextractDocumentReader', () => {
  it('sends the ID photo as the one page of AnalyzeID, as bytes', async () => {
    textract.on(AnalyzeIDCommand).resolves({ IdentityDocuments: [] });
    await reader().analyze(image);
    expect(textract.commandCalls(AnalyzeIDCommand)[0]!.args[0].input).toEqual({ DocumentPages: [{ Bytes: image }] });
  });

  it("maps Textract's normalized fields: first and middle names as given names, dates from NormalizedValue, the MRZ's lines, the text lines", async () => {
    textract.on(AnalyzeIDCommand).resolves({
      IdentityDocuments: [
        {
          DocumentIndex: 1,
          IdentityDocumentFields: [
            field('FIRST_NAME', 'ANNA', 99),
            field('MIDDLE_NAME', 'MARIA', 90),
            field('LAST_NAME', 'ERIKSSON'),
            field('DATE_OF_BIRTH', '12.08.1974', 98, '1974-08-12'),
            field('EXPIRATION_DATE', '04/15/2030', 96, '2030-04-15'),
            field('DOCUMENT_NUMBER', 'D23145890'),
            field('ID_TYPE', 'PASSPORT'),
            field('STATE_NAME', ''),
            field('SUFFIX', ''),
            field('MRZ_CODE', 'P<UTOERIKSSON<<ANNA<MARIA\nL898902C36UTO7408122F1204159ZE184226B<<<<<10'),
          ],
          Blocks: [
            { BlockType: 'PAGE' },
            { BlockType: 'LINE', Text: 'PASSPORT' },
            { BlockType: 'LINE', Text: 'ERIKSSON' },
            { BlockType: 'WORD', Text: 'ERIKSSON' },
          ],
        },
      ],
      ...meta,
    });
    expect(await reader().analyze(image)).toEqual({
      fields: {
        givenNames: { value: 'ANNA MARIA', confidence: 90 },
        surname: { value: 'ERIKSSON', confidence: 97.5 },
        dateOfBirth: { value: '1974-08-12', confidence: 98 },
        dateOfExpiry: { value: '2030-04-15', confidence: 96 },
        documentNumber: { value: 'D23145890', confidence: 97.5 },
        documentType: { value: 'PASSPORT', confidence: 97.5 },
      },
      mrz: ['P<UTOERIKSSON<<ANNA<MARIA', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'],
      textLines: 2,
    });
  });

  it('answers an image with nothing on it as no fields, no MRZ, no text', async () => {
    textract.on(AnalyzeIDCommand).resolves({ IdentityDocuments: [{ IdentityDocumentFields: [field('FIRST_NAME', ''), field('DATE_OF_BIRTH', '')], Blocks: [{ BlockType: 'PAGE' }] }] });
    expect(await reader().analyze(image)).toEqual({ fields: {}, mrz: [], textLines: 0 });
  });

  it('retries throttling with backoff, then reports THROTTLED', async () => {
    textract.on(AnalyzeIDCommand).rejects(new ProvisionedThroughputExceededException({ ...meta, message: 'slow down' }));
    const error = await failure(reader().analyze(image));
    expect(error.code).toBe('THROTTLED');
    expect(textract.commandCalls(AnalyzeIDCommand)).toHaveLength(4);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('recovers when a retry succeeds', async () => {
    textract
      .on(AnalyzeIDCommand)
      .rejectsOnce(new ThrottlingException({ ...meta, message: 'slow down' }))
      .rejectsOnce(new InternalServerError({ ...meta, message: 'oops' }))
      .resolves({ IdentityDocuments: [] });
    expect(await reader().analyze(image)).toEqual({ fields: {}, mrz: [], textLines: 0 });
    expect(textract.commandCalls(AnalyzeIDCommand)).toHaveLength(3);
  });

  it.each([
    ['AccessDeniedException', () => new AccessDeniedException({ ...meta, message: 'no' }), 'ACCESS_DENIED', 1],
    ['BadDocumentException', () => new BadDocumentException({ ...meta, message: 'bad' }), 'UNREADABLE', 1],
    ['DocumentTooLargeException', () => new DocumentTooLargeException({ ...meta, message: 'big' }), 'IMAGE_TOO_LARGE', 1],
    ['UnsupportedDocumentException', () => new UnsupportedDocumentException({ ...meta, message: 'format' }), 'INVALID_IMAGE', 1],
    ['InvalidParameterException', () => new InvalidParameterException({ ...meta, message: 'param' }), 'INVALID_IMAGE', 1],
    ['InternalServerError (retried)', () => new InternalServerError({ ...meta, message: 'down' }), 'UNAVAILABLE', 4],
    ['a broken connection (retried)', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'UNAVAILABLE', 4],
  ])('reports %s as %s', async (_name, error, code, calls) => {
    textract.on(AnalyzeIDCommand).rejects(error());
    expect((await failure(reader().analyze(image))).code).toBe(code);
    expect(textract.commandCalls(AnalyzeIDCommand)).toHaveLength(calls);
  });
});
