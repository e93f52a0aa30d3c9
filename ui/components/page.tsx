import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { t } from '../i18n/index.js';

/** A page: its heading, the window title to match, and the content below. */
export function Page({ title, narrow, actions, children }: { title: string; narrow?: boolean; actions?: ComponentChildren; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title]);
  return (
    <div class={narrow ? 'page narrow' : 'page'}>
      <div class="page-head">
        <h1>{title}</h1>
        {actions && <div class="row">{actions}</div>}
      </div>
      {children}
    </div>
  );
}
