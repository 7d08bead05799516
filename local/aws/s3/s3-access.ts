/**
 * What an S3 request asks of IAM, as S3 authorizes it: reading an object (GET, HEAD) is
 * `s3:GetObject`, writing one `s3:PutObject`, deleting one `s3:DeleteObject` (each on
 * `arn:aws:s3:::<bucket>/<key>`), listing a bucket `s3:ListBucket` on the bucket, a
 * multi-object delete `s3:DeleteObject` on every key it names, and a copy (a PUT with
 * `x-amz-copy-source`) `s3:PutObject` on its target and `s3:GetObject` on its source.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 */
import { readFile } from 'node:fs/promises';
import type { AccessControl, AccessRequest } from '../iam/index.ts';
import { S3Error } from './s3-errors.ts';

/**
 * The actions and resources of a path-style request; a multi-object delete's keys come from its
 * body (`deleteBody`), a copy's source from its `x-amz-copy-source` header (`copySource`).
 */
export async function s3AccessRequests(method: string, path: string, query: string, deleteBody: () => Promise<string>, copySource?: string): Promise<AccessRequest[]> {
  const [, bucket = '', ...rest] = path.split('/');
  const key = decode(rest.join('/'));
  const params = new URLSearchParams(query);
  if (!key) {
    if (method === 'POST' && params.has('delete')) {
      const keys = [...(await deleteBody()).matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => unescapeXml(match[1]));
      return keys.map((k) => ({ action: 's3:DeleteObject', resource: `arn:aws:s3:::${decode(bucket)}/${k}` }));
    }
    return [{ action: method === 'GET' || method === 'HEAD' ? 's3:ListBucket' : `s3:${method}Bucket`, resource: `arn:aws:s3:::${decode(bucket)}` }];
  }
  const action = method === 'PUT' ? 's3:PutObject' : method === 'DELETE' ? 's3:DeleteObject' : 's3:GetObject';
  const requests = [{ action, resource: `arn:aws:s3:::${decode(bucket)}/${key}` }];
  if (method === 'PUT' && copySource) {
    // `bucket/key` or `/bucket/key`, URL-encoded, perhaps with `?versionId=`.
    const source = decode(copySource.replace(/^\//, '').split('?')[0]);
    requests.push({ action: 's3:GetObject', resource: `arn:aws:s3:::${source}` });
  }
  return requests;
}

/** Throws S3's 403 AccessDenied (InvalidAccessKeyId for an unknown key) unless every request is allowed. */
export async function checkS3Access(access: AccessControl, accessKeyId: string, requests: Promise<AccessRequest[]>): Promise<void> {
  for (const request of await requests) {
    const verdict = access.authorize(accessKeyId, request);
    if (verdict.allowed) continue;
    if (verdict.code === 'UnrecognizedClient') throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
    throw new S3Error(403, 'AccessDenied', verdict.message);
  }
}

/** A spooled body, as text (a multi-object delete's XML is small). */
export function spooledText(file: string | undefined): Promise<string> {
  return file === undefined ? Promise.resolve('') : readFile(file, 'utf8');
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!);
}
