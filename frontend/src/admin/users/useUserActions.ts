/**
 * What an admin does to a user: role, status, erasure. Each resolves to the API's error (or
 * nothing), so the screen decides where to show it; successes are announced as toasts. The
 * answers are Users by id, so Apollo's cache updates every row showing them; an erased user is
 * evicted, and lists drop the dangling reference.
 */
import { useMutation } from '@apollo/client/react';
import { DeleteUserDocument, SetUserRoleDocument, SetUserStatusDocument, type AdminUserFieldsFragment, type Role } from '../../generated/graphql.ts';
import { apiError, type ApiError } from '../../data/errors.ts';
import { toast } from '../../ui/toasts.tsx';
import { asSentence, displayName } from '../format.ts';

type User = AdminUserFieldsFragment;

export function useUserActions() {
  const [setUserRole] = useMutation(SetUserRoleDocument);
  const [setUserStatus] = useMutation(SetUserStatusDocument);
  const [deleteUser] = useMutation(DeleteUserDocument);

  const attempt = async (run: () => Promise<unknown>, success: string): Promise<ApiError | undefined> => {
    try {
      await run();
      toast(success, 'success');
      return undefined;
    } catch (error) {
      const refused = apiError(error);
      return { ...refused, message: asSentence(refused.message) };
    }
  };

  return {
    setRole: (user: User, role: Role) =>
      attempt(
        () => setUserRole({ variables: { userId: user.id, role } }),
        role === 'ADMIN' ? `${displayName(user)} is now an admin.` : `${displayName(user)} is now a member (no admin screens).`,
      ),
    disable: (user: User) =>
      attempt(
        () => setUserStatus({ variables: { userId: user.id, status: 'DISABLED' } }),
        `${displayName(user)} is disabled: their live connections end and they cannot sign in.`,
      ),
    activate: (user: User) =>
      attempt(() => setUserStatus({ variables: { userId: user.id, status: 'ACTIVE' } }), `${displayName(user)} is active again.`),
    erase: (user: User) =>
      attempt(
        () =>
          deleteUser({
            variables: { userId: user.id },
            update(cache) {
              cache.evict({ id: cache.identify({ __typename: 'User', id: user.id }) });
              cache.gc();
            },
          }),
        `${displayName(user)} is erased.`,
      ),
  };
}
