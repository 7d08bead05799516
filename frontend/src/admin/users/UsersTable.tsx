/**
 * The users as a table (cards on a phone): name, email, role, status, created, and the
 * actions. Every action button names its person ("Disable Penny"), so a screen reader's list
 * of buttons makes sense and tests can find them.
 */
import type { AdminUserFieldsFragment } from '../../generated/graphql.ts';
import { displayName, formatDateTime } from '../format.ts';

type User = AdminUserFieldsFragment;

export type UserAction = 'make-admin' | 'make-member' | 'disable' | 'activate' | 'erase';

const STATUS_LABELS: Record<User['status'], string> = { ACTIVE: 'Active', DISABLED: 'Disabled', INVITED: 'Invited' };

export interface UsersTableProps {
  users: User[];
  selfId: string | undefined;
  /** The user an action is running for: their buttons wait. */
  busyId?: string;
  onAction(user: User, action: UserAction): void;
}

export function UsersTable({ users, selfId, busyId, onAction }: UsersTableProps) {
  return (
    <table className="admin-table admin-users">
      <caption className="visually-hidden">Users</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Role</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => {
          const who = displayName(user);
          const busy = busyId === user.id;
          const self = user.id === selfId;
          const button = (action: UserAction, label: string, className = 'button button-small') => (
            // aria-disabled, not disabled, while busy: a disabled button drops the keyboard focus,
            // which would land on the page's start after every change.
            <button type="button" className={className} onClick={() => !busy && onAction(user, action)} aria-disabled={busy || undefined}>
              {label}
              {' '}
              <span className="visually-hidden">{who}</span>
            </button>
          );
          return (
            <tr key={user.id} className={self ? 'admin-row-self' : undefined} aria-busy={busy || undefined}>
              <th scope="row" data-label="Name">
                {user.name || <span className="admin-muted">No name</span>}
                {self && <span className="badge">you</span>}
              </th>
              <td data-label="Email" className="admin-break">
                {user.email}
              </td>
              <td data-label="Role">
                <span className={`admin-pill admin-role-${user.role}`}>{user.role === 'ADMIN' ? 'Admin' : 'Member'}</span>
              </td>
              <td data-label="Status">
                <span className={`admin-pill admin-status-${user.status}`}>{STATUS_LABELS[user.status]}</span>
              </td>
              <td data-label="Created">
                <time dateTime={user.createdAt}>{formatDateTime(user.createdAt)}</time>
              </td>
              <td className="admin-actions">
                {user.role === 'ADMIN' ? button('make-member', 'Make member') : button('make-admin', 'Make admin')}
                {user.status === 'DISABLED' ? button('activate', 'Activate') : button('disable', 'Disable')}
                {button('erase', 'Erase', 'button button-small admin-button-danger')}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
