/**
 * A local AWS STS that the real `STSClient` talks to: `AssumeRole` over the query protocol
 * (form-encoded POST, XML answers, STS's error codes), issuing temporary credentials (`ASIA…`
 * key, secret, session token, expiry) for the roles it is configured with, narrowed by the
 * inline session `Policy` the caller passes. Reach it through `AWS_ENDPOINT_URL_STS`.
 *
 * Other local services ask {@link LocalSts.principal} who holds a key and what its policies
 * allow; credentials the STS did not issue, or that expired, get STS's and the services' own
 * errors. See https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveOnLoopback } from '../loopback-server.ts';
import { accessDeniedMessage, QUERY_PROTOCOL_AUTHENTICATION_ERRORS, type Authentication } from '../sigv4/principal.ts';
import { MalformedPolicyError, parsePolicy } from './policy.ts';
import { openRoleSessions, type LocalRole, type TemporaryPrincipal } from './role-sessions.ts';
import { SecureTaskError } from '../../../lib/errors.ts';

export type { LocalRole, TemporaryPrincipal };

/** Options of {@link startLocalSts}. */
export interface LocalStsOptions {
  /** Where issued credentials are kept, so they outlive a restart until they expire. */
  dataDir: string;
  /** The roles AssumeRole may name; any other RoleArn is AccessDenied. */
  roles: LocalRole[];
  /** Checks the caller's SigV4 signature (service `sts`) and says who it is. */
  authenticate: (req: IncomingMessage, body: Buffer) => Promise<Authentication>;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

/** A running local STS. */
export interface LocalSts {
  /** `http://host:port`, for `AWS_ENDPOINT_URL_STS` or `STSClient`'s `endpoint`. */
  endpoint: string;
  /** The role session behind a temporary access key id (expired ones included), or undefined. */
  principal(accessKeyId: string): TemporaryPrincipal | undefined;
  stop(): Promise<void>;
}

const VERSION = '2011-06-15';
const NAMESPACE = `https://sts.amazonaws.com/doc/${VERSION}/`;
/** STS's limit on the packed session policy; the plain-text limit is 2,048 characters. */
const MAX_POLICY_CHARS = 2048;
const MAX_BODY_BYTES = 64 * 1024;

/** An answer STS would give instead of credentials. */
class StsError extends SecureTaskError {
  constructor(
    readonly status: number,
    override readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Starts the local STS; `stop()` closes it (issued credentials stay valid until they expire). */
export async function startLocalSts(options: LocalStsOptions): Promise<LocalSts> {
  const sessions = await openRoleSessions(options.dataDir, options.roles);

  const assumeRole = async (caller: Authentication & { ok: true }, params: URLSearchParams) => {
    const roleArn = required(params, 'RoleArn');
    const roleSessionName = required(params, 'RoleSessionName');
    if (roleArn.length < 20 || roleArn.length > 2048) throw validation(roleArn, 'roleArn', 'Member must have length between 20 and 2048');
    if (!/^[\w+=,.@-]{2,64}$/.test(roleSessionName)) throw validation(roleSessionName, 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64');
    const durationText = params.get('DurationSeconds') ?? '3600';
    const duration = Number(durationText);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
      throw validation(durationText, 'durationSeconds', 'Member must have value greater than or equal to 900 and less than or equal to 43200');
    }
    const policyText = params.get('Policy') ?? undefined;
    let sessionPolicy;
    if (policyText !== undefined) {
      if (policyText.length > MAX_POLICY_CHARS) throw new StsError(400, 'PackedPolicyTooLarge', 'The session policy is larger than the 2,048 characters STS allows.');
      try {
        sessionPolicy = parsePolicy(policyText);
      } catch (error) {
        if (error instanceof MalformedPolicyError) throw new StsError(400, 'MalformedPolicyDocument', error.message);
        throw error;
      }
    }

    // The caller's own policies must allow sts:AssumeRole on this role (a function role's grant names it; role chaining needs it too).
    const decision = caller.principal.decide('sts:AssumeRole', roleArn);
    const role = sessions.role(roleArn);
    if (decision !== 'allow' || !role) {
      const why = decision !== 'allow' ? accessDeniedMessage(caller.principal, 'sts:AssumeRole', decision) : `User: ${caller.principal.arn} is not authorized to perform: sts:AssumeRole`;
      throw new StsError(403, 'AccessDenied', `${why} on resource: ${roleArn}`);
    }
    const maxDuration = role.maxSessionDurationSeconds ?? 3600;
    if (duration > maxDuration) {
      throw new StsError(400, 'ValidationError', `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
    }
    // Role chaining (temporary credentials assuming a role) is capped at one hour, as in AWS.
    if (caller.principal.sessionToken && duration > 3600) {
      throw new StsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    }
    const issued = await sessions.issue(role, roleSessionName, duration, sessionPolicy);
    return `<AssumeRoleResult>
    <AssumedRoleUser><Arn>${xml(issued.assumedRoleArn)}</Arn><AssumedRoleId>${xml(issued.assumedRoleId)}</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${issued.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${xml(issued.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${xml(issued.sessionToken)}</SessionToken>
      <Expiration>${issued.expiration}</Expiration>
    </Credentials>
    ${policyText !== undefined ? `<PackedPolicySize>${Math.ceil((100 * policyText.length) / MAX_POLICY_CHARS)}</PackedPolicySize>` : ''}
  </AssumeRoleResult>`;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const answer = (status: number, text: string) => res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(text);
    try {
      const body = await readBody(req);
      const params = new URLSearchParams(req.method === 'POST' ? body.toString('utf8') : (req.url ?? '').split('?')[1]);
      const action = params.get('Action');
      if (params.get('Version') !== VERSION || action !== 'AssumeRole') {
        throw new StsError(400, 'InvalidAction', `Could not find operation ${action ?? '(none)'} for version ${params.get('Version') ?? '(none)'}`);
      }
      const caller = await options.authenticate(req, body);
      if (!caller.ok) {
        const [status, code] = QUERY_PROTOCOL_AUTHENTICATION_ERRORS[caller.failure];
        throw new StsError(status, code, caller.message);
      }
      const result = await assumeRole(caller, params);
      answer(200, `<AssumeRoleResponse xmlns="${NAMESPACE}">\n  ${result}\n  <ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>\n</AssumeRoleResponse>\n`);
    } catch (error) {
      const known = error instanceof StsError ? error : new StsError(500, 'InternalFailure', `The local STS failed: ${String(error)}`);
      const type = known.status >= 500 ? 'Receiver' : 'Sender';
      answer(known.status, `<ErrorResponse xmlns="${NAMESPACE}">\n  <Error><Type>${type}</Type><Code>${known.code}</Code><Message>${xml(known.message)}</Message></Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`);
    }
  };

  const server = await serveOnLoopback((req, res) => void handle(req, res), options);
  return {
    endpoint: server.endpoint,
    principal: (accessKeyId) => sessions.principal(accessKeyId),
    async stop() {
      await server.stop();
      await sessions.flushed();
    },
  };
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw new StsError(400, 'MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

function validation(value: string, member: string, constraint: string): StsError {
  return new StsError(400, 'ValidationError', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.destroy();
      throw new StsError(413, 'RequestEntityTooLarge', 'Request body too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
