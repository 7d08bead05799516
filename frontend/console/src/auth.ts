/**
 * The console's three ways to call the API, as AppSync's auth modes: the API key, a session token
 * (the Lambda authorizer's mode; locally a dev token for an email and role), and IAM (SigV4 with
 * the local IAM user's keys). Each becomes the HTTP headers of a request, or the auth option of
 * aws-appsync-subscription-link for the real-time connection.
 */
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { appSyncPost } from '../../../lib/appsync-request.ts';
import type { ConsoleSettings } from './console-settings.ts';

/** An auth choice, with what it needs to sign. */
export type ConsoleAuth =
  | { mode: 'API_KEY'; apiKey: string }
  | { mode: 'AWS_LAMBDA'; token: string }
  | { mode: 'AWS_IAM'; credentials: ConsoleSettings['iamCredentials']; region: string };

/** The auth option aws-appsync-subscription-link takes (its AUTH_TYPE names are AppSync's). */
export type RealtimeAuth =
  | { type: 'API_KEY'; apiKey: string }
  | { type: 'AWS_LAMBDA'; token: string }
  | { type: 'AWS_IAM'; credentials: ConsoleSettings['iamCredentials'] };

/**
 * The headers that authorize `POST url` with `body` under `auth`, besides `headers` (which IAM
 * signs with the request, as AWS clients sign AppSync requests: `service` appsync, the region).
 */
export async function authHeaders(auth: ConsoleAuth, url: string, body: string, headers: Record<string, string>): Promise<Record<string, string>> {
  if (auth.mode === 'API_KEY') return { ...headers, 'x-api-key': auth.apiKey };
  if (auth.mode === 'AWS_LAMBDA') return { ...headers, authorization: auth.token };
  const signer = new SignatureV4({ service: 'appsync', region: auth.region, credentials: auth.credentials, sha256: Sha256 });
  const signed = await signer.sign(appSyncPost(url, body, headers));
  // The browser sends `host` itself (scripts may not set it); it is signed all the same.
  const { host: _host, ...sent } = signed.headers;
  return sent;
}

/** The real-time link's auth for the same choice. */
export function realtimeAuth(auth: ConsoleAuth): RealtimeAuth {
  if (auth.mode === 'API_KEY') return { type: 'API_KEY', apiKey: auth.apiKey };
  if (auth.mode === 'AWS_LAMBDA') return { type: 'AWS_LAMBDA', token: auth.token };
  return { type: 'AWS_IAM', credentials: auth.credentials };
}
