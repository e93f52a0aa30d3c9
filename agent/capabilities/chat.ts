import { randomUUID } from 'node:crypto';
import type { AgentCapability, CapabilityContext } from './types.js';

/** The protocol's longest chat text; longer lines go out in pieces. */
const MAX_CHAT = 4000;

/** Chat: the technician's lines are shown; the customer's lines are sent. */
export function chatCapability(ctx: CapabilityContext): AgentCapability {
  return {
    id: 'chat',
    handlers: {
      chat: (message) => ctx.ui.notify({ event: 'chat', text: message.text, from: 'technician' }),
    },
    commands: {
      chat: async ({ text }) => {
        for (let start = 0; start < text.length; start += MAX_CHAT) {
          await ctx.send({ type: 'chat', id: randomUUID(), text: text.slice(start, start + MAX_CHAT), at: Date.now() });
        }
      },
    },
  };
}
