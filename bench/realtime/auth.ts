/**
 * Auth for any AppSync-protocol server: the headers of a GraphQL POST, of a real-time
 * connection (`POST <endpoint>/connect` with body `{}`) and of a `start` message (signed over
 * its `data` string), for API key, Lambda and IAM (SigV4) modes.
 */
import { Sha256 } from '@smithy/core/checksum';
import { appSyncPost } from '../../lib/appsync-request.ts';
import { SignatureV4 } from '@smithy/signature-v4';

/** AWS credentials for SigV4. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** How one side (subscribers or the publisher) authorizes. */
export type AuthSpec =
  | { mode: 'apikey'; apiKey: string }
  | { mode: 'lambda'; token: string }
  | { mode: 'iam'; credentials: Credentials; region: string };

/** Makes the headers a request to `url` with `body` carries. */
export type HeaderMaker = (url: string, body: string) => Promise<Record<string, string>>;

/** `x-amz-date` as AWS writes it: `20261120T235210Z`. */
export function amzDate(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The headers maker for an auth spec. IAM signs `POST url` with `body` and the headers Amplify
 * and aws-appsync-subscription-link sign for AppSync; the others send their secret as is.
 */
export function headerMaker(spec: AuthSpec): HeaderMaker {
  switch (spec.mode) {
    case 'apikey':
      return async (url) => ({ host: new URL(url).host, 'x-amz-date': amzDate(), 'x-api-key': spec.apiKey, 'content-type': 'application/json' });
    case 'lambda':
      return async (url) => ({ host: new URL(url).host, Authorization: spec.token, 'content-type': 'application/json' });
    case 'iam': {
      const signer = new SignatureV4({ service: 'appsync', region: spec.region, credentials: spec.credentials, sha256: Sha256 });
      return async (url, body) => {
        const signed = await signer.sign(
          appSyncPost(url, body, {
            accept: 'application/json, text/javascript',
            'content-encoding': 'amz-1.0',
            'content-type': 'application/json; charset=UTF-8',
          }),
        );
        return signed.headers as Record<string, string>;
      };
    }
  }
}

/**
 * Reads `--auth`/`--publish-auth`: `apikey:<key>`, `lambda:<token>` or `iam` (credentials and
 * region from the environment unless `iamDefaults` gives them, as for the local stack).
 */
export function parseAuth(text: string, iamDefaults?: { credentials: Credentials; region: string }): AuthSpec {
  const colon = text.indexOf(':');
  const mode = (colon < 0 ? text : text.slice(0, colon)).toLowerCase();
  const value = colon < 0 ? '' : text.slice(colon + 1);
  if (mode === 'apikey' && value) return { mode: 'apikey', apiKey: value };
  if (mode === 'lambda' && value) return { mode: 'lambda', token: value };
  if (mode === 'iam' && !value) {
    if (iamDefaults) return { mode: 'iam', ...iamDefaults };
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!accessKeyId || !secretAccessKey || !region) throw new Error('--auth iam needs AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION in the environment');
    return { mode: 'iam', credentials: { accessKeyId, secretAccessKey, sessionToken: sessionToken || undefined }, region };
  }
  throw new Error(`auth must be apikey:<key>, lambda:<token> or iam; got "${text.replace(/:.*/, ':…')}"`);
}

/**
 * The real-time URL of a GraphQL endpoint, as AppSync clients derive it: AWS hosts swap
 * `appsync-api` for `appsync-realtime-api`; any other host (custom domain, local) adds `/realtime`.
 */
export function realtimeUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  const wsScheme = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (/\.appsync-api\.[^.]+\.amazonaws\.com(\.cn)?$/.test(url.hostname)) {
    return `${wsScheme}//${url.hostname.replace('.appsync-api.', '.appsync-realtime-api.')}${url.pathname}`;
  }
  return `${wsScheme}//${url.host}${url.pathname.replace(/\/$/, '')}/realtime`;
}
