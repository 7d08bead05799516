/**
 * The `DocumentReader` the verify function uses: Amazon Textract AnalyzeID on the ID photo, sent
 * as bytes. Locally the same code talks to the offline ID reader's Textract-compatible endpoint
 * (`local/aws/textract/textract.ts`) through `AWS_ENDPOINT_URL_TEXTRACT`. Throttling and
 * failures are retried as Rekognition's are (`../aws-retries.ts`).
 */
import { AnalyzeIDCommand, TextractClient, type IdentityDocumentField, type TextractClientConfig } from '@aws-sdk/client-textract';
import { DENIED, errorName, retryPolicy, THROTTLING, withRetries, type RetryPolicy } from '../aws-retries.ts';
import { DocumentReadError, type DocumentAnalysis, type DocumentField, type DocumentFields, type DocumentReader, type DocumentReadErrorCode } from './document-reader.ts';

/** Options of {@link TextractDocumentReader}. */
export interface TextractDocumentReaderOptions {
  /** A ready client (give it `maxAttempts: 1`); without it, one client per process is shared. */
  client?: TextractClient;
  /** Configuration of a client made for this reader (endpoint, region, credentials). */
  clientConfig?: TextractClientConfig;
  /** Default: 4 attempts, backoff ceilings 100, 200, 400 ms (capped at 2 s), full jitter. */
  retry?: RetryPolicy;
}

let shared: { key: string; client: TextractClient } | undefined;

/** One client per process, rebuilt when the endpoint or credentials in the environment change; the SDK's own retries off (ours run). */
function defaultClient(): TextractClient {
  const key = [process.env.AWS_ENDPOINT_URL_TEXTRACT, process.env.AWS_ACCESS_KEY_ID].join('\u0000');
  if (shared?.key !== key) shared = { key, client: new TextractClient({ maxAttempts: 1 }) };
  return shared.client;
}

/** `DocumentReader` over Amazon Textract AnalyzeID (or anything that speaks its API). */
export class TextractDocumentReader implements DocumentReader {
  private readonly client: TextractClient;
  private readonly retry: Required<RetryPolicy>;

  constructor(options: TextractDocumentReaderOptions = {}) {
    this.client =
      options.client ?? (options.clientConfig ? new TextractClient({ ...options.clientConfig, maxAttempts: options.clientConfig.maxAttempts ?? 1 }) : defaultClient());
    this.retry = retryPolicy(options.retry);
  }

  /** The fields of the first document Textract found in the image (one page: the ID's front). */
  async analyze(image: Uint8Array): Promise<DocumentAnalysis> {
    const output = await withRetries(
      this.retry,
      () => this.client.send(new AnalyzeIDCommand({ DocumentPages: [{ Bytes: image }] })),
      (error, attempts) => toDocumentReadError(error, attempts),
    );
    const document = output.IdentityDocuments?.[0];
    return {
      fields: fieldsOf(document?.IdentityDocumentFields ?? []),
      mrz: mrzLines(valueOf(document?.IdentityDocumentFields ?? [], 'MRZ_CODE')?.value),
      textLines: (document?.Blocks ?? []).filter((block) => block.BlockType === 'LINE' && block.Text?.trim()).length,
    };
  }
}

/** Textract's normalized fields in our shape: FIRST_NAME and MIDDLE_NAME are the given names; dates ISO. */
function fieldsOf(fields: IdentityDocumentField[]): DocumentFields {
  const first = valueOf(fields, 'FIRST_NAME');
  const middle = valueOf(fields, 'MIDDLE_NAME');
  const givenNames =
    first || middle
      ? { value: [first?.value, middle?.value].filter(Boolean).join(' '), confidence: Math.min(first?.confidence ?? 100, middle?.confidence ?? 100) }
      : undefined;
  return prune({
    givenNames,
    surname: valueOf(fields, 'LAST_NAME'),
    dateOfBirth: dateOf(fields, 'DATE_OF_BIRTH'),
    dateOfExpiry: dateOf(fields, 'EXPIRATION_DATE'),
    documentNumber: valueOf(fields, 'DOCUMENT_NUMBER'),
    documentType: valueOf(fields, 'ID_TYPE'),
    issuingCountry: valueOf(fields, 'STATE_NAME'),
  });
}

/** The field's text with its confidence; undefined when Textract found no value. */
function valueOf(fields: IdentityDocumentField[], type: string): DocumentField | undefined {
  const field = fields.find((f) => f.Type?.Text?.toUpperCase() === type);
  const text = field?.ValueDetection?.Text?.trim();
  return text ? { value: text, confidence: field?.ValueDetection?.Confidence ?? 0 } : undefined;
}

/** A date field as `YYYY-MM-DD`, from Textract's NormalizedValue; undefined when it gave none. */
function dateOf(fields: IdentityDocumentField[], type: string): DocumentField | undefined {
  const field = fields.find((f) => f.Type?.Text?.toUpperCase() === type);
  const normalized = field?.ValueDetection?.NormalizedValue;
  const iso = normalized?.ValueType === 'DATE' ? /^\d{4}-\d{2}-\d{2}/.exec(normalized.Value ?? '')?.[0] : undefined;
  return iso ? { value: iso, confidence: field?.ValueDetection?.Confidence ?? 0 } : undefined;
}

function mrzLines(text: string | undefined): string[] {
  return (text ?? '').split(/\r?\n/).map((line) => line.replace(/\s+/g, '').toUpperCase()).filter(Boolean);
}

function prune(fields: DocumentFields): DocumentFields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as DocumentFields;
}

function toDocumentReadError(error: unknown, attempts: number): DocumentReadError {
  const name = errorName(error) || 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const code: DocumentReadErrorCode = THROTTLING.has(name)
    ? 'THROTTLED'
    : DENIED.has(name)
      ? 'ACCESS_DENIED'
      : name === 'DocumentTooLargeException'
        ? 'IMAGE_TOO_LARGE'
        : name === 'UnsupportedDocumentException' || name === 'InvalidParameterException'
          ? 'INVALID_IMAGE'
          : name === 'BadDocumentException'
            ? 'UNREADABLE'
            : 'UNAVAILABLE';
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  return new DocumentReadError(code, `Textract AnalyzeID failed${after}: ${name}: ${message}`, { cause: error });
}
