import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.js';
import { useAction, useLoad } from '../../api/hooks.js';
import { incidentsApi, itilApi, type IncidentPatch } from '../../desk/api.js';
import { transitions, type Directory, type Incident, type IncidentStatus } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';
import { Field } from '../field.js';
import { Link } from '../link.js';
import { PriorityBadge, SlaTarget, StatusBadge } from './badges.js';
import { LevelSelect } from './level-select.js';

/**
 * Status moves the server allows from the current status (plus reopen once resolved or closed);
 * a resolution text goes along when resolving.
 */
function StatusActions({ incident, onChanged }: { incident: Incident; onChanged: () => void }) {
  const [resolution, setResolution] = useState(incident.resolution ?? '');
  const action = useAction();
  const move = (status: IncidentStatus) => void action.run(async () => {
    const body: IncidentPatch = { status };
    if (status === 'resolved' && resolution.trim()) body.resolution = resolution.trim();
    await incidentsApi.update(incident.id, body);
    onChanged();
  });
  const reopen = () => void action.run(async () => {
    await incidentsApi.reopen(incident.id);
    onChanged();
  });
  const next = transitions[incident.status];
  return (
    <div class="field">
      <span class="label-like">{t('desk.field.status')}: <StatusBadge status={incident.status} /></span>
      {next.includes('resolved') && (
        <Field id="inc-resolution" label={t('desk.field.resolution')}>
          <textarea id="inc-resolution" class="short" maxLength={20000} value={resolution} onInput={(e) => setResolution(e.currentTarget.value)} />
        </Field>
      )}
      <div class="row status-moves" role="group" aria-labelledby="status-moves-label">
        <span class="hint" id="status-moves-label">{t('desk.incident.moveTo')}</span>
        {next.map((status) => (
          <button key={status} type="button" class="secondary small" data-testid={`move-${status}`} disabled={action.busy} onClick={() => move(status)}>{t(`desk.status.${status}`)}</button>
        ))}
        {(incident.status === 'resolved' || incident.status === 'closed') && (
          <button type="button" class="small" data-testid="reopen" disabled={action.busy} onClick={reopen}>{t('desk.incident.reopen')}</button>
        )}
      </div>
      <ErrorText error={action.error} />
    </div>
  );
}

/** Group and technician; picking a technician of another group is allowed (the server decides). */
function Assignment({ incident, directory, onChanged }: { incident: Incident; directory: Directory | undefined; onChanged: () => void }) {
  const action = useAction();
  const save = (patch: IncidentPatch) => void action.run(async () => {
    await incidentsApi.update(incident.id, patch);
    onChanged();
  });
  return (
    <>
      <Field id="inc-group" label={t('desk.field.group')}>
        <select id="inc-group" value={incident.groupId ?? ''} disabled={action.busy} onChange={(e) => save({ groupId: e.currentTarget.value || null })}>
          <option value="">{t('desk.queue.noGroup')}</option>
          {directory?.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </select>
      </Field>
      <Field id="inc-assignee" label={t('desk.field.assignee')}>
        <select id="inc-assignee" data-testid="incident-assignee" value={incident.assignee?.id ?? ''} disabled={action.busy} onChange={(e) => save({ assigneeId: e.currentTarget.value || null })}>
          <option value="">{t('desk.filter.unassigned')}</option>
          {directory?.technicians.map((u) => <option key={u.id} value={u.id}>{u.displayName || u.email}</option>)}
        </select>
      </Field>
      <ErrorText error={action.error} />
    </>
  );
}

/** Impact, urgency (→ priority through the server's matrix) and category. */
function Classification({ incident, categories, onChanged }: { incident: Incident; categories: string[]; onChanged: () => void }) {
  const action = useAction();
  const save = (patch: IncidentPatch) => void action.run(async () => {
    await incidentsApi.update(incident.id, patch);
    onChanged();
  });
  const known = categories.includes(incident.category) ? categories : [incident.category, ...categories];
  return (
    <>
      <p>{t('desk.field.priority')}: <PriorityBadge priority={incident.priority} /></p>
      <div class="form-grid">
        <Field id="inc-impact" label={t('desk.field.impact')}><LevelSelect id="inc-impact" value={incident.impact} onChange={(impact) => save({ impact })} /></Field>
        <Field id="inc-urgency" label={t('desk.field.urgency')}><LevelSelect id="inc-urgency" value={incident.urgency} onChange={(urgency) => save({ urgency })} /></Field>
      </div>
      <Field id="inc-category" label={t('desk.field.category')}>
        <select id="inc-category" value={incident.category} onChange={(e) => save({ category: e.currentTarget.value })}>
          {known.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </Field>
      <ErrorText error={action.error} />
    </>
  );
}

/**
 * Which problem the incident belongs to; hidden for accounts that may not list problems (403).
 * Any other failure to load is shown, so a technician never silently loses the picker.
 */
function ProblemPicker({ incident, onChanged }: { incident: Incident; onChanged: () => void }) {
  const problems = useLoad(() => itilApi.problems({}));
  const action = useAction();
  if (problems.error instanceof ApiError && problems.error.status === 403) return null;
  if (problems.error) return <ErrorText error={problems.error} />;
  if (!problems.data) return null;
  const save = (problemId: string | null) => void action.run(async () => {
    await incidentsApi.update(incident.id, { problemId });
    onChanged();
  });
  return (
    <Field id="inc-problem" label={t('desk.incident.problem')}>
      <select id="inc-problem" value={incident.problemId ?? ''} disabled={action.busy} onChange={(e) => save(e.currentTarget.value || null)}>
        <option value="">{t('desk.incident.noProblem')}</option>
        {problems.data.problems.map((p) => <option key={p.id} value={p.id}>{p.ref} {p.title}</option>)}
      </select>
      {incident.problemId && <Link href={`/desk/problems/${incident.problemId}`}>{t('desk.problem.problem')}</Link>}
      <ErrorText error={action.error} />
    </Field>
  );
}

/** The incident's side panel: status, SLA, assignment, classification, dates. */
export function IncidentFields({ incident, directory, categories, fetchedAt, now, onChanged }: {
  incident: Incident; directory: Directory | undefined; categories: string[]; fetchedAt: number; now: number; onChanged: () => void;
}) {
  return (
    <aside class="card" aria-label={t('desk.incident.fields')}>
      <StatusActions key={incident.status} incident={incident} onChanged={onChanged} />
      <div class="field" data-testid="sla">
        <SlaTarget sla={incident.sla} kind="response" fetchedAt={fetchedAt} now={now} />
        <SlaTarget sla={incident.sla} kind="resolution" fetchedAt={fetchedAt} now={now} />
      </div>
      <Assignment incident={incident} directory={directory} onChanged={onChanged} />
      <Classification incident={incident} categories={categories} onChanged={onChanged} />
      <ProblemPicker incident={incident} onChanged={onChanged} />
      <dl class="facts">
        <dt>{t('desk.field.requester')}</dt><dd>{incident.requester.displayName || incident.requester.email}</dd>
        <dt>{t('desk.field.source')}</dt><dd>{t(`desk.source.${incident.source}`)}</dd>
        <dt>{t('desk.field.created')}</dt><dd>{formatDateTime(incident.createdAt)}</dd>
        <dt>{t('desk.field.updated')}</dt><dd>{formatDateTime(incident.updatedAt)}</dd>
        {incident.resolvedAt && <><dt>{t('desk.field.resolvedAt')}</dt><dd>{formatDateTime(incident.resolvedAt)}</dd></>}
      </dl>
    </aside>
  );
}
