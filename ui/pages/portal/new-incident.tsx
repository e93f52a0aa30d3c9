import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { PortalTabs } from '../../components/desk/desk-tabs.js';
import { LevelSelect } from '../../components/desk/level-select.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Page } from '../../components/page.js';
import { portalApi, type PortalIncidentInput } from '../../desk/portal-api.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';

/** A customer reports a problem: what happened, in which area, how bad and how urgent. */
export function PortalNewIncidentPage() {
  const meta = useLoad(() => portalApi.meta());
  const [form, setForm] = useState<PortalIncidentInput>({ title: '', description: '', category: '', impact: 'medium', urgency: 'medium' });
  const action = useAction();
  const set = (change: Partial<PortalIncidentInput>) => setForm({ ...form, ...change });
  const categories = meta.data?.categories ?? [];

  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const { incident } = await portalApi.create({ ...form, category: form.category || categories[0] || 'other' });
      navigate(`/portal/incidents/${incident.id}`);
    });
  };

  return (
    <Page title={t('portal.new.title')}>
      <PortalTabs />
      <form class="card" onSubmit={submit}>
        <p class="hint">{t('portal.new.intro')}</p>
        <Field id="portal-title" label={t('desk.field.title')}>
          <input id="portal-title" data-testid="portal-title" required maxLength={200} value={form.title} onInput={(e) => set({ title: e.currentTarget.value })} />
        </Field>
        <Field id="portal-description" label={t('portal.new.description')}>
          <textarea id="portal-description" data-testid="portal-description" class="short" maxLength={20000} value={form.description} onInput={(e) => set({ description: e.currentTarget.value })} />
        </Field>
        <div class="form-grid">
          <Field id="portal-category" label={t('desk.field.category')}>
            <select id="portal-category" value={form.category} onChange={(e) => set({ category: e.currentTarget.value })}>
              {categories.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </Field>
          <Field id="portal-impact" label={t('portal.new.impact')}><LevelSelect id="portal-impact" value={form.impact ?? 'medium'} onChange={(impact) => set({ impact })} /></Field>
          <Field id="portal-urgency" label={t('portal.new.urgency')}><LevelSelect id="portal-urgency" value={form.urgency ?? 'medium'} onChange={(urgency) => set({ urgency })} /></Field>
        </div>
        <ErrorText error={action.error ?? meta.error} />
        <button type="submit" data-testid="portal-submit" disabled={action.busy}>{t('portal.new.submit')}</button>
      </form>
    </Page>
  );
}
