/**
 * Reading identity documents behind one interface. Two real backends give the same result shape:
 * Amazon Textract AnalyzeID (`textract.ts`, what the verify function calls, in AWS and locally,
 * where the endpoint is the offline OCR stand-in `local/aws/textract/`), each reading the ID photo
 * as bytes, as CompareFaces does. What the fields mean for a decision is `checks.ts`'s business.
 */

/** One value read from the document, with how sure the reader is of it (0-100, Textract's scale). */
export interface DocumentField {
  value: string;
  confidence: number;
}

/** The fields read from the document; a field the reader did not find is absent. */
export interface DocumentFields {
  /** All given names, as printed, space-separated (Textract's FIRST_NAME and MIDDLE_NAME). */
  givenNames?: DocumentField;
  surname?: DocumentField;
  /** ISO dates, `YYYY-MM-DD`. */
  dateOfBirth?: DocumentField;
  dateOfExpiry?: DocumentField;
  documentNumber?: DocumentField;
  /** `PASSPORT`, `DRIVER LICENSE FRONT`, `ID CARD`, `OTHER` (Textract's ID_TYPE values and ours). */
  documentType?: DocumentField;
  /** ICAO code (`D`, `FRA`, `UTO`) from the MRZ, or the issuer as printed. */
  issuingCountry?: DocumentField;
}

/** What a reader answers for one image. */
export interface DocumentAnalysis {
  /** The fields read from the printed (visual) zone. */
  fields: DocumentFields;
  /** The machine readable zone's lines as read, top to bottom; empty when there is none. */
  mrz: string[];
  /** How many lines of text the reader saw anywhere on the image (a face photo has next to none). */
  textLines: number;
}

/** What a backend can do. Images are JPEG or PNG bytes that passed `checkImage` first. */
export interface DocumentReader {
  analyze(image: Uint8Array): Promise<DocumentAnalysis>;
}

/** Stable codes of {@link DocumentReadError}, each mapped by the verify function to what a person sees. */
export type DocumentReadErrorCode =
  /** The backend could not read the image as a document (Textract's BadDocumentException). */
  | 'UNREADABLE'
  /** The backend refused the image's format. */
  | 'INVALID_IMAGE'
  /** The image is larger than the backend accepts. */
  | 'IMAGE_TOO_LARGE'
  /** Still throttled after the retries: try again shortly. */
  | 'THROTTLED'
  /** The backend refused us (permissions, configuration): an operator must look. */
  | 'ACCESS_DENIED'
  /** The backend failed: try again later. */
  | 'UNAVAILABLE';

/** A reading that gave no answer, with a stable code. */
export class DocumentReadError extends Error {
  override readonly name = 'DocumentReadError';
  constructor(
    readonly code: DocumentReadErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
