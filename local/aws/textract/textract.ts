/**
 * A local Amazon Textract that the real `TextractClient` talks to: AnalyzeID over the awsJson1_1
 * protocol (POST /, `X-Amz-Target: Textract.AnalyzeID`, pages as base64 `Bytes`), answered from
 * the offline ID reader (`id-reader.ts`: the card found and straightened, Tesseract, the MRZ) in
 * Textract's shapes and with Textract's errors. The verify function reaches it through
 * `AWS_ENDPOINT_URL_TEXTRACT` and cannot tell it from the real service, except by what it reads:
 * ID cards, passports and licences of any country with labelled fields, where Textract reads US
 * documents.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsJsonError as TextractError, readLimitedBody } from '../aws-json.ts';
import { serveOnLoopback } from '../loopback-server.ts';
import { signingAccessKey, type AccessControl } from '../iam/index.ts';
import { JSON_PROTOCOL_AUTHENTICATION_ERRORS } from '../sigv4/principal.ts';
import { readId, ImageTooLargeError, UnreadableImageError, type IdReading } from './id-reader.ts';
import { createOcr, type Ocr } from './ocr.ts';

/** Options of {@link startLocalTextract}. */
export interface LocalTextractOptions {
  /** The OCR to read with; default: Tesseract workers started on first use (and closed by `stop`). */
  ocr?: Ocr;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Who signed each request (`access.authenticate`, refused in AWS's words when the signature does not hold) and who may call it: without it, anyone. */
  access?: AccessControl;
}

/** A running local Textract. */
export interface LocalTextract {
  /** `http://host:port`: give it to `TextractClient` as `endpoint` or `AWS_ENDPOINT_URL_TEXTRACT`. */
  endpoint: string;
  /** Starts the OCR workers now instead of on the first request. */
  warm(): Promise<void>;
  stop(): Promise<void>;
}


const MIB = 1024 * 1024;
/** Textract's synchronous operations take documents of at most 10 MB. */
const MAX_DOCUMENT_BYTES = 10 * MIB;
/** Two pages of 10 MB in base64, and then some. */
const MAX_BODY_BYTES = 32 * MIB;
/** Textract's largest side for a synchronous document is 10,000 pixels. */
const MAX_PIXELS = 10_000 * 10_000;

/** The normalized fields AnalyzeID answers for every document, found or not (Textract's list). */
const FIELD_TYPES = [
  'FIRST_NAME', 'LAST_NAME', 'MIDDLE_NAME', 'SUFFIX', 'CITY_IN_ADDRESS', 'ZIP_CODE_IN_ADDRESS', 'STATE_IN_ADDRESS', 'STATE_NAME',
  'DOCUMENT_NUMBER', 'EXPIRATION_DATE', 'DATE_OF_BIRTH', 'DATE_OF_ISSUE', 'ID_TYPE', 'ENDORSEMENTS', 'VETERAN', 'RESTRICTIONS',
  'CLASS', 'ADDRESS', 'COUNTY', 'PLACE_OF_BIRTH', 'MRZ_CODE',
] as const;
type FieldType = (typeof FIELD_TYPES)[number];

const invalidParameter = (detail: string) => new TextractError('InvalidParameterException', `Request has invalid parameters: ${detail}`);

/** Starts the local Textract; `stop()` closes it and the OCR it started. */
export async function startLocalTextract(options: LocalTextractOptions = {}): Promise<LocalTextract> {
  const ocr = options.ocr ?? createOcr();

  const analyzeId = async (request: { DocumentPages?: unknown }) => {
    const pages = request.DocumentPages;
    if (!Array.isArray(pages) || pages.length < 1 || pages.length > 2) throw invalidParameter('DocumentPages must hold 1 or 2 documents');
    const documents = pages.map((page, i) => pageBytes(page, i));
    const readings = await Promise.all(documents.map((bytes) => read(ocr, bytes)));
    return {
      IdentityDocuments: readings.map((reading, i) => ({ DocumentIndex: i + 1, IdentityDocumentFields: identityFields(reading), Blocks: blocks(reading, i + 1) })),
      DocumentMetadata: { Pages: readings.length },
      AnalyzeIDModelVersion: '1.0',
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }).end(JSON.stringify(body));
    try {
      const body = await readLimitedBody(req, MAX_BODY_BYTES, () => new TextractError('DocumentTooLargeException', 'Document size is too large.'));
      if (options.access?.authenticate) {
        const caller = await options.access.authenticate(req, body, 'textract');
        if (!caller.ok) {
          const [status, code] = JSON_PROTOCOL_AUTHENTICATION_ERRORS[caller.failure];
          throw new TextractError(code, caller.message, status);
        }
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || target !== 'Textract.AnalyzeID') {
        throw new TextractError('com.amazon.coral.service#UnknownOperationException', `The local Textract implements AnalyzeID, not ${target || 'an operation without X-Amz-Target'}`);
      }
      if (options.access) {
        // These actions have no resource: a policy allows them on `*`.
        const verdict = options.access.authorize(signingAccessKey(req.headers.authorization) ?? '', { action: 'textract:AnalyzeID', resource: '*' });
        if (!verdict.allowed) throw new TextractError(verdict.code === 'AccessDenied' ? 'AccessDeniedException' : 'UnrecognizedClientException', verdict.message);
      }
      let request: unknown;
      try {
        request = JSON.parse(body.toString('utf8'));
      } catch {
        throw new TextractError('com.amazon.coral.service#SerializationException', 'The request body is not valid JSON');
      }
      answer(200, await analyzeId((request ?? {}) as { DocumentPages?: unknown }));
    } catch (error) {
      const known = error instanceof TextractError ? error : new TextractError('InternalServerError', `The local Textract failed: ${String(error)}`, 500);
      answer(known.status, { __type: known.code, Code: known.code.split('#').pop(), Message: known.message });
    }
  };

