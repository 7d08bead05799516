/**
 * Who signed a request, for the local stand-ins that check permissions as well as signatures:
 * the local IAM user (long-term keys, allowed everything) or a role session the local STS issued
 * (temporary keys with a session token, an expiry and a policy). Header-signed requests are
 * checked with the same SigV4 verifier the AppSync emulator uses.
 */
import type { IncomingMessage } from 'node:http';
import { verifySigV4, type SignatureFailure } from '../../appsync/auth/iam.ts';
import type { Decision } from '../sts/policy.ts';

/** A holder of AWS keys, and what IAM would let it do. */
export interface SigningPrincipal {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials only. */
  sessionToken?: string;
  /** The user or assumed-role ARN, as AWS names it in AccessDenied messages. */
  arn: string;
  /** Temporary credentials only. */
  expiration?: Date;
  /**
   * IAM's decision for `service:Operation` on `resource` (an ARN; `*` when omitted, for actions
   * without one). Role sessions' policies decide on the action alone.
   */
  decide(action: string, resource?: string): Decision;
}

/** The principal an access key id belongs to, or undefined for a key nobody issued. */
export type PrincipalLookup = (accessKeyId: string) => SigningPrincipal | undefined;

/** Why a request was not authenticated; `expired-token` is valid temporary credentials past their expiry. */
export type AuthenticationFailure = SignatureFailure | 'expired-token';

/** Outcome of checking a request's signature. */
export type Authentication = { ok: true; principal: SigningPrincipal } | { ok: false; failure: AuthenticationFailure; message: string };

/** AWS's words for temporary credentials past their expiry. */
export const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired';

/**
 * Checks the SigV4 `Authorization` header of a request to a local stand-in of `service` and says
 * who signed it. Signature first (it proves the caller holds the keys), then the expiry of
 * temporary credentials.
 */
export async function authenticateSignedRequest(
  req: IncomingMessage,
  body: Buffer,
  lookup: PrincipalLookup,
  options: { region: string; service: string; now?: Date },
): Promise<Authentication> {
  const url = new URL(req.url ?? '/', 'http://local');
  let signer: SigningPrincipal | undefined;
  const verified = await verifySigV4(
    { method: req.method ?? 'POST', host: req.headers.host ?? '', path: url.pathname, query: url.search.slice(1), headers: req.headers, body: body.toString('utf8') },
    (id) => {
      signer = lookup(id);
      if (!signer) return undefined;
      const [, accountId = ''] = /^arn:aws:[a-z]+::(\d{12}):/.exec(signer.arn) ?? [];
      return { accessKeyId: signer.accessKeyId, secretAccessKey: signer.secretAccessKey, sessionToken: signer.sessionToken, accountId, userArn: signer.arn, username: signer.arn.split('/').pop() ?? '' };
    },
    options,
  );
  if (!verified.ok) return { ok: false, failure: verified.failure, message: verified.reason };
  return checkExpiry(signer!, options.now);
}

/** What each authentication failure is called, with its HTTP status, by a JSON-protocol service (Rekognition). */
export const JSON_PROTOCOL_AUTHENTICATION_ERRORS: Record<AuthenticationFailure, [number, string]> = {
  missing: [403, 'MissingAuthenticationTokenException'],
  malformed: [400, 'IncompleteSignatureException'],
  'unknown-key': [403, 'UnrecognizedClientException'],
  mismatch: [403, 'InvalidSignatureException'],
  stale: [403, 'InvalidSignatureException'],
  'expired-token': [403, 'ExpiredTokenException'],
};

/** What each authentication failure is called, with its HTTP status, by a query-protocol service (STS, SNS). */
export const QUERY_PROTOCOL_AUTHENTICATION_ERRORS: Record<AuthenticationFailure, [number, string]> = {
  missing: [403, 'MissingAuthenticationToken'],
  malformed: [400, 'IncompleteSignature'],
  'unknown-key': [403, 'InvalidClientTokenId'],
  mismatch: [403, 'SignatureDoesNotMatch'],
  stale: [403, 'SignatureDoesNotMatch'],
  'expired-token': [400, 'ExpiredToken'],
};

/** Valid keys past their expiry are refused with ExpiredToken, as AWS does. */
export function checkExpiry(principal: SigningPrincipal, now = new Date()): Authentication {
  if (principal.expiration && principal.expiration.getTime() <= now.getTime()) return { ok: false, failure: 'expired-token', message: EXPIRED_TOKEN_MESSAGE };
  return { ok: true, principal };
}

/** AWS's AccessDenied wording for `principal` calling `action` (the decision says which policy failed it). */
export function accessDeniedMessage(principal: SigningPrincipal, action: string, decision: Exclude<Decision, 'allow'>): string {
  const kind = principal.sessionToken ? 'session' : 'identity-based';
  const because = decision === 'explicit-deny' ? `with an explicit deny in a ${kind} policy` : `because no ${kind} policy allows the ${action} action`;
  return `User: ${principal.arn} is not authorized to perform: ${action} ${because}`;
}
