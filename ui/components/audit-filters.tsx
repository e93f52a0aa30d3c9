import { useState } from 'preact/hooks';
import type { AuditFilters } from '../api/client.js';
import { t } from '../i18n/index.js';
import { Field } from './field.js';

const outcomes = ['success', 'failure', 'denied', 'info'];

/** A `datetime-local` value as epoch ms in the browser's time zone; empty stays undefined. */
const toMs = (value: string): number | undefined => (value ? new Date(value).getTime() : undefined);

/** The audit filter form; applies on submit so a half-typed filter does not query the server. */
export function AuditFilterForm({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const [form, setForm] = useState({ action: '', actor: '', outcome: '', from: '', to: '' });
  const set = (change: Partial<typeof form>) => setForm({ ...form, ...change });

  function submit(event: Event) {
    event.preventDefault();
    onApply({ action: form.action.trim() || undefined, actor: form.actor.trim() || undefined, outcome: form.outcome || undefined, from: toMs(form.from), to: toMs(form.to) });
  }

  function reset() {
    setForm({ action: '', actor: '', outcome: '', from: '', to: '' });
    onApply({});
  }

  return (
    <form class="card filters" onSubmit={submit} role="search" aria-label={t('audit.filters')}>
      <Field id="audit-action" label={t('audit.filter.action')}>
        <input id="audit-action" placeholder="auth.login" value={form.action} onInput={(e) => set({ action: e.currentTarget.value })} />
      </Field>
      <Field id="audit-actor" label={t('audit.filter.actor')}>
        <input id="audit-actor" type="search" value={form.actor} onInput={(e) => set({ actor: e.currentTarget.value })} />
      </Field>
      <Field id="audit-outcome" label={t('audit.filter.outcome')}>
        <select id="audit-outcome" value={form.outcome} onChange={(e) => set({ outcome: e.currentTarget.value })}>
          <option value="">{t('audit.filter.any')}</option>
          {outcomes.map((o) => <option key={o} value={o}>{t(`audit.outcome.${o}`)}</option>)}
        </select>
      </Field>
      <Field id="audit-from" label={t('audit.filter.from')}>
        <input id="audit-from" type="datetime-local" value={form.from} onInput={(e) => set({ from: e.currentTarget.value })} />
      </Field>
      <Field id="audit-to" label={t('audit.filter.to')}>
        <input id="audit-to" type="datetime-local" value={form.to} onInput={(e) => set({ to: e.currentTarget.value })} />
      </Field>
      <div class="row filter-buttons">
        <button type="submit">{t('audit.filter.apply')}</button>
        <button type="button" class="secondary" onClick={reset}>{t('audit.filter.reset')}</button>
      </div>
    </form>
  );
}
