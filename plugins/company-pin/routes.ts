import type { Context } from 'hono';
import { z } from 'zod';
import { getGroup } from '../../core/accounts/groups.js';
import { getUser } from '../../core/accounts/users.js';
import { adminRoles, staffRoles } from '../../core/auth/roles.js';
import type { AppEnv, Principal } from '../../core/http/env.js';
import { ApiError } from '../../core/http/errors.js';
import { defineRoute, type RouteSpec } from '../../core/http/route.js';
import { issueJoinCode, limitTokenAttempts, requestOrigin } from '../../core/http/routes/pin/index.js';
import { PolicyDenied } from '../../core/sessions/service.js';
import { findLinkRow, insertLink, linkKey, listLinkRows, PLUGIN_ID, revokeLink, toChannelLink, updateLink, type ChannelLink } from './links.js';
import { ChannelRefused, claimQueued, listQueue, startChannelSession } from './queue.js';

const base = `/api/v1/plugins/${PLUGIN_ID}`;
const admins = { roles: adminRoles } as const;

/** Where customers open a link: the appliance's PIN page with the link's token. */
function linkUrl(c: Context<AppEnv>, token: string): string {
  const origin = c.get('services').config.publicUrl ?? new URL(c.req.url).origin;
  return `${origin.replace(/\/$/, '')}/pin?channel=${encodeURIComponent(token)}`;
}

/**
 * A link with its URL and a desktop shortcut for it. The agent has no `--channel` option yet, so
 * the shortcut opens the link page, which starts the session and shows the agent's start command.
 */
function withUrls(c: Context<AppEnv>, link: ChannelLink) {
  const url = linkUrl(c, link.token);
  return { ...link, url, shortcut: `[InternetShortcut]\r\nURL=${url}\r\n` };
}

/** The technician groups a caller picks queued sessions up for; null (every queue) for admins. */
async function queueGroups(c: Context<AppEnv>, principal: Principal): Promise<string[] | null> {
  if (adminRoles.includes(principal.role)) return null;
  return (await getUser(c.get('services').db, principal.userId))?.groups ?? [];
}

/** Starts a channel session for a token; shared with the domain-validation form endpoint. */
export async function startFromLink(c: Context<AppEnv>, token: string, presented: { formToken: string | null; companyId: string | null }) {
  // A link token is HMAC-signed, not guessable: the per-IP limit applies, not the PIN lanes' budgets a flood could use up.
  await limitTokenAttempts(c);
  try {
    const { sessionId, code } = await startChannelSession(c.get('services'), token, c.get('clientIp'), { origin: requestOrigin(c), ...presented });
    return { sessionId, pin: code, ...issueJoinCode(c, sessionId) };
  } catch (error) {
    // One answer for a bad link and a refused one: the caller is anonymous; the audit log has the reason.
    if (error instanceof ChannelRefused || error instanceof PolicyDenied) throw new ApiError('invalid_request', new ChannelRefused('invalid_link').message, { reason: 'invalid_channel_link' });
    throw error;
  }
}

const linkBody = z.object({
  name: z.string().trim().min(1).max(100),
  groupId: z.string().min(1).max(64),
  expiresAt: z.number().int().positive().nullable().optional(),
}).strict();

