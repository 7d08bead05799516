/**
 * "Are you sure?" for the admin actions that hurt when done by mistake (erasing someone,
 * changing one's own access). It stays open while the action runs and shows the API's refusal
 * in place, so the admin reads why nothing happened.
 */
import type { ReactNode } from 'react';
import type { ApiError } from '../data/errors.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorBanner } from '../ui/feedback.tsx';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  /** The confirming button's words: the action itself ("Erase permanently"), never "OK". */
  confirmLabel: string;
  busyLabel: string;
  danger?: boolean;
  busy: boolean;
  error?: ApiError;
  onConfirm(): void;
  onClose(): void;
}

export function ConfirmDialog({ title, children, confirmLabel, busyLabel, danger = false, busy, error, onConfirm, onClose }: ConfirmDialogProps) {
  return (
    <Dialog
      open
      role="alertdialog"
      title={title}
      onClose={() => !busy && onClose()}
      actions={
        <>
          {/* aria-disabled while busy, not disabled: the focus stays on the button (see ui/Dialog). */}
          <button type="button" className="button" onClick={() => !busy && onClose()} aria-disabled={busy || undefined}>
            Cancel
          </button>
          <button
            type="button"
            className={`button ${danger ? 'button-danger' : 'button-primary'}`}
            onClick={() => !busy && onConfirm()}
            aria-disabled={busy || undefined}
          >
            {busy ? busyLabel : confirmLabel}
          </button>
        </>
      }
    >
      {error && <ErrorBanner error={error} />}
      {children}
    </Dialog>
  );
}
