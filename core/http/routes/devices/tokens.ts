import { z } from 'zod';
import { getGroup } from '../../../accounts/groups.js';
import { adminRoles } from '../../../auth/roles.js';
import { createDeploymentToken, listDeploymentTokens, revokeDeploymentToken } from '../../../devices/tokens.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';

const admins = { roles: adminRoles } as const;

const createTokenBody = z.object({
  label: z.string().trim().min(1).max(200),
  groupId: z.string().min(1).max(64),
  expiresInHours: z.number().int().min(1).max(24 * 90),
  maxUses: z.number().int().min(1).max(100_000),
  /** Days the enrolled devices' unattended access lasts; absent: until revoked. */
  accessDays: z.number().int().min(1).max(3650).optional(),
}).strict();

/**
 * The one-line install command for mass deployment (the token appears here and nowhere later).
 * curl verifies TLS as usual (add --cacert for a self-signed appliance); the agent then pins
 * the certificate by its fingerprint.
 */
function installCommand(origin: string, fingerprint: string | null, secret: string): string {
  const pin = fingerprint ? ` --fingerprint ${fingerprint}` : '';
  return `curl -fsS ${origin}/downloads/rescuebox-agent.mjs -o /tmp/rescuebox-agent.mjs && sudo node /tmp/rescuebox-agent.mjs enrol --server ${origin}${pin} --token ${secret} --install-service`;
}

/** Deployment tokens for enrolling many devices at once (admins only; secrets shown once). */
export const deploymentTokenRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/devices/tokens', tag: 'devices', summary: 'Deployment tokens (never their secrets).', access: admins,
    responses: { 200: '{ tokens }' },
    handler: async (c) => {
      const { db, clock } = c.get('services');
      return c.json({ tokens: await listDeploymentTokens(db, clock.now()) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/devices/tokens', tag: 'devices', summary: 'Create a deployment token (expiry, maximum uses, target technician group); its secret and install command are shown once.', access: admins,
    body: createTokenBody,
    responses: { 201: '{ token, secret, installCommand }', 400: 'Unknown group' },
    handler: async (c, { body, principal }) => {
      const services = c.get('services');
      if (!(await getGroup(services.db, body.groupId))) throw new ApiError('invalid_request', 'Unknown technician group.');
      const now = services.clock.now();
      const { token, secret } = await createDeploymentToken(services.db, now, {
        label: body.label, groupId: body.groupId, expiresAt: now + body.expiresInHours * 3_600_000, maxUses: body.maxUses, accessDays: body.accessDays ?? null, createdBy: principal!.email,
      });
      await services.audit.record({
        action: 'device.token.create', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'),
        targetType: 'deployment_token', targetId: token.id, details: { label: token.label, groupId: token.groupId, expiresAt: token.expiresAt, maxUses: token.maxUses, accessDays: token.accessDays },
      });
      const origin = services.config.publicUrl ?? new URL(c.req.url).origin;
      return c.json({ token, secret, installCommand: installCommand(origin.replace(/\/$/, ''), services.tlsFingerprint, secret) }, 201);
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/devices/tokens/:id', tag: 'devices', summary: 'Revoke a deployment token: no further enrolments with it.', access: admins,
    responses: { 204: 'Revoked', 404: 'No such token (or revoked already)' },
    handler: async (c, { params, principal }) => {
      const services = c.get('services');
      if (!(await revokeDeploymentToken(services.db, params.id!, services.clock.now()))) throw new ApiError('not_found', 'No such usable deployment token.');
      await services.audit.record({ action: 'device.token.revoke', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'deployment_token', targetId: params.id! });
      return c.body(null, 204);
    },
  }),
];
