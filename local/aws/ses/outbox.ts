/**
 * The local outbox: the `.eml` files the local SES (`ses.ts`) writes, read back and shown as small
 * HTML pages at `/outbox`, where a person opens their invitation or "was this you?" email.
 * Everything shown is escaped; a message's own HTML runs in a sandboxed frame without scripts.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SecureTaskError } from '../../../lib/errors.ts';

/** One message in the outbox list. */
export interface OutboxEntry {
  /** The file name, also the message's address under `/outbox/`. */
  file: string;
  date: Date;
  from: string;
  to: string[];
  subject: string;
}

/** One message, read in full. */
export interface OutboxMessage extends OutboxEntry {
  cc: string[];
  bcc: string[];
  replyTo: string[];
  messageId: string;
  text?: string;
  html?: string;
}

/** Why a message could not be read; stable codes (`INVALID_NAME` answers 400, `NOT_FOUND` 404). */
export type OutboxErrorCode = 'INVALID_NAME' | 'NOT_FOUND';

/** A message name that is not one, or a message that is not there. */
export class OutboxError extends SecureTaskError {
  override readonly name = 'OutboxError';
  constructor(
    readonly code: OutboxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Options of the render functions. */
export interface RenderOptions {
  /** Where the outbox is served; default `/outbox`. */
  basePath?: string;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*\.eml$/;

/** Every message in `dir`, newest first (file names start with the time they were written). */
export async function listOutbox(dir: string): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names.filter((n) => FILE_NAME.test(n)).sort().reverse();
  const messages = await Promise.all(files.map((file) => readOutboxMessage(dir, file).catch(() => undefined)));
  return messages.filter((m) => m !== undefined).map(({ file, date, from, to, subject }) => ({ file, date, from, to, subject }));
}

/**
 * Reads one message. `file` comes from a URL, so it must be a bare `.eml` name of a regular
 * file directly in `dir`: no separators, no `..`, no symbolic links.
 */
export async function readOutboxMessage(dir: string, file: string): Promise<OutboxMessage> {
  const root = resolve(dir);
  const path = resolve(root, file);
  if (!FILE_NAME.test(file) || basename(file) !== file || dirname(path) !== root) {
    throw new OutboxError('INVALID_NAME', `not an outbox message name: ${JSON.stringify(file)}`);
  }
  const stat = await lstat(path).catch(() => undefined);
  if (!stat?.isFile()) throw new OutboxError('NOT_FOUND', `no message ${file} in the outbox`);
  const raw = await readFile(join(root, file), 'utf8');
  const { headers, body } = splitMessage(raw);
  // The writer ends the file with a line break that is not part of the text.
  const parts = bodyParts(headers, body.replace(/\r?\n$/, ''));
  const date = new Date(headers.get('date') ?? '');
  return {
    file,
    date: Number.isNaN(date.getTime()) ? stat.mtime : date,
    from: decodeWords(headers.get('from') ?? ''),
    to: addressList(headers.get('to')),
    cc: addressList(headers.get('cc')),
    bcc: addressList(headers.get('bcc')),
    replyTo: addressList(headers.get('reply-to')),
    subject: decodeWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    ...parts,
  };
}

/** The outbox list as a page. */
export function renderOutboxPage(messages: OutboxEntry[], options: RenderOptions = {}): string {
  const base = options.basePath ?? '/outbox';
  const rows = messages
    .map(
      (m) =>
        `<tr><td><time datetime="${esc(m.date.toISOString())}">${esc(shortDate(m.date))}</time></td><td>${esc(m.to.join(', '))}</td>` +
        `<td><a href="${esc(`${base}/${encodeURIComponent(m.file)}`)}">${esc(m.subject || '(no subject)')}</a></td><td>${esc(m.from)}</td></tr>`,
    )
    .join('\n');
  const content = messages.length
    ? `<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th><th>From</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : '<p class="empty">No email yet. Invitations and sign-in notices the app sends appear here.</p>';
  return page('Outbox', `<h1>Outbox</h1><p class="note">Email the local SecureTask would have sent. Nothing here left this machine.</p>${content}`);
}

/** One message as a page: its headers, its HTML version in a sandboxed frame, its text version. */
export function renderOutboxMessage(message: OutboxMessage, options: RenderOptions = {}): string {
  const base = options.basePath ?? '/outbox';
  const field = (name: string, value: string) => (value ? `<dt>${name}</dt><dd>${esc(value)}</dd>` : '');
  const fields = [
    field('From', message.from),
    field('To', message.to.join(', ')),
    field('Cc', message.cc.join(', ')),
    field('Bcc', message.bcc.join(', ')),
    field('Reply-To', message.replyTo.join(', ')),
    field('Date', message.date.toUTCString()),
  ].join('');
  // No allow-scripts and no allow-same-origin: the email's HTML can neither run code nor reach this page.
  const html =
    message.html !== undefined
      ? `<h2>HTML version</h2><iframe title="HTML version" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${esc(`<base target="_blank">${message.html}`)}"></iframe>`
      : '';
  const text = message.text !== undefined ? `<h2>Text version</h2><pre>${linkify(message.text)}</pre>` : '';
  return page(
    message.subject || '(no subject)',
    `<p><a href="${esc(base)}">&larr; Outbox</a></p><h1>${esc(message.subject || '(no subject)')}</h1><dl>${fields}</dl>${html}${text}`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f}
h1{font-size:1.4rem}h2{font-size:1rem;margin-top:2rem;color:#555}.note,.empty{color:#666}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e3e3e8;vertical-align:top}
th{font-weight:600;color:#555}td:first-child{white-space:nowrap;color:#555}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#666}dd{margin:0}
iframe{width:100%;height:28rem;border:1px solid #e3e3e8;border-radius:6px}
pre{white-space:pre-wrap;background:#f6f6f8;padding:1rem;border-radius:6px}
</style></head><body>
${body}
</body></html>
`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escaped text with its http(s) addresses as links (an invitation is mostly its link). */
function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    const url = match[0].replace(/[.,;:!?)]+$/, '');
    out += esc(text.slice(last, match.index)) + `<a href="${esc(url)}" rel="noopener noreferrer">${esc(url)}</a>`;
    last = match.index! + url.length;
  }
  return out + esc(text.slice(last));
}

function shortDate(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Header fields (names lower-cased, folded lines joined) and the body. */
function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const end = /\r?\n\r?\n/.exec(raw);
  const head = end ? raw.slice(0, end.index) : raw;
  const body = end ? raw.slice(end.index + end[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** The text and HTML versions of a body, through multipart containers. */
function bodyParts(headers: Map<string, string>, body: string): { text?: string; html?: string } {
  const type = headers.get('content-type') ?? 'text/plain';
  const mediaType = type.split(';')[0]!.trim().toLowerCase();
  if (mediaType.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (!boundary) return {};
    const found: { text?: string; html?: string } = {};
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      const part = splitMessage(section.replace(/^\r?\n/, ''));
      const inner = bodyParts(part.headers, part.body.replace(/\r?\n$/, ''));
      found.text ??= inner.text;
      found.html ??= inner.html;
    }
    return found;
  }
  const charset = /charset="?([^";]+)"?/i.exec(type)?.[1] ?? 'utf-8';
  const decoded = decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit', charset);
  if (mediaType === 'text/html') return { html: decoded };
  if (mediaType === 'text/plain') return { text: decoded };
  return {};
}

function decodeBody(body: string, encoding: string, charset: string): string {
  const enc = encoding.trim().toLowerCase();
  const bytes =
    enc === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : enc === 'quoted-printable'
        ? fromQuotedPrintable(body)
        : Buffer.from(body, 'utf8');
  return decodeCharset(bytes, charset).replace(/\r\n/g, '\n');
}

function fromQuotedPrintable(text: string): Buffer {
  const unwrapped = text.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const hex = unwrapped.slice(i + 1, i + 3);
    if (unwrapped[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unwrapped[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function decodeCharset(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** RFC 2047 encoded words (B and Q), with the space between two adjacent words dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, charset: string, kind: string, data: string) => {
      const bytes =
        kind.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : fromQuotedPrintable(data.replace(/_/g, ' '));
      return decodeCharset(bytes, charset.split('*')[0]!);
    });
}

/** `a@x, "B, Jr." <b@x>` into its addresses, commas inside quotes kept. */
function addressList(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of decodeWords(value)) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  out.push(current.trim());
  return out.filter((a) => a !== '');
}
