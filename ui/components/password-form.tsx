import { useState } from 'preact/hooks';
import { meApi } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { t } from '../i18n/index.js';
import { ErrorText } from './error-text.js';
import { Field } from './field.js';

const empty = { currentPassword: '', newPassword: '', repeat: '' };

/** Changes one's own password; the server ends every other session of the account. */
export function PasswordForm() {
  const [form, setForm] = useState(empty);
  const [done, setDone] = useState(false);
  const action = useAction();
  const set = (change: Partial<typeof empty>) => setForm({ ...form, ...change });

  async function submit(event: Event) {
    event.preventDefault();
    setDone(false);
    if (form.newPassword !== form.repeat) {
      action.setError(new Error(t('profile.password.mismatch')));
      return;
    }
    if (await action.run(() => meApi.changePassword({ currentPassword: form.currentPassword, newPassword: form.newPassword }))) {
      setForm(empty);
      setDone(true);
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">{t('profile.password.title')}</h2>
      <Field id="profile-current" label={t('profile.password.current')}>
        <input id="profile-current" type="password" autocomplete="current-password" required value={form.currentPassword} onInput={(e) => set({ currentPassword: e.currentTarget.value })} />
      </Field>
      <Field id="profile-new" label={t('profile.password.new')} hint={t('password.hint')}>
        <input id="profile-new" type="password" autocomplete="new-password" aria-describedby="profile-new-hint" required value={form.newPassword} onInput={(e) => set({ newPassword: e.currentTarget.value })} />
      </Field>
      <Field id="profile-repeat" label={t('profile.password.repeat')}>
        <input id="profile-repeat" type="password" autocomplete="new-password" required value={form.repeat} onInput={(e) => set({ repeat: e.currentTarget.value })} />
      </Field>
      <ErrorText error={action.error} />
      {done && <p class="ok" role="status">{t('profile.password.changed')}</p>}
      <button type="submit" data-testid="password-change" disabled={action.busy}>{t('profile.password.submit')}</button>
    </form>
  );
}
