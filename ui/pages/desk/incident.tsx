import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { DeskAttachments } from '../../components/desk/attachments.js';
import { DeskCommentForm, DeskComments } from '../../components/desk/comments.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { History } from '../../components/desk/history.js';
import { IncidentFields } from '../../components/desk/incident-fields.js';
import { Links } from '../../components/desk/links.js';
import { RemoteSession } from '../../components/desk/remote-session.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { useNow } from '../../console/format.js';
import { incidentsApi } from '../../desk/api.js';
import type { Incident } from '../../desk/types.js';
import { t } from '../../i18n/index.js';

/** Title and description: shown as text, edited in place. */
function Description({ incident, onChanged }: { incident: Incident; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(incident.title);
  const [description, setDescription] = useState(incident.description);
  const action = useAction();
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await incidentsApi.update(incident.id, { title, description });
      setEditing(false);
      onChanged();
    });
  };
  if (!editing) {
    return (
      <section class="card" aria-labelledby="desc-title">
        <div class="page-head"><h2 id="desc-title">{t('desk.field.description')}</h2>
          <button type="button" class="secondary small" onClick={() => setEditing(true)}>{t('common.edit')}</button></div>
        <p class="ticket-text" data-testid="incident-description">{incident.description || '—'}</p>
        {incident.resolution && <><h3>{t('desk.field.resolution')}</h3><p class="ticket-text">{incident.resolution}</p></>}
      </section>
    );
  }
  return (
    <form class="card" onSubmit={save}>
      <Field id="edit-title" label={t('desk.field.title')}><input id="edit-title" required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} /></Field>
      <Field id="edit-description" label={t('desk.field.description')}><textarea id="edit-description" maxLength={20000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} /></Field>
      <ErrorText error={action.error} />
      <div class="row"><button type="submit" disabled={action.busy}>{t('common.save')}</button>
        <button type="button" class="secondary" onClick={() => setEditing(false)}>{t('common.cancel')}</button></div>
    </form>
  );
}

/** One incident for staff: fields, SLA, status moves, assignment, conversation, files, links, history, remote session. */
export function IncidentPage({ id }: { id: string }) {
  const [fetchedAt, setFetchedAt] = useState(Date.now());
  const [version, setVersion] = useState(0);
  const now = useNow(30_000);
  const detail = useLoad(async () => {
    const answer = await incidentsApi.get(id);
    setFetchedAt(Date.now());
    return answer;
  }, [id, version]);
  const directory = useLoad(() => incidentsApi.directory());
  const settings = useLoad(() => incidentsApi.settings());
  const changed = () => setVersion((v) => v + 1);
  const data = detail.data;
  const incident = data?.incident;

  return (
    <Page title={incident ? `${incident.ref} ${incident.title}` : t('desk.incident.title')}>
      <DeskTabs />
      <p><Link href="/desk/incidents">{t('desk.incident.back')}</Link></p>
      <ErrorText error={detail.error} />
      {!data && !detail.error && <p class="muted">{t('common.loading')}</p>}
      {data && incident && (
        <div class="ticket-layout" data-testid="incident-detail" data-id={incident.id}>
          <div>
            <Description key={`${incident.id}-${incident.updatedAt}`} incident={incident} onChanged={changed} />
            <section class="card" aria-labelledby="conversation-title">
              <h2 id="conversation-title">{t('desk.comments.title')}</h2>
              <DeskComments comments={data.comments} />
              <DeskCommentForm incidentId={incident.id} onAdded={changed} />
            </section>
            <DeskAttachments incidentId={incident.id} attachments={data.attachments} onChanged={changed} />
            <Links fromType="incident" fromId={incident.id} links={data.links} onChanged={changed} />
            <History load={() => incidentsApi.history(incident.id)} reloadKey={`${incident.id}-${version}`} />
          </div>
          <div>
            <IncidentFields incident={incident} directory={directory.data} categories={settings.data?.settings.incidentCategories ?? []} fetchedAt={fetchedAt} now={now} onChanged={changed} />
            <RemoteSession incidentId={incident.id} sessions={data.sessions} onStarted={changed} />
          </div>
        </div>
      )}
    </Page>
  );
}
