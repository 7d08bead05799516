import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailerError, sendEmail } from '../../functions/shared/mailer.ts';
import { listOutbox, OutboxError, readOutboxMessage, renderOutboxMessage, renderOutboxPage } from '../../local/aws/ses/outbox.ts';
import { startLocalSes, type LocalSes } from '../../local/aws/ses/ses.ts';
import { signedUserAccess } from '../helpers/signed-access.ts';

const credentials = { accessKeyId: 'AKIDLOCALSES', secretAccessKey: 'local-secret' };
const saved = { ...process.env };
let dir: string;
let ses: LocalSes;
let client: SESv2Client;

const files = async () => (await readdir(dir)).filter((f) => f.endsWith('.eml')).sort();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'securetask-outbox-'));
  ses = await startLocalSes({ outboxDir: join(dir) });
  client = new SESv2Client({ endpoint: ses.endpoint, region: 'eu-west-1', credentials });
  // sendEmail() builds its client from the environment, as in Lambda.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    MAIL_FROM: 'SecureTask <no-reply@securetask.local>',
  });
});
afterAll(async () => {
  process.env = saved;
  client.destroy();
  await ses.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the local SES with the real SESv2Client', () => {
  it('writes what sendEmail sends as an .eml file that parses back', async () => {
    const { messageId } = await sendEmail({ to: 'ada@example.com', subject: 'You are invited to SecureTask', text: 'Open https://localhost:4000/invite?code=abc to join.\nSee you there.' });
    expect(messageId).toMatch(/^[0-9A-Z]{26}$/);
    const [file] = (await files()).filter((f) => f.includes(messageId));
    expect(file).toMatch(/^\d{8}T\d{9}Z-[0-9A-Z]{26}\.eml$/);
    const raw = await readFile(join(dir, file!), 'utf8');
    expect(raw).toMatch(/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n/);
    expect(raw).toContain('\r\nFrom: SecureTask <no-reply@securetask.local>\r\n');
    expect(raw).toContain('\r\nTo: ada@example.com\r\n');
    expect(raw).toContain('\r\nMIME-Version: 1.0\r\n');
    expect(raw).toMatch(/\r\nMessage-ID: <[0-9a-z]{26}@ses\.local>\r\n/);
    expect(raw).toContain('Content-Transfer-Encoding: quoted-printable');
    const message = await readOutboxMessage(dir, file!);
    expect(message).toMatchObject({
      from: 'SecureTask <no-reply@securetask.local>',
      to: ['ada@example.com'],
      subject: 'You are invited to SecureTask',
      text: 'Open https://localhost:4000/invite?code=abc to join.\nSee you there.',
    });
    expect(message.html).toBeUndefined();
    expect(Math.abs(message.date.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('writes multipart/alternative with a non-ASCII subject (RFC 2047) and long lines that round-trip', async () => {
    const subject = 'Was this you? Connexion depuis Zürich — 日本語のテスト, a subject long enough to need more than one encoded word';
    const text = `Grüße, Ada!\n${'A long line with = signs and trailing space '.repeat(6)} \nEnd.`;
    const html = '<p>Grüße, <b>Ada</b>! <a href="https://localhost:4000/me">Not you?</a></p>';
    const { MessageId } = await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'no-reply@securetask.local',
        Destination: { ToAddresses: ['ada@example.com', '"Lovelace, Ada" <ada2@example.com>'], CcAddresses: ['ops@example.com'] },
        ReplyToAddresses: ['help@securetask.local'],
        Content: { Simple: { Subject: { Data: subject, Charset: 'UTF-8' }, Body: { Text: { Data: text }, Html: { Data: html } } } },
      }),
    );
    const file = (await files()).find((f) => f.includes(MessageId!))!;
    const raw = await readFile(join(dir, file), 'utf8');
    expect(raw).toMatch(/^[\x00-\x7f]*$/); // 7-bit clean
    expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    expect(raw).toMatch(/\r\nSubject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=\r\n =\?UTF-8\?B\?/);
    expect(raw).toMatch(/Content-Type: multipart\/alternative; boundary="=_[0-9a-f-]+"/);
    expect(raw.split('\r\n').filter((l) => l.startsWith('Content-Type: text/')).length).toBe(2);
    const message = await readOutboxMessage(dir, file);
    expect(message).toMatchObject({ subject, text, html, to: ['ada@example.com', '"Lovelace, Ada" <ada2@example.com>'], cc: ['ops@example.com'], replyTo: ['help@securetask.local'] });
  });

  it("answers bad requests in SES's error shape", async () => {
    const send = (input: object) => client.send(new SendEmailCommand(input as never)).then(() => undefined, (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } });
    const simple = { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'x' } } } };
    const noRecipient = await send({ FromEmailAddress: 'a@securetask.local', Destination: { ToAddresses: [] }, Content: simple });
    expect(noRecipient).toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
    expect(noRecipient!.message).toMatch(/recipient/i);
    const injected = await send({ FromEmailAddress: 'a@securetask.local', Destination: { ToAddresses: ['x@example.com\r\nBcc: victim@example.com'] }, Content: simple });
    expect(injected).toMatchObject({ name: 'BadRequestException' });
    const raw = await send({ FromEmailAddress: 'a@securetask.local', Destination: { ToAddresses: ['x@example.com'] }, Content: { Raw: { Data: new Uint8Array([1]) } } });
    expect(raw).toMatchObject({ name: 'BadRequestException', message: expect.stringMatching(/Simple content only/) });
  });

  it('reports a message SES refuses as REJECTED', async () => {
    await expect(sendEmail({ to: 'not an address', subject: 's', text: 't' })).rejects.toMatchObject({ name: 'MailerError', code: 'REJECTED', message: expect.stringMatching(/BadRequestException/) });
  });

  it('says clearly when MAIL_FROM is not set', async () => {
    const from = process.env.MAIL_FROM;
    delete process.env.MAIL_FROM;
    try {
      await expect(sendEmail({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toMatchObject({ code: 'NOT_CONFIGURED', message: expect.stringMatching(/MAIL_FROM/) });
      await expect(sendEmail({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toBeInstanceOf(MailerError);
    } finally {
      process.env.MAIL_FROM = from;
    }
  });

  it('refuses a request whose signature does not hold, with 403', async () => {
    const other = await mkdtemp(join(tmpdir(), 'securetask-outbox-signed-'));
    const signed = await startLocalSes({ outboxDir: other, access: signedUserAccess(credentials, 'eu-west-1') });
    const input = { FromEmailAddress: 'a@securetask.local', Destination: { ToAddresses: ['b@example.com'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } };
    const good = new SESv2Client({ endpoint: signed.endpoint, region: 'eu-west-1', credentials });
    const bad = new SESv2Client({ endpoint: signed.endpoint, region: 'eu-west-1', credentials: { ...credentials, secretAccessKey: 'wrong' } });
    try {
      expect((await good.send(new SendEmailCommand(input))).MessageId).toBeTruthy();
      const error = await bad.send(new SendEmailCommand(input)).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
      expect((await readdir(other)).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    } finally {
      good.destroy();
      bad.destroy();
      await signed.stop();
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('the outbox', () => {
  it('lists messages newest first', async () => {
    for (const n of [1, 2, 3]) await sendEmail({ to: `order${n}@example.com`, subject: `Order ${n}`, text: `${n}` });
    const listed = await listOutbox(dir);
    const orders = listed.filter((m) => m.subject.startsWith('Order ')).map((m) => m.subject);
    expect(orders).toEqual(['Order 3', 'Order 2', 'Order 1']);
    expect(listed.map((m) => m.file)).toEqual([...listed.map((m) => m.file)].sort().reverse());
    expect(listed[0]).toEqual({ file: expect.any(String), date: expect.any(Date), from: 'SecureTask <no-reply@securetask.local>', to: ['order3@example.com'], subject: 'Order 3' });
  });

  it('lists nothing for a folder that does not exist yet', async () => {
    expect(await listOutbox(join(dir, 'missing'))).toEqual([]);
  });

  it('refuses names that leave the outbox, and links into it', async () => {
    const secret = join(dir, '..', `secret-${Date.now()}.eml`);
    await writeFile(secret, 'Subject: secret\r\n\r\nsecret');
    await symlink(secret, join(dir, 'link.eml'));
    try {
      for (const name of ['../etc/passwd', `../${secret.split('/').pop()}`, '/etc/passwd', 'a/../../x.eml', '..%2fx.eml', '.hidden.eml', 'x.txt', '']) {
        const error = await readOutboxMessage(dir, name).then(() => undefined, (e: unknown) => e);
        expect(error, name).toBeInstanceOf(OutboxError);
        expect((error as OutboxError).code, name).toBe('INVALID_NAME');
      }
      await expect(readOutboxMessage(dir, 'link.eml')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(readOutboxMessage(dir, 'nothere.eml')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await rm(secret, { force: true });
      await rm(join(dir, 'link.eml'), { force: true });
    }
  });

  it('renders pages with everything escaped and the HTML version sandboxed', async () => {
    const { messageId } = await sendEmail({
      to: 'ada@example.com',
      subject: '<script>alert("subject")</script> & more',
      text: 'Hello <b>not bold</b>\nJoin: https://localhost:4000/invite?code=a&b=1.\njavascript:alert(1)',
      html: '<p>Hi</p><script>alert("html")</script><a href="https://localhost:4000/x?a=1&b=2">join</a>',
    });
    const file = (await files()).find((f) => f.includes(messageId))!;
    const list = renderOutboxPage(await listOutbox(dir));
    expect(list).not.toContain('<script>');
    expect(list).toContain('&#60;script&#62;alert(&#34;subject&#34;)&#60;/script&#62; &#38; more');
    expect(list).toContain(`href="/outbox/${file}"`);
    expect(renderOutboxPage([], { basePath: '/mail' })).toMatch(/No email yet/);

    const page = renderOutboxMessage(await readOutboxMessage(dir, file), { basePath: '/mail' });
    expect(page).not.toMatch(/<script>/i);
    expect(page).toContain('href="/mail"');
    expect(page).toContain('<iframe title="HTML version" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="');
    expect(page).not.toMatch(/sandbox="[^"]*allow-scripts/);
    expect(page).toContain('&#60;script&#62;alert(&#34;html&#34;)&#60;/script&#62;'); // inside srcdoc, as text of the attribute
    expect(page).toContain('Hello &#60;b&#62;not bold&#60;/b&#62;');
    expect(page).toContain('<a href="https://localhost:4000/invite?code=a&#38;b=1" rel="noopener noreferrer">');
    expect(page).not.toContain('href="javascript:');
    expect(page).toContain(`default-src 'none'`);
  });
});
