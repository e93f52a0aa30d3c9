import { Field } from '../field.js';
import { t } from '../../i18n/index.js';
import type { BrandingTexts as Texts } from './branding-types.js';

/** Welcome and help text of the PIN page in one language; ids `branding-<lang>-welcome` / `-help`. */
export function BrandingTexts({ lang, texts, onChange }: { lang: 'de' | 'en'; texts: Texts; onChange: (texts: Texts) => void }) {
  return (
    <fieldset class="field">
      <legend>{t(`branding.texts.${lang}`)}</legend>
      <Field id={`branding-${lang}-welcome`} label={t('branding.welcome')}>
        <textarea id={`branding-${lang}-welcome`} class="prose" lang={lang} maxLength={2000} value={texts.welcome} onInput={(e) => onChange({ ...texts, welcome: e.currentTarget.value })} />
      </Field>
      <Field id={`branding-${lang}-help`} label={t('branding.help')}>
        <textarea id={`branding-${lang}-help`} class="prose" lang={lang} maxLength={4000} value={texts.help} onInput={(e) => onChange({ ...texts, help: e.currentTarget.value })} />
      </Field>
    </fieldset>
  );
}
