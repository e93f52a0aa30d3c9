import { useState } from 'preact/hooks';
import { formatBytes } from '../../console/format.js';
import { incidentsApi } from '../../desk/api.js';
import type { DeskAttachment, Visibility } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { FileUpload } from './file-upload.js';

/** An incident's files (public or internal) with download links, and the upload. */
export function DeskAttachments({ incidentId, attachments, onChanged }: { incidentId: string; attachments: DeskAttachment[]; onChanged: () => void }) {
  const [visibility, setVisibility] = useState<Visibility>('internal');
  return (
    <section class="card" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('desk.attach.title')}</h2>
      {attachments.length === 0 && <p class="muted">{t('desk.attach.none')}</p>}
      <ul class="attachments">
        {attachments.map((a) => (
          <li key={a.id} data-testid="attachment">
            <a href={incidentsApi.attachmentUrl(incidentId, a.id)} download={a.filename}>{a.filename}</a>
            <span class="muted small-text">{formatBytes(a.size)} · {a.uploadedBy.displayName} · {formatDateTime(a.createdAt)}</span>
            <span class={a.visibility === 'internal' ? 'badge warn' : 'badge'}>{t(`desk.kb.visibility.${a.visibility}`)}</span>
          </li>
        ))}
      </ul>
      <div class="field">
        <label for="attach-visibility">{t('desk.attach.visibility')}</label>
        <select id="attach-visibility" value={visibility} onChange={(e) => setVisibility(e.currentTarget.value as Visibility)}>
          <option value="internal">{t('desk.attach.internal')}</option>
          <option value="public">{t('desk.attach.public')}</option>
        </select>
      </div>
      <FileUpload id="desk-attach" upload={(body) => incidentsApi.attach(incidentId, { ...body, visibility })} onUploaded={onChanged} />
    </section>
  );
}
