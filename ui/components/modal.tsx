import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/index.js';

/**
 * A modal dialog on the native <dialog>: the browser keeps focus inside, Escape closes it, and
 * focus returns to where it was. `onClose` runs however it is closed.
 */
export function Modal({ titleId, onClose, children }: { titleId: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const before = document.activeElement as HTMLElement | null;
    element.showModal();
    return () => {
      if (element.open) element.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog ref={dialog} class="modal" aria-labelledby={titleId} onClose={onClose}>
      <button type="button" class="modal-close" aria-label={t('common.close')} onClick={onClose}>×</button>
      {children}
    </dialog>
  );
}
