import type { Capability } from '../../protocol/messages.js';
import { request } from '../api/client.js';
import type { RelayTicket } from './connection.js';

/** The broker's support-session and PIN-page endpoints, as the console and PIN page use them. */

/** A support session as the broker lists it. */
export interface SupportSession {
  id: string;
  technicianId: string;
  status: 'waiting' | 'active' | 'ended' | 'expired';
  channel: string;
  createdAt: number;
  expiresAt: number;
  redeemedAt: number | null;
  redeemedIp: string | null;
  agentConnected: boolean;
  customer: { hostname?: string; os?: string };
}

/** The PIN page's look and words (GET /api/v1/branding). */
export interface Branding {
  companyName: string;
  colors: { primary: string; background: string; text: string };
  texts: Record<'de' | 'en', { welcome: string; help: string }>;
  hasLogo: boolean;
}

const enc = encodeURIComponent;

/** The technician's session endpoints. */
export const sessionsApi = {
  create: () => request<{ id: string; pin: string; expiresAt: number; session: SupportSession }>('POST', '/api/v1/sessions', {}),
  list: () => request<{ sessions: SupportSession[] }>('GET', '/api/v1/sessions'),
  join: (id: string) => request<RelayTicket & { expiresAt: number }>('POST', `/api/v1/sessions/${enc(id)}/join`),
  end: (id: string) => request<void>('POST', `/api/v1/sessions/${enc(id)}/end`),
  grant: (id: string, capability: Capability) => request<{ grant: string }>('POST', `/api/v1/sessions/${enc(id)}/grants`, { capability }),
};

/** The customer's PIN page endpoints (public). */
export const pinPageApi = {
  branding: () => request<Branding>('GET', '/api/v1/branding'),
  joinCode: (pin: string) => request<{ joinCode: string; expiresAt: number }>('POST', '/api/v1/pin/join-code', { pin }),
};
