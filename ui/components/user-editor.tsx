import { useState } from 'preact/hooks';
import { usersApi, type Group, type Role, type User } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { t } from '../i18n/index.js';
import { ErrorText } from './error-text.js';
import { Field } from './field.js';
import { Modal } from './modal.js';
import { GroupChecks } from './group-checks.js';
import { RoleSelect } from './role-select.js';
import { MfaAdminReset } from './totp/admin-reset.js';

/** An admin sets a new password for the account; the server ends the account's sessions. */
function PasswordReset({ user }: { user: User }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    setDone(false);
    if (await action.run(() => usersApi.update(user.id, { password }))) {
      setPassword('');
      setDone(true);
    }
  }
  return (
    <form onSubmit={submit} class="subform" aria-labelledby="user-reset-title">
      <h3 id="user-reset-title">{t('admin.user.resetPassword')}</h3>
      <Field id="user-reset-password" label={t('admin.user.newPassword', { email: user.email })} hint={t('admin.user.resetHint')}>
        <input id="user-reset-password" type="password" autocomplete="new-password" aria-describedby="user-reset-password-hint" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </Field>
      <ErrorText error={action.error} />
      {done && <p class="ok" role="status">{t('admin.user.passwordReset')}</p>}
      <button type="submit" class="secondary" data-testid="user-reset" disabled={action.busy}>{t('admin.user.resetPassword')}</button>
    </form>
  );
}

/** A dialog that changes an existing account's name, role, groups and whether it is enabled, and resets its password. */
export function UserEditor({ user, actor, groups, onSaved, onClose }: { user: User; actor: Role; groups: Group[]; onSaved: () => void; onClose: () => void }) {
  const [form, setForm] = useState({ displayName: user.displayName, role: user.role, groups: user.groups, enabled: user.enabled });
  const action = useAction();
  const set = (change: Partial<typeof form>) => setForm({ ...form, ...change });

  async function submit(event: Event) {
    event.preventDefault();
    if (await action.run(() => usersApi.update(user.id, form))) onSaved();
  }

  return (
    <Modal titleId="user-edit-title" onClose={onClose}>
      <h2 id="user-edit-title">{t('users.editTitle', { email: user.email })}</h2>
      <form onSubmit={submit}>
        <Field id="user-edit-name" label={t('admin.user.name')}>
          <input id="user-edit-name" value={form.displayName} onInput={(e) => set({ displayName: e.currentTarget.value })} />
        </Field>
        <Field id="user-edit-role" label={t('admin.user.role')}>
          <RoleSelect id="user-edit-role" actor={actor} value={form.role} onChange={(role) => set({ role })} />
        </Field>
        <GroupChecks idPrefix="user-edit-group" groups={groups} selected={form.groups} onChange={(ids) => set({ groups: ids })} />
        <label class="inline" for="user-edit-enabled">
          <input id="user-edit-enabled" type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
          {t('admin.user.enabled')}
        </label>
        <ErrorText error={action.error} />
        <div class="row">
          <button type="submit" data-testid="user-save" disabled={action.busy}>{t('common.save')}</button>
          <button type="button" class="secondary" onClick={onClose}>{t('common.cancel')}</button>
        </div>
      </form>
      <PasswordReset user={user} />
      <MfaAdminReset user={user} />
    </Modal>
  );
}
