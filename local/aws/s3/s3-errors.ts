import { randomBytes } from 'node:crypto';
import { SecureTaskError } from '../../../lib/errors.ts';

/**
 * S3's error answers: the status, the `Code` the SDK turns into an exception name, and the XML
 * body S3 sends (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), so a
 * client that is refused locally sees what it would see from S3.
 */

/** An error S3 would answer with. `details` become extra elements of `<Error>`, in order. */
export class S3Error extends SecureTaskError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
  }
}

/** The signature S3 recomputed did not match: the wording S3 uses, plus what it shows to debug. */
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/** S3's answer to a request with no credentials on a private bucket. */
export const accessDenied = (): S3Error => new S3Error(403, 'AccessDenied', 'Access Denied');

/** A request id in S3's shape (16 upper-case hex digits) and a host id to go with it. */
export function newRequestIds(): { requestId: string; hostId: string } {
  return { requestId: randomBytes(8).toString('hex').toUpperCase(), hostId: randomBytes(32).toString('base64') };
}

/** Escapes text for an XML element. */
export function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The `<Error>` document S3 sends with a failed request. */
export function errorDocument(error: S3Error, ids: { requestId: string; hostId: string }): string {
  const extra = Object.entries(error.details)
    .map(([name, value]) => `<${name}>${xml(value)}</${name}>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xml(error.code)}</Code><Message>${xml(error.message)}</Message>${extra}` +
    `<RequestId>${ids.requestId}</RequestId><HostId>${xml(ids.hostId)}</HostId></Error>`
  );
}
