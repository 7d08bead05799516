import { createVerify } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSns, type LocalSns, type LocalSnsOptions, type SNSEvent } from '../../local/aws/sns/sns.ts';

const region = 'eu-west-1';
const accountId = '000000000000';
const topicArn = `arn:aws:sns:${region}:${accountId}:test-TaskEvents`;
let dir: string;
const running: { sns: LocalSns; client: SNSClient }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sns-test-'));
});
afterEach(async () => {
  for (const { sns, client } of running.splice(0)) {
    client.destroy();
    await sns.stop();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A local SNS with one topic and these subscribers, and a real SDK client pointed at it. */
async function start(subscribers: LocalSnsOptions['topics'][string]['subscribers'], extra: Partial<LocalSnsOptions> = {}) {
  const sns = await startLocalSns({ region, accountId, topics: { TaskEvents: { arn: topicArn, subscribers } }, ...extra });
  const client = new SNSClient({ endpoint: sns.endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  running.push({ sns, client });
  return { sns, client };
}

function collector(name: string) {
  const events: SNSEvent[] = [];
  return { events, subscriber: { name, deliver: async (e: SNSEvent) => void events.push(e) } };
}

const attributes = {
  kind: { DataType: 'String', StringValue: 'TaskUpdated' },
  version: { DataType: 'Number', StringValue: '7' },
  blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 254, 255]) },
  tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
};
const lambdaAttributes = {
  kind: { Type: 'String', Value: 'TaskUpdated' },
  version: { Type: 'Number', Value: '7' },
  blob: { Type: 'Binary', Value: Buffer.from([0, 1, 254, 255]).toString('base64') },
  tags: { Type: 'String.Array', Value: '["a","b"]' },
};

describe('local SNS with the real SNSClient', () => {
  it('Publish: every subscriber gets a well-formed, verifiable SNS event with the message and attributes', async () => {
    const a = collector('publisher');
    const b = collector('notifier');
    const { sns, client } = await start([a.subscriber, b.subscriber]);
    const { MessageId } = await client.send(new PublishCommand({ TopicArn: topicArn, Message: '{"taskId":"t1"}', Subject: 'Task changed', MessageAttributes: attributes }));
    await sns.idle();

    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    for (const { events } of [a, b]) {
      expect(events).toHaveLength(1);
      const record = events[0]!.Records[0]!;
      expect(events[0]!.Records).toHaveLength(1);
      expect(record).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0' });
      expect(record.EventSubscriptionArn).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
      expect(record.Sns).toMatchObject({
        Type: 'Notification', MessageId, TopicArn: topicArn, Subject: 'Task changed', Message: '{"taskId":"t1"}',
        SignatureVersion: '1', MessageAttributes: lambdaAttributes,
      });
      expect(Math.abs(Date.parse(record.Sns.Timestamp) - Date.now())).toBeLessThan(10_000);
      expect(record.Sns.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(record.Sns.UnsubscribeUrl).toContain(encodeURIComponent(record.EventSubscriptionArn));
      // The signature verifies against the certificate served at SigningCertUrl, as SNS's does.
      const cert = await (await fetch(record.Sns.SigningCertUrl)).text();
      const s = record.Sns;
      const canonical = `Message\n${s.Message}\nMessageId\n${s.MessageId}\nSubject\n${s.Subject}\nTimestamp\n${s.Timestamp}\nTopicArn\n${s.TopicArn}\nType\n${s.Type}\n`;
      expect(createVerify('RSA-SHA1').update(canonical).verify(cert, s.Signature, 'base64')).toBe(true);
    }
    expect(a.events[0]!.Records[0]!.EventSubscriptionArn).not.toBe(b.events[0]!.Records[0]!.EventSubscriptionArn);
    // Without a subject the event says null, as real events do.
    await client.send(new PublishCommand({ TopicArn: topicArn, Message: 'plain' }));
    await sns.idle();
    expect(a.events[1]!.Records[0]!.Sns).toMatchObject({ Subject: null, Message: 'plain', MessageAttributes: {} });
  });

  it('answers before delivering: a subscriber still busy does not hold up the publisher', async () => {
    let release!: () => void;
    const busy = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const { sns, client } = await start([{ name: 'slow', deliver: async () => { started = true; await busy; } }]);
    await client.send(new PublishCommand({ TopicArn: topicArn, Message: 'x' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(true);
    release();
    await sns.idle();
  });

  it('PublishBatch: accepted entries reach subscribers with their attributes; bad entries are reported as Failed', async () => {
    const a = collector('a');
    const { sns, client } = await start([a.subscriber]);
    const answer = await client.send(new PublishBatchCommand({
      TopicArn: topicArn,
      PublishBatchRequestEntries: [
        { Id: 'one', Message: 'first', MessageAttributes: attributes },
        { Id: 'empty', Message: '' },
        { Id: 'two', Message: 'second', Subject: 'S', MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } } },
      ],
    }));
    await sns.idle();
    expect(answer.Successful?.map((s) => s.Id)).toEqual(['one', 'two']);
    expect(answer.Failed).toEqual([{ Id: 'empty', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);
    const byMessage = new Map(a.events.map((e) => [e.Records[0]!.Sns.Message, e.Records[0]!.Sns]));
    expect([...byMessage.keys()].sort()).toEqual(['first', 'second']);
    expect([byMessage.get('first')!.MessageId, byMessage.get('second')!.MessageId]).toEqual(answer.Successful?.map((s) => s.MessageId));
    expect(byMessage.get('first')!.MessageAttributes).toEqual(lambdaAttributes);
    expect(byMessage.get('second')).toMatchObject({ Subject: 'S', MessageAttributes: { kind: { Type: 'String', Value: 'x' } } });
  });

  it('gives the SDK the errors SNS gives: NotFound, batch limits, bad attributes, unknown actions', async () => {
    const { client, sns } = await start([]);
    const missing = `arn:aws:sns:${region}:${accountId}:nope`;
    await expect(client.send(new PublishCommand({ TopicArn: missing, Message: 'x' }))).rejects.toMatchObject({
      name: 'NotFoundException', message: 'Topic does not exist', $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new PublishBatchCommand({ TopicArn: missing, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x' }] }))).rejects.toMatchObject({ name: 'NotFoundException' });
    const batch = (ids: string[]) => client.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: ids.map((Id) => ({ Id, Message: 'm' })) }));
    await expect(batch(['a', 'a'])).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinctException' });
    await expect(batch(Array.from({ length: 11 }, (_, i) => `e${i}`))).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequestException' });
    await expect(batch(['not ok!'])).rejects.toMatchObject({ name: 'InvalidBatchEntryIdException' });
    await expect(client.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'seven' } } }))).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(client.send(new PublishCommand({ TopicArn: topicArn, Message: 'x'.repeat(262_145) }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(client.send(new CreateTopicCommand({ Name: 'other' }))).rejects.toMatchObject({ name: 'InvalidAction', $metadata: { httpStatusCode: 400 } });
    const raw = await fetch(sns.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=Subscribe&Version=2010-03-31' });
    expect(raw.status).toBe(400);
    expect(await raw.text()).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>The action Subscribe is not valid/);
  });

  it('retries a failing delivery with backoff without holding up later messages, and delivers each once', async () => {
    const tries: { message: string; at: number; ok: boolean }[] = [];
    let failuresLeft = 2;
    const { sns, client } = await start([{
      name: 'flaky',
      deliver: async (e) => {
        const message = e.Records[0]!.Sns.Message;
        const ok = !(message === 'm1' && failuresLeft-- > 0);
        tries.push({ message, at: Date.now(), ok });
        if (!ok) throw new Error('temporarily down');
      },
    }]);
    for (const m of ['m1', 'm2', 'm3']) await client.send(new PublishCommand({ TopicArn: topicArn, Message: m }));
    await sns.idle();
    const m1 = tries.filter((t) => t.message === 'm1');
    expect(m1.map((t) => t.ok)).toEqual([false, false, true]);
    expect(m1[1]!.at - m1[0]!.at).toBeGreaterThanOrEqual(90);
    expect(m1[2]!.at - m1[1]!.at).toBeGreaterThanOrEqual(190);
    // m2 and m3 went while m1 waited for its retries: a standard topic keeps no order.
    expect(tries.filter((t) => t.message !== 'm1').map((t) => [t.message, t.ok])).toEqual([['m2', true], ['m3', true]]);
    expect(tries.findIndex((t) => t.message === 'm3')).toBeLessThan(tries.findIndex((t) => t.message === 'm1' && t.ok));
  });

  it('dead-letters a message that never gets through to <topic>-<subscriber>.jsonl and goes on with the next', async () => {
    const deadLetterDir = join(dir, 'dead-letters');
    const lines: string[] = [];
    const got: string[] = [];
    let poisonTries = 0;
    const { sns, client } = await start([{
      name: 'notifier',
      deliver: async (e) => {
        if (e.Records[0]!.Sns.Message === 'poison') {
          poisonTries++;
          throw new Error('cannot handle');
        }
        got.push(e.Records[0]!.Sns.Message);
      },
    }], { deadLetterDir, retry: { attempts: 3, baseDelayMs: 5 }, log: (l) => lines.push(l) });
    const { MessageId } = await client.send(new PublishCommand({ TopicArn: topicArn, Message: 'poison', MessageAttributes: { kind: { DataType: 'String', StringValue: 'k' } } }));
    await client.send(new PublishCommand({ TopicArn: topicArn, Message: 'next' }));
    await sns.idle();
    expect(poisonTries).toBe(3);
    expect(got).toEqual(['next']);
    const dead = (await readFile(join(deadLetterDir, 'TaskEvents-notifier.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ topic: 'TaskEvents', subscriber: 'notifier', attempts: 3, error: 'Error: cannot handle' });
    expect(dead[0].event.Records[0].Sns).toMatchObject({ MessageId, Message: 'poison', MessageAttributes: { kind: { Type: 'String', Value: 'k' } } });
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged.filter((l) => l.level === 'error')).toEqual([expect.objectContaining({ msg: 'sns delivery gave up; message dead-lettered', messageId: MessageId })]);
  });

  it('200 concurrent publishes reach each subscriber once each, several at a time, in no promised order; stop() delivers what was accepted', async () => {
    const received: Record<string, string[]> = { first: [], second: [] };
    let running = 0;
    let mostAtOnce = 0;
    const subscriber = (name: string) => ({
      name,
      deliver: async (e: SNSEvent) => {
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        running--;
        received[name]!.push(e.Records[0]!.Sns.MessageId);
      },
    });
    const { sns, client } = await start([subscriber('first'), subscriber('second')]);
    const acknowledged: string[] = [];
    await Promise.all(Array.from({ length: 200 }, (_, i) =>
      client.send(new PublishCommand({ TopicArn: topicArn, Message: `message ${i}` })).then((r) => void acknowledged.push(r.MessageId!)),
    ));
    await sns.stop();
    expect(acknowledged).toHaveLength(200);
    expect(new Set(acknowledged).size).toBe(200);
    expect([...received.first!].sort()).toEqual([...acknowledged].sort());
    expect([...received.second!].sort()).toEqual([...acknowledged].sort());
    // Deliveries overlap, as a standard topic's do: nothing serialises them per subscriber.
    expect(mostAtOnce).toBeGreaterThan(1);
    await expect(client.send(new PublishCommand({ TopicArn: topicArn, Message: 'late' }))).rejects.toThrow();
  });
});
