import { useState } from 'preact/hooks';
import { groupsApi, usersApi, type Group, type Me, type User } from '../api/client.js';
import { useAction, useLoad } from '../api/hooks.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorText } from '../components/error-text.js';
import { Page } from '../components/page.js';
import { UserEditor } from '../components/user-editor.js';
import { UserCreateForm } from '../components/user-form.js';
import { formatDateTime, t } from '../i18n/index.js';
import { mayManage } from '../components/role-select.js';

/** Enabled or disabled, and "locked until …" while a lockout after failed logins lasts. */
function Status({ user }: { user: User }) {
  const locked = user.lockedUntil !== null && user.lockedUntil > Date.now();
  return (
    <>
      {user.enabled ? <span class="badge on">{t('admin.user.on')}</span> : <span class="badge off">{t('admin.user.off')}</span>}
      {locked && <span class="badge warn">{t('users.lockedBadge', { time: formatDateTime(user.lockedUntil) })}</span>}
    </>
  );
}

/** One account in the table with its row actions. */
function UserRow({ user, me, groupNames, onEdit, onDelete }: { user: User; me: Me; groupNames: Map<string, string>; onEdit: () => void; onDelete: () => void }) {
  const manageable = mayManage(me.user.role, user.role);
  return (
    <tr data-testid="user-row" data-email={user.email}>
      <td class="nowrap">{user.email}</td>
      <td>{user.displayName || <span class="muted">—</span>}</td>
      <td>{t(`role.${user.role}`)}</td>
      <td>{user.groups.map((id) => groupNames.get(id) ?? id).join(', ') || <span class="muted">—</span>}</td>
      <td><Status user={user} /></td>
      <td class="actions-cell">
        <button type="button" class="secondary small" data-testid="user-edit" disabled={!manageable} aria-label={t('users.editOf', { email: user.email })} onClick={onEdit}>{t('common.edit')}</button>
        <ConfirmButton
          label={t('common.delete')} question={t('common.confirmDelete', { name: user.email })} testId="user-delete"
          disabled={!manageable || user.id === me.user.id} onConfirm={onDelete}
        />
      </td>
    </tr>
  );
}

/** Account administration: the list of accounts, a form for a new one, and editing in place. */
export function UsersPage({ me }: { me: Me }) {
  const users = useLoad(() => usersApi.list());
  const groups = useLoad(() => groupsApi.list());
  const [editing, setEditing] = useState<User | null>(null);
  const action = useAction();
  const groupList: Group[] = groups.data?.groups ?? [];
  const groupNames = new Map(groupList.map((g) => [g.id, g.name]));

  const remove = (user: User) => void action.run(async () => {
    await usersApi.remove(user.id);
    if (editing?.id === user.id) setEditing(null);
    await users.reload();
  });

  return (
    <Page title={t('admin.users.title')}>
      <ErrorText error={users.error ?? groups.error ?? action.error} />
      <UserCreateForm actor={me.user.role} groups={groupList} onCreated={() => void users.reload()} />
      <div class="table-wrap">
        <table>
          <caption class="sr-only">{t('admin.users.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.user.email')}</th><th scope="col">{t('admin.user.name')}</th><th scope="col">{t('admin.user.role')}</th>
              <th scope="col">{t('admin.user.groups')}</th><th scope="col">{t('admin.user.status')}</th>
              <th scope="col"><span class="sr-only">{t('admin.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {users.data?.users.map((user) => (
              <UserRow key={user.id} user={user} me={me} groupNames={groupNames} onEdit={() => setEditing(user)} onDelete={() => remove(user)} />
            ))}
            {users.data?.users.length === 0 && <tr><td colSpan={6} class="muted">{t('users.empty')}</td></tr>}
            {!users.data && !users.error && <tr><td colSpan={6} class="muted">{t('common.loading')}</td></tr>}
          </tbody>
        </table>
      </div>
      {editing && (
        <UserEditor
          key={editing.id} user={editing} actor={me.user.role} groups={groupList}
          onSaved={() => { setEditing(null); void users.reload(); }} onClose={() => setEditing(null)}
        />
      )}
    </Page>
  );
}
