import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SecureTaskError } from '../../lib/errors.ts';

/** A GraphQL call to the API that failed: transport, HTTP status, or GraphQL errors. */
export class AppSyncCallError extends SecureTaskError {
  readonly code = 'APPSYNC_CALL_FAILED';
  constructor(
    message: string,
    readonly status: number,
    readonly errors: unknown[] = [],
  ) {
    super(message);
    this.name = 'AppSyncCallError';
  }
}

let signer: { accessKeyId: string | undefined; sign: SignatureV4 } | undefined;

/**
 * Calls the API's own GraphQL endpoint with IAM (SigV4) auth, as AppSync expects from the
 * fan-out Lambdas: the function's role credentials in AWS, the local IAM user locally.
 */
export async function callAppSyncWithIam(url: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
  // Rebuilt when the credentials change (a local restart in one process); built once in Lambda.
  if (!signer || signer.accessKeyId !== process.env.AWS_ACCESS_KEY_ID) {
    const sign = new SignatureV4({ service: 'appsync', region: process.env.AWS_REGION ?? 'us-east-1', credentials: defaultProvider(), sha256: Sha256 });
    signer = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, sign };
  }
  const endpoint = new URL(url);
  const body = JSON.stringify({ query, variables });
  const signed = await signer.sign.sign(
    new HttpRequest({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: endpoint.pathname,
      headers: { host: endpoint.host, 'content-type': 'application/json' },
      body,
    }),
  );
  const response = await fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  const result = (await response.json().catch(() => ({}))) as { data?: unknown; errors?: unknown[] };
  if (!response.ok || result.errors?.length) {
    throw new AppSyncCallError(`AppSync answered ${response.status}: ${JSON.stringify(result.errors ?? result)}`, response.status, result.errors);
  }
  return result.data;
}
