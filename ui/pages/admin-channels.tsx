import { useState } from 'preact/hooks';
import { groupsApi } from '../api/client.js';
import { useAction, useLoad } from '../api/hooks.js';
import { channelsApi } from '../components/channels/api.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorText } from '../components/error-text.js';
import { Field } from '../components/field.js';
import { Page } from '../components/page.js';
import { formatDateTime } from '../console/format.js';
import { t } from '../i18n/index.js';

/** Channel links ("desktop shortcuts"): customers start support without a PIN into a technician group's queue. */
export function ChannelsPage() {
  const links = useLoad(() => channelsApi.links());
  const groups = useLoad(() => groupsApi.list());
  const action = useAction();
  const [name, setName] = useState('');
  const [groupId, setGroupId] = useState('');
  const [expires, setExpires] = useState('');
  const groupName = new Map((groups.data?.groups ?? []).map((g) => [g.id, g.name]));

  const create = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await channelsApi.createLink({ name, groupId, expiresAt: expires ? new Date(expires).getTime() : null });
      setName('');
      setExpires('');
      await links.reload();
    });
  };
  const revoke = (id: string) => void action.run(async () => {
    await channelsApi.revokeLink(id);
    await links.reload();
  });

  return (
    <Page title={t('channels.admin.title')}>
      <p class="hint">{t('channels.admin.intro')}</p>
      <ErrorText error={links.error ?? groups.error ?? action.error} />
      <form class="card" onSubmit={create} data-testid="channel-form">
        <h2>{t('channels.admin.new')}</h2>
        <Field id="channel-name" label={t('channels.admin.name')}>
          <input id="channel-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="channel-group" label={t('channels.admin.group')}>
          <select id="channel-group" required value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)}>
            <option value="">{t('channels.admin.chooseGroup')}</option>
            {groups.data?.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </select>
        </Field>
        <Field id="channel-expires" label={t('channels.admin.expires')} hint={t('channels.admin.expiresHint')}>
          <input id="channel-expires" type="datetime-local" aria-describedby="channel-expires-hint" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
        </Field>
        <button type="submit" data-testid="channel-create" disabled={action.busy}>{t('channels.admin.create')}</button>
      </form>
      <div class="table-wrap">
        <table>
          <caption class="sr-only">{t('channels.admin.title')}</caption>
          <thead>
            <tr><th scope="col">{t('channels.admin.name')}</th><th scope="col">{t('channels.admin.group')}</th><th scope="col">{t('channels.admin.status')}</th><th scope="col">{t('channels.admin.link')}</th><th scope="col"><span class="sr-only">{t('admin.actions')}</span></th></tr>
          </thead>
          <tbody>
            {links.data?.links.map((link) => (
              <tr key={link.id} data-testid="channel-row" data-status={link.status}>
                <td>{link.name}</td>
                <td>{groupName.get(link.groupId) ?? link.groupId}</td>
                <td>
                  <span class="badge">{t(`channels.status.${link.status}`)}</span>
                  {link.expiresAt && <div class="muted small-text">{t('channels.admin.until', { time: formatDateTime(link.expiresAt) })}</div>}
                </td>
                <td>
                  <code data-testid="channel-url" class="break">{link.url}</code>
                  <details><summary>{t('channels.admin.shortcut')}</summary><pre data-testid="channel-shortcut">{link.shortcut}</pre><p class="hint">{t('channels.admin.shortcutHint')}</p></details>
                </td>
                <td class="actions-cell">
                  {link.status === 'active' && <ConfirmButton label={t('channels.admin.revoke')} question={t('channels.admin.confirmRevoke', { name: link.name })} testId="channel-revoke" onConfirm={() => revoke(link.id)} />}
                </td>
              </tr>
            ))}
            {links.data?.links.length === 0 && <tr><td colSpan={5} class="muted">{t('channels.admin.none')}</td></tr>}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
