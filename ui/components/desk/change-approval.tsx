import { useState } from 'preact/hooks';
import type { Me } from '../../api/client.js';
import { useAction } from '../../api/hooks.js';
import { itilApi } from '../../desk/api.js';
import type { Change, ChangeStatus } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';

/** Status moves a person may make by hand; approved/rejected happen only through the approvals. */
function movesOf(change: Change): ChangeStatus[] {
  const open = !['closed', 'cancelled', 'implemented', 'rejected'].includes(change.status);
  const moves: Record<ChangeStatus, ChangeStatus[]> = {
    draft: change.type === 'standard' ? ['pending_approval', 'implementing'] : ['pending_approval'],
    pending_approval: [],
    approved: ['implementing'],
    rejected: ['draft'],
    implementing: ['implemented'],
    implemented: ['closed'],
    closed: [],
    cancelled: [],
  };
  return open ? [...moves[change.status], 'cancelled'] : moves[change.status];
}

/**
 * The approval step: who must approve, what each decided; the logged-in approver decides here
 * while the change is pending. Then the status buttons the workflow allows.
 */
export function ChangeApproval({ change, me, onChanged }: { change: Change; me: Me; onChanged: () => void }) {
  const [comment, setComment] = useState('');
  const action = useAction();
  const mine = change.approvals.find((a) => a.approverId === me.user.id);
  const decide = (decision: 'approved' | 'rejected') => void action.run(async () => {
    await itilApi.approve(change.id, decision, comment.trim() || undefined);
    setComment('');
    onChanged();
  });
  const move = (status: ChangeStatus) => void action.run(async () => {
    await itilApi.updateChange(change.id, { status });
    onChanged();
  });
  return (
    <section class="card" aria-labelledby="approval-title">
      <h2 id="approval-title">{t('desk.change.approval')}</h2>
      {change.approvals.length === 0 && <p class="muted">{t('desk.change.noApprovers')}</p>}
      <ul class="approvals" data-testid="approvals">
        {change.approvals.map((a) => (
          <li key={a.approverId}>
            <strong>{a.displayName}</strong>: <span class={a.decision === 'approved' ? 'badge on' : a.decision === 'rejected' ? 'badge off' : 'badge'}>{t(`desk.change.decision.${a.decision}`)}</span>
            {a.decidedAt && <span class="muted small-text"> {formatDateTime(a.decidedAt)}</span>}
            {a.comment && <p class="ticket-text small-text">{a.comment}</p>}
          </li>
        ))}
      </ul>
      {change.status === 'pending_approval' && mine?.decision === 'pending' && (
        <div>
          <div class="field"><label for="approval-comment">{t('desk.change.approvalComment')}</label>
            <textarea id="approval-comment" class="short" value={comment} onInput={(e) => setComment(e.currentTarget.value)} /></div>
          <div class="row">
            <button type="button" data-testid="change-approve" disabled={action.busy} onClick={() => decide('approved')}>{t('desk.change.approve')}</button>
            <button type="button" class="danger" data-testid="change-reject" disabled={action.busy} onClick={() => decide('rejected')}>{t('desk.change.reject')}</button>
          </div>
        </div>
      )}
      <div class="row" role="group" aria-label={t('desk.incident.moveTo')}>
        {movesOf(change).map((s) => (
          <button key={s} type="button" class="secondary small" data-testid={`change-move-${s}`} disabled={action.busy} onClick={() => move(s)}>{t(`desk.change.status.${s}`)}</button>
        ))}
      </div>
      <ErrorText error={action.error} />
    </section>
  );
}
