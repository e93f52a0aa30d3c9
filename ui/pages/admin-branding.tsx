import { useEffect, useState } from 'preact/hooks';
import { request, type Me } from '../api/client.js';
import { useAction, useLoad } from '../api/hooks.js';
import { BrandingPreview } from '../components/admin/branding-preview.js';
import { BrandingTexts } from '../components/admin/branding-texts.js';
import { colorKeys, type Branding } from '../components/admin/branding-types.js';
import { LogoUpload } from '../components/admin/logo-upload.js';
import { ErrorText } from '../components/error-text.js';
import { Field } from '../components/field.js';
import { Page } from '../components/page.js';
import { t } from '../i18n/index.js';

/** Company name, the three colours and the texts in both languages. */
function BrandingForm({ form, onChange }: { form: Branding; onChange: (patch: Partial<Branding>) => void }) {
  return (
    <>
      <Field id="branding-company" label={t('branding.companyName')}>
        <input id="branding-company" maxLength={120} value={form.companyName} onInput={(e) => onChange({ companyName: e.currentTarget.value })} />
      </Field>
      <fieldset class="field">
        <legend>{t('branding.colors')}</legend>
        <div class="row colors">
          {colorKeys.map((key) => (
            <label key={key} for={`branding-color-${key}`} class="color-field">
              <input id={`branding-color-${key}`} type="color" value={form.colors[key]} onInput={(e) => onChange({ colors: { ...form.colors, [key]: e.currentTarget.value } })} />
              <span>{t(`branding.color.${key}`)}</span>
              <code>{form.colors[key]}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <BrandingTexts lang="de" texts={form.texts.de} onChange={(de) => onChange({ texts: { ...form.texts, de } })} />
      <BrandingTexts lang="en" texts={form.texts.en} onChange={(en) => onChange({ texts: { ...form.texts, en } })} />
    </>
  );
}

/** The PIN page's branding (account admins): name, colours, texts, logo, with a live preview. */
export function BrandingPage(_props: { me: Me }) {
  const loaded = useLoad(() => request<Branding & { hasLogo: boolean }>('GET', '/api/v1/branding'));
  const [form, setForm] = useState<Branding | null>(null);
  // A new timestamp after each upload makes the browser fetch the new logo, not its cached copy.
  const [logoStamp, setLogoStamp] = useState<number | null>(null);
  const [saved, setSaved] = useState(false);
  const action = useAction();

  useEffect(() => {
    if (!loaded.data) return;
    const { hasLogo, ...branding } = loaded.data;
    setForm(branding);
    setLogoStamp(hasLogo ? Date.now() : null);
  }, [loaded.data]);

  const change = (patch: Partial<Branding>) => {
    setSaved(false);
    if (form) setForm({ ...form, ...patch });
  };
  async function save(event: Event) {
    event.preventDefault();
    setSaved(await action.run(() => request('PUT', '/api/v1/branding', form)));
  }
  const logoUrl = logoStamp === null ? null : `/api/v1/branding/logo?v=${logoStamp}`;

  return (
    <Page title={t('branding.title')}>
      <ErrorText error={loaded.error} />
      {!form ? !loaded.error && <p class="muted">{t('common.loading')}</p> : (
        <div class="split branding">
          <form class="card" onSubmit={save} aria-label={t('branding.title')}>
            <BrandingForm form={form} onChange={change} />
            <ErrorText error={action.error} />
            {saved && <p class="ok" role="status">{t('branding.saved')}</p>}
            <button type="submit" data-testid="branding-save" disabled={action.busy}>{t('common.save')}</button>
          </form>
          <div>
            <BrandingPreview branding={form} logoUrl={logoUrl} />
            <LogoUpload logoUrl={logoUrl} onChanged={(has) => setLogoStamp(has ? Date.now() : null)} />
          </div>
        </div>
      )}
    </Page>
  );
}
