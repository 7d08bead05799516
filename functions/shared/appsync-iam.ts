import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { appSyncPost } from '../../lib/appsync-request.ts';
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

// The signer hashes with the SDK's own `node:crypto` SHA-256 (the pure-JavaScript one cost more
// than the rest of a publish in profiles) and derives its signing key once per day, region and
// service, then keeps it. One per access key: one in Lambda; one per function locally, where
// the functions share a process, each with its own credentials.
const signers = new Map<string | undefined, SignatureV4>();

/**
 * Calls the API's own GraphQL endpoint with IAM (SigV4) auth, as AppSync expects from the
 * fan-out Lambdas: the function's role credentials, in AWS and locally alike.
 */
export async function callAppSyncWithIam(url: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  let signer = signers.get(accessKeyId);
  if (!signer) {
    if (signers.size >= 64) signers.delete(signers.keys().next().value);
    signer = new SignatureV4({ service: 'appsync', region: process.env.AWS_REGION ?? 'us-east-1', credentials: defaultProvider(), sha256: Sha256 });
    signers.set(accessKeyId, signer);
  }
  const body = JSON.stringify({ query, variables });
  const signed = await signer.sign(appSyncPost(url, body, { 'content-type': 'application/json' }));
  const response = await fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  const result = (await response.json().catch(() => ({}))) as { data?: unknown; errors?: unknown[] };
  if (!response.ok || result.errors?.length) {
    throw new AppSyncCallError(`AppSync answered ${response.status}: ${JSON.stringify(result.errors ?? result)}`, response.status, result.errors);
  }
  return result.data;
}

/** One IAM mutation field that takes one input argument, e.g. `publishTaskEvent(event: TaskEventInput!)`. */
export interface MutationField {
  field: string;
  argument: string;
  inputType: string;
  /** The selection set subscribers receive (AppSync sends them the mutation's selection). */
  selection: string;
}

/**
 * AppSync's `resolverCountLimit` as the API description sets it (api/definition.ts): a request
 * may run at most this many resolvers, one per publish field here.
 */
export const FIELDS_PER_REQUEST = 25;

/**
 * Calls `mutation` once per input, several to a request as aliased root fields. GraphQL runs a
 * mutation's root fields one after another, in the order written, and AppSync triggers the
 * subscriptions of each: subscribers get the inputs in the order given. Requests go one after
 * another, so order holds across them too.
 */
export async function callMutationForEach(url: string, mutation: MutationField, inputs: unknown[], perRequest = FIELDS_PER_REQUEST): Promise<void> {
  for (let from = 0; from < inputs.length; from += perRequest) {
    const slice = inputs.slice(from, from + perRequest);
    const variables = Object.fromEntries(slice.map((input, i) => [`v${i}`, input]));
    const declarations = slice.map((_, i) => `$v${i}: ${mutation.inputType}!`).join(', ');
    const fields = slice.map((_, i) => `f${i}: ${mutation.field}(${mutation.argument}: $v${i}) { ${mutation.selection} }`).join('\n');
    await callAppSyncWithIam(url, `mutation Publish${capitalised(mutation.field)}(${declarations}) {\n${fields}\n}`, variables);
  }
}

function capitalised(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
