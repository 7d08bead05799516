/**
 * Asks for the face again before the session ends, in a dialog over whatever the person is
 * doing: the screen underneath stays mounted, so a half-written comment or an open card survives.
 * A new token from the face sign-in renews the session in place.
 */
import { Dialog } from '../ui/Dialog.tsx';
import { FaceCheck } from '../identity/FaceCheck.tsx';
import { formatClock } from '../identity/time.ts';

export interface RenewDialogProps {
  open: boolean;
  /** The signed-in person's email; empty when the token did not say (then they type it). */
  email: string;
  onEmailChange?(email: string): void;
  /** Milliseconds until the session ends. */
  timeLeft: number;
  onRenewed(token: string): void;
  onClose(): void;
}

/** The alertdialog "Confirm it's you to stay signed in" with a face sign-in inside. */
export function RenewDialog({ open, email, onEmailChange, timeLeft, onRenewed, onClose }: RenewDialogProps) {
  return (
    <Dialog
      open={open}
      role="alertdialog"
      title="Confirm it's you to stay signed in"
      onClose={onClose}
      actions={
        <button type="button" className="button" onClick={onClose}>
          Not now
        </button>
      }
    >
      <p>
        Your session ends in <strong className="id-renew-time">{formatClock(timeLeft)}</strong>. Show your face (a short liveness check) to continue for
        another session; everything on the page stays as it is.
      </p>
      <FaceCheck email={email} onEmailChange={onEmailChange} onVerified={onRenewed} submitLabel="Confirm it's me" headingLevel={3} />
    </Dialog>
  );
}
