import { homedir } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { formatBytes, translator, type Lang, type Translate } from '../i18n.js';
import { isNo, isYes, PromptQueue } from './prompts.js';
import type { AgentUi, AnswerCheck, Command, Prompt, PromptAnswer, UiEvent } from './types.js';

type Renderers = { [E in UiEvent['event']]: (event: Extract<UiEvent, { event: E }>, t: Translate, lang: Lang) => string | null };

const style = {
  bold: (s: string) => `\x1b[1m${s}\x1b[0m`,
  red: (s: string) => `\x1b[1;37;41m ${s} \x1b[0m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[0m`,
};
const plain = { bold: (s: string) => s, red: (s: string) => `!!! ${s} !!!`, dim: (s: string) => s };

const byLabel = (by: string, lang: Lang): string => {
  const labels: Record<string, [string, string]> = {
    technician: ['by the technician', 'vom Techniker'], admin: ['by an administrator', 'von einem Administrator'],
    system: ['by the server', 'vom Server'], relay: ['by the server', 'vom Server'], expired: ['it expired', 'abgelaufen'],
  };
  const label = labels[by];
  return label ? label[lang === 'de' ? 1 : 0] : by;
};

/** The customer's line for each screen-sharing state (control is shown loud: see notify). */
const screenKeys = {
  viewing: 'screenViewing', 'view-stopped': 'screenViewStopped', control: 'screenControl', 'control-paused': 'screenControlPaused',
  'control-resumed': 'screenControlResumed', 'control-stopped': 'screenControlStopped',
} as const;

/** Why a screen request could not even be asked (the capability's stable key) → the customer's words. */
const unavailableKeys: Record<string, 'screenNotYet' | 'screenWaylandShort' | 'screenNoDisplay'> = {
  unsupported_os: 'screenNotYet', wayland: 'screenWaylandShort', no_display: 'screenNoDisplay',
};

/** How each event reads in the terminal; null prints nothing. */
const renderers: Renderers = {
  connecting: (e, t) => t('connecting', { server: e.server }),
  connected: (e, t) => t('connected', { name: e.technician || '—' }),
  notice: (e, t) => (e.key === 'screenWayland' ? t('screenWayland', { server: e.server }) : t('screenNotOnOs', { os: e.os })),
  waiting: (_e, t) => t('waiting'),
  ready: (e, t) => t(e.rekeyed ? 'rekeyed' : 'ready', { sas: e.sas }),
  'peer-left': (_e, t) => t('peerLeft'),
  reconnecting: (_e, t) => t('reconnecting'),
  reconnected: (_e, t) => t('reconnected'),
  chat: (e, t) => `${t('technician')}: ${e.text}`,
  answered: (e, t) => t(e.granted ? 'granted' : 'denied'),
  refused: (e, t) => {
    if (e.reason === 'unavailable') return t('refusedUnavailable', { capability: e.capability, reason: t(unavailableKeys[e.why ?? ''] ?? 'screenNotYet') });
    if (e.reason === 'too_large') return t('refusedTooLarge', { capability: e.capability });
    return t('refusedInvalidGrant', { capability: e.capability, reason: e.reason });
  },
  progress: (e, t, lang) => t(e.direction === 'send' ? 'progressSend' : 'progressReceive', {
    name: e.name, percent: e.total ? Math.floor((e.bytes / e.total) * 100) : 100, done: formatBytes(e.bytes, lang), total: formatBytes(e.total, lang),
  }),
  'file-received': (e, t) => t('fileReceived', { name: e.name, path: e.path }),
  'file-sent': (e, t) => t('fileSent', { name: e.name }),
  'file-failed': (e, t) => (e.direction === 'receive' ? t('fileNotSaved', { name: e.name, reason: e.reason }) : e.reason === 'refused' ? t('fileSendRefused', { name: e.name }) : t('fileSendFailed', { name: e.name, reason: e.reason })),
  screen: (e, t) => (e.state === 'unavailable' ? t('screenUnavailable', { reason: e.detail ?? '' }) : t(screenKeys[e.state])),
  ended: (e, t, lang) => (e.by === 'customer' ? t('endedByYou') : t('endedBy', { by: byLabel(e.by, lang) })),
  alert: (e, t) => `${t('alert')}\n${t('alertCode', { code: e.code })}`,
  error: (e, t) => {
    if (e.code === 'pin_refused') return t('pinRefused', { message: e.message });
    if (e.code === 'cannot_connect') return t('cannotConnect', { message: e.message });
    return t('errorPrefix', { message: e.message });
  },
};

