import { useState } from 'preact/hooks';
import { usersApi, type Group, type Role, type UserInput } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { t } from '../i18n/index.js';
import { ErrorText } from './error-text.js';
import { Field } from './field.js';
import { GroupChecks } from './group-checks.js';
import { RoleSelect } from './role-select.js';

const empty: UserInput = { email: '', displayName: '', password: '', role: 'technician', groups: [], enabled: true };

/** The "New user" form; calls `onCreated` after the server made the account. */
export function UserCreateForm({ actor, groups, onCreated }: { actor: Role; groups: Group[]; onCreated: () => void }) {
  const [form, setForm] = useState<UserInput>(empty);
  const action = useAction();
  const set = (change: Partial<UserInput>) => setForm({ ...form, ...change });

  async function submit(event: Event) {
    event.preventDefault();
    if (await action.run(() => usersApi.create(form))) {
      setForm(empty);
      onCreated();
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="user-create-title">
      <h2 id="user-create-title">{t('admin.users.new')}</h2>
      <div class="form-grid">
        <Field id="user-email" label={t('admin.user.email')}>
          <input id="user-email" type="email" autocomplete="off" required value={form.email} onInput={(e) => set({ email: e.currentTarget.value })} />
        </Field>
        <Field id="user-name" label={t('admin.user.name')}>
          <input id="user-name" autocomplete="off" value={form.displayName} onInput={(e) => set({ displayName: e.currentTarget.value })} />
        </Field>
        <Field id="user-password" label={t('admin.user.password')}>
          <input id="user-password" type="password" autocomplete="new-password" aria-describedby="user-password-hint" required value={form.password} onInput={(e) => set({ password: e.currentTarget.value })} />
        </Field>
        <Field id="user-role" label={t('admin.user.role')}>
          <RoleSelect id="user-role" actor={actor} value={form.role} onChange={(role) => set({ role })} />
        </Field>
      </div>
      <p class="hint" id="user-password-hint">{t('password.hint')}</p>
      <div class="form-grid">
        <GroupChecks idPrefix="user-group" groups={groups} selected={form.groups} onChange={(ids) => set({ groups: ids })} />
        <div class="form-end">
          <label class="inline" for="user-enabled">
            <input id="user-enabled" type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
            {t('admin.user.enabled')}
          </label>
          <button type="submit" data-testid="user-create" disabled={action.busy}>{t('admin.users.create')}</button>
        </div>
      </div>
      <ErrorText error={action.error} />
    </form>
  );
}
