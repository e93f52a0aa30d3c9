import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { StateBadge } from '../../components/desk/badges.js';
import { attributeText, CiAttributeInputs } from '../../components/desk/ci-attributes.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { History } from '../../components/desk/history.js';
import { Links } from '../../components/desk/links.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { cmdbApi } from '../../desk/api.js';
import { ciStatuses, type Ci, type CiRelation, type CiType } from '../../desk/types.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';

/** Edits a CI's name, status and attributes. */
function CiForm({ ci, type, onSaved }: { ci: Ci; type: CiType | undefined; onSaved: () => void }) {
  const [name, setName] = useState(ci.name);
  const [status, setStatus] = useState(ci.status);
  const [attributes, setAttributes] = useState(ci.attributes);
  const action = useAction();
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await cmdbApi.update(ci.id, { name, status, attributes });
      onSaved();
    });
  };
  return (
    <form class="card" onSubmit={save}>
      <div class="form-grid">
        <Field id="ci-name" label={t('desk.field.name')}><input id="ci-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} /></Field>
        <Field id="ci-status" label={t('desk.field.status')}>
          <select id="ci-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as Ci['status'])}>
            {ciStatuses.map((s) => <option key={s} value={s}>{t(`desk.ci.status.${s}`)}</option>)}
          </select>
        </Field>
      </div>
      {type ? <CiAttributeInputs type={type} values={attributes} onChange={setAttributes} idPrefix="ci-attr" /> : (
        <dl class="facts">{Object.entries(ci.attributes).map(([k, v]) => <Fragment key={k}><dt>{k}</dt><dd>{attributeText(v)}</dd></Fragment>)}</dl>
      )}
      <ErrorText error={action.error} />
      <button type="submit" disabled={action.busy}>{t('common.save')}</button>
    </form>
  );
}

/** The CI's relations (depends on, runs on; both directions) and a form for a new one. */
function Relations({ ci, relations, onChanged }: { ci: Ci; relations: CiRelation[]; onChanged: () => void }) {
  const [kind, setKind] = useState<CiRelation['kind']>('depends_on');
  const [other, setOther] = useState('');
  const [direction, setDirection] = useState<'out' | 'in'>('out');
  const cis = useLoad(() => cmdbApi.list({ limit: 200 }));
  const action = useAction();
  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await cmdbApi.relate(direction === 'out' ? { fromId: ci.id, toId: other, kind } : { fromId: other, toId: ci.id, kind });
      setOther('');
      onChanged();
    });
  };
  const remove = (id: string) => void action.run(async () => {
    await cmdbApi.unrelate(id);
    onChanged();
  });
  return (
    <section class="card" aria-labelledby="ci-relations">
      <h2 id="ci-relations">{t('desk.cmdb.relations')}</h2>
      {relations.length === 0 && <p class="muted">{t('common.none')}</p>}
      <ul class="link-list">
        {relations.map((r) => (
          <li key={r.id} data-testid="ci-relation">
            {t(`desk.cmdb.relation.${r.kind}.${r.direction}`)} {r.ci ? <><Link href={`/desk/cmdb/${r.ci.id}`}>{r.ci.name}</Link> <span class="muted">({r.ci.typeName})</span></> : '—'}{' '}
            <button type="button" class="link small" onClick={() => remove(r.id)}>{t('desk.links.unlink')}</button>
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={add}>
        <Field id="rel-direction" label={t('desk.cmdb.relationKind')}>
          <select id="rel-direction" value={`${kind}.${direction}`} onChange={(e) => { const [k, d] = e.currentTarget.value.split('.'); setKind(k as CiRelation['kind']); setDirection(d as 'out' | 'in'); }}>
            {(['depends_on', 'runs_on'] as const).flatMap((k) => (['out', 'in'] as const).map((d) => <option key={`${k}.${d}`} value={`${k}.${d}`}>{t(`desk.cmdb.relation.${k}.${d}`)}</option>))}
          </select>
        </Field>
        <Field id="rel-other" label={t('desk.links.target')}>
          <select id="rel-other" required value={other} onChange={(e) => setOther(e.currentTarget.value)}>
            <option value="">{t('desk.pick')}</option>
            {cis.data?.cis.filter((c) => c.id !== ci.id).map((c) => <option key={c.id} value={c.id}>{c.name} ({c.typeName})</option>)}
          </select>
        </Field>
        <button type="submit" class="secondary" disabled={!other || action.busy}>{t('desk.links.add')}</button>
      </form>
      <ErrorText error={action.error ?? cis.error} />
    </section>
  );
}

/** One configuration item: attributes, relations, links, history. */
export function CiPage({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const detail = useLoad(() => cmdbApi.get(id), [id, version]);
  const types = useLoad(() => cmdbApi.types());
  const remove = useAction();
  const changed = () => setVersion((v) => v + 1);
  const data = detail.data;
  return (
    <Page title={data?.ci.name ?? t('desk.cmdb.title')}>
      <DeskTabs />
      <p><Link href="/desk/cmdb">{t('desk.cmdb.back')}</Link></p>
      <ErrorText error={detail.error ?? remove.error} />
      {data && (
        <div class="grid2">
          <div>
            <p>{data.ci.typeName} · <StateBadge family="ci" value={data.ci.status} /> · {t(`desk.ci.source.${data.ci.source}`)}</p>
            <CiForm key={data.ci.updatedAt} ci={data.ci} type={types.data?.types.find((ty) => ty.id === data.ci.typeId)} onSaved={changed} />
            <History load={() => cmdbApi.history(id)} reloadKey={version} />
            <ConfirmButton label={t('common.delete')} question={t('common.confirmDelete', { name: data.ci.name })}
              onConfirm={() => void remove.run(async () => { await cmdbApi.remove(id); navigate('/desk/cmdb'); })} />
          </div>
          <div>
            <Relations ci={data.ci} relations={data.relations} onChanged={changed} />
            <Links fromType="ci" fromId={id} links={data.links} onChanged={changed} />
          </div>
        </div>
      )}
    </Page>
  );
}
