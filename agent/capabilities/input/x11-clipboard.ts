import { MAX_CLIPBOARD_CHARS } from '../../../protocol/screen-messages.js';
import { call, closeDisplay, openDisplay, requireExtension, type XDisplay } from '../screen/x11-client.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const SELECTION_NOTIFY = 31;
const ATOM = 4;
const STRING = 31;
/** How long a clipboard owner may take to answer. */
const READ_TIMEOUT_MS = 2_000;

/**
 * The X11 CLIPBOARD as plain text, both ways: `set` makes us the owner and serves the text to
 * whoever pastes (UTF8_STRING, STRING, TARGETS); `onChange` fires with the text when someone
 * else on the customer's desktop copies (XFIXES selection events), which we then read.
 */
export class X11Clipboard {
  private text = '';
  private readonly listeners: ((text: string) => void)[] = [];
  private pendingRead: ((property: number) => void) | null = null;

  private constructor(private readonly display: XDisplay, private readonly window: number, private readonly atoms: Record<'CLIPBOARD' | 'UTF8_STRING' | 'TARGETS' | 'TEXT' | 'PROPERTY', number>) {
    display.client.on('event', (event: any) => this.onEvent(event));
  }

  /** Connects, makes a hidden window for selection traffic and watches the clipboard's owner. */
  static async open(name: string): Promise<X11Clipboard> {
    const display = await openDisplay(name);
    try {
      const X = display.client;
      const intern = (atom: string) => call<number>(X, 'InternAtom', false, atom);
      const atoms = {
        CLIPBOARD: await intern('CLIPBOARD'), UTF8_STRING: await intern('UTF8_STRING'), TARGETS: await intern('TARGETS'),
        TEXT: await intern('TEXT'), PROPERTY: await intern('RESCUEBOX_CLIPBOARD'),
      };
      const window = X.AllocID();
      X.CreateWindow(window, display.root, 0, 0, 1, 1, 0, 0, 2, 0, {});
      const fixes = await requireExtension(X, 'fixes');
      fixes.SelectSelectionInput(window, atoms.CLIPBOARD, fixes.SelectionEventMask.SetSelectionOwner);
      return new X11Clipboard(display, window, atoms);
    } catch (error) {
      closeDisplay(display);
      throw error;
    }
  }

  /** Calls `listener` with the new text whenever another program takes the clipboard. */
  onChange(listener: (text: string) => void): void {
    this.listeners.push(listener);
  }

  /** Puts text on the customer's clipboard. */
  set(text: string): void {
    this.text = text.slice(0, MAX_CLIPBOARD_CHARS);
    this.display.client.SetSelectionOwner(this.window, this.atoms.CLIPBOARD, 0);
  }

  /** Reads the clipboard's text from its owner, or null when there is none or no text. */
  async read(): Promise<string | null> {
    if (this.pendingRead) return null;
    const X = this.display.client;
    const property = await new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(0), READ_TIMEOUT_MS);
      this.pendingRead = (value) => {
        clearTimeout(timer);
        resolve(value);
      };
      X.ConvertSelection(this.window, this.atoms.CLIPBOARD, this.atoms.UTF8_STRING, this.atoms.PROPERTY, 0);
    });
    this.pendingRead = null;
    if (property === 0) return null;
    const value = await call<{ data: Buffer }>(X, 'GetProperty', 1, this.window, property, 0, 0, Math.ceil((MAX_CLIPBOARD_CHARS * 4) / 4));
    return value.data.toString('utf8').slice(0, MAX_CLIPBOARD_CHARS);
  }

  close(): void {
    closeDisplay(this.display);
  }

  private onEvent(event: any): void {
    if (event.name === 'SelectionRequest') return this.serve(event);
    if (event.name !== 'SelectionNotify') return;
    if ('requestor' in event) {
      // core: the answer to our ConvertSelection
      if (event.requestor === this.window) this.pendingRead?.(event.property);
    } else if (event.owner !== this.window && event.owner !== 0) {
      // XFIXES: someone else copied something
      void this.read().then((text) => {
        if (text !== null && text !== this.text) for (const listener of this.listeners) listener(text);
      });
    }
  }

  /** Answers a paste request with our text (or refuses targets we do not offer). */
  private serve(request: { requestor: number; selection: number; target: number; property: number; time: number }): void {
    const X = this.display.client;
    const property = request.property || request.target;
    const { UTF8_STRING, TARGETS, TEXT } = this.atoms;
    let answered = property;
    if (request.target === TARGETS) X.ChangeProperty(0, request.requestor, property, ATOM, 32, [TARGETS, UTF8_STRING, STRING, TEXT]);
    else if (request.target === UTF8_STRING || request.target === TEXT) X.ChangeProperty(0, request.requestor, property, UTF8_STRING, 8, Buffer.from(this.text, 'utf8'));
    else if (request.target === STRING) X.ChangeProperty(0, request.requestor, property, STRING, 8, Buffer.from(this.text, 'latin1'));
    else answered = 0;
    const notify = Buffer.alloc(32);
    notify[0] = SELECTION_NOTIFY;
    notify.writeUInt32LE(request.time >>> 0, 4);
    notify.writeUInt32LE(request.requestor >>> 0, 8);
    notify.writeUInt32LE(request.selection >>> 0, 12);
    notify.writeUInt32LE(request.target >>> 0, 16);
    notify.writeUInt32LE(answered >>> 0, 20);
    X.SendEvent(request.requestor, 0, 0, notify);
  }
}
