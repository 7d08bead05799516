/**
 * A local Amazon SES (API v2) that the real `SESv2Client` talks to: `SendEmail` with Simple
 * content (POST /v2/email/outbound-emails, restJson1), answered `{ MessageId }` as SES answers,
 * with each message written as an RFC 5322 `.eml` file to an outbox folder instead of sent.
 * `local/aws/ses/outbox.ts` reads that folder back for the `/outbox` pages.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveOnLoopback } from '../loopback-server.ts';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { SecureTaskError } from '../../../lib/errors.ts';
import { signingAccessKey, type AccessControl } from '../iam/index.ts';
import { JSON_PROTOCOL_AUTHENTICATION_ERRORS } from '../sigv4/principal.ts';

/** Options of {@link startLocalSes}. */
export interface LocalSesOptions {
  /** Where `.eml` files are written; created when missing. */
  outboxDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /**
   * Who signed each request (`access.authenticate`, refused in SES's words when the signature does
   * not hold) and who may send from where (`ses:SendEmail` on the sender's domain identity);
   * without it, anyone from anywhere.
   */
  access?: AccessControl;
}

/** A running local SES. */
export interface LocalSes {
  /** `http://host:port`: give it to `SESv2Client` as `endpoint` or `AWS_ENDPOINT_URL_SESV2`. */
  endpoint: string;
  stop(): Promise<void>;
}

/** A request SES would refuse, answered in SES's restJson1 error shape. */
class SesError extends SecureTaskError {
  constructor(
    readonly status: number,
    /** SES's exception name (`BadRequestException`), its `x-amzn-ErrorType`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** SES v2's own limit on a whole message. */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
const MAX_RECIPIENTS = 50;
const SEND_EMAIL_PATH = '/v2/email/outbound-emails';
const nextId = monotonicFactory();

/** Starts the local SES; `stop()` closes it. */
export async function startLocalSes(options: LocalSesOptions): Promise<LocalSes> {
  await mkdir(options.outboxDir, { recursive: true });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const answer = (status: number, body: unknown, errorType?: string) =>
      res
        .writeHead(status, {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        })
        .end(JSON.stringify(body));
    try {
      const body = await readBody(req);
      if (options.access?.authenticate) {
        const caller = await options.access.authenticate(req, body, 'ses');
        if (!caller.ok) throw new SesError(...JSON_PROTOCOL_AUTHENTICATION_ERRORS[caller.failure], caller.message);
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'POST' || path !== SEND_EMAIL_PATH) {
        throw new SesError(404, 'UnknownOperationException', `${req.method} ${path}: the local SES implements SendEmail (POST ${SEND_EMAIL_PATH}) only`);
      }
      const outgoing = parseSendEmail(body);
      if (options.access) checkAccess(options.access, req, outgoing.from);
      const messageId = await deliver(options.outboxDir, outgoing);
      answer(200, { MessageId: messageId });
    } catch (error) {
      const sesError = error instanceof SesError ? error : new SesError(500, 'InternalServiceErrorException', `The local SES failed: ${String(error)}`);
      answer(sesError.status, { message: sesError.message }, sesError.code);
    }
  };

  return serveOnLoopback((req, res) => void handle(req, res), options);
}

/** What a SendEmail request asks for, checked. */
interface Outgoing {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: { name: string; value: string }[];
}

function parseSendEmail(body: Buffer): Outgoing {
  let request: any;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SesError(400, 'BadRequestException', 'The request body is not valid JSON');
  }
  const content = request?.Content;
  if (content?.Raw || content?.Template) throw new SesError(400, 'BadRequestException', 'The local SES accepts Simple content only (not Raw or Template)');
  const simple = content?.Simple;
  if (!simple) throw new SesError(400, 'BadRequestException', 'Content.Simple is required');
  if (Array.isArray(simple.Attachments) && simple.Attachments.length > 0) throw new SesError(400, 'BadRequestException', 'The local SES does not take attachments');
  const text = optionalString(simple.Body?.Text?.Data, 'Body.Text.Data');
  const html = optionalString(simple.Body?.Html?.Data, 'Body.Html.Data');
  if (text === undefined && html === undefined) throw new SesError(400, 'BadRequestException', 'Message body is required: Body.Text or Body.Html');
  const subject = optionalString(simple.Subject?.Data, 'Subject.Data');
  if (subject === undefined) throw new SesError(400, 'BadRequestException', 'Subject.Data is required');
  const from = request.FromEmailAddress;
  if (typeof from !== 'string' || from === '') throw new SesError(400, 'BadRequestException', 'FromEmailAddress is required');
  const destination = request.Destination ?? {};
  const outgoing: Outgoing = {
    from: address(from),
    to: addresses(destination.ToAddresses),
    cc: addresses(destination.CcAddresses),
    bcc: addresses(destination.BccAddresses),
    replyTo: addresses(request.ReplyToAddresses),
    subject,
    text,
    html,
    headers: (Array.isArray(simple.Headers) ? simple.Headers : []).map((h: { Name?: unknown; Value?: unknown }) => {
      if (typeof h?.Name !== 'string' || !/^[!-9;-~]+$/.test(h.Name)) throw new SesError(400, 'BadRequestException', `Invalid header name: ${String(h?.Name)}`);
      if (typeof h.Value !== 'string' || /[\r\n]/.test(h.Value)) throw new SesError(400, 'BadRequestException', `Invalid value of header ${h.Name}`);
      return { name: h.Name, value: h.Value };
    }),
  };
  const recipients = outgoing.to.length + outgoing.cc.length + outgoing.bcc.length;
  if (recipients === 0) throw new SesError(400, 'BadRequestException', 'Missing final recipients: Destination needs at least one address');
  if (recipients > MAX_RECIPIENTS) throw new SesError(400, 'BadRequestException', `Recipient count exceeds ${MAX_RECIPIENTS}`);
  return outgoing;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SesError(400, 'BadRequestException', `${field} must be a string`);
  return value;
}

