/**
 * Fault: the local S3 store loses its folder (moved away and a file left in its place, as a
 * full or unmounted disk would leave it) while a person uploads their verification images,
 * then gets it back.
 *
 * What a user must notice: the upload fails at once with S3's own error (HTTP 500
 * InternalError, "try again"), never a hang or a success that stored nothing; the same
 * presigned URL works once the store is back. The runtime says what failed and why.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../api/config.ts';
import { startFaultStack, type FaultStack } from './helpers/in-process-stack.ts';
import { graphql } from './helpers/graphql.ts';
import { FaultTally } from './helpers/tally.ts';
import { ROUNDS } from './helpers/wait.ts';

const tally = new FaultTally('S3 store failure');
let runtime: FaultStack;

beforeAll(async () => {
  // Request lines of the local S3 go to the service log (and so to this test) only when asked for.
  process.env.SECURETASK_LOG_S3 = '1';
  runtime = await startFaultStack({ config: { verification: { ...defaultConfig.verification, signup: 'open' } } });
});
afterAll(async () => {
  delete process.env.SECURETASK_LOG_S3;
  await runtime?.stop();
  console.log(tally.line());
});

// A small valid JPEG is not needed: the store fails before it looks at the bytes.
const image = new Uint8Array(2048).fill(7);

async function presignedUpload(email: string): Promise<{ url: string; headers: Record<string, string> }> {
  const answer = await graphql(
    runtime.stack.graphqlUrl,
    'mutation ($i: StartVerificationInput!) { startVerification(input: $i) { id uploads { purpose url headers } } }',
    { i: { email, name: 'Ada', consent: true, idDocument: { contentType: 'image/jpeg', size: image.length } } },
    { 'x-api-key': runtime.stack.apiKey },
  );
  const upload = answer.body?.data?.startVerification?.uploads?.[0];
  expect(upload, JSON.stringify(answer.body)).toBeDefined();
  return { url: upload.url, headers: JSON.parse(upload.headers) };
}

const upload = (target: { url: string; headers: Record<string, string> }) =>
  fetch(target.url, { method: 'PUT', headers: { 'Content-Type': target.headers['Content-Type']! }, body: image, signal: AbortSignal.timeout(15_000) });

describe('the S3 store failing for a while', { timeout: 60_000 }, () => {
  it(`(${ROUNDS} round${ROUNDS > 1 ? 's' : ''}) uploads fail at once with S3's error while the store is gone, and the same URL works once it is back`, async () => {
    const store = path.join(runtime.stack.dataDir, 's3');
    for (let round = 1; round <= ROUNDS; round++) {
      const target = await presignedUpload(`s3-${round}@example.com`);
      const failuresBefore = runtime.logged('local s3 request failed').length;

      await rename(store, `${store}-away`);
      await writeFile(store, 'not a folder');
      tally.injected('S3 store folder gone');
      const started = Date.now();
      const refused = await upload(target);
      const body = await refused.text();
      expect(refused.status).toBe(500);
      expect(body).toContain('<Code>InternalError</Code>');
      expect(Date.now() - started).toBeLessThan(5_000);
      // The runtime says which request failed and why (the cause a person can fix).
      const [failure] = runtime.logged('local s3 request failed').slice(failuresBefore);
      expect(failure).toMatchObject({ level: 'error', method: 'PUT', bucket: runtime.stack.imagesBucket });
      expect(String(failure!.error)).toMatch(/ENOTDIR|ENOENT/);

      await rm(store);
      await rename(`${store}-away`, store);
      const accepted = await upload(target);
      expect(accepted.status, await accepted.text()).toBe(200);
      tally.survived('S3 store folder gone');
    }
  });
});
