/**
 * Inviting someone by email with a role, and withdrawing an invitation. Invitations made here
 * are listed with a Withdraw button (the API has no list of invitations to read back); any
 * other email can be withdrawn by typing it.
 */
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { InviteUserDocument, RevokeInvitationDocument, type Role } from '../../generated/graphql.ts';
import { useConfig } from '../../app/config-context.ts';
import { apiError, type ApiError } from '../../data/errors.ts';
import { Field } from '../../ui/Field.tsx';
import { ErrorBanner } from '../../ui/feedback.tsx';
import { toast } from '../../ui/toasts.tsx';
import { asSentence, formatDateTime } from '../format.ts';

interface Sent {
  email: string;
  role: Role;
  /** Epoch seconds. */
  expiresAt: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function InviteForm() {
  const config = useConfig();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('MEMBER');
  const [emailError, setEmailError] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [sent, setSent] = useState<Sent[]>([]);
  const [invite, { loading: inviting }] = useMutation(InviteUserDocument);
  const [revoke] = useMutation(RevokeInvitationDocument);
  const [withdrawing, setWithdrawing] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (inviting) return;
    const address = email.trim().toLowerCase();
    if (!EMAIL.test(address)) {
      setEmailError('Enter an email address, like ana@example.com.');
      return;
    }
    setEmailError(undefined);
    setError(undefined);
    try {
      const { data } = await invite({ variables: { email: address, role } });
      const invitation = data!.inviteUser;
      setSent((before) => [{ email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt }, ...before.filter((s) => s.email !== invitation.email)]);
      setEmail('');
      toast(`Invitation sent to ${invitation.email}.`, 'success');
    } catch (caught) {
      const failure = apiError(caught);
      if (failure.info?.field === 'email') setEmailError(asSentence(failure.message));
      else setError({ ...failure, message: asSentence(failure.message) });
    }
  };

  const withdraw = async (address: string) => {
    setWithdrawing(address);
    setError(undefined);
    try {
      await revoke({ variables: { email: address } });
      setSent((before) => before.filter((s) => s.email !== address));
      toast(`The invitation of ${address} is withdrawn.`, 'success');
      return true;
    } catch (caught) {
      const failure = apiError(caught);
      setError({ ...failure, message: asSentence(failure.message) });
      return false;
    } finally {
      setWithdrawing(undefined);
    }
  };

  return (
    <section className="admin-invite" aria-labelledby="admin-invite-title">
      <h3 id="admin-invite-title">Invite someone</h3>
      <p className="admin-muted">
        They get an email with a link to verify their identity; the invitation expires after 7 days.
        {config.stage === 'local' && (
          <>
            {' '}
            Running locally, the email goes to the <a href="/outbox">outbox</a> instead of being sent.
          </>
        )}
      </p>
      {error && <ErrorBanner error={error} />}
      <form className="admin-invite-form" onSubmit={submit} noValidate>
        <Field label="Email" error={emailError}>
          {(control) => <input {...control} type="email" autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} />}
        </Field>
        <Field label="Role">
          {(control) => (
            <select {...control} value={role} onChange={(event) => setRole(event.target.value as Role)}>
              <option value="MEMBER">Member</option>
              <option value="ADMIN">Admin</option>
            </select>
          )}
        </Field>
        <button type="submit" className="button button-primary" aria-disabled={inviting || undefined}>
          {inviting ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
      {sent.length > 0 && (
        <ul className="admin-sent" aria-label="Invitations sent from this page">
          {sent.map((invitation) => (
            <li key={invitation.email}>
              <span>
                <strong>{invitation.email}</strong> as {invitation.role === 'ADMIN' ? 'admin' : 'member'}, until{' '}
                {formatDateTime(new Date(invitation.expiresAt * 1000).toISOString())}
              </span>
              <button type="button" className="button" onClick={() => withdraw(invitation.email)} disabled={withdrawing === invitation.email}>
                Withdraw <span className="visually-hidden">the invitation of {invitation.email}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <WithdrawByEmail busy={withdrawing !== undefined} onWithdraw={withdraw} />
    </section>
  );
}

/** Withdrawing an invitation made elsewhere (another admin, another day): by its email. */
function WithdrawByEmail({ busy, onWithdraw }: { busy: boolean; onWithdraw(email: string): Promise<boolean> }) {
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim().toLowerCase();
    if (!EMAIL.test(address)) return setEmailError('Enter the invited email address.');
    if (busy) return;
    setEmailError(undefined);
    if (await onWithdraw(address)) setEmail('');
  };
  return (
    <details className="admin-withdraw">
      <summary>Withdraw an invitation</summary>
      <form className="admin-invite-form" onSubmit={submit} noValidate>
        <Field label="Invited email" error={emailError}>
          {(control) => <input {...control} type="email" autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} />}
        </Field>
        <button type="submit" className="button" aria-disabled={busy || undefined}>
          Withdraw invitation
        </button>
      </form>
    </details>
  );
}
