import { useState } from 'preact/hooks';
import { useAction } from '../../api/hooks.js';
import { cmdbApi } from '../../desk/api.js';
import type { CiType } from '../../desk/types.js';
import { t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';
import { Field } from '../field.js';

type Attribute = CiType['attributes'][number];
const attributeTypes: Attribute['type'][] = ['string', 'number', 'boolean', 'date'];

/** The CI types and a form for a new one with its attributes. */
export function CiTypes({ types, onChanged }: { types: CiType[]; onChanged: () => void }) {
  const [name, setName] = useState('');
  const [attributes, setAttributes] = useState<Attribute[]>([]);
  const action = useAction();
  const setAttr = (i: number, patch: Partial<Attribute>) => setAttributes(attributes.map((a, j) => (i === j ? { ...a, ...patch } : a)));
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await cmdbApi.createType({ name: name.trim(), attributes });
      setName('');
      setAttributes([]);
      onChanged();
    });
  };
  return (
    <details class="card">
      <summary>{t('desk.cmdb.types')}</summary>
      <ul class="link-list">
        {types.map((type) => <li key={type.id}><strong>{type.name}</strong>: <span class="muted">{type.attributes.map((a) => a.label).join(', ') || '—'}</span></li>)}
      </ul>
      <form onSubmit={submit}>
        <h3>{t('desk.cmdb.newType')}</h3>
        <Field id="ci-type-name" label={t('desk.field.name')}><input id="ci-type-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} /></Field>
        {attributes.map((attr, i) => (
          <div class="inline-form" key={i}>
            <Field id={`ci-attr-key-${i}`} label={t('desk.cmdb.attrKey')}><input id={`ci-attr-key-${i}`} required pattern="[a-zA-Z][a-zA-Z0-9_]*" value={attr.key} onInput={(e) => setAttr(i, { key: e.currentTarget.value })} /></Field>
            <Field id={`ci-attr-label-${i}`} label={t('desk.cmdb.attrLabel')}><input id={`ci-attr-label-${i}`} required value={attr.label} onInput={(e) => setAttr(i, { label: e.currentTarget.value })} /></Field>
            <Field id={`ci-attr-type-${i}`} label={t('desk.cmdb.attrType')}>
              <select id={`ci-attr-type-${i}`} value={attr.type} onChange={(e) => setAttr(i, { type: e.currentTarget.value as Attribute['type'] })}>
                {attributeTypes.map((at) => <option key={at} value={at}>{t(`desk.cmdb.attrTypes.${at}`)}</option>)}
              </select>
            </Field>
            <label class="inline"><input type="checkbox" checked={attr.required} onChange={(e) => setAttr(i, { required: e.currentTarget.checked })} />{t('desk.cmdb.required')}</label>
            <button type="button" class="secondary small" onClick={() => setAttributes(attributes.filter((_, j) => j !== i))}>{t('common.delete')}</button>
          </div>
        ))}
        <div class="row">
          <button type="button" class="secondary" onClick={() => setAttributes([...attributes, { key: '', label: '', type: 'string', required: false }])}>{t('desk.cmdb.addAttribute')}</button>
          <button type="submit" disabled={action.busy}>{t('common.create')}</button>
        </div>
        <ErrorText error={action.error} />
      </form>
    </details>
  );
}
