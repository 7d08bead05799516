/**
 * Cancels an open session after a confirmation: canceling deletes the photos and, while waiting
 * for review, throws away the place in the queue, so one click should not do it by accident.
 */
import { useState } from 'react';
import type { VerificationFlow } from '../identity/useVerificationFlow.ts';
import { Dialog } from '../ui/Dialog.tsx';

/** "Cancel verification", confirmed in a dialog ("Yes, cancel it" / "Keep it"). */
export function CancelButton({ flow }: { flow: VerificationFlow }) {
  const [confirming, setConfirming] = useState(false);
  const waiting = flow.verification?.state === 'NEEDS_REVIEW';
  return (
    <>
      <button type="button" className="button" onClick={() => setConfirming(true)} disabled={flow.step === 'canceling'}>
        {flow.step === 'canceling' ? 'Canceling…' : 'Cancel verification'}
      </button>
      <Dialog
        open={confirming}
        title="Cancel this verification?"
        onClose={() => setConfirming(false)}
        actions={
          <>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                setConfirming(false);
                void flow.cancel();
              }}
            >
              Yes, cancel it
            </button>
          </>
        }
      >
        <p>
          Your photos are deleted at once{waiting ? ' and the review request is withdrawn' : ''}. You can start a new verification later.
        </p>
      </Dialog>
    </>
  );
}
