/**
 * Uploads an image to its presigned S3 URL. XMLHttpRequest rather than fetch: fetch reports no
 * upload progress, and a person sending a 4 MB photo over a phone connection wants to see it move.
 */
import type { PresignedUpload } from './api.ts';

/** Why an upload did not go through, in words a person can act on. */
export class UploadError extends Error {
  override name = 'UploadError';
  constructor(
    message: string,
    /** True when the URL itself was refused (expired or not for this file): ask for a fresh one. */
    readonly urlRefused: boolean,
  ) {
    super(message);
  }
}

/**
 * Headers the browser sets itself and refuses from scripts; the URL is signed for Content-Length
 * too, and the browser sends the right one from the body.
 */
const BROWSER_HEADERS = /^(content-length|host|connection|expect)$/i;

/** The presigned headers (an AWSJSON string) as a plain object. */
export function uploadHeaders(upload: PresignedUpload): Record<string, string> {
  let parsed: unknown = upload.headers;
  try {
    // AWSJSON is a JSON string; a transport that already parsed it leaves an object.
    while (typeof parsed === 'string') parsed = JSON.parse(parsed);
  } catch {
    parsed = {};
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((parsed ?? {}) as Record<string, unknown>)) {
    if (!BROWSER_HEADERS.test(name)) headers[name] = String(value);
  }
  return headers;
}

/** PUTs `image` to `upload.url`; `onProgress` gets the bytes sent so far. Abort with `signal`. */
export function putImage(upload: PresignedUpload, image: Blob, onProgress?: (sent: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', upload.url);
    for (const [name, value] of Object.entries(uploadHeaders(upload))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(image.size);
        resolve();
      } else if (xhr.status === 403 || xhr.status === 400) {
        reject(new UploadError('The upload link was refused (it may have expired). Try again: a fresh link is asked for.', true));
      } else {
        reject(new UploadError(`The photo could not be stored (the server answered ${xhr.status}). Try again in a moment.`, false));
      }
    };
    xhr.onerror = () => reject(new UploadError('The photo did not upload: check your connection and try again.', false));
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => reject(new DOMException('The upload was stopped.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(image);
  });
}
