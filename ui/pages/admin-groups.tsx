import { useState } from 'preact/hooks';
import { groupsApi, usersApi, type Group } from '../api/client.js';
import { useAction, useLoad } from '../api/hooks.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorText } from '../components/error-text.js';
import { GroupForm } from '../components/group-form.js';
import { Page } from '../components/page.js';
import { t } from '../i18n/index.js';

/** Technician groups: who belongs to which, and what each group may do in a support session. */
export function GroupsPage() {
  const groups = useLoad(() => groupsApi.list());
  const users = useLoad(() => usersApi.list());
  const [editing, setEditing] = useState<Group | null>(null);
  const action = useAction();
  const userList = users.data?.users ?? [];
  const userName = new Map(userList.map((u) => [u.id, u.displayName || u.email]));

  const remove = (group: Group) => void action.run(async () => {
    await groupsApi.remove(group.id);
    if (editing?.id === group.id) setEditing(null);
    await groups.reload();
  });

  return (
    <Page title={t('admin.groups.title')}>
      <ErrorText error={groups.error ?? users.error ?? action.error} />
      <div class="split">
        <div class="table-wrap">
          <table>
            <caption class="sr-only">{t('admin.groups.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.group.name')}</th><th scope="col">{t('admin.group.permissions')}</th>
                <th scope="col">{t('admin.group.members')}</th><th scope="col"><span class="sr-only">{t('admin.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {groups.data?.groups.map((group) => (
                <tr key={group.id} data-testid="group-row">
                  <td><strong>{group.name}</strong>{group.description && <div class="muted small-text">{group.description}</div>}</td>
                  <td>{group.permissions.map((p) => <span key={p} class="badge">{t(`perm.${p}`)}</span>)}</td>
                  <td>{group.members.map((id) => userName.get(id) ?? id).join(', ') || <span class="muted">—</span>}</td>
                  <td class="actions-cell">
                    <button type="button" class="secondary small" aria-label={t('admin.groups.edit', { name: group.name })} onClick={() => setEditing(group)}>{t('common.edit')}</button>
                    <ConfirmButton label={t('common.delete')} question={t('common.confirmDelete', { name: group.name })} testId="group-delete" onConfirm={() => remove(group)} />
                  </td>
                </tr>
              ))}
              {groups.data?.groups.length === 0 && <tr><td colSpan={4} class="muted">{t('admin.groups.none')}</td></tr>}
              {!groups.data && !groups.error && <tr><td colSpan={4} class="muted">{t('common.loading')}</td></tr>}
            </tbody>
          </table>
        </div>
        <GroupForm
          key={editing?.id ?? 'new'} group={editing} permissions={groups.data?.permissions ?? []} users={userList}
          onSaved={() => { setEditing(null); void groups.reload(); }} onClose={() => setEditing(null)}
        />
      </div>
    </Page>
  );
}
