import { useRef, useState } from 'preact/hooks';
import type { ProgramListing } from '../../../core/http/routes/downloads/programs.js';
import { formatStartCode } from '../../../protocol/start-code.js';
import { formatBytes } from '../../console/format.js';
import { t } from '../../i18n/index.js';

/**
 * The numbered steps of the download way, per kind of computer: Windows (double-click, paste the
 * start code when the window asks), Linux (one terminal command), and the Node.js file for an
 * appliance built without the single-file programs.
 */

/** The join the program continues: single-use code and the PIN (the handshake's password). */
export interface StartFor {
  joinCode: string;
  pin: string;
}

/** The Node.js file (needs Node 20+), only where no single-file program was built. */
export const NODE_AGENT_DOWNLOAD = '/downloads/rescuebox-agent.mjs';

/** Copies text: the Clipboard API where allowed, else the selected text with execCommand. */
async function copyText(text: string, element: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!element) return false;
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return document.execCommand('copy');
  }
}

/** A command or code to copy: shown whole (selectable) with a copy button. */
function CopyLine({ text, testId }: { text: string; testId: string }) {
  const code = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <>
      <div class="pin-command">
        <code data-testid={testId} ref={code}>{text}</code>
        <button type="button" class="pin-copy" data-testid={`${testId}-copy`} onClick={() => void copyText(text, code.current).then(setCopied)}>{t('pin.start.copy')}</button>
      </div>
      <p class="hint" role="status">{copied === true ? t('pin.start.copied') : copied === false ? t('pin.start.copyFailed') : ''}</p>
    </>
  );
}

/** Step 1: the program itself, with its size and SHA-256 for those who check. */
function DownloadStep({ program }: { program: ProgramListing }) {
  return (
    <li>
      <p>{t('pin.start.step1')}</p>
      <a class="pin-download" href={program.url} download={program.fileName} data-testid="program-download" data-target={program.target}>
        {t('pin.program.download', { name: program.fileName })}
      </a>
      <p class="hint">{t('pin.program.size', { size: formatBytes(program.size) })} <span class="pin-sha" data-testid="program-sha256">SHA-256 {program.sha256}</span></p>
    </li>
  );
}

const securityStep = <li><p>{t('pin.start.step3')}</p></li>;

/** Windows: open the file; its console window asks for the start code (or PowerShell with both). */
function WindowsSteps({ program, start }: { program: ProgramListing; start: StartFor }) {
  const powershell = `& "$HOME\\Downloads\\${program.fileName}" --join ${start.joinCode} --pin ${start.pin}`;
  return (
    <ol class="pin-steps">
      <DownloadStep program={program} />
      <li>
        <p>{t('pin.program.windowsOpen')}</p>
        {!program.authenticode && <p class="hint" data-testid="program-smartscreen">{t('pin.program.smartscreen')}</p>}
        <p>{t('pin.program.windowsPaste')}</p>
        <CopyLine text={formatStartCode(start)} testId="start-code" />
        <details>
          <summary>{t('pin.program.powershell')}</summary>
          <CopyLine text={powershell} testId="agent-command" />
        </details>
      </li>
      {securityStep}
    </ol>
  );
}

/** Linux: one terminal command (a download is not executable until chmod +x). */
function LinuxSteps({ program, start }: { program: ProgramListing; start: StartFor }) {
  const command = `cd ~/Downloads && chmod +x ${program.fileName} && ./${program.fileName} --join ${start.joinCode} --pin ${start.pin}`;
  return (
    <ol class="pin-steps">
      <DownloadStep program={program} />
      <li>
        <p>{t('pin.program.linuxRun')}</p>
        <CopyLine text={command} testId="agent-command" />
      </li>
      {securityStep}
    </ol>
  );
}

/** The steps for one program. */
export function ProgramSteps({ program, start }: { program: ProgramListing; start: StartFor }) {
  return program.os === 'windows' ? <WindowsSteps program={program} start={start} /> : <LinuxSteps program={program} start={start} />;
}

/** No single-file program for this system on this appliance: the Node.js file and its command. */
export function NodeSteps({ start }: { start: StartFor }) {
  const command = `node rescuebox-agent.mjs --server ${location.origin} --join ${start.joinCode} --pin ${start.pin}`;
  return (
    <ol class="pin-steps">
      <li>
        <p>{t('pin.start.step1')}</p>
        <a class="pin-download" href={NODE_AGENT_DOWNLOAD} download="rescuebox-agent.mjs" data-testid="agent-download">{t('pin.start.download')}</a>
        <p class="hint">{t('pin.start.node')}</p>
      </li>
      <li>
        <p>{t('pin.start.step2')}</p>
        <CopyLine text={command} testId="agent-command" />
      </li>
      {securityStep}
    </ol>
  );
}