/** The company-pin plugin's API: its company id, channel links (admins), channel starts (customers), the queue (technicians). */
export function companyPinRoutes(companyId: () => Promise<string>): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: `${base}/company`, tag: 'plugins', summary: 'This appliance\'s company id, which the PIN page presents with each PIN.',
      access: { public: true, reason: 'the PIN page shows it to anonymous customers; it identifies, it does not authorize' }, responses: { 200: '{ companyId }' },
      handler: async (c) => c.json({ companyId: await companyId() }),
    }),
    defineRoute({
      method: 'get', path: `${base}/links`, tag: 'plugins', summary: 'Channel links ("desktop shortcuts") with their URL and agent start command.', access: admins,
      responses: { 200: '{ links }' },
      handler: async (c) => {
        const { db, clock } = c.get('services');
        const key = await linkKey(c.get('services'), clock.now());
        return c.json({ links: (await listLinkRows(db)).map((row) => withUrls(c, toChannelLink(row, key, clock.now()))) });
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/links`, tag: 'plugins', summary: 'Create a channel link for a technician group.', access: admins, body: linkBody,
      responses: { 201: '{ link }', 400: 'unknown group or expiry in the past' },
      handler: async (c, { body, principal }) => {
        const { db, clock, audit } = c.get('services');
        const now = clock.now();
        if (!(await getGroup(db, body.groupId))) throw new ApiError('invalid_request', 'No such technician group.', { reason: 'unknown_group' });
        if (body.expiresAt && body.expiresAt <= now) throw new ApiError('invalid_request', 'The expiry must be in the future.', { reason: 'expiry_in_past' });
        const row = await insertLink(db, { name: body.name, groupId: body.groupId, createdBy: principal!.userId, expiresAt: body.expiresAt ?? null, now });
        await audit.record({ action: 'channel_link.create', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'channel_link', targetId: row.id, details: { name: row.name, groupId: row.group_id, expiresAt: row.expires_at } });
        return c.json({ link: withUrls(c, toChannelLink(row, await linkKey(c.get('services'), now), now)) }, 201);
      },
    }),
    defineRoute({
      method: 'patch', path: `${base}/links/:id`, tag: 'plugins', summary: 'Rename a channel link or change its expiry (null: never).', access: admins,
      body: z.object({ name: z.string().trim().min(1).max(100).optional(), expiresAt: z.number().int().positive().nullable().optional() }).strict(),
      responses: { 200: '{ link }', 400: 'expiry in the past', 404: 'No such active link' },
      handler: async (c, { body, params, principal }) => {
        const { db, clock, audit } = c.get('services');
        const now = clock.now();
        if (body.expiresAt && body.expiresAt <= now) throw new ApiError('invalid_request', 'The expiry must be in the future.', { reason: 'expiry_in_past' });
        if (!(await updateLink(db, params.id!, body))) throw new ApiError('not_found', 'No such active channel link.');
        const row = (await findLinkRow(db, params.id!))!;
        await audit.record({ action: 'channel_link.update', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'channel_link', targetId: row.id, details: body });
        return c.json({ link: withUrls(c, toChannelLink(row, await linkKey(c.get('services'), now), now)) });
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/links/:id`, tag: 'plugins', summary: 'Revoke a channel link: it starts nothing any more.', access: admins,
      responses: { 204: 'Revoked', 404: 'No such active link' },
      handler: async (c, { params, principal }) => {
        const { db, clock, audit } = c.get('services');
        const link = await findLinkRow(db, params.id!);
        if (!link || !(await revokeLink(db, link.id, principal!.userId, clock.now()))) throw new ApiError('not_found', 'No such active channel link.');
        await audit.record({ action: 'channel_link.revoke', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'channel_link', targetId: link.id, details: { name: link.name } });
        return c.body(null, 204);
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/start`, tag: 'plugins', summary: 'A customer starts support from a channel link, without a PIN: the session waits in the link group\'s queue.',
      access: { public: true, reason: 'customers have no account: the signed, revocable channel link is the credential, rate limited per IP like PINs' },
      body: z.object({ token: z.string().min(1).max(300), companyId: z.string().trim().min(1).max(100).optional() }).strict(),
      responses: { 200: '{ sessionId, pin, joinCode, expiresAt }', 400: 'invalid_channel_link (unknown, revoked, expired or refused by policy)', 429: 'rate_limited' },
      handler: async (c, { body }) => c.json(await startFromLink(c, body.token, { formToken: null, companyId: body.companyId ?? null })),
    }),
    defineRoute({
      method: 'get', path: `${base}/queue`, tag: 'plugins', summary: 'Sessions waiting in the queues of the caller\'s technician groups (all queues for admins).', access: { roles: staffRoles },
      responses: { 200: '{ sessions }' },
      handler: async (c, { principal }) => c.json({ sessions: await listQueue(c.get('services'), await queueGroups(c, principal!)) }),
    }),
    defineRoute({
      method: 'post', path: `${base}/queue/:id/claim`, tag: 'plugins', summary: 'Pick a queued session up (once): it becomes the caller\'s, with its session code for the handshake.', access: { roles: staffRoles },
      responses: { 200: '{ sessionId, pin }', 404: 'Not in one of the caller\'s queues, or already picked up' },
      handler: async (c, { params, principal }) => {
        const services = c.get('services');
        const claimed = await claimQueued(services, params.id!, principal!.userId, await queueGroups(c, principal!));
        await services.audit.record({ action: 'channel.claim', outcome: claimed ? 'success' : 'failure', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'support_session', targetId: params.id! });
        if (!claimed) throw new ApiError('not_found', 'This session is not waiting in one of your queues (someone may have picked it up).');
        return c.json(claimed);
      },
    }),
  ];
}
