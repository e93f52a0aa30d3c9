import { Field } from '../field.js';

/** A one-time code field (6 digits, or a recovery code where allowed). */
export function CodeInput({ id, label, hint, value, onInput, inputRef }: {
  id: string; label: string; hint?: string; value: string; onInput: (value: string) => void; inputRef?: { current: HTMLInputElement | null };
}) {
  return (
    <Field id={id} label={label} {...(hint && { hint })}>
      <input id={id} name="code" ref={inputRef} inputMode="numeric" autocomplete="one-time-code" required maxLength={64} {...(hint && { 'aria-describedby': `${id}-hint` })}
        value={value} onInput={(e) => onInput(e.currentTarget.value)} />
    </Field>
  );
}
