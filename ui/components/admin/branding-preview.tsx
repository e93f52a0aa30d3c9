import { useEffect, useRef, useState } from 'preact/hooks';
import { t, useLanguage, type Language } from '../../i18n/index.js';
import { colorKeys, type Branding } from './branding-types.js';

/**
 * A small copy of the customer's PIN page with the colours and texts being edited. The colours
 * are set as custom properties through the CSSOM (`style.setProperty`), like the PIN page does:
 * the CSP forbids inline style attributes, not this.
 */
export function BrandingPreview({ branding, logoUrl }: { branding: Branding; logoUrl: string | null }) {
  const uiLanguage = useLanguage();
  const [language, setLanguage] = useState<Language>(uiLanguage);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => setLanguage(uiLanguage), [uiLanguage]);
  useEffect(() => {
    for (const key of colorKeys) box.current?.style.setProperty(`--brand-${key}`, branding.colors[key]);
  }, [branding.colors]);

  const texts = branding.texts[language];
  const company = branding.companyName || t('pin.defaultCompany');
  return (
    <figure class="card branding-preview">
      <figcaption>
        <h2>{t('branding.preview')}</h2>
        <div class="row tight" role="group" aria-label={t('branding.previewLanguage')}>
          {(['de', 'en'] as const).map((lang) => (
            <button key={lang} type="button" class={language === lang ? 'small' : 'secondary small'} aria-pressed={language === lang}
              data-testid={`preview-lang-${lang}`} onClick={() => setLanguage(lang)}>{t(`branding.lang.${lang}`)}</button>
          ))}
        </div>
      </figcaption>
      <div class="preview-page" ref={box} data-testid="branding-preview" lang={language}>
        <div class="preview-header">
          {logoUrl && <img src={logoUrl} alt="" class="preview-logo" />}
          <span class="preview-company" data-testid="preview-company">{company}</span>
        </div>
        <div class="preview-body">
          <p class="preview-welcome">{texts.welcome}</p>
          <div class="preview-card" aria-hidden="true">
            <span class="preview-label">PIN</span>
            <span class="preview-input">123 456</span>
            <span class="preview-button">{t('branding.previewSubmit')}</span>
          </div>
          <p class="preview-help">{texts.help}</p>
        </div>
      </div>
    </figure>
  );
}
