import type { Group } from '../api/client.js';
import { t } from '../i18n/index.js';

/** A set of checkboxes in a fieldset; `options` are value and label pairs. */
export function CheckList({ legend, idPrefix, options, selected, onChange, empty }: {
  legend: string;
  idPrefix: string;
  options: { value: string; label: string }[];
  selected: string[];
  onChange: (selected: string[]) => void;
  empty?: string;
}) {
  const toggle = (value: string, on: boolean) => onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  return (
    <fieldset class="field checks">
      <legend>{legend}</legend>
      {options.length === 0 && <p class="hint">{empty ?? t('common.none')}</p>}
      {options.map((option) => (
        <label key={option.value} for={`${idPrefix}-${option.value}`}>
          <input id={`${idPrefix}-${option.value}`} type="checkbox" value={option.value} checked={selected.includes(option.value)} onChange={(e) => toggle(option.value, e.currentTarget.checked)} />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Checkboxes for the technician groups an account belongs to. */
export function GroupChecks({ idPrefix, groups, selected, onChange }: { idPrefix: string; groups: Group[]; selected: string[]; onChange: (ids: string[]) => void }) {
  return (
    <CheckList
      legend={t('admin.user.groups')} idPrefix={idPrefix} selected={selected} onChange={onChange} empty={t('users.noGroups')}
      options={groups.map((g) => ({ value: g.id, label: g.name }))}
    />
  );
}
