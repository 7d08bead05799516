/**
 * A modal dialog on the native `<dialog>`: the browser traps focus, Escape closes it, and the
 * page behind is inert. `onClose` runs however it closes (Escape, the close button, a form).
 * The title and the actions stay in view; a tall body scrolls between them. When it closes,
 * focus goes back to what had it before (the button that opened it), if that is still there.
 */
import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  title: string;
  onClose(): void;
  children: ReactNode;
  /** Buttons at the bottom. */
  actions?: ReactNode;
  /** Wider for content like two images side by side. */
  size?: 'normal' | 'wide';
  /** An alertdialog interrupts (a conflict, a session about to end). */
  role?: 'dialog' | 'alertdialog';
}

export function Dialog({ open, title, onClose, children, actions, size = 'normal', role = 'dialog' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Before paint, so the page never shows the dialog as a non-modal box for a frame.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (!dialog.open) {
      // jsdom (component tests) has no showModal.
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    return () => {
      // It may still be in the DOM (and modal, keeping the page inert) when its owner unmounts.
      if (dialog.open) {
        if (typeof dialog.close === 'function') dialog.close();
        else dialog.removeAttribute('open');
      }
      // Otherwise focus falls to the start of the page.
      const active = document.activeElement;
      const lost = !active || active === document.body || !active.isConnected || dialog.contains(active);
      if (lost && opener?.isConnected) opener.focus();
    };
  }, [open]);
  if (!open) return null;
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      role={role}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      {actions && <footer className="dialog-actions">{actions}</footer>}
    </dialog>
  );
}
