import { useState } from 'preact/hooks';
import { megabytes, type InterfaceView, type ProcessView } from '../../console/diagnostics.js';
import { t } from '../../i18n/index.js';

/** Network interfaces with their addresses. */
export function NetworkTable({ interfaces }: { interfaces: InterfaceView[] }) {
  if (interfaces.length === 0) return <p class="hint">{t('console.diag.none')}</p>;
  return (
    <div class="console-table-scroll">
      <table class="diag-table">
        <thead>
          <tr><th>{t('console.diag.interface')}</th><th>{t('console.diag.mac')}</th><th>{t('console.diag.addresses')}</th></tr>
        </thead>
        <tbody>
          {interfaces.map((nic) => (
            <tr key={nic.name}>
              <td>{nic.name}</td>
              <td><code>{nic.mac ?? '—'}</code></td>
              <td>
                <ul class="console-plain-list">
                  {nic.addresses.map((a) => (
                    <li key={`${a.family}-${a.address}`}><code>{a.cidr ?? a.address}</code> <span class="hint">{a.family}{a.internal ? `, ${t('console.diag.internal')}` : ''}</span></li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How many processes show before "show all". */
const FIRST_PROCESSES = 15;

/** The processes using the most memory: the first few, all on request. */
export function ProcessTable({ processes }: { processes: ProcessView[] }) {
  const [all, setAll] = useState(false);
  if (processes.length === 0) return <p class="hint">{t('console.diag.none')}</p>;
  const shown = all ? processes : processes.slice(0, FIRST_PROCESSES);
  return (
    <>
      <div class="console-table-scroll">
        <table class="diag-table processes">
          <thead>
            <tr><th class="console-num">{t('console.diag.pid')}</th><th>{t('console.diag.name')}</th><th class="console-num">{t('console.diag.rss')}</th><th class="console-num">{t('console.diag.cpuTime')}</th></tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.pid}>
                <td class="console-num">{p.pid}</td>
                <td>{p.name}</td>
                <td class="console-num">{megabytes(p.rssBytes)}</td>
                <td class="console-num">{p.cpuSeconds.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {processes.length > FIRST_PROCESSES && (
        <button type="button" class="secondary console-small-button" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('console.diag.fewerProcesses') : t('console.diag.allProcesses', { count: processes.length })}
        </button>
      )}
    </>
  );
}
