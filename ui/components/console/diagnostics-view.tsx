import { gigabytes, uptimeParts, type DiagnosticsView as Report, type DiskView } from '../../console/diagnostics.js';
import { formatDateTime } from '../../console/format.js';
import { t } from '../../i18n/index.js';
import { BrowserDiagnostics } from './diagnostics-browser.js';
import { NetworkTable, ProcessTable } from './diagnostics-tables.js';

/** A used/total bar: a <meter> (no inline style needed), red when nearly full. */
function UsageBar({ used, total, label }: { used: number; total: number; label: string }) {
  return <meter class="diag-usage" min={0} max={Math.max(total, 1)} value={used} low={total * 0.7} high={total * 0.9} optimum={0} aria-label={label} />;
}

function Fact({ label, children }: { label: string; children: string | number }) {
  return (
    <div class="diag-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function DiskRow({ disk }: { disk: DiskView }) {
  const used = Math.max(0, disk.totalBytes - disk.freeBytes);
  return (
    <tr>
      <td>{disk.mount}</td>
      <td>{disk.device}{disk.fsType && <span class="hint"> ({disk.fsType})</span>}</td>
      <td class="console-num">{t('console.diag.gb', { value: gigabytes(disk.totalBytes) })}</td>
      <td class="console-num">{t('console.diag.gb', { value: gigabytes(disk.freeBytes) })}</td>
      <td><UsageBar used={used} total={disk.totalBytes} label={t('console.diag.diskUsed', { mount: disk.mount })} /></td>
    </tr>
  );
}

/** The customer's diagnostics report as a readable page: OS, CPU, memory, disks, network, processes, uptime. */
export function DiagnosticsView({ report }: { report: Report }) {
  if (report.source === 'browser') return <BrowserDiagnostics report={report} />;
  const { os, cpu, memory } = report;
  const usedMemory = Math.max(0, memory.totalBytes - memory.freeBytes);
  const up = uptimeParts(report.uptimeSeconds);
  const collected = Date.parse(report.collectedAt);
  return (
    <section class="card diagnostics" data-testid="diagnostics" aria-labelledby="diag-title">
      <h2 id="diag-title">{t('console.diag.title')}</h2>
      {Number.isFinite(collected) && <p class="hint">{t('console.diag.collected', { at: formatDateTime(collected), version: report.agentVersion })}</p>}
      <div class="diag-grid">
        <section aria-labelledby="diag-os">
          <h3 id="diag-os">{t('console.diag.os')}</h3>
          <dl class="diag-facts">
            <Fact label={t('console.diag.hostname')}>{os.hostname}</Fact>
            <Fact label={t('console.diag.system')}>{os.distro ?? `${os.type} ${os.release}`}</Fact>
            <Fact label={t('console.diag.kernel')}>{`${os.type} ${os.release}`}</Fact>
            <Fact label={t('console.diag.arch')}>{`${os.platform} / ${os.arch}`}</Fact>
            <Fact label={t('console.diag.uptime')}>{t('console.diag.uptimeValue', up)}</Fact>
          </dl>
        </section>
        <section aria-labelledby="diag-cpu">
          <h3 id="diag-cpu">{t('console.diag.cpu')}</h3>
          <dl class="diag-facts">
            <Fact label={t('console.diag.model')}>{cpu.model}</Fact>
            <Fact label={t('console.diag.cores')}>{cpu.cores}</Fact>
            <Fact label={t('console.diag.load')}>{cpu.loadAverage.join(' · ') || '—'}</Fact>
          </dl>
        </section>
        <section aria-labelledby="diag-memory">
          <h3 id="diag-memory">{t('console.diag.memory')}</h3>
          <p>{t('console.diag.memoryValue', { used: gigabytes(usedMemory), total: gigabytes(memory.totalBytes) })}</p>
          <UsageBar used={usedMemory} total={memory.totalBytes} label={t('console.diag.memory')} />
        </section>
      </div>
      <h3>{t('console.diag.disks')}</h3>
      {report.disks.length === 0 ? <p class="hint">{t('console.diag.none')}</p> : (
        <div class="console-table-scroll">
          <table class="diag-table">
            <thead>
              <tr><th>{t('console.diag.mount')}</th><th>{t('console.diag.device')}</th><th class="console-num">{t('console.diag.size')}</th><th class="console-num">{t('console.diag.free')}</th><th>{t('console.diag.usage')}</th></tr>
            </thead>
            <tbody>{report.disks.map((disk) => <DiskRow key={disk.mount} disk={disk} />)}</tbody>
          </table>
        </div>
      )}
      <h3>{t('console.diag.network')}</h3>
      <NetworkTable interfaces={report.network} />
      <h3>{t('console.diag.processes')}</h3>
      <ProcessTable processes={report.processes} />
    </section>
  );
}
