import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';

/**
 * A destructive button that asks once more in place ("Sure? Yes / No") instead of a browser
 * dialog, so keyboard, screen reader and test all see the question in the page; the group's
 * label carries the full question ("Really delete X?") for screen readers.
 */
export function ConfirmButton({ label, question, onConfirm, disabled, testId }: {
  label: string;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) {
    return <button type="button" class="danger small" disabled={disabled} data-testid={testId} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span aria-hidden="true">{t('common.sure')}</span>
      <button type="button" class="danger small" data-testid={testId && `${testId}-yes`} ref={yes} onClick={() => { setAsking(false); onConfirm(); }}>{t('common.yes')}</button>
      <button type="button" class="secondary small" onClick={() => setAsking(false)}>{t('common.no')}</button>
    </span>
  );
}
