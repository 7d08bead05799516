import { createHash, createPrivateKey, createSign, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { createDeliveries, type Deliveries } from './sns-delivery.ts';
import {
  errorDocument,
  MAX_PAYLOAD_BYTES,
  payloadBytes,
  readMembers,
  readPublishRequest,
  resultDocument,
  SnsError,
  xml,
  type PublishRequest,
} from './sns-query.ts';
import type { SNSEvent } from './sns-types.ts';
import { signingAccessKey, type AccessControl } from '../iam/index.ts';
import { QUERY_PROTOCOL_AUTHENTICATION_ERRORS } from '../sigv4/principal.ts';

export type { SNSEvent, SNSEventRecord, SNSMessage, SNSMessageAttribute } from './sns-types.ts';

/** A subscription: the function CDK would subscribe to the topic, called with the SNS event. */
export interface LocalSnsSubscriber {
  name: string;
  deliver: (event: SNSEvent) => Promise<unknown>;
}

/** Options for {@link startLocalSns}. */
export interface LocalSnsOptions {
  region: string;
  accountId: string;
  /** Keyed by the topic's logical name (used in dead-letter file names). */
  topics: Record<string, { arn: string; subscribers: LocalSnsSubscriber[] }>;
  /** Delivery tries per message and subscriber (a subscriber that cannot take it); default 4 tries, waiting 100 ms then doubling. */
  retry?: { attempts: number; baseDelayMs: number };
  /** Where messages that exhausted their tries go, one `<topic>-<subscriber>.jsonl` per subscription. */
  deadLetterDir?: string;
  /** Structured (JSON) lines: retries and dead letters only. */
  log?: (line: string) => void;
  /** Who may publish where: without it, any caller may publish to any topic. */
  access?: AccessControl;
}

/** A running local SNS. */
export interface LocalSns {
  /** `http://127.0.0.1:<port>`: give it to `SNSClient` as `endpoint` or `AWS_ENDPOINT_URL_SNS`. */
  endpoint: string;
  /** Stops accepting publishes, then waits until everything accepted was delivered or dead-lettered. */
  stop(): Promise<void>;
  /** Resolves when every message accepted so far was delivered or dead-lettered. */
  idle(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * MAX_PAYLOAD_BYTES + 65_536;
const CERT_PATH = '/SimpleNotificationService-local.pem';

/**
 * An in-process SNS that the real `SNSClient` talks to: `Publish` and `PublishBatch` over the
 * Query protocol, answered before delivery starts; then each message goes to every subscriber
 * of its topic as the SNS event Lambda would pass, signed (SignatureVersion 1) with a key made
 * at start whose certificate is served at `SigningCertUrl`.
 *
 * A standard topic's semantics: every message is delivered on its own, concurrently with the
 * others, so subscribers see no promised order (events for one task are put in order by the
 * sequence number each carries, not by SNS), and a failed delivery is retried and then
 * dead-lettered without holding up the messages behind it.
 */
export async function startLocalSns(options: LocalSnsOptions): Promise<LocalSns> {
  const log = options.log ?? (() => {});
  const retry = options.retry ?? { attempts: 4, baseDelayMs: 100 };
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) throw new Error(`local SNS: retry.attempts must be a positive integer, got ${retry.attempts}`);
  const pems = await generate([{ name: 'commonName', value: 'sns.local' }], { keySize: 2048, algorithm: 'sha256' });
  // Parsed once: signing with the PEM text re-parses the key on every message (3.6x slower).
  const signingKey = createPrivateKey(pems.private);

  const waiters = new Set<() => void>();
  const deliveries: Deliveries[] = [];
  const allIdle = () => deliveries.every((d) => d.isIdle());
  const onIdle = () => {
    if (!allIdle()) return;
    for (const wake of [...waiters]) wake();
  };
  const topicsByArn = new Map<string, { name: string; arn: string; subscriptions: { arn: string; deliveries: Deliveries }[] }>();
  for (const [name, topic] of Object.entries(options.topics)) {
    // A publisher given an ARN from another account or region would fail in AWS: fail here too.
    if (!topic.arn.startsWith(`arn:aws:sns:${options.region}:${options.accountId}:`)) {
      throw new Error(`local SNS: topic ${name} has ARN ${topic.arn}, not one of region ${options.region} and account ${options.accountId}`);
    }
    const subscriptions = topic.subscribers.map((subscriber) => {
      const subscriptionDeliveries = createDeliveries({ topic: name, subscriber, attempts: retry.attempts, baseDelayMs: retry.baseDelayMs, deadLetterDir: options.deadLetterDir, log, onIdle });
      deliveries.push(subscriptionDeliveries);
      return { arn: `${topic.arn}:${stableUuid(`${topic.arn}\n${subscriber.name}`)}`, deliveries: subscriptionDeliveries };
    });
    topicsByArn.set(topic.arn, { name, arn: topic.arn, subscriptions });
  }

  let endpoint = '';
  const findTopic = (params: URLSearchParams) => {
    if (params.has('PhoneNumber')) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: PhoneNumber: the local SNS delivers to topics only');
    const arn = params.get('TopicArn') ?? params.get('TargetArn');
    if (!arn) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    const topic = topicsByArn.get(arn);
    if (!topic) throw new SnsError(404, 'NotFound', 'Topic does not exist');
    return topic;
  };

  /** Hands the message to every subscriber's deliveries now. */
  const accept = (topic: NonNullable<ReturnType<typeof topicsByArn.get>>, request: PublishRequest): string => {
    const messageId = randomUUID();
    const timestamp = new Date().toISOString();
    const signed = { Message: request.message, MessageId: messageId, Subject: request.subject, Timestamp: timestamp, TopicArn: topic.arn, Type: 'Notification' };
    const canonical = Object.entries(signed).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}\n${v}\n`).join('');
    const signature = createSign('RSA-SHA1').update(canonical).sign(signingKey, 'base64');
    for (const subscription of topic.subscriptions) {
      subscription.deliveries.push({
        Records: [{
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: subscription.arn,
          Sns: {
            Type: 'Notification',
            MessageId: messageId,
            TopicArn: topic.arn,
            Subject: request.subject ?? null,
            Message: request.message,
            Timestamp: timestamp,
            SignatureVersion: '1',
            Signature: signature,
            SigningCertUrl: `${endpoint}${CERT_PATH}`,
            UnsubscribeUrl: `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscription.arn)}`,
            MessageAttributes: structuredClone(request.attributes),
          },
        }],
      });
    }
    return messageId;
  };

  const actions: Record<string, (params: URLSearchParams) => string> = {
    Publish(params) {
      const topic = findTopic(params);
      const messageId = accept(topic, readPublishRequest(params));
      return `<MessageId>${messageId}</MessageId>`;
    },
    PublishBatch(params) {
      const topic = findTopic(params);
      const members = readMembers(params, 'PublishBatchRequestEntries');
      if (members.length === 0) throw new SnsError(400, 'EmptyBatchRequest', "The batch request doesn't contain any entries.");
      if (members.length > 10) throw new SnsError(400, 'TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
      const ids = members.map((m) => params.get(`${m}Id`) ?? '');
      if (new Set(ids).size !== ids.length) throw new SnsError(400, 'BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
      if (ids.some((id) => !/^[A-Za-z0-9_-]{1,80}$/.test(id))) {
        throw new SnsError(400, 'InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
      }
      // Validate every entry before accepting any, so a too-long batch accepts nothing.
      const checked = members.map((m) => {
        try {
          return readPublishRequest(params, m);
        } catch (error) {
          if (error instanceof SnsError) return error;
          throw error;
        }
      });
      const total = checked.reduce((sum, c) => sum + (c instanceof SnsError ? 0 : payloadBytes(c)), 0);
      if (total > MAX_PAYLOAD_BYTES) throw new SnsError(400, 'BatchRequestTooLong', 'The length of all the batch messages put together is more than the limit.');
      let successful = '';
      let failed = '';
      checked.forEach((entry, i) => {
        const id = xml(ids[i]!);
        if (entry instanceof SnsError) {
          failed += `<member><Id>${id}</Id><Code>${xml(entry.code)}</Code><Message>${xml(entry.message)}</Message><SenderFault>true</SenderFault></member>`;
        } else {
          successful += `<member><Id>${id}</Id><MessageId>${accept(topic, entry)}</MessageId></member>`;
        }
      });
      return `<Successful>${successful}</Successful><Failed>${failed}</Failed>`;
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === CERT_PATH) {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pems.cert);
      return;
    }
    const answer = (status: number, body: string) =>
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(body);
    try {
      const params = new URLSearchParams(url.search);
      const body = await readBody(req);
      if (options.access?.authenticate) {
        const caller = await options.access.authenticate(req, body, 'sns');
        if (!caller.ok) throw new SnsError(...QUERY_PROTOCOL_AUTHENTICATION_ERRORS[caller.failure], caller.message);
      }
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
      const action = params.get('Action');
      if (!action) throw new SnsError(400, 'MissingAction', 'The request must contain the parameter Action.');
      const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
      if (!run) throw new SnsError(400, 'InvalidAction', `The action ${action} is not valid for this web service (the local SNS implements Publish and PublishBatch).`);
      if (options.access) checkAccess(options.access, req, params.get('TopicArn') ?? params.get('TargetArn') ?? '*');
      answer(200, resultDocument(action, run(params), requestId));
    } catch (error) {
      const snsError = error instanceof SnsError ? error : new SnsError(500, 'InternalError', 'The local SNS failed to process the request', 'Receiver');
      if (!(error instanceof SnsError)) log(JSON.stringify({ level: 'error', msg: 'local sns request failed', error: String(error) }));
      answer(snsError.status, errorDocument(snsError, requestId));
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const idle = () =>
    new Promise<void>((resolve) => {
      if (allIdle()) return resolve();
      const wake = () => {
        if (!allIdle()) return;
        waiters.delete(wake);
        resolve();
      };
      waiters.add(wake);
    });
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    idle,
    stop() {
      stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await idle();
      })();
      return stopped;
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new SnsError(413, 'RequestEntityTooLarge', 'Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A UUID-shaped id that stays the same across restarts, as a subscription's ARN does. */
function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Publish and PublishBatch both need `sns:Publish` on the topic; SNS refuses with 403
 * `AuthorizationError` (SNS writes the action `SNS:Publish` in its message), or
 * `InvalidClientTokenId` for a key it does not know.
 */
function checkAccess(access: AccessControl, req: IncomingMessage, topicArn: string): void {
  const accessKeyId = signingAccessKey(req.headers.authorization);
  if (!accessKeyId) throw new SnsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  const verdict = access.authorize(accessKeyId, { action: 'SNS:Publish', resource: topicArn });
  if (verdict.allowed) return;
  throw new SnsError(403, verdict.code === 'AccessDenied' ? 'AuthorizationError' : 'InvalidClientTokenId', verdict.message);
}
