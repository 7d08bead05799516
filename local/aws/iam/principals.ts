import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Authentication } from '../sigv4/principal.ts';
import { compilePolicy, type AccessRequest, type CompiledPolicy, type PolicyStatement } from './policy.ts';

/** Credentials a principal signs its requests with. */
export interface PrincipalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Someone requests are signed by, and what they may do. */
export interface Principal {
  credentials: PrincipalCredentials;
  /** As AWS names the caller in its refusals: `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string;
  /** Undefined: everything (an administrator, as the local IAM user the developer signs with). */
  policy?: CompiledPolicy;
}

/** The outcome of {@link Principals.authorize}: allowed, or refused with AWS's words. */
export type Authorization = { allowed: true } | { allowed: false; code: 'AccessDenied' | 'UnrecognizedClient'; message: string };

/** The security token message AWS answers an unknown access key with. */
export const UNRECOGNIZED_CLIENT = 'The security token included in the request is invalid.';

/**
 * The principals the local services know, by access key id: the local IAM user (allowed
 * everything) and one role per function, each allowed its statements only. The stand-ins ask
 * `authorize` with the access key of a request's signature; a refusal reads as AWS's:
 * `User: <arn> is not authorized to perform: <action> on resource: <arn> because no
 * identity-based policy allows the <action> action`.
 */
export class Principals {
  private readonly byKey = new Map<string, Principal>();

  /** Adds a principal; `statements` undefined allows everything. */
  add(credentials: PrincipalCredentials, arn: string, statements?: readonly PolicyStatement[]): Principal {
    const principal: Principal = { credentials, arn, policy: statements && compilePolicy(statements) };
    this.byKey.set(credentials.accessKeyId, principal);
    return principal;
  }

  /** Adds a role with fresh credentials (an assumed role's, as Lambda gives each function). */
  addRole(arn: string, statements: readonly PolicyStatement[]): Principal {
    const credentials = { accessKeyId: 'ASIA' + randomBytes(8).toString('hex').toUpperCase(), secretAccessKey: randomBytes(30).toString('base64') };
    return this.add(credentials, arn, statements);
  }

  /** The principal whose access key this is, if any. */
  get(accessKeyId: string): Principal | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Whether the principal of `accessKeyId` may do `request`. */
  authorize(accessKeyId: string, request: AccessRequest): Authorization {
    const principal = this.byKey.get(accessKeyId);
    if (!principal) return { allowed: false, code: 'UnrecognizedClient', message: UNRECOGNIZED_CLIENT };
    if (!principal.policy || principal.policy.allows(request)) return { allowed: true };
    return { allowed: false, code: 'AccessDenied', message: accessDeniedMessage(principal.arn, request) };
  }
}

/**
 * AWS's words for an implicit deny, as IAM-backed services return them since 2021:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 * (the resource part is left out for actions that have none, as Rekognition's are).
 */
export function accessDeniedMessage(principalArn: string, request: AccessRequest): string {
  const on = request.resource === '*' ? '' : ` on resource: ${request.resource}`;
  return `User: ${principalArn} is not authorized to perform: ${request.action}${on} because no identity-based policy allows the ${request.action} action`;
}

/**
 * What a stand-in asks of the local IAM: whether the signer of a request (by its access key) may
 * do what it asks. The stand-ins build the request's ARN with `region` and `accountId`.
 */
export interface AccessControl {
  region: string;
  accountId: string;
  authorize(accessKeyId: string, request: AccessRequest): Authorization;
  /**
   * Checks a request's SigV4 signature for `service` and says who signed it. Without it a
   * stand-in takes the access key of the `Authorization` header at its word (the stand-ins' own
   * tests); the local stack always gives it.
   */
  authenticate?(req: IncomingMessage, body: Buffer, service: string): Promise<Authentication>;
}

/** The access key id in a SigV4 `Authorization` header (`Credential=<key>/<date>/...`), unchecked. */
export function signingAccessKey(authorization: string | string[] | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(String(authorization ?? ''))?.[1];
}
