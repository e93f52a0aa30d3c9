import type { ComponentChildren } from 'preact';

/** A labelled form field: the label is tied to the input by id, for people and tests alike. */
export function Field({ id, label, children }: { id: string; label: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
    </div>
  );
}
