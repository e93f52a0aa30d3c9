import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Page } from '../../components/page.js';
import { incidentsApi } from '../../desk/api.js';
import { levels, priorities, type DeskSettings, type Level, type Priority } from '../../desk/types.js';
import { t } from '../../i18n/index.js';

/** Impact × urgency → priority: one select per cell. */
function Matrix({ value, onChange }: { value: DeskSettings['priorityMatrix']; onChange: (m: DeskSettings['priorityMatrix']) => void }) {
  const set = (impact: Level, urgency: Level, priority: Priority) => onChange({ ...value, [impact]: { ...value[impact], [urgency]: priority } });
  return (
    <table class="card">
      <caption>{t('desk.settings.matrix')}</caption>
      <thead><tr><th scope="col">{t('desk.settings.impactUrgency')}</th>{levels.map((u) => <th key={u} scope="col">{t(`desk.level.${u}`)}</th>)}</tr></thead>
      <tbody>
        {levels.map((impact) => (
          <tr key={impact}>
            <th scope="row">{t(`desk.level.${impact}`)}</th>
            {levels.map((urgency) => (
              <td key={urgency}>
                <select aria-label={t('desk.settings.cell', { impact: t(`desk.level.${impact}`), urgency: t(`desk.level.${urgency}`) })}
                  value={String(value[impact][urgency])} onChange={(e) => set(impact, urgency, Number(e.currentTarget.value) as Priority)}>
                  {priorities.map((p) => <option key={p} value={String(p)}>{t(`desk.priority.${p}`)}</option>)}
                </select>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** SLA targets per priority, in minutes. */
function SlaTable({ value, onChange }: { value: DeskSettings['sla']; onChange: (s: DeskSettings['sla']) => void }) {
  const set = (p: Priority, key: 'responseMinutes' | 'resolutionMinutes', minutes: number) => onChange({ ...value, [p]: { ...value[String(p)]!, [key]: minutes } });
  return (
    <table class="card">
      <caption>{t('desk.settings.sla')}</caption>
      <thead><tr><th scope="col">{t('desk.field.priority')}</th><th scope="col">{t('desk.settings.responseMinutes')}</th><th scope="col">{t('desk.settings.resolutionMinutes')}</th></tr></thead>
      <tbody>
        {priorities.map((p) => (
          <tr key={p}>
            <th scope="row">{t(`desk.priority.${p}`)}</th>
            {(['responseMinutes', 'resolutionMinutes'] as const).map((key) => (
              <td key={key}>
                <input type="number" min={1} required aria-label={`${t(`desk.priority.${p}`)}: ${t(`desk.settings.${key}`)}`}
                  value={value[String(p)]?.[key] ?? ''} onInput={(e) => set(p, key, Number(e.currentTarget.value))} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The editable copy of the settings, once loaded. */
function SettingsForm({ initial }: { initial: DeskSettings }) {
  const [settings, setSettings] = useState(initial);
  const [categories, setCategories] = useState(initial.incidentCategories.join('\n'));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const save = (event: Event) => {
    event.preventDefault();
    setSaved(false);
    const incidentCategories = categories.split('\n').map((c) => c.trim()).filter(Boolean);
    void action.run(async () => {
      const answer = await incidentsApi.saveSettings({ ...settings, incidentCategories });
      setSettings(answer.settings);
      setSaved(true);
    });
  };
  return (
    <form onSubmit={save}>
      <div class="grid2">
        <Matrix value={settings.priorityMatrix} onChange={(priorityMatrix) => setSettings({ ...settings, priorityMatrix })} />
        <SlaTable value={settings.sla} onChange={(sla) => setSettings({ ...settings, sla })} />
      </div>
      <Field id="desk-categories" label={t('desk.settings.categories')} hint={t('desk.settings.categoriesHint')}>
        <textarea id="desk-categories" class="short" aria-describedby="desk-categories-hint" value={categories} onInput={(e) => setCategories(e.currentTarget.value)} />
      </Field>
      <ErrorText error={action.error} />
      {saved && <p class="ok" role="status">{t('desk.settings.saved')}</p>}
      <button type="submit" data-testid="desk-settings-save" disabled={action.busy}>{t('common.save')}</button>
    </form>
  );
}

/** The service desk's settings (admins): priority matrix, SLA targets, incident categories. */
export function DeskSettingsPage() {
  const settings = useLoad(() => incidentsApi.settings());
  return (
    <Page title={t('desk.settings.title')}>
      <DeskTabs />
      <p class="hint">{t('desk.settings.intro')}</p>
      <ErrorText error={settings.error} />
      {settings.data && <SettingsForm initial={settings.data.settings} />}
    </Page>
  );
}
