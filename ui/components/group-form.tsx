import { useState } from 'preact/hooks';
import { groupsApi, type Group, type GroupInput, type User } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { t } from '../i18n/index.js';
import { ErrorText } from './error-text.js';
import { Field } from './field.js';
import { CheckList } from './group-checks.js';

/** Creates a group, or changes one when `group` is given: name, description, permissions, members. */
export function GroupForm({ group, permissions, users, onSaved, onClose }: {
  group: Group | null;
  permissions: string[];
  users: User[];
  onSaved: () => void;
  onClose: () => void;
}) {
  const [form, setForm] = useState<GroupInput>({
    name: group?.name ?? '', description: group?.description ?? '', permissions: group?.permissions ?? [], members: group?.members ?? [],
  });
  const action = useAction();
  const set = (change: Partial<GroupInput>) => setForm({ ...form, ...change });

  async function submit(event: Event) {
    event.preventDefault();
    const saved = await action.run(() => (group ? groupsApi.update(group.id, form) : groupsApi.create(form)));
    if (saved) {
      if (!group) setForm({ name: '', description: '', permissions: [], members: [] });
      onSaved();
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="group-form-title">
      <h2 id="group-form-title">{group ? t('admin.groups.edit', { name: group.name }) : t('admin.groups.new')}</h2>
      <Field id="group-name" label={t('admin.group.name')}>
        <input id="group-name" required maxLength={100} value={form.name} onInput={(e) => set({ name: e.currentTarget.value })} />
      </Field>
      <Field id="group-description" label={t('admin.group.description')}>
        <textarea id="group-description" class="short" maxLength={1000} value={form.description} onInput={(e) => set({ description: e.currentTarget.value })} />
      </Field>
      <CheckList
        legend={t('admin.group.permissions')} idPrefix="group-perm" selected={form.permissions} onChange={(p) => set({ permissions: p })}
        options={permissions.map((p) => ({ value: p, label: t(`perm.${p}`) }))}
      />
      <CheckList
        legend={t('admin.group.members')} idPrefix="group-member" selected={form.members} onChange={(m) => set({ members: m })} empty={t('users.empty')}
        options={users.map((u) => ({ value: u.id, label: `${u.displayName || u.email} (${t(`role.${u.role}`)})` }))}
      />
      <ErrorText error={action.error} />
      <div class="row">
        <button type="submit" data-testid="group-save" disabled={action.busy}>{group ? t('common.save') : t('admin.groups.create')}</button>
        {group && <button type="button" class="secondary" onClick={onClose}>{t('common.cancel')}</button>}
      </div>
    </form>
  );
}
