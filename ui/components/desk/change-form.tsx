import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { cmdbApi, incidentsApi, itilApi, type ChangeInput } from '../../desk/api.js';
import { fromLocalInput, toLocalInput } from '../../desk/format.js';
import { changeTypes, type Change } from '../../desk/types.js';
import { t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';
import { Field } from '../field.js';
import { LevelSelect } from './level-select.js';

/** The editable fields of a change (status moves are separate buttons). */
type ChangeFields = Omit<ChangeInput, 'status'>;

function initial(change: Change | null): ChangeFields {
  return {
    title: change?.title ?? '', description: change?.description ?? '', type: change?.type ?? 'normal', risk: change?.risk ?? 'medium',
    plannedStart: change?.plannedStart ?? null, plannedEnd: change?.plannedEnd ?? null,
    approverIds: change?.approvals.map((a) => a.approverId) ?? [], ciIds: change?.ciIds ?? [],
  };
}

/** Checkboxes for a set of ids. */
function IdChecks({ legend, options, selected, onChange, prefix }: { legend: string; options: { id: string; label: string }[]; selected: string[]; onChange: (ids: string[]) => void; prefix: string }) {
  return (
    <fieldset class="field">
      <legend>{legend}</legend>
      <div class="checks">
        {options.length === 0 && <span class="muted">{t('common.none')}</span>}
        {options.map((o) => (
          <label key={o.id}>
            <input type="checkbox" data-testid={`${prefix}-${o.id}`} checked={selected.includes(o.id)} onChange={(e) => onChange(e.currentTarget.checked ? [...selected, o.id] : selected.filter((id) => id !== o.id))} />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Creates a change (as a draft) or edits one: type, risk, schedule, approvers, affected CIs. */
export function ChangeForm({ change, onSaved }: { change: Change | null; onSaved: (change: Change) => void }) {
  const [form, setForm] = useState<ChangeFields>(initial(change));
  const directory = useLoad(() => incidentsApi.directory());
  const cis = useLoad(() => cmdbApi.list({ limit: 200 }));
  const action = useAction();
  const set = (patch: Partial<ChangeFields>) => setForm({ ...form, ...patch });
  const locked = change !== null && change.status !== 'draft';
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      // The server takes approvers only on a draft (a rejected change goes back to draft first).
      // (JSON leaves an undefined field out.)
      const body = locked ? { ...form, approverIds: undefined } : form;
      const saved = change ? await itilApi.updateChange(change.id, body) : await itilApi.createChange(form);
      onSaved(saved.change);
    });
  };
  return (
    <form class="card" onSubmit={save}>
      <Field id="chg-title" label={t('desk.field.title')}><input id="chg-title" required maxLength={200} value={form.title} onInput={(e) => set({ title: e.currentTarget.value })} /></Field>
      <Field id="chg-description" label={t('desk.field.description')}><textarea id="chg-description" class="short" value={form.description} onInput={(e) => set({ description: e.currentTarget.value })} /></Field>
      <div class="form-grid">
        <Field id="chg-type" label={t('desk.change.type')}>
          <select id="chg-type" value={form.type} onChange={(e) => set({ type: e.currentTarget.value as Change['type'] })}>
            {changeTypes.map((ct) => <option key={ct} value={ct}>{t(`desk.change.types.${ct}`)}</option>)}
          </select>
        </Field>
        <Field id="chg-risk" label={t('desk.change.risk')}><LevelSelect id="chg-risk" value={form.risk} onChange={(risk) => set({ risk })} /></Field>
        <Field id="chg-start" label={t('desk.change.plannedStart')}><input id="chg-start" type="datetime-local" value={toLocalInput(form.plannedStart)} onInput={(e) => set({ plannedStart: fromLocalInput(e.currentTarget.value) })} /></Field>
        <Field id="chg-end" label={t('desk.change.plannedEnd')}><input id="chg-end" type="datetime-local" value={toLocalInput(form.plannedEnd)} onInput={(e) => set({ plannedEnd: fromLocalInput(e.currentTarget.value) })} /></Field>
      </div>
      {!locked && (
        <IdChecks legend={t('desk.change.approvers')} prefix="approver" selected={form.approverIds} onChange={(approverIds) => set({ approverIds })}
          options={directory.data?.technicians.map((u) => ({ id: u.id, label: u.displayName || u.email })) ?? []} />
      )}
      <IdChecks legend={t('desk.change.cis')} prefix="change-ci" selected={form.ciIds} onChange={(ciIds) => set({ ciIds })}
        options={cis.data?.cis.map((c) => ({ id: c.id, label: `${c.name} (${c.typeName})` })) ?? []} />
      <ErrorText error={action.error ?? directory.error} />
      <button type="submit" data-testid="change-save" disabled={action.busy}>{change ? t('common.save') : t('common.create')}</button>
    </form>
  );
}
