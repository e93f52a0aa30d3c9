import { useState } from 'preact/hooks';
import { useAction } from '../../api/hooks.js';
import { incidentsApi, type IncidentInput } from '../../desk/api.js';
import type { Directory } from '../../desk/types.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { ErrorText } from '../error-text.js';
import { Field } from '../field.js';
import { LevelSelect } from './level-select.js';

/** A technician records an incident for a customer (a phone call, an e-mail); opens it when created. */
export function NewIncidentForm({ directory, categories }: { directory: Directory | undefined; categories: string[] }) {
  const [form, setForm] = useState<IncidentInput>({ title: '', description: '', category: '', impact: 'medium', urgency: 'medium', requesterId: '' });
  const action = useAction();
  const set = (change: Partial<IncidentInput>) => setForm({ ...form, ...change });

  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const body: IncidentInput = { ...form, category: form.category || categories[0] || 'other' };
      if (!body.groupId) delete body.groupId;
      if (!body.assigneeId) delete body.assigneeId;
      const { incident } = await incidentsApi.create(body);
      navigate(`/desk/incidents/${incident.id}`);
    });
  };

  return (
    <details class="card">
      <summary>{t('desk.incidents.new')}</summary>
      <form onSubmit={submit}>
        <div class="form-grid">
          <Field id="new-inc-title" label={t('desk.field.title')}>
            <input id="new-inc-title" required maxLength={200} value={form.title} onInput={(e) => set({ title: e.currentTarget.value })} />
          </Field>
          <Field id="new-inc-requester" label={t('desk.field.requester')}>
            <select id="new-inc-requester" required value={form.requesterId} onChange={(e) => set({ requesterId: e.currentTarget.value })}>
              <option value="">{t('desk.pick')}</option>
              {directory?.customers.map((u) => <option key={u.id} value={u.id}>{u.displayName ? `${u.displayName} <${u.email}>` : u.email}</option>)}
            </select>
          </Field>
          <Field id="new-inc-category" label={t('desk.field.category')}>
            <select id="new-inc-category" value={form.category} onChange={(e) => set({ category: e.currentTarget.value })}>
              {categories.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </Field>
          <Field id="new-inc-impact" label={t('desk.field.impact')}><LevelSelect id="new-inc-impact" value={form.impact} onChange={(impact) => set({ impact })} /></Field>
          <Field id="new-inc-urgency" label={t('desk.field.urgency')}><LevelSelect id="new-inc-urgency" value={form.urgency} onChange={(urgency) => set({ urgency })} /></Field>
          <Field id="new-inc-group" label={t('desk.field.group')}>
            <select id="new-inc-group" value={form.groupId ?? ''} onChange={(e) => set({ groupId: e.currentTarget.value })}>
              <option value="">{t('desk.queue.noGroup')}</option>
              {directory?.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select>
          </Field>
        </div>
        <Field id="new-inc-description" label={t('desk.field.description')}>
          <textarea id="new-inc-description" class="short" maxLength={20000} value={form.description} onInput={(e) => set({ description: e.currentTarget.value })} />
        </Field>
        <ErrorText error={action.error} />
        <button type="submit" data-testid="new-incident-create" disabled={action.busy}>{t('common.create')}</button>
      </form>
    </details>
  );
}
