import { signToken } from '../../relay/tickets.js';
import type { Services } from '../http/env.js';
import { newId } from '../support/secrets.js';

/** How long a relay join ticket is valid: long enough to connect, too short to be worth stealing. */
export const TICKET_TTL_MS = 60_000;
/** How long a signed permission grant is valid: the agent must see it before asking the customer. */
export const GRANT_TTL_MS = 120_000;

/** Signs a single-use join ticket for one side of a session. */
export function issueTicket(services: Services, sessionId: string, role: 'technician' | 'customer'): { ticket: string; expiresAt: number } {
  const expiresAt = services.clock.now() + TICKET_TTL_MS;
  return { ticket: signToken({ v: 1, sid: sessionId, role, jti: newId(), exp: expiresAt }, services.signing.privateKey), expiresAt };
}

/** The capabilities a technician asks the customer for, and the group permission each needs. */
export const capabilityPermission = {
  diagnostics: 'diagnostics',
  'file.send': 'file_transfer',
  'file.receive': 'file_transfer',
  'screen.view': 'remote_view',
  'screen.control': 'remote_control',
} as const;

export type GrantCapability = keyof typeof capabilityPermission;

/**
 * Signs a permission grant: the broker's word that this technician's groups allow the
 * capability in this session. The agent checks it before it even asks the customer, so a
 * technician without the permission cannot get it by talking to the agent directly.
 */
export function issueGrant(services: Services, sessionId: string, capability: GrantCapability): { grant: string; expiresAt: number } {
  const expiresAt = services.clock.now() + GRANT_TTL_MS;
  return { grant: signToken({ v: 1, kind: 'grant', sid: sessionId, capability, jti: newId(), exp: expiresAt }, services.signing.privateKey), expiresAt };
}
