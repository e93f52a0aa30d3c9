import { z } from 'zod';
import { signToken } from '../../../../relay/tickets.js';
import { endSupportSession } from '../../../sessions/end.js';
import { newId } from '../../../support/secrets.js';
import { issueTicket } from '../../../sessions/tickets.js';
import { defineRoute } from '../../route.js';
import { agentRefusedAnswer } from '../pin/index.js';

const agent = { agent: true } as const;

const eventBody = z.discriminatedUnion('event', [
  z.object({ event: z.literal('hello'), hostname: z.string().max(255), os: z.string().max(255), agentVersion: z.string().max(50), client: z.enum(['agent', 'browser']).optional() }).strict(),
  z.object({ event: z.literal('consent'), capability: z.string().max(50), granted: z.boolean(), requestId: z.string().max(64) }).strict(),
  z.object({
    event: z.literal('file'), direction: z.enum(['to_customer', 'from_customer']), name: z.string().max(255), size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/), outcome: z.enum(['delivered', 'refused', 'failed']),
  }).strict(),
  z.object({ event: z.literal('capability.stopped'), capability: z.string().max(50) }).strict(),
  z.object({
    event: z.literal('screen'), action: z.enum(['view.start', 'view.stop', 'control.start', 'control.stop', 'control.paused', 'control.resumed']),
    by: z.enum(['customer', 'technician', 'system']),
  }).strict(),
]);

/** How long a handover code (browser page → agent) stays valid. */
const HANDOVER_TTL_MS = 10 * 60_000;

/** Calls of the customer's agent, authenticated by its session-bound agent token. */
export const agentRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/agent/handover', tag: 'agent', summary: 'The customer\'s browser page asks for a join code that continues this session in the agent (single use, 10 minutes).', access: agent,
    responses: { 200: '{ joinCode, expiresAt }' },
    handler: async (c, { agentSession }) => {
      const services = c.get('services');
      const session = agentSession!;
      const row = await services.db.selectFrom('support_sessions').select('agent_token_hash').where('id', '=', session.id).executeTakeFirstOrThrow();
      const expiresAt = services.clock.now() + HANDOVER_TTL_MS;
      // Bound to the page's current token: once the agent took over (new token), the code is spent.
      const joinCode = signToken({ v: 1, kind: 'handover', sid: session.id, prev: row.agent_token_hash, jti: newId(), exp: expiresAt }, services.signing.privateKey);
      await services.audit.record({ action: 'agent.handover.offer', outcome: 'info', ip: c.get('clientIp'), actorEmail: 'customer', targetType: 'support_session', targetId: session.id });
      return c.json({ joinCode, expiresAt });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/agent/ticket', tag: 'agent', summary: 'A fresh single-use relay ticket (to reconnect after a network cut).', access: agent,
    responses: { 200: '{ ticket, expiresAt }', 403: 'policy_denied (one neutral answer; the reason is audited)' },
    handler: async (c, { agentSession }) => {
      const services = c.get('services');
      const session = agentSession!;
      const decision = await services.pipeline.decide('agentConnect', {
        ip: c.get('clientIp'), at: services.clock.now(), actor: null, sessionId: session.id, channel: session.channel, facts: {}, agentVersion: null, hostname: null,
      }, { type: 'support_session', id: session.id });
      if (decision.outcome !== 'allow') throw agentRefusedAnswer();
      await services.audit.record({ action: 'agent.connect', outcome: 'success', ip: c.get('clientIp'), targetType: 'support_session', targetId: session.id });
      return c.json(issueTicket(services, session.id, 'customer'));
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/agent/events', tag: 'agent', summary: 'The agent reports what the customer decided and what was transferred, for the audit log.', access: agent, body: eventBody,
    responses: { 204: 'Recorded' },
    handler: async (c, { body, agentSession }) => {
      const services = c.get('services');
      const session = agentSession!;
      if (body.event === 'hello') {
        await services.db.updateTable('support_sessions').set({ customer_info: JSON.stringify({ hostname: body.hostname, os: body.os, agentVersion: body.agentVersion, client: body.client ?? 'agent' }) }).where('id', '=', session.id).execute();
      }
      const action = body.event === 'screen' ? `screen.${body.action}` : { hello: 'agent.connect', consent: 'permission.consent', file: 'file.transfer', 'capability.stopped': 'permission.stopped' }[body.event];
      const outcome = body.event === 'consent' ? (body.granted ? 'allow' : 'deny') : body.event === 'file' ? (body.outcome === 'delivered' ? 'success' : 'failure') : 'info';
      const { event: _event, ...details } = body;
      await services.audit.record({ action, outcome, ip: c.get('clientIp'), actorEmail: 'customer', targetType: 'support_session', targetId: session.id, details });
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/agent/end', tag: 'agent', summary: 'The customer ends the session from the agent.', access: agent,
    body: z.object({ reason: z.string().max(200).default('customer ended the session') }).strict(),
    responses: { 204: 'Ended' },
    handler: async (c, { body, agentSession }) => {
      await endSupportSession(c.get('services'), agentSession!.id, 'customer', body.reason, { ip: c.get('clientIp'), email: 'customer' });
      return c.body(null, 204);
    },
  }),
];
