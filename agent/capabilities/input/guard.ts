import type { InputProbe } from './x11-input.js';

/** What the guard watches: the display's real input state and what we injected. */
export interface GuardSource {
  probe(): Promise<InputProbe>;
  /** Pointer positions, keycodes and buttons we held or touched within the last `ms`. */
  ours(ms: number): { moves: { x: number; y: number }[]; keys: Set<number>; buttons: Set<number> };
}

/** How long our own injected input may still show up in what the display reports. */
const OWN_INPUT_MS = 500;

/** Button1..5 masks of the core state, by button number. */
const BUTTON_MASK: Record<number, number> = { 1: 0x100, 2: 0x200, 3: 0x400, 4: 0x800, 5: 0x1000 };

/**
 * The customer always wins: polls the display and reports input we did not cause — the
 * pointer somewhere we did not put it, a button or a key down that we did not press. Then
 * remote input is paused until the customer has been still for `releaseMs`.
 */
export class LocalInputGuard {
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastSeen: { x: number; y: number } | null = null;
  private lastLocalAt = 0;
  private paused = false;
  private polling = false;

  constructor(
    private readonly source: GuardSource,
    private readonly events: { onPause(): void; onResume(): void },
    private readonly options = { intervalMs: 50, releaseMs: 1500 },
    private readonly now: () => number = Date.now,
  ) {}

  get isPaused(): boolean {
    return this.paused;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.options.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.paused = false;
  }

  /** One look at the display (exported for tests; the timer calls it). */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const state = await this.source.probe();
      if (this.isLocal(state)) {
        this.lastLocalAt = this.now();
        if (!this.paused) {
          this.paused = true;
          this.events.onPause();
        }
      } else if (this.paused && this.now() - this.lastLocalAt >= this.options.releaseMs) {
        this.paused = false;
        this.events.onResume();
      }
      this.lastSeen = { x: state.x, y: state.y };
    } catch {
      // the display went away; the capability notices on its own
    } finally {
      this.polling = false;
    }
  }

  /** Whether the state shows input that is not ours. */
  isLocal(state: InputProbe): boolean {
    const ours = this.source.ours(OWN_INPUT_MS);
    for (const key of state.keys) if (!ours.keys.has(key)) return true;
    for (const [button, mask] of Object.entries(BUTTON_MASK)) if (state.buttons & mask && !ours.buttons.has(Number(button))) return true;
    const moved = this.lastSeen !== null && (state.x !== this.lastSeen.x || state.y !== this.lastSeen.y);
    return moved && !ours.moves.some((m) => m.x === state.x && m.y === state.y);
  }
}