function addresses(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SesError(400, 'BadRequestException', 'Address lists must be arrays of strings');
  return value.map((v) => address(v));
}

/**
 * `a@b.example` or `"Name" <a@b.example>`, printable ASCII only: SES wants a non-ASCII display name
 * already MIME-encoded, and a CR or LF here would let a caller write its own headers.
 */
function address(value: unknown): string {
  const bare = typeof value === 'string' ? (/<([^<>]*)>\s*$/.exec(value)?.[1] ?? value).trim() : '';
  if (typeof value !== 'string' || !/^[\x20-\x7e]+$/.test(value) || !/^[^\s@<>",]+@[^\s@<>",]+$/.test(bare)) {
    throw new SesError(400, 'BadRequestException', `Illegal address: ${JSON.stringify(value)}`);
  }
  return value.trim();
}

/** Writes the message (to a temporary name first, so a reader never sees half a file). */
async function deliver(outboxDir: string, message: Outgoing): Promise<string> {
  const id = nextId();
  const now = new Date();
  const eml = toEml(message, { messageId: `<${id.toLowerCase()}@ses.local>`, date: now });
  if (Buffer.byteLength(eml) > MAX_MESSAGE_BYTES) throw new SesError(400, 'MessageRejected', `Message length is more than ${MAX_MESSAGE_BYTES} bytes long`);
  const name = `${now.toISOString().replace(/[-:.]/g, '')}-${id}.eml`;
  const temporary = join(outboxDir, `.${name}.tmp`);
  await writeFile(temporary, eml, { mode: 0o600 });
  await rename(temporary, join(outboxDir, name));
  return id;
}

/** The message as an RFC 5322 / MIME document, CRLF line ends, 7-bit clean. */
function toEml(message: Outgoing, meta: { messageId: string; date: Date }): string {
  const headers = [
    `Date: ${meta.date.toUTCString().replace(/GMT$/, '+0000')}`,
    `From: ${message.from}`,
    ...(message.to.length ? [`To: ${message.to.join(', ')}`] : []),
    ...(message.cc.length ? [`Cc: ${message.cc.join(', ')}`] : []),
    // Kept in the outbox copy (as a sent-mail folder keeps it) so a person sees every recipient.
    ...(message.bcc.length ? [`Bcc: ${message.bcc.join(', ')}`] : []),
    ...(message.replyTo.length ? [`Reply-To: ${message.replyTo.join(', ')}`] : []),
    `Subject: ${encodeHeaderText(message.subject)}`,
    `Message-ID: ${meta.messageId}`,
    ...message.headers.map((h) => `${h.name}: ${h.value}`),
    'MIME-Version: 1.0',
  ];
  const part = (type: string, body: string) => [`Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: quoted-printable', '', quotedPrintable(body)].join('\r\n');
  let body: string;
  if (message.html !== undefined && message.text !== undefined) {
    const boundary = `=_${randomUUID()}`; // "=_" never occurs in quoted-printable text
    headers.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
    body = ['', `--${boundary}`, part('text/plain', message.text), `--${boundary}`, part('text/html', message.html), `--${boundary}--`, ''].join('\r\n');
    return `${headers.join('\r\n')}\r\n${body}`;
  }
  body = message.html !== undefined ? part('text/html', message.html) : part('text/plain', message.text ?? '');
  return `${headers.join('\r\n')}\r\n${body}\r\n`;
}

/** Printable ASCII stays as it is; anything else becomes RFC 2047 encoded words of at most 75 characters. */
function encodeHeaderText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text) && !text.includes('=?') && text.length <= 900) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    // 45 bytes of UTF-8 are 60 of base64: with "=?UTF-8?B?" and "?=" that is 72, under 75.
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** RFC 2045 quoted-printable of UTF-8 text: lines of at most 76 characters, CRLF line ends. */
function quotedPrintable(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      const out: string[] = [];
      let current = '';
      bytes.forEach((b, i) => {
        const last = i === bytes.length - 1;
        // Spaces and tabs are literal except at the end of a line, where transport may strip them.
        const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        const token = literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
        if (current.length + token.length > 75) {
          out.push(`${current}=`);
          current = '';
        }
        current += token;
      });
      out.push(current);
      return out.join('\r\n');
    })
    .join('\r\n');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // JSON of a 40 MB message is a little over 40 MB; beyond that, stop reading.
    if (size > MAX_MESSAGE_BYTES + 1024 * 1024) throw new SesError(413, 'MessageRejected', `Message length is more than ${MAX_MESSAGE_BYTES} bytes long`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `ses:SendEmail` on the identity of the sender's domain, or SES's 403 AccessDeniedException. */
function checkAccess(access: AccessControl, req: IncomingMessage, from: string): void {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? '';
  const accessKeyId = signingAccessKey(req.headers.authorization) ?? '';
  const verdict = access.authorize(accessKeyId, { action: 'ses:SendEmail', resource: `arn:aws:ses:${access.region}:${access.accountId}:identity/${domain}` });
  if (!verdict.allowed) throw new SesError(403, verdict.code === 'AccessDenied' ? 'AccessDeniedException' : 'UnrecognizedClientException', verdict.message);
}
