import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { cmdbApi, incidentsApi, itilApi, kbApi } from '../../desk/api.js';
import { linkTypes, type DeskLink, type LinkType } from '../../desk/types.js';
import { t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';
import { Field } from '../field.js';
import { Link } from '../link.js';

/** Where each kind of desk object has its page. */
export const pathOf: Record<LinkType, (id: string) => string> = {
  incident: (id) => `/desk/incidents/${id}`,
  problem: (id) => `/desk/problems/${id}`,
  change: (id) => `/desk/changes/${id}`,
  release: (id) => `/desk/releases/${id}`,
  ci: (id) => `/desk/cmdb/${id}`,
  kb_article: (id) => `/desk/kb/${id}`,
};

/** The objects of one type that can be linked, as id and label. */
async function candidates(type: LinkType): Promise<{ id: string; label: string }[]> {
  switch (type) {
    case 'incident': return (await incidentsApi.list({ limit: 200, sort: 'updated' })).incidents.map((i) => ({ id: i.id, label: `${i.ref} ${i.title}` }));
    case 'problem': return (await itilApi.problems({})).problems.map((p) => ({ id: p.id, label: `${p.ref} ${p.title}` }));
    case 'change': return (await itilApi.changes({})).changes.map((c) => ({ id: c.id, label: `${c.ref} ${c.title}` }));
    case 'release': return (await itilApi.releases()).releases.map((r) => ({ id: r.id, label: `${r.ref} ${r.name} ${r.version}` }));
    case 'ci': return (await cmdbApi.list({ limit: 200 })).cis.map((c) => ({ id: c.id, label: `${c.name} (${c.typeName})` }));
    case 'kb_article': return (await kbApi.search({})).articles.map((a) => ({ id: a.id, label: a.title }));
  }
}

/** Picks one object of a chosen type and links it. */
function AddLink({ fromType, fromId, onAdded }: { fromType: LinkType; fromId: string; onAdded: () => void }) {
  const [type, setType] = useState<LinkType>(fromType === 'incident' ? 'problem' : 'incident');
  const [target, setTarget] = useState('');
  const options = useLoad(() => candidates(type), [type]);
  const action = useAction();
  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await itilApi.link({ fromType, fromId, toType: type, toId: target });
      setTarget('');
      onAdded();
    });
  };
  return (
    <form class="inline-form" onSubmit={add}>
      <Field id={`link-type-${fromId}`} label={t('desk.links.type')}>
        <select id={`link-type-${fromId}`} value={type} onChange={(e) => { setType(e.currentTarget.value as LinkType); setTarget(''); }}>
          {linkTypes.map((lt) => <option key={lt} value={lt}>{t(`desk.links.kind.${lt}`)}</option>)}
        </select>
      </Field>
      <Field id={`link-target-${fromId}`} label={t('desk.links.target')}>
        <select id={`link-target-${fromId}`} required value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
          <option value="">{t('desk.pick')}</option>
          {options.data?.filter((o) => o.id !== fromId).map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
        </select>
      </Field>
      <button type="submit" class="secondary" disabled={!target || action.busy}>{t('desk.links.add')}</button>
      <ErrorText error={action.error ?? options.error} />
    </form>
  );
}

/** The links of one object to incidents, problems, changes, releases, CIs and KB articles. */
export function Links({ fromType, fromId, links, onChanged }: { fromType: LinkType; fromId: string; links: DeskLink[]; onChanged: () => void }) {
  // The pickers load every candidate object, so only when someone wants to add a link.
  const [adding, setAdding] = useState(false);
  const action = useAction();
  const remove = (id: string) => void action.run(async () => {
    await itilApi.unlink(id);
    onChanged();
  });
  return (
    <section class="card" aria-labelledby={`links-${fromId}`}>
      <h2 id={`links-${fromId}`}>{t('desk.links.title')}</h2>
      {links.length === 0 && <p class="muted">{t('desk.links.none')}</p>}
      <ul class="link-list">
        {links.map((link) => (
          <li key={link.id} data-testid="desk-link">
            <span class="badge">{t(`desk.links.kind.${link.type}`)}</span>
            <Link href={pathOf[link.type](link.targetId)}>{link.title}</Link>{' '}
            <button type="button" class="link small" aria-label={t('desk.links.remove', { title: link.title })} onClick={() => remove(link.id)}>{t('desk.links.unlink')}</button>
          </li>
        ))}
      </ul>
      <ErrorText error={action.error} />
      {adding
        ? <AddLink fromType={fromType} fromId={fromId} onAdded={() => { setAdding(false); onChanged(); }} />
        : <button type="button" class="secondary small" data-testid="link-add" onClick={() => setAdding(true)}>{t('desk.links.new')}</button>}
    </section>
  );
}
