import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { CiAttributeInputs } from '../../components/desk/ci-attributes.js';
import { CiTypes } from '../../components/desk/ci-types.js';
import { StateBadge } from '../../components/desk/badges.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { cmdbApi } from '../../desk/api.js';
import { ciStatuses, type CiType } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { navigate } from '../../router.js';

/** Creates a CI of a chosen type with that type's attributes. */
function NewCi({ types }: { types: CiType[] }) {
  const [name, setName] = useState('');
  const [typeId, setTypeId] = useState('');
  const [attributes, setAttributes] = useState<Record<string, unknown>>({});
  const action = useAction();
  const type = types.find((ty) => ty.id === typeId);
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const { ci } = await cmdbApi.create({ name: name.trim(), typeId, attributes });
      navigate(`/desk/cmdb/${ci.id}`);
    });
  };
  return (
    <details class="card">
      <summary>{t('desk.cmdb.new')}</summary>
      <form onSubmit={submit}>
        <div class="form-grid">
          <Field id="new-ci-name" label={t('desk.field.name')}><input id="new-ci-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} /></Field>
          <Field id="new-ci-type" label={t('desk.cmdb.type')}>
            <select id="new-ci-type" required value={typeId} onChange={(e) => { setTypeId(e.currentTarget.value); setAttributes({}); }}>
              <option value="">{t('desk.pick')}</option>
              {types.map((ty) => <option key={ty.id} value={ty.id}>{ty.name}</option>)}
            </select>
          </Field>
        </div>
        <CiAttributeInputs type={type} values={attributes} onChange={setAttributes} idPrefix="new-ci-attr" />
        <ErrorText error={action.error} />
        <button type="submit" disabled={action.busy}>{t('common.create')}</button>
      </form>
    </details>
  );
}

/** The CMDB: configuration items by type, status and text; CI types. */
export function CmdbPage() {
  const [filters, setFilters] = useState<{ typeId?: string; q?: string; status?: string }>({});
  const [text, setText] = useState('');
  const [version, setVersion] = useState(0);
  const types = useLoad(() => cmdbApi.types(), [version]);
  const list = useLoad(() => cmdbApi.list(filters), [filters.typeId, filters.q, filters.status]);
  return (
    <Page title={t('desk.cmdb.title')}>
      <DeskTabs />
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); setFilters({ ...filters, q: text.trim() || undefined }); }}>
        <Field id="ci-q" label={t('desk.filter.search')}><input id="ci-q" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} /></Field>
        <Field id="ci-f-type" label={t('desk.cmdb.type')}>
          <select id="ci-f-type" value={filters.typeId ?? ''} onChange={(e) => setFilters({ ...filters, typeId: e.currentTarget.value || undefined })}>
            <option value="">{t('desk.filter.any')}</option>
            {types.data?.types.map((ty) => <option key={ty.id} value={ty.id}>{ty.name}</option>)}
          </select>
        </Field>
        <Field id="ci-f-status" label={t('desk.field.status')}>
          <select id="ci-f-status" value={filters.status ?? ''} onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value || undefined })}>
            <option value="">{t('desk.filter.any')}</option>
            {ciStatuses.map((s) => <option key={s} value={s}>{t(`desk.ci.status.${s}`)}</option>)}
          </select>
        </Field>
        <div class="filter-buttons"><button type="submit">{t('desk.filter.apply')}</button></div>
      </form>
      <ErrorText error={list.error ?? types.error} />
      <div class="table-wrap">
        <table>
          <caption class="sr-only">{t('desk.cmdb.title')}</caption>
          <thead><tr><th scope="col">{t('desk.field.name')}</th><th scope="col">{t('desk.cmdb.type')}</th><th scope="col">{t('desk.field.status')}</th><th scope="col">{t('desk.field.source')}</th><th scope="col">{t('desk.field.updated')}</th></tr></thead>
          <tbody>
            {list.data?.cis.map((ci) => (
              <tr key={ci.id} data-testid="ci-row">
                <td><Link href={`/desk/cmdb/${ci.id}`} class="ticket-title">{ci.name}</Link></td>
                <td>{ci.typeName}</td>
                <td><StateBadge family="ci" value={ci.status} /></td>
                <td>{t(`desk.ci.source.${ci.source}`)}</td>
                <td class="nowrap">{formatDateTime(ci.updatedAt)}</td>
              </tr>
            ))}
            {list.data?.cis.length === 0 && <tr><td colSpan={5} class="muted">{t('desk.cmdb.none')}</td></tr>}
          </tbody>
        </table>
      </div>
      <NewCi types={types.data?.types ?? []} />
      <CiTypes types={types.data?.types ?? []} onChanged={() => setVersion((v) => v + 1)} />
    </Page>
  );
}
