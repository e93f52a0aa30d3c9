import type { CiType } from '../../desk/types.js';
import { t } from '../../i18n/index.js';
import { Field } from '../field.js';

/** A CI attribute value for people (booleans and empty values made readable; objects as JSON). */
export function attributeText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Inputs for the attributes a CI type defines, each by its type (text, number, yes/no, date). */
export function CiAttributeInputs({ type, values, onChange, idPrefix }: {
  type: CiType | undefined;
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
  idPrefix: string;
}) {
  if (!type) return null;
  const set = (key: string, value: unknown) => onChange({ ...values, [key]: value });
  return (
    <div class="form-grid">
      {type.attributes.map((attr) => {
        const id = `${idPrefix}-${attr.key}`;
        const value = values[attr.key];
        if (attr.type === 'boolean') {
          return (
            <label key={attr.key} class="inline" for={id}>
              <input id={id} type="checkbox" checked={value === true} onChange={(e) => set(attr.key, e.currentTarget.checked)} />{attr.label}
            </label>
          );
        }
        return (
          <Field key={attr.key} id={id} label={attr.label}>
            <input
              id={id} required={attr.required} type={attr.type === 'number' ? 'number' : attr.type === 'date' ? 'date' : 'text'}
              value={value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)}
              onInput={(e) => {
                const raw = e.currentTarget.value;
                set(attr.key, raw === '' ? undefined : attr.type === 'number' ? Number(raw) : raw);
              }}
            />
          </Field>
        );
      })}
    </div>
  );
}
