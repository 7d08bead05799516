/**
 * Inviting someone by email with a role and, optionally, onto boards with a board role each;
 * below, the invitations still pending (anyone's, read from the API), each to resend (a new
 * email, a new week) or withdraw.
 */
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import {
  AllBoardsDocument,
  InvitationsDocument,
  InviteUserDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
  type BoardRole,
  type Role,
} from '../../generated/graphql.ts';
import { useConfig } from '../../app/config-context.ts';
import { apiError, type ApiError } from '../../data/errors.ts';
import { Field } from '../../ui/Field.tsx';
import { ErrorBanner, Spinner } from '../../ui/feedback.tsx';
import { toast } from '../../ui/toasts.tsx';
import { asSentence, formatDateTime } from '../format.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BOARD_ROLES: { value: BoardRole; label: string }[] = [
  { value: 'MEMBER', label: 'Member' },
  { value: 'VIEWER', label: 'Viewer' },
  { value: 'ADMIN', label: 'Board admin' },
];

export function InviteForm() {
  const config = useConfig();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('MEMBER');
  const [boardRoles, setBoardRoles] = useState<Record<string, BoardRole | ''>>({});
  const [emailError, setEmailError] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [invite, { loading: inviting }] = useMutation(InviteUserDocument);
  const boards = useQuery(AllBoardsDocument);
  const pending = useQuery(InvitationsDocument, { variables: { nextToken: null }, fetchPolicy: 'cache-and-network' });
  const openBoards = (boards.data?.boards ?? []).filter((board) => !board.archivedAt);

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
    const onBoards = Object.entries(boardRoles).flatMap(([boardId, boardRole]) => (boardRole ? [{ boardId, role: boardRole }] : []));
    try {
      const { data } = await invite({ variables: { email: address, role, ...(onBoards.length ? { boards: onBoards } : {}) } });
      setEmail('');
      setBoardRoles({});
      toast(`Invitation sent to ${data!.inviteUser.email}.`, 'success');
      await pending.refetch();
    } catch (caught) {
      const failure = apiError(caught);
      if (failure.info?.field === 'email') setEmailError(asSentence(failure.message));
      else setError({ ...failure, message: asSentence(failure.message) });
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
        {openBoards.length > 0 && (
          <fieldset className="admin-invite-boards">
            <legend>Boards</legend>
            {openBoards.map((board) => (
              <Field key={board.id} label={`On ${board.name}`}>
                {(control) => (
                  <select {...control} value={boardRoles[board.id] ?? ''} onChange={(event) => setBoardRoles((before) => ({ ...before, [board.id]: event.target.value as BoardRole | '' }))}>
                    <option value="">Not on this board</option>
                    {BOARD_ROLES.map((option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ))}
          </fieldset>
        )}
        <button type="submit" className="button button-primary" aria-disabled={inviting || undefined}>
          {inviting ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
      <PendingInvitations
        invitations={pending.data?.invitations.items}
        loading={pending.loading && !pending.data}
        boardName={(id) => openBoards.find((board) => board.id === id)?.name ?? 'an archived board'}
        onChanged={() => void pending.refetch()}
      />
    </section>
  );
}

interface Pending {
  email: string;
  role: Role;
  boards: { boardId: string; role: BoardRole }[];
  /** Epoch seconds. */
  expiresAt: number;
}

/** The invitations not yet taken up, with Resend and Withdraw. */
function PendingInvitations({ invitations, loading, boardName, onChanged }: { invitations?: Pending[]; loading: boolean; boardName(id: string): string; onChanged(): void }) {
  const [resend] = useMutation(ResendInvitationDocument);
  const [revoke] = useMutation(RevokeInvitationDocument);
  const [busy, setBusy] = useState<string>();
  const act = async (address: string, action: () => Promise<unknown>, done: string) => {
    setBusy(address);
    try {
      await action();
      toast(done, 'success');
      onChanged();
    } catch (caught) {
      toast(asSentence(apiError(caught).message), 'error');
    } finally {
      setBusy(undefined);
    }
  };
  if (loading) return <Spinner label="Loading the invitations…" />;
  return (
    <section aria-labelledby="admin-pending-title">
      <h4 id="admin-pending-title">Pending invitations</h4>
      {!invitations?.length ?
        <p className="admin-muted">None: everyone invited has joined, or no one is invited.</p>
      : <ul className="admin-sent">
          {invitations.map((invitation) => (
            <li key={invitation.email}>
              <span>
                <strong>{invitation.email}</strong> as {invitation.role === 'ADMIN' ? 'admin' : 'member'}
                {invitation.boards.length > 0 && <> on {invitation.boards.map((b) => `${boardName(b.boardId)} (${BOARD_ROLES.find((r) => r.value === b.role)!.label.toLowerCase()})`).join(', ')}</>}, until{' '}
                {formatDateTime(new Date(invitation.expiresAt * 1000).toISOString())}
              </span>
              <span className="admin-sent-actions">
                <button
                  type="button"
                  className="button"
                  disabled={busy === invitation.email}
                  onClick={() => act(invitation.email, () => resend({ variables: { email: invitation.email } }), `The invitation of ${invitation.email} is sent again.`)}
                >
                  Resend <span className="visually-hidden">the invitation of {invitation.email}</span>
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={busy === invitation.email}
                  onClick={() => act(invitation.email, () => revoke({ variables: { email: invitation.email } }), `The invitation of ${invitation.email} is withdrawn.`)}
                >
                  Withdraw <span className="visually-hidden">the invitation of {invitation.email}</span>
                </button>
              </span>
            </li>
          ))}
        </ul>
      }
    </section>
  );
}