/**
 * The interactive terminal: readline, the customer's language, prompts answered with [y/N].
 * Lines starting with `/` are commands; other lines answer the oldest open prompt or, when
 * none is open, are chat. Ctrl-C asks before ending the session.
 */
export class TerminalUi implements AgentUi {
  private readonly t: Translate;
  private readonly prompts: PromptQueue;
  private readonly listeners: ((command: Command) => void)[] = [];
  private readonly rl: Interface;
  private readonly tty: boolean;
  private readonly look: typeof style;
  private confirmingEnd = false;
  private closed = false;

  /** `company`: the appliance's company (the signed program carries it), named in the banner and the window title. */
  constructor(input: Readable & { isTTY?: boolean }, private readonly output: Writable & { isTTY?: boolean }, private readonly lang: Lang, private readonly company = '') {
    this.t = translator(lang);
    this.tty = Boolean(output.isTTY);
    this.look = this.tty ? style : plain;
    this.prompts = new PromptQueue((prompt) => this.showPrompt(prompt), (reason) => this.print(this.t('errorPrefix', { message: reason })));
    this.rl = createInterface({ input, output, terminal: Boolean(input.isTTY) });
    this.rl.setPrompt('> ');
    this.rl.on('line', (line) => this.onLine(line));
    this.rl.on('SIGINT', () => this.interrupt());
    this.rl.on('close', () => {
      if (!this.closed) this.emit({ kind: 'end' });
    });
    this.setTitle(false);
    this.print(this.look.bold(this.name()));
    this.print(this.look.dim(this.t('help')));
    this.print(this.look.dim(this.t('howToQuit')));
  }

  private name(): string {
    return `${this.t('title')}${this.company ? ` – ${this.company}` : ''}`;
  }

  /**
   * The window's title says what runs (on Windows the console window's title bar, in a terminal
   * its tab), and loudly while the technician controls the computer; reset when the program ends.
   */
  private setTitle(controlled: boolean | null): void {
    if (!this.tty) return;
    const title = controlled === null ? '' : `${controlled ? `${this.t('titleControlled')} – ` : ''}${this.name()}`;
    this.output.write(`\x1b]0;${title}\x07`);
  }

  notify(event: UiEvent): void {
    const text = (renderers[event.event] as (e: UiEvent, t: Translate, lang: Lang) => string | null)(event, this.t, this.lang);
    if (text === null) return;
    if (event.event === 'alert') return this.print(`\n${this.look.red(text.split('\n')[0]!)}\n${text.split('\n').slice(1).join('\n')}\n`);
    if (event.event === 'ready') return this.print(`\n${'='.repeat(Math.min(text.length, 78))}\n${this.look.bold(text)}\n${'='.repeat(Math.min(text.length, 78))}\n`);
    if (event.event === 'progress') return this.progress(text, event.bytes >= event.total);
    // While someone else moves their mouse, the customer must not miss it.
    if (event.event === 'screen') this.setTitle(event.state === 'control' || event.state === 'control-resumed');
    if (event.event === 'screen' && (event.state === 'control' || event.state === 'control-resumed')) return this.print(`\n${this.look.red(text)}\n`);
    this.print(text);
  }

  ask(prompt: Prompt, check?: AnswerCheck): Promise<PromptAnswer> {
    return this.prompts.add(prompt, check);
  }

