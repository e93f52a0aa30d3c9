import type { ComponentChildren } from 'preact';

/**
 * A labelled form field: the label is tied to the input by id, for people and tests alike;
 * a hint below the label is announced with the input (its id is `<id>-hint`).
 */
export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {children}
    </div>
  );
}
