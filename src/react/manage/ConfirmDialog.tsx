import { useId, type ReactNode } from 'react';
import { ModalDialog } from '../ModalDialog.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean | undefined;
  /** Shown above the buttons (e.g. an error banner), announced by its own role. */
  children?: ReactNode | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A destructive confirmation as a modal alert dialog: focus starts on Cancel (the safe choice),
 * Escape cancels, and focus returns to the control that opened it.
 */
export function ConfirmDialog({ open, title, body, confirmLabel, cancelLabel, busy, children, onConfirm, onCancel }: ConfirmDialogProps) {
  const titleId = useId();
  const bodyId = useId();
  return (
    <ModalDialog open={open} onClose={() => !busy && onCancel()} role="alertdialog" labelledBy={titleId} describedBy={bodyId} className="aek-confirm" initialFocus={['.aek-confirm-cancel']}>
      <h2 id={titleId} className="aek-title">
        {title}
      </h2>
      <div id={bodyId} className="aek-confirm-body">
        {body}
      </div>
      {children}
      <div className="aek-actions">
        <button type="button" className="aek-button aek-confirm-cancel" onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
        <button type="button" className="aek-button aek-button--danger" onClick={() => !busy && onConfirm()} aria-disabled={busy || undefined}>
          {confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