  onCommand(listener: (command: Command) => void): void {
    this.listeners.push(listener);
  }

  interrupt(): void {
    if (this.confirmingEnd) return this.emit({ kind: 'end' });
    this.confirmingEnd = true;
    this.print(this.look.bold(this.t('confirmEnd')));
  }

  close(): void {
    if (!this.closed) this.setTitle(null);
    this.closed = true;
    this.prompts.refuseAll();
    this.rl.close();
  }

  private onLine(raw: string): void {
    const line = raw.trim();
    if (this.confirmingEnd) {
      this.confirmingEnd = false;
      if (isYes(line)) return this.emit({ kind: 'end' });
      return this.print(this.t('notEnded'));
    }
    if (line.startsWith('/')) return this.command(line);
    const oldest = this.prompts.oldest;
    if (oldest?.kind === 'path') {
      const refused = line === '' || isNo(line);
      void this.prompts.answer(refused ? { granted: false } : { granted: true, path: expandPath(line) });
    } else if (oldest && (line === '' || isYes(line) || isNo(line))) {
      void this.prompts.answer({ granted: isYes(line) });
    } else if (oldest) {
      // Text that is no answer (the customer was typing a chat line): send it, ask again.
      this.emit({ kind: 'chat', text: line });
      this.showPrompt(oldest);
    } else if (line) {
      this.emit({ kind: 'chat', text: line });
    }
    if (this.tty) this.rl.prompt();
  }

  private command(line: string): void {
    const [name = '', ...rest] = line.split(' ');
    const arg = rest.join(' ').trim();
    if (name === '/end' || name === '/quit') return this.emit({ kind: 'end' });
    if (name === '/send' && arg) return this.emit({ kind: 'send', path: expandPath(arg) });
    if (name === '/help') return this.print(this.t('help'));
    if (name === '/stop-screen' || name === '/stop-control') return this.emit({ kind: name.slice(1) as 'stop-screen' | 'stop-control' });
    this.print(this.t('unknownCommand', { command: name }));
  }

  private showPrompt(prompt: Prompt): void {
    const t = this.t;
    const size = prompt.detail.size === undefined ? '?' : formatBytes(prompt.detail.size, this.lang);
    const question: Record<string, () => string> = {
      diagnostics: () => `${t('askDiagnostics')}\n${t('allowYesNo')}`,
      'screen.view': () => `${t('askScreenView')}\n${t('allowYesNo')}`,
      'screen.control': () => `${t('askScreenControl')}\n${t('allowYesNo')}`,
      'file.send': () => `${prompt.detail.name ? t('askFileSend', { name: prompt.detail.name, size }) : t('askFileSendUnnamed')}\n${t('acceptYesNo')}`,
      'file.receive': () => `${t('askFileReceive', { hint: prompt.detail.name ? t('askFileReceiveHint', { name: prompt.detail.name }) : '' })}\n${t('pathPrompt')}`,
    };
    this.print(this.look.bold(`\n${(question[prompt.capability] ?? (() => `${prompt.capability}?\n${t('allowYesNo')}`))()}`));
  }

  private emit(command: Command): void {
    for (const listener of this.listeners) listener(command);
  }

  private progress(text: string, done: boolean): void {
    if (!this.tty) return done ? this.print(text) : undefined;
    this.output.write(`\r\x1b[2K${text}${done ? '\n' : ''}`);
    if (done) this.rl.prompt(true);
  }

  /** Prints above the input line without mangling what the customer is typing. */
  private print(text: string): void {
    if (this.tty) this.output.write('\r\x1b[2K');
    this.output.write(`${text}\n`);
    if (this.tty && !this.closed) this.rl.prompt(true);
  }
}

/** `~/x` → home/x; surrounding quotes (from drag and drop) removed. */
function expandPath(value: string): string {
  const unquoted = value.replace(/^(['"])(.*)\1$/, '$2');
  return unquoted === '~' || unquoted.startsWith('~/') ? homedir() + unquoted.slice(1) : unquoted;
}
