import { z } from 'zod';

/**
 * The broker's API for customer clients (the agent and the browser page) — what they get when
 * they join and what they report — defined once so both read the same shapes.
 */

/** What the broker hands a customer client when it joins: credential, first ticket, relay, grant key. */
export interface Bootstrap {
  sessionId: string;
  agentToken: string;
  ticket: string;
  expiresAt: number;
  relay: { path: string; ports: number[] };
  grantKey: string;
  technician: { displayName: string };
}

/** Validates the broker's join answer (POST /api/v1/pin/redeem, /api/v1/agent/join). */
export const bootstrapSchema = z.object({
  sessionId: z.string().min(1).max(200),
  agentToken: z.string().min(1).max(500),
  ticket: z.string().min(1).max(4096),
  expiresAt: z.number(),
  relay: z.object({ path: z.string().startsWith('/').max(200), ports: z.array(z.number().int().min(1).max(65535)).min(1).max(16) }),
  grantKey: z.string().includes('PUBLIC KEY'),
  technician: z.object({ displayName: z.string().max(300) }).default({ displayName: '' }),
});

/** Which kind of customer client runs the session (the audit and the incident summary say it). */
export type CustomerClient = 'agent' | 'browser';

/** The audit events a customer client reports (see core/http/routes/agent). */
export type CustomerEvent =
  | { event: 'hello'; hostname: string; os: string; agentVersion: string; client?: CustomerClient }
  | { event: 'consent'; capability: string; granted: boolean; requestId: string }
  | { event: 'file'; direction: 'to_customer' | 'from_customer'; name: string; size: number; sha256: string; outcome: 'delivered' | 'refused' | 'failed' }
  | { event: 'capability.stopped'; capability: string }
  | { event: 'screen'; action: 'view.start' | 'view.stop' | 'control.start' | 'control.stop' | 'control.paused' | 'control.resumed'; by: 'customer' | 'technician' | 'system' };
