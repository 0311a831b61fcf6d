import type { ReactNode } from 'react';

/**
 * The link-style "← back" at the top of a view. The arrow is decorative (the label says where it
 * goes) and mirrors in right-to-left layouts.
 */
export function BackButton({ onClick, disabled, children }: { onClick: () => void; disabled?: boolean; children: ReactNode }) {
  return (
    <button type="button" className="aek-link aek-back" onClick={onClick} disabled={disabled}>
      <span className="aek-back-icon" aria-hidden="true">
        ←
      </span>{' '}
      {children}
    </button>
  );
}
