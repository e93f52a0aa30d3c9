import { useState } from 'preact/hooks';
import { useAction } from '../../api/hooks.js';
import { incidentsApi } from '../../desk/api.js';
import type { DeskComment, Visibility } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';

/**
 * The conversation on an incident as staff see it. Internal notes look different on purpose
 * (amber, dashed, labelled) so nobody mistakes one for what the customer sees. Bodies are text.
 */
export function DeskComments({ comments }: { comments: DeskComment[] }) {
  if (comments.length === 0) return <p class="muted">{t('desk.comments.none')}</p>;
  return (
    <ol class="timeline" data-testid="desk-comments">
      {comments.map((comment) => (
        <li key={comment.id} class={`comment ${comment.visibility}`} data-testid="desk-comment" data-visibility={comment.visibility}>
          <div class="comment-head">
            <span class="kind">{t(`desk.comments.${comment.visibility}`)}</span>
            <strong>{comment.author.displayName}</strong>
            <time>{formatDateTime(comment.createdAt)}</time>
          </div>
          <p class="ticket-text">{comment.body}</p>
        </li>
      ))}
    </ol>
  );
}

/**
 * Reply to the customer or note for colleagues: one text box, two clearly named buttons, so the
 * choice is made at the moment of sending and never left over from the last comment.
 */
export function DeskCommentForm({ incidentId, onAdded }: { incidentId: string; onAdded: () => void }) {
  const [body, setBody] = useState('');
  const action = useAction();
  const send = (visibility: Visibility) => void action.run(async () => {
    await incidentsApi.comment(incidentId, body, visibility);
    setBody('');
    onAdded();
  });
  const empty = body.trim() === '';
  return (
    <form class="comment-form" onSubmit={(e) => e.preventDefault()}>
      <label for="desk-comment-body" class="sr-only">{t('desk.comments.body')}</label>
      <textarea id="desk-comment-body" class="short" maxLength={20000} data-testid="comment-body" placeholder={t('desk.comments.body')} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
      <p class="hint">{t('desk.comments.hint')}</p>
      <div class="row">
        <button type="button" data-testid="comment-public" disabled={empty || action.busy} onClick={() => send('public')}>{t('desk.comments.sendPublic')}</button>
        <button type="button" class="secondary" data-testid="comment-internal" disabled={empty || action.busy} onClick={() => send('internal')}>{t('desk.comments.sendInternal')}</button>
      </div>
      <ErrorText error={action.error} />
    </form>
  );
}
