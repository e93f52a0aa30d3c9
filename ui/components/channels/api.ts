import { request } from '../../api/client.js';

/** A channel link as the admin console shows it. */
export interface ChannelLink {
  id: string;
  name: string;
  groupId: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  status: 'active' | 'expired' | 'revoked';
  token: string;
  url: string;
  shortcut: string;
}

/** A session waiting in a technician group's queue. */
export interface QueuedSession {
  id: string;
  groupId: string;
  groupName: string;
  linkName: string;
  createdAt: number;
  redeemedIp: string | null;
  agentConnected: boolean;
  customer: { hostname?: string; os?: string };
}

/** What a started channel or a hosted form gives the PIN page: the agent's join code and the session code. */
export interface Joined {
  joinCode: string;
  expiresAt: number;
  pin: string;
}

const cp = '/api/v1/plugins/company-pin';
const dv = '/api/v1/plugins/domain-validation';

/** The company-pin plugin's API. */
export const channelsApi = {
  links: () => request<{ links: ChannelLink[] }>('GET', `${cp}/links`),
  createLink: (input: { name: string; groupId: string; expiresAt: number | null }) => request<{ link: ChannelLink }>('POST', `${cp}/links`, input),
  revokeLink: (id: string) => request<void>('DELETE', `${cp}/links/${encodeURIComponent(id)}`),
  queue: () => request<{ sessions: QueuedSession[] }>('GET', `${cp}/queue`),
  claim: (id: string) => request<{ sessionId: string; pin: string }>('POST', `${cp}/queue/${encodeURIComponent(id)}/claim`),
  start: (token: string) => request<Joined & { sessionId: string }>('POST', `${cp}/start`, { token }),
  /** This appliance's company id, or null while the plugin is off. */
  companyId: () => request<{ companyId: string }>('GET', `${cp}/company`).then((r) => r.companyId, () => null),
};

let companyIdOnce: Promise<string | null> | null = null;

/** The PIN page's join code request, presenting this company's id when the company-pin plugin is on. */
export async function pinPageJoinCode(pin: string): Promise<{ joinCode: string; expiresAt: number }> {
  const companyId = await (companyIdOnce ??= channelsApi.companyId());
  return request('POST', '/api/v1/pin/join-code', companyId ? { pin, companyId } : { pin });
}

/** Options of a hosted form snippet. */
export interface SnippetRequest {
  origin: string;
  kind: 'pin' | 'channel';
  channelToken?: string;
  colours: { background: string; text: string; button: string; buttonText: string };
  texts: { title: string; label: string; button: string };
  script: boolean;
}

/** The domain-validation plugin's API. */
export const snippetApi = {
  domains: () => request<{ domains: string[]; version: string; applianceOrigin: string }>('GET', `${dv}/domains`),
  generate: (input: SnippetRequest) => request<{ html: string; token: string; version: string }>('POST', `${dv}/snippet`, input),
};

/** A join handed over in the URL fragment by a hosted form (never sent to a server); the fragment is cleared at once. */
export function takeJoinFromFragment(): Joined | null {
  if (!location.hash.startsWith('#join=')) return null;
  const params = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', location.pathname + location.search);
  const joinCode = params.get('join');
  const expiresAt = Number(params.get('exp'));
  const pin = params.get('pin');
  return joinCode && pin && /^\d{4,12}$/.test(pin) && Number.isFinite(expiresAt) ? { joinCode, expiresAt, pin } : null;
}
