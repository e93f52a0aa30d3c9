import { request } from '../../api/client.js';
import { useAction } from '../../api/hooks.js';
import { ConfirmButton } from '../confirm-button.js';
import { ErrorText } from '../error-text.js';
import { Field } from '../field.js';
import { t } from '../../i18n/index.js';

/** Upload (as soon as a file is chosen) or remove the PIN page's logo; `onChanged` refreshes the previews. */
export function LogoUpload({ logoUrl, onChanged }: { logoUrl: string | null; onChanged: (hasLogo: boolean) => void }) {
  const action = useAction();

  async function upload(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    // The server recognises the type by the file's first bytes; the content type is only a label.
    const sent = await action.run(() => request('PUT', '/api/v1/branding/logo', undefined, { raw: file, contentType: file.type || 'application/octet-stream' }));
    input.value = '';
    if (sent) onChanged(true);
  }
  const remove = async () => {
    if (await action.run(() => request('DELETE', '/api/v1/branding/logo'))) onChanged(false);
  };

  return (
    <section class="card logo-upload" aria-labelledby="logo-title">
      <h2 id="logo-title">{t('branding.logo')}</h2>
      <div class="logo-current">
        {logoUrl ? <img src={logoUrl} alt={t('branding.logoCurrent')} class="logo-preview" data-testid="logo-preview" /> : <p class="muted">{t('branding.noLogo')}</p>}
      </div>
      <Field id="branding-logo" label={t('branding.logoChoose')} hint={t('branding.logoHint')}>
        <input id="branding-logo" type="file" accept="image/png,image/jpeg,image/webp" aria-describedby="branding-logo-hint" disabled={action.busy}
          data-testid="logo-upload" onChange={(e) => void upload(e.currentTarget)} />
      </Field>
      <ErrorText error={action.error} />
      {logoUrl && <ConfirmButton label={t('branding.logoRemove')} question={t('branding.logoRemoveConfirm')} testId="logo-remove" disabled={action.busy} onConfirm={() => void remove()} />}
    </section>
  );
}
