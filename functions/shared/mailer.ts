/**
 * Email from SecureTask (invitations, "was this you?" notices) through Amazon SES, API v2. In AWS
 * it goes out through SES; locally `AWS_ENDPOINT_URL_SESV2` points the same call at the local
 * outbox (`local/aws/ses/ses.ts`), where a person reads it at `/outbox`.
 */
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { sesv2 } from './aws-clients.ts';
import { SecureTaskError } from '../../lib/errors.ts';

/** One message: plain text always (it is what every client can show), HTML optionally. */
export interface Email {
  /** One address or several, each `name@example.com` or `"Name" <name@example.com>`. */
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
}

/** Why a message was not sent; stable codes for logs and tests. */
export type MailerErrorCode =
  /** `MAIL_FROM` is not set: a deployment mistake. */
  | 'NOT_CONFIGURED'
  /** SES refused the message itself (bad address, unverified sender, sending paused). */
  | 'REJECTED'
  /** SES throttled us past its own retries. */
  | 'THROTTLED'
  /** SES failed or could not be reached. */
  | 'UNAVAILABLE';

/** A message that was not sent. */
export class MailerError extends SecureTaskError {
  override readonly name = 'MailerError';
  constructor(
    readonly code: MailerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SES errors about the message or the account, which another try will not fix. */
const REJECTED = new Set([
  'BadRequestException',
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'NotFoundException',
]);
const THROTTLED = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException']);

/**
 * Sends one message from `MAIL_FROM` and returns SES's message id. Retries are the SDK's own
 * (standard mode: throttling and 5xx), which SES API calls are built for.
 */
export async function sendEmail(email: Email): Promise<{ messageId: string }> {
  const from = process.env.MAIL_FROM?.trim();
  if (!from) throw new MailerError('NOT_CONFIGURED', 'MAIL_FROM is not set: give the sender address, e.g. "SecureTask <no-reply@example.com>"');
  const to = Array.isArray(email.to) ? email.to : [email.to];
  const utf8 = (data: string) => ({ Data: data, Charset: 'UTF-8' });
  try {
    const output = await sesv2().send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: to },
        Content: {
          Simple: {
            Subject: utf8(email.subject),
            Body: { Text: utf8(email.text), ...(email.html !== undefined ? { Html: utf8(email.html) } : {}) },
          },
        },
      }),
    );
    return { messageId: output.MessageId ?? '' };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const code = REJECTED.has(name) ? 'REJECTED' : THROTTLED.has(name) ? 'THROTTLED' : 'UNAVAILABLE';
    throw new MailerError(code, `SES SendEmail failed: ${name || 'Error'}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
