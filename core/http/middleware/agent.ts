import type { MiddlewareHandler } from 'hono';
import { findActiveByAgentToken } from '../../sessions/support-sessions.js';
import { hashToken } from '../../support/secrets.js';
import type { AppEnv } from '../env.js';

/**
 * Resolves `Authorization: Agent rba_…` to the live support session it belongs to. A token of
 * an ended session resolves to nothing, so an agent loses access the moment the session ends.
 */
export function resolveAgent(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('agentSession', null);
    const token = /^Agent\s+(rba_\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (token) c.set('agentSession', await findActiveByAgentToken(c.get('services').db, hashToken(token)));
    await next();
  };
}
