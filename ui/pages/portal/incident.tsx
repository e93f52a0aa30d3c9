import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { StatusBadge } from '../../components/desk/badges.js';
import { PortalTabs } from '../../components/desk/desk-tabs.js';
import { FileUpload } from '../../components/desk/file-upload.js';
import { ErrorText } from '../../components/error-text.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { formatBytes } from '../../console/format.js';
import { portalApi, type PortalAttachment, type PortalComment } from '../../desk/portal-api.js';
import { formatDateTime, t } from '../../i18n/index.js';

/** The public conversation: the customer's and the service desk's replies, as text. */
function Conversation({ comments }: { comments: PortalComment[] }) {
  if (comments.length === 0) return <p class="muted">{t('portal.comments.none')}</p>;
  return (
    <ol class="timeline" data-testid="portal-comments">
      {comments.map((c) => (
        <li key={c.id} class="comment public" data-testid="portal-comment">
          <div class="comment-head">
            <strong>{c.author.displayName}</strong>
            {c.author.staff && <span class="badge">{t('portal.comments.staff')}</span>}
            <time>{formatDateTime(c.createdAt)}</time>
          </div>
          <p class="ticket-text">{c.body}</p>
        </li>
      ))}
    </ol>
  );
}

/** Adds a reply (always public: the portal knows no other kind). */
function ReplyForm({ id, onAdded }: { id: string; onAdded: () => void }) {
  const [body, setBody] = useState('');
  const action = useAction();
  const send = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await portalApi.comment(id, body);
      setBody('');
      onAdded();
    });
  };
  return (
    <form class="comment-form" onSubmit={send}>
      <label for="portal-reply">{t('portal.comments.add')}</label>
      <textarea id="portal-reply" class="short" data-testid="portal-reply" maxLength={20000} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
      <div class="row"><button type="submit" data-testid="portal-reply-send" disabled={!body.trim() || action.busy}>{t('portal.comments.send')}</button></div>
      <ErrorText error={action.error} />
    </form>
  );
}

/** The public files of the incident, with download links, and the upload. */
function Files({ id, attachments, onAdded }: { id: string; attachments: PortalAttachment[]; onAdded: () => void }) {
  return (
    <section class="card" aria-labelledby="portal-files">
      <h2 id="portal-files">{t('desk.attach.title')}</h2>
      {attachments.length === 0 && <p class="muted">{t('desk.attach.none')}</p>}
      <ul class="attachments">
        {attachments.map((a) => (
          <li key={a.id} data-testid="attachment">
            <a href={portalApi.attachmentUrl(id, a.id)} download={a.filename}>{a.filename}</a>
            <span class="muted small-text">{formatBytes(a.size)} · {formatDateTime(a.createdAt)}</span>
          </li>
        ))}
      </ul>
      <FileUpload id="portal-attach" upload={(body) => portalApi.attach(id, body)} onUploaded={onAdded} />
    </section>
  );
}

/**
 * One of the customer's incidents: status, description, public replies, files. Built only from
 * the portal API's public fields; there is no element here that could show an internal note.
 */
export function PortalIncidentPage({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const detail = useLoad(() => portalApi.get(id), [id, version]);
  const reopen = useAction();
  const changed = () => setVersion((v) => v + 1);
  const incident = detail.data?.incident;
  return (
    <Page title={incident ? `${incident.ref} ${incident.title}` : t('portal.incident.title')}>
      <PortalTabs />
      <p><Link href="/portal">{t('portal.incident.back')}</Link></p>
      <ErrorText error={detail.error} />
      {incident && detail.data && (
        <div data-testid="portal-incident" data-id={incident.id}>
          <section class="card">
            <p>{t('desk.field.status')}: <StatusBadge status={incident.status} /> · {t('desk.field.category')}: {incident.category} · {t('desk.field.created')}: {formatDateTime(incident.createdAt)}</p>
            {incident.status === 'waiting_on_customer' && <p class="secret" role="status">{t('portal.incident.waiting')}</p>}
            <p class="ticket-text" data-testid="portal-incident-description">{incident.description}</p>
            {incident.resolution && <><h3>{t('desk.field.resolution')}</h3><p class="ticket-text">{incident.resolution}</p></>}
            {incident.status === 'resolved' && (
              <div class="row">
                <span>{t('portal.incident.notFixed')}</span>
                <button type="button" class="secondary small" data-testid="portal-reopen" disabled={reopen.busy} onClick={() => void reopen.run(async () => { await portalApi.reopen(id); changed(); })}>{t('desk.incident.reopen')}</button>
                <ErrorText error={reopen.error} />
              </div>
            )}
          </section>
          <section class="card" aria-labelledby="portal-conversation">
            <h2 id="portal-conversation">{t('portal.comments.title')}</h2>
            <Conversation comments={detail.data.comments} />
            {incident.status !== 'closed' && <ReplyForm id={id} onAdded={changed} />}
          </section>
          <Files id={id} attachments={detail.data.attachments} onAdded={changed} />
        </div>
      )}
    </Page>
  );
}
