/**
 * s3rver, the storage behind the local S3: objects on disk under the data folder, S3's XML API
 * for the calls the project makes. It never checks a signature (the front in s3.ts does), so it
 * listens on loopback on a port of its own that only the front talks to.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/** The part of s3rver's API used here (the package ships no types). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
  resetOnClose: boolean;
  allowMismatchedSignatures: boolean;
  vhostBuckets: boolean;
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** S3's rules for a bucket name (general purpose buckets), so a typo fails here as in AWS. */
const BUCKET_NAME = /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*(-s3alias|--x-s3|--table-s3)$)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9](?!.*\.\.)[a-z0-9.-]{1,61}[a-z0-9]$/;

/** A running s3rver: where to reach it, and how to stop it. */
export interface S3Backend {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts s3rver on `127.0.0.1` on a free port, silent (its logger writes to the console
 * otherwise), with `buckets` created if missing. Objects persist in `directory` across restarts.
 */
export async function startS3Backend(options: { directory: string; buckets: readonly string[] }): Promise<S3Backend> {
  for (const name of options.buckets) {
    if (!BUCKET_NAME.test(name)) throw new Error(`local S3: '${name}' is not a valid S3 bucket name`);
  }
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
    resetOnClose: false,
    allowMismatchedSignatures: false,
    // The front always sends path-style requests to 127.0.0.1, never a bucket in the host name.
    vhostBuckets: false,
  });
  const address = await server.run();
  return { port: address.port, close: () => server.close() };
}
