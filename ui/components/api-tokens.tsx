import { useState } from 'preact/hooks';
import { meApi } from '../api/client.js';
import { useAction, useLoad } from '../api/hooks.js';
import { formatDateTime, t } from '../i18n/index.js';
import { ConfirmButton } from './confirm-button.js';
import { ErrorText } from './error-text.js';
import { Field } from './field.js';

/** A new token's secret, shown once, with a copy button where the browser allows it. */
function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = () => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => undefined);
  return (
    <div class="secret" role="status">
      <p><strong>{t('profile.tokens.created', { name })}</strong> {t('profile.tokens.onlyNow')}</p>
      <div class="row">
        <code data-testid="token-secret" class="secret-value">{secret}</code>
        {navigator.clipboard && <button type="button" class="secondary small" onClick={copy}>{copied ? t('profile.tokens.copied') : t('profile.tokens.copy')}</button>}
        <button type="button" class="secondary small" onClick={onDone}>{t('profile.tokens.dismiss')}</button>
      </div>
    </div>
  );
}

/** Personal API tokens: list, create (secret shown once), revoke. */
export function ApiTokens() {
  const tokens = useLoad(() => meApi.tokens());
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const action = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await action.run(async () => {
      const result = await meApi.createToken({ name, ...(days && { expiresInDays: Number(days) }) });
      setCreated({ name: result.token.name, secret: result.secret });
      setName('');
      await tokens.reload();
    });
  }

  const revoke = (id: string) => void action.run(async () => {
    await meApi.deleteToken(id);
    await tokens.reload();
  });

  return (
    <section class="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t('profile.tokens.title')}</h2>
      <p class="hint">{t('profile.tokens.intro')}</p>
      {created && <SecretOnce name={created.name} secret={created.secret} onDone={() => setCreated(null)} />}
      <table>
        <caption class="sr-only">{t('profile.tokens.title')}</caption>
        <thead>
          <tr><th scope="col">{t('profile.tokens.name')}</th><th scope="col">{t('profile.tokens.createdAt')}</th><th scope="col">{t('profile.tokens.lastUsed')}</th><th scope="col">{t('profile.tokens.expires')}</th><th scope="col"><span class="sr-only">{t('admin.actions')}</span></th></tr>
        </thead>
        <tbody>
          {tokens.data?.tokens.map((token) => (
            <tr key={token.id} data-testid="token-row">
              <td>{token.name}</td><td>{formatDateTime(token.createdAt)}</td>
              <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('profile.tokens.never')}</td>
              <td>{token.expiresAt ? formatDateTime(token.expiresAt) : t('profile.tokens.noExpiry')}</td>
              <td class="actions-cell"><ConfirmButton label={t('profile.tokens.revoke')} question={t('profile.tokens.revokeConfirm', { name: token.name })} onConfirm={() => revoke(token.id)} /></td>
            </tr>
          ))}
          {tokens.data?.tokens.length === 0 && <tr><td colSpan={5} class="muted">{t('profile.tokens.none')}</td></tr>}
        </tbody>
      </table>
      <form class="inline-form" onSubmit={submit}>
        <Field id="token-name" label={t('profile.tokens.name')}>
          <input id="token-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="token-days" label={t('profile.tokens.days')}>
          <input id="token-days" type="number" min={1} max={3650} value={days} onInput={(e) => setDays(e.currentTarget.value)} />
        </Field>
        <button type="submit" data-testid="token-create" disabled={action.busy}>{t('profile.tokens.create')}</button>
      </form>
      <ErrorText error={tokens.error ?? action.error} />
    </section>
  );
}
