import { useEffect, useState } from 'preact/hooks';
import type { DownloadsListing, ProgramListing } from '../../../core/http/routes/downloads/programs.js';
import { request } from '../../api/client.js';
import { formatRemaining, formatTime, useNow } from '../../console/format.js';
import { t } from '../../i18n/index.js';
import { detectPlatform, type CustomerPlatform } from './program-platform.js';
import { NodeSteps, ProgramSteps, type StartFor } from './program-steps.js';

/**
 * The support program for this customer: the single-file program that fits their computer
 * (picked from the browser's platform, with a choice for the others), how to start it with this
 * join, and how long the join works. macOS has no program: its customers are sent to the
 * browser client with the reason. Used after a PIN and when a browser session switches.
 */

const programNames: Record<ProgramListing['target'], string> = { 'win-x64': 'Windows (64-bit)', 'linux-x64': 'Linux (x86-64)', 'linux-arm64': 'Linux (ARM 64-bit)' };

/** The other systems: every program this appliance has, to pick by hand. */
function SystemChoice({ programs, chosen, onPick }: { programs: ProgramListing[]; chosen: string; onPick: (target: string) => void }) {
  return (
    <p class="pin-system">
      <label for="program-system">{t('pin.program.system')}</label>{' '}
      <select id="program-system" data-testid="program-system" value={chosen} onChange={(e) => onPick(e.currentTarget.value)}>
        {chosen === '' && <option value="">{t('pin.program.systemPick')}</option>}
        {programs.map((p) => <option key={p.target} value={p.target}>{programNames[p.target]}</option>)}
      </select>
    </p>
  );
}

/** Why there is no preselected program: macOS (the browser client instead), or an unknown system. */
function NoProgramNote({ platform, onBrowser }: { platform: CustomerPlatform; onBrowser?: () => void }) {
  if (platform !== 'macos') return <p data-testid="program-unknown">{t('pin.program.unknown')}</p>;
  return (
    <div class="pin-way" data-testid="program-macos">
      <p>{t(onBrowser ? 'pin.program.macos' : 'pin.program.macosHere')}</p>
      {onBrowser && <button type="button" data-testid="program-macos-browser" onClick={onBrowser}>{t('customer.choice.browser')}</button>}
    </div>
  );
}

/** Loads the appliance's programs and the customer's platform once. */
function usePrograms(): { programs: ProgramListing[] | null; failed: boolean; platform: CustomerPlatform | null } {
  const [programs, setPrograms] = useState<ProgramListing[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [platform, setPlatform] = useState<CustomerPlatform | null>(null);
  useEffect(() => {
    void detectPlatform().then(setPlatform);
    request<DownloadsListing>('GET', '/api/v1/downloads', undefined, { quiet401: true }).then((listing) => setPrograms(listing.programs), () => setFailed(true));
  }, []);
  return { programs, failed, platform };
}

/** The download way: program, start steps, what the program does, and the join's expiry. */
export function ProgramStart({ joinCode, pin, expiresAt, onBrowser }: StartFor & { expiresAt: number; onBrowser?: () => void }) {
  const now = useNow();
  const { programs, failed, platform } = usePrograms();
  const [picked, setPicked] = useState<string | null>(null);
  const expired = now >= expiresAt;
  const start = { joinCode, pin };
  const chosen = picked ?? (platform && programs?.some((p) => p.target === platform) ? platform : '');
  const program = programs?.find((p) => p.target === chosen) ?? null;

  return (
    <section class="pin-card pin-agent-start" aria-labelledby="agent-start-title" data-testid="program-start" data-platform={platform ?? ''}>
      <h2 id="agent-start-title">{t('pin.start.title')}</h2>
      {(programs === null || platform === null) && !failed && <p class="hint" role="status" data-testid="program-loading">{t('pin.program.loading')}</p>}
      {programs !== null && platform !== null && programs.length > 0 && (
        <>
          {picked === null && !program && <NoProgramNote platform={platform} onBrowser={onBrowser} />}
          <SystemChoice programs={programs} chosen={chosen} onPick={setPicked} />
          {program && <ProgramSteps program={program} start={start} />}
        </>
      )}
      {(failed || programs?.length === 0) && <NodeSteps start={start} />}
      <ul class="pin-assurances">
        <li>{t('pin.start.asks')}</li>
        <li>{t('pin.start.endAnyTime')}</li>
      </ul>
      <p class={expired ? 'error' : 'hint'} data-testid="join-expiry" role="timer" aria-live="off">
        {expired ? t('pin.start.expired') : t('pin.start.expires', { time: formatTime(expiresAt), remaining: formatRemaining(expiresAt, now) })}
      </p>
    </section>
  );
}
