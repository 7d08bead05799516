/**
 * What the awsJson1_1 stand-ins (Rekognition, Textract) share: the refusal a service answers in
 * its error shape, and a request body read with a limit, as a service that takes images in JSON
 * reads it.
 */
import type { IncomingMessage } from 'node:http';
import { SecureTaskError } from '../../lib/errors.ts';

/** A request the service would refuse: `code` is its error's name (`InvalidParameterException`), the awsJson1_1 `__type`; `status` the HTTP status. */
export class AwsJsonError extends SecureTaskError {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Past this, an oversized request is no longer drained: the connection is dropped. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** The body, up to `maxBytes`; a larger one is drained (or cut) and answered with `tooLarge()`. */
export async function readLimitedBody(req: IncomingMessage, maxBytes: number, tooLarge: () => AwsJsonError): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_DRAIN_BYTES) {
      req.destroy();
      break;
    }
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (size > maxBytes) throw tooLarge();
  return Buffer.concat(chunks);
}
