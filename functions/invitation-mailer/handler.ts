import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { sendEmail } from '../shared/mailer.ts';
import { imagesOf, type StreamRecord } from '../shared/stream-record.ts';

const log = createLogger('invitation-mailer');

interface InvitationRecord {
  email: string;
  role: string;
  createdAt: string;
  /** When it was last sent: set when made, and again by resendInvitation. */
  sentAt?: string;
  expiresAt: number;
}

/** When an invitation was (to be) sent; invitations from before resending have only createdAt. */
const sendTime = (invitation: InvitationRecord | undefined) => invitation?.sentAt ?? invitation?.createdAt;

/**
 * Invitations stream -> email. A new invitation (or one that replaces a pending one, or one
 * resent) is sent to its address with where to go and until when; removals and expiries send
 * nothing.
 */
export const handler = observe(log, async (event: { Records: StreamRecord[] }): Promise<void> => {
  for (const record of event.Records) {
    const { before, after } = imagesOf<InvitationRecord>(record);
    if (!after || sendTime(before) === sendTime(after)) continue;
    await sendEmail(invitationEmail(after, process.env.WEB_URL));
    log.info('invitation sent', { role: after.role, expiresAt: after.expiresAt });
  }
});

/** The invitation as the person reads it. */
export function invitationEmail(invitation: InvitationRecord, webUrl: string | undefined) {
  const until = new Date(invitation.expiresAt * 1000).toUTCString();
  const role = invitation.role === 'ADMIN' ? 'an administrator' : 'a member';
  return {
    to: invitation.email,
    subject: 'You are invited to SecureTask',
    text:
      `You have been invited to SecureTask as ${role}.\n\n` +
      `To join, open ${webUrl ?? 'SecureTask'} and verify your identity: you will need a photo of your government ID and a selfie taken on the spot.\n` +
      `The invitation is valid until ${until}.\n\nIf you did not expect this, ignore this email.\n`,
  };
}
