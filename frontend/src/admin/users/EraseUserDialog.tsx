/** The confirmation before erasing a user, saying exactly what erasure deletes and what stays. */
import type { ApiError } from '../../data/errors.ts';
import type { AdminUserFieldsFragment } from '../../generated/graphql.ts';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { displayName } from '../format.ts';

export interface EraseUserDialogProps {
  user: AdminUserFieldsFragment;
  isSelf: boolean;
  busy: boolean;
  error?: ApiError;
  onConfirm(): void;
  onClose(): void;
}

export function EraseUserDialog({ user, isSelf, busy, error, onConfirm, onClose }: EraseUserDialogProps) {
  const who = displayName(user);
  return (
    <ConfirmDialog
      title={`Erase ${who}?`}
      confirmLabel="Erase permanently"
      busyLabel="Erasing…"
      danger
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      {isSelf && (
        <p className="admin-warning">
          This is your own account. Erasing it signs you out for good, and you could only come back with a new invitation and a new identity
          check.
        </p>
      )}
      <p>
        Erasing <strong>{who}</strong> ({user.email}) deletes, and cannot be undone:
      </p>
      <ul className="admin-list">
        <li>their account, so they can no longer sign in (their live connections end at once);</li>
        <li>their reference face, the image they sign in with;</li>
        <li>every ID photo and liveness image of their verification sessions, and those sessions' records;</li>
        <li>any pending invitation of their email.</li>
      </ul>
      <p className="admin-muted">
        What stays: the audit log (it holds ids and outcomes, never images), and the tasks they created or were assigned, which keep their id. To
        only stop them signing in, disable them instead.
      </p>
    </ConfirmDialog>
  );
}
