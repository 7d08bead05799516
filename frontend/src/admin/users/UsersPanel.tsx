/**
 * Users: everyone with an account, a page at a time, with their role and status to change,
 * erasure behind a confirmation, and invitations. An admin's own row asks before anything that
 * would take away their own access (the API refuses some of it; its reason is then shown).
 */
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { AdminUsersDocument, type AdminUserFieldsFragment } from '../../generated/graphql.ts';
import { apiError, type ApiError } from '../../data/errors.ts';
import { useSession } from '../../session/useSession.ts';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/feedback.tsx';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { displayName } from '../format.ts';
import { EraseUserDialog } from './EraseUserDialog.tsx';
import { InviteForm } from './InviteForm.tsx';
import { useUserActions } from './useUserActions.ts';
import { UsersTable, type UserAction } from './UsersTable.tsx';

type User = AdminUserFieldsFragment;

const PAGE = 50;

export function UsersPanel() {
  const me = useSession();
  const { data, loading, error, refetch, fetchMore } = useQuery(AdminUsersDocument, { variables: { limit: PAGE } });
  const actions = useUserActions();
  const [busyId, setBusyId] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [confirming, setConfirming] = useState<{ user: User; action: UserAction }>();
  const [confirmError, setConfirmError] = useState<ApiError>();
  const [loadingMore, setLoadingMore] = useState(false);

  const run = async (user: User, action: UserAction) => {
    setBusyId(user.id);
    const refused =
      action === 'make-admin' ? await actions.setRole(user, 'ADMIN')
      : action === 'make-member' ? await actions.setRole(user, 'MEMBER')
      : action === 'disable' ? await actions.disable(user)
      : action === 'activate' ? await actions.activate(user)
      : await actions.erase(user);
    setBusyId(undefined);
    return refused;
  };

  const request = (user: User, action: UserAction) => {
    setFailure(undefined);
    const self = user.id === me?.userId;
    const risky = action === 'erase' || (self && (action === 'make-member' || action === 'disable'));
    if (risky) {
      setConfirmError(undefined);
      setConfirming({ user, action });
      return;
    }
    void run(user, action).then((refused) => refused && setFailure(`${displayName(user)} was not changed. ${refused.message}`));
  };

  const confirm = async () => {
    if (!confirming) return;
    const refused = await run(confirming.user, confirming.action);
    if (refused) setConfirmError(refused);
    else setConfirming(undefined);
  };

  const loadMore = () => {
    setLoadingMore(true);
    fetchMore({
      variables: { nextToken: data?.users.nextToken },
      updateQuery: (before, { fetchMoreResult }) => ({
        users: { ...fetchMoreResult.users, items: [...before.users.items, ...fetchMoreResult.users.items] },
      }),
    })
      .catch((caught: unknown) => setFailure(apiError(caught).message))
      .finally(() => setLoadingMore(false));
  };

  // The API pages in storage order; people read a list in name order.
  const users = [...(data?.users.items ?? [])].sort((a, b) => displayName(a).localeCompare(displayName(b), undefined, { sensitivity: 'base' }));
  const closeConfirm = () => setConfirming(undefined);

  return (
    <div className="admin-panel">
      <div className="admin-panel-head">
        <div>
          <h2>Users</h2>
          <p className="admin-muted">
            Everyone with an account. Role and status changes apply within a few minutes; disabling someone ends their live connections at once.
          </p>
        </div>
      </div>
      <InviteForm />
      {error && <ErrorBanner error={apiError(error)} onRetry={() => void refetch().catch(() => undefined)} />}
      {failure && (
        <div className="error-banner" role="alert">
          <span>{failure}</span>
          <button type="button" className="button" onClick={() => setFailure(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      {loading && !data ? (
        <Spinner label="Loading the users…" />
      ) : data && users.length === 0 ? (
        <EmptyState title="No users yet" />
      ) : (
        data && <UsersTable users={users} selfId={me?.userId} busyId={busyId} onAction={request} />
      )}
      {data?.users.nextToken && (
        <button type="button" className="button admin-more" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more users'}
        </button>
      )}
      {confirming?.action === 'erase' && (
        <EraseUserDialog
          user={confirming.user}
          isSelf={confirming.user.id === me?.userId}
          busy={busyId === confirming.user.id}
          error={confirmError}
          onConfirm={confirm}
          onClose={closeConfirm}
        />
      )}
      {confirming?.action === 'make-member' && (
        <ConfirmDialog
          title="Remove your own admin rights?"
          confirmLabel="Make myself a member"
          busyLabel="Changing…"
          danger
          busy={busyId === confirming.user.id}
          error={confirmError}
          onConfirm={confirm}
          onClose={closeConfirm}
        >
          <p className="admin-warning">You are about to change your own role.</p>
          <p>You would lose the admin screens, this one included, and only another admin could make you an admin again.</p>
        </ConfirmDialog>
      )}
      {confirming?.action === 'disable' && (
        <ConfirmDialog
          title="Disable your own account?"
          confirmLabel="Disable my account"
          busyLabel="Disabling…"
          danger
          busy={busyId === confirming.user.id}
          error={confirmError}
          onConfirm={confirm}
          onClose={closeConfirm}
        >
          <p className="admin-warning">You are about to disable yourself.</p>
          <p>You would be signed out everywhere and could not sign in again until another admin activates you.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
