import type { Message } from '../../../protocol/messages.js';
import type { ScreenInfo } from '../../../protocol/screen-messages.js';

// Below both the view (./index.ts) and the control capability (../input): the state they share.

/** Who ended or changed something, for the audit log and the messages. */
export type Actor = 'customer' | 'technician' | 'system';

/** The shared state of screen sharing that the view and the control capability both read. */
export interface ScreenShare {
  /** The shared screen, while viewing. */
  current(): ScreenInfo | null;
  /** Reports the state to the technician (screen.state). */
  report(reason?: Message<'screen.state'>['reason'], detail?: string): Promise<void>;
  /** Set by the control capability: off, active or paused. */
  control: Message<'screen.state'>['control'];
  /** Stops control (the view capability calls it when viewing stops). */
  stopControl?(by: Actor): Promise<void>;
}