  const server = await serveOnLoopback((req, res) => void handle(req, res), options);
  return {
    endpoint: server.endpoint,
    async warm() {
      await ocr.readLines(await blankPng());
    },
    async stop() {
      await server.stop();
      if (!options.ocr) await ocr.close();
    },
  };
}

/** A page's bytes, checked as Textract checks a synchronous document: Bytes only, JPEG or PNG, at most 10 MB. */
function pageBytes(page: unknown, index: number): Buffer {
  const value = page as { Bytes?: unknown; S3Object?: unknown } | undefined;
  if (value?.S3Object !== undefined) throw invalidParameter(`DocumentPages[${index}]: the local Textract takes documents as Bytes only`);
  if (typeof value?.Bytes !== 'string' || value.Bytes.length === 0) throw invalidParameter(`DocumentPages[${index}].Bytes is required`);
  const bytes = Buffer.from(value.Bytes, 'base64');
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new TextractError('DocumentTooLargeException', 'Document size is too large.');
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!jpeg && !png) throw new TextractError('UnsupportedDocumentException', 'Request has unsupported document format');
  return bytes;
}

async function read(ocr: Ocr, bytes: Uint8Array): Promise<IdReading> {
  try {
    return await readId(ocr, bytes, { maxPixels: MAX_PIXELS });
  } catch (error) {
    if (error instanceof ImageTooLargeError) throw new TextractError('DocumentTooLargeException', 'Document dimensions are too large.');
    if (error instanceof UnreadableImageError) throw new TextractError('BadDocumentException', 'Unable to process the document: it could not be read as an image.');
    throw error;
  }
}

/** Every normalized field, its value where one was read (empty where not), with dates normalized. */
function identityFields(reading: IdReading) {
  const { printed } = reading;
  const [first = '', ...middle] = (printed.givenNames?.text ?? '').split(' ').filter(Boolean);
  const values: Partial<Record<FieldType, { text: string; confidence: number; date?: string }>> = {
    FIRST_NAME: first ? { text: first, confidence: printed.givenNames!.confidence } : undefined,
    MIDDLE_NAME: middle.length ? { text: middle.join(' '), confidence: printed.givenNames!.confidence } : undefined,
    LAST_NAME: printed.surname && { text: printed.surname.text, confidence: printed.surname.confidence },
    DATE_OF_BIRTH: printed.dateOfBirth && { text: printed.dateOfBirth.text, confidence: printed.dateOfBirth.confidence, date: printed.dateOfBirth.iso },
    EXPIRATION_DATE: printed.dateOfExpiry && { text: printed.dateOfExpiry.text, confidence: printed.dateOfExpiry.confidence, date: printed.dateOfExpiry.iso },
    DOCUMENT_NUMBER: printed.documentNumber && { text: printed.documentNumber.text, confidence: printed.documentNumber.confidence },
    ID_TYPE: { text: reading.mrz[0]?.startsWith('P') ? 'PASSPORT' : (printed.documentType ?? 'OTHER'), confidence: 90 },
    MRZ_CODE: reading.mrz.length ? { text: reading.mrz.join('\n'), confidence: 90 } : undefined,
  };
  return FIELD_TYPES.map((type) => {
    const value = values[type];
    return {
      Type: { Text: type },
      ValueDetection: {
        Text: value?.text ?? '',
        ...(value?.date ? { NormalizedValue: { Value: `${value.date}T00:00:00`, ValueType: 'DATE' } } : {}),
        Confidence: value ? round(value.confidence) : 99,
      },
    };
  });
}

/** The page and its lines as Textract Blocks (the geometry is the straightened document's). */
function blocks(reading: IdReading, page: number) {
  const lines = reading.lines.map((line) => ({
    BlockType: 'LINE',
    Id: randomUUID(),
    Page: page,
    Text: line.text,
    Confidence: round(line.confidence),
    Geometry: {
      BoundingBox: { Left: line.left, Top: line.top, Width: line.width, Height: line.height },
      Polygon: [
        { X: line.left, Y: line.top },
        { X: line.left + line.width, Y: line.top },
        { X: line.left + line.width, Y: line.top + line.height },
        { X: line.left, Y: line.top + line.height },
      ],
    },
  }));
  const pageBlock = {
    BlockType: 'PAGE',
    Id: randomUUID(),
    Page: page,
    Geometry: { BoundingBox: { Left: 0, Top: 0, Width: 1, Height: 1 }, Polygon: [{ X: 0, Y: 0 }, { X: 1, Y: 0 }, { X: 1, Y: 1 }, { X: 0, Y: 1 }] },
    Relationships: lines.length ? [{ Type: 'CHILD', Ids: lines.map((l) => l.Id) }] : [],
  };
  return [pageBlock, ...lines];
}

function round(confidence: number): number {
  return Math.round(Math.min(100, Math.max(0, confidence)) * 1000) / 1000;
}

let blank: Promise<Buffer> | undefined;
function blankPng(): Promise<Buffer> {
  return (blank ??= import('sharp').then(({ default: sharp }) => sharp({ create: { width: 64, height: 32, channels: 3, background: '#ffffff' } }).png().toBuffer()));
}
