import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0 && !el.closest('[inert]'));
}

export interface ModalDialogProps {
  open: boolean;
  /** Escape (`escape`) or the host's own close control (`close`); the dialog closes only when `open` turns false. */
  onClose: (reason: 'escape' | 'close') => void;
  /** Id of the element naming the dialog (its heading), or use `label`. */
  labelledBy?: string | undefined;
  label?: string | undefined;
  describedBy?: string | undefined;
  role?: 'dialog' | 'alertdialog' | undefined;
  className?: string | undefined;
  /** Selectors of the element to focus on open, tried in order; default: the first focusable element. */
  initialFocus?: string[] | undefined;
  children: ReactNode;
}

/**
 * A modal on the native `<dialog>` (top layer, page made inert by the browser). Adds what the
 * element lacks: Tab and Shift+Tab wrap inside it, focus goes to `initialFocus` on open and back
 * to the element that opened it on close, and Escape asks the owner instead of closing by itself.
 */
export function ModalDialog({ open, onClose, labelledBy, label, describedBy, role = 'dialog', className, initialFocus, children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const escapedAt = useRef(0);

  useEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else dialog.setAttribute('open', ''); // environments without <dialog> support (old jsdom)
    const target = (initialFocus ?? []).map((sel) => dialog.querySelector<HTMLElement>(sel)).find(Boolean) ?? focusables(dialog)[0];
    target?.focus();
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
      else dialog.removeAttribute('open');
      if (opener?.isConnected) opener.focus();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the selectors are read on open only
  }, [open]);

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key === 'Escape') {
      // Handled here (not only by the native `cancel`, which synthetic key events never fire), and
      // kept from the enclosing dialog when this one is nested.
      e.preventDefault();
      e.stopPropagation();
      escapedAt.current = Date.now();
      onClose('escape');
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = focusables(ref.current);
    if (!items.length) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  };

  if (!open) return null;
  return (
    <dialog
      ref={ref}
      className={['aek-dialog', className].filter(Boolean).join(' ')}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : label}
      aria-describedby={describedBy}
      onCancel={(e) => {
        // A close request the keydown above did not handle (e.g. Android's back gesture).
        e.preventDefault();
        if (Date.now() - escapedAt.current > 250) onClose('escape');
      }}
      onKeyDown={onKeyDown}
    >
      {children}
    </dialog>
  );
}
