/**
 * A check in front of DynamoDB Local, which accepts any credentials: each request's SigV4
 * signature is verified and names the principal, its `X-Amz-Target` the operation and its body the tables (and
 * indexes); the request goes on to DynamoDB Local only when the principal's policy allows every
 * action it implies, as DynamoDB authorizes them:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html
 * (a transaction is authorized per item action; a batch per table). A refusal is DynamoDB's
 * `AccessDeniedException` (or `UnrecognizedClientException` for an unknown key), HTTP 400.
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signingAccessKey, type AccessControl, type AccessRequest, type Authorization } from '../iam/index.ts';
import { JSON_PROTOCOL_AUTHENTICATION_ERRORS } from '../sigv4/principal.ts';

/** Options of {@link startDynamoDBAccessCheck}. */
export interface DynamoDBAccessCheckOptions {
  /** DynamoDB Local's endpoint, where allowed requests go. */
  target: string;
  region: string;
  accountId: string;
  /** Whether the principal of `accessKeyId` may do `request` (local/aws/iam's `Principals.authorize`). */
  authorize(accessKeyId: string, request: AccessRequest): Authorization;
  /** Checks the request's SigV4 signature (`AccessControl.authenticate`); without it the signing key id is taken at its word. */
  authenticate?: AccessControl['authenticate'];
}

/** The running check: give `endpoint` to the functions as `AWS_ENDPOINT_URL_DYNAMODB`. */
export interface DynamoDBAccessCheck {
  endpoint: string;
  stop(): Promise<void>;
}

const TRANSACT_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

/** Starts the check on loopback, in front of `target`. */
export async function startDynamoDBAccessCheck(options: DynamoDBAccessCheckOptions): Promise<DynamoDBAccessCheck> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true });
  const tableArn = (table: string) => `arn:aws:dynamodb:${options.region}:${options.accountId}:table/${table}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    let accessKeyId = signingAccessKey(req.headers.authorization);
    if (options.authenticate) {
      const caller = await options.authenticate(req, body, 'dynamodb');
      // DynamoDB answers every client error with HTTP 400.
      if (!caller.ok) return refuse(res, JSON_PROTOCOL_AUTHENTICATION_ERRORS[caller.failure][1], caller.message);
      accessKeyId = caller.principal.accessKeyId;
    }
    if (!accessKeyId) return refuse(res, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    // What cannot be read cannot be checked: refused here, never passed on unchecked.
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(res, 'SerializationException', 'The request body is not JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return refuse(res, 'SerializationException', 'Start of structure or map found where not expected.');
    let requests: AccessRequest[];
    try {
      requests = accessRequests(operation, input as Record<string, unknown>, tableArn);
    } catch {
      return refuse(res, 'ValidationException', `The ${operation} request does not have the shape DynamoDB expects.`);
    }
    for (const request of requests) {
      const verdict = options.authorize(accessKeyId, request);
      if (!verdict.allowed) {
        return verdict.code === 'UnrecognizedClient'
          ? refuse(res, 'UnrecognizedClientException', verdict.message)
          : refuse(res, 'AccessDeniedException', verdict.message);
      }
    }
    const forwarded = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    forwarded.end(body);
  };

  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** The actions one request implies, each on its table (or index) ARN. */
export function accessRequests(operation: string, input: Record<string, unknown>, tableArn: (table: string) => string): AccessRequest[] {
  const action = (name: string) => `dynamodb:${name}`;
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    return Object.keys((input.RequestItems as Record<string, unknown> | undefined) ?? {}).map((table) => ({ action: action(operation), resource: tableArn(table) }));
  }
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return ((input.TransactItems as Record<string, { TableName?: string }>[] | undefined) ?? []).flatMap((item) =>
      Object.entries(item)
        .filter(([kind]) => kind in TRANSACT_ACTIONS)
        .map(([kind, detail]) => ({ action: action(TRANSACT_ACTIONS[kind]), resource: tableArn(String(detail.TableName)) })),
    );
  }
  if (typeof input.TableName !== 'string') return [{ action: action(operation), resource: '*' }];
  const table = tableArn(input.TableName);
  const onIndex = (operation === 'Query' || operation === 'Scan') && typeof input.IndexName === 'string';
  return [{ action: action(operation), resource: onIndex ? `${table}/index/${input.IndexName as string}` : table }];
}

/** DynamoDB's error answer (awsJson1_0): HTTP 400, the type with Coral's namespace, `Message`. */
function refuse(res: ServerResponse, type: string, message: string): void {
  const body = JSON.stringify({ __type: `com.amazon.coral.service#${type}`, Message: message });
  res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(body) }).end(body);
}
