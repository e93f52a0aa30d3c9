import type { z } from 'zod';
import type { PluginHost } from '../../core/policy/host.js';
import { definePlugin, type PolicyPlugin } from '../../core/policy/plugin.js';
import { technicianLoginHook } from './login-hook.js';
import { adminMfaRoutes } from './admin-routes.js';
import { ownMfaRoutes } from './routes.js';
import { TotpService } from './service.js';
import { totpSettings, type TotpSettings } from './settings.js';

/**
 * TOTP two-factor authentication: enrolment with a QR code in the profile, a code at every
 * login of an enrolled account (local or directory), 10 one-time recovery codes, and MFA
 * required per role or technician group. Secrets are sealed with AES-256-GCM at rest.
 */
export default function totpPlugin(host: PluginHost): PolicyPlugin<TotpSettings> {
  const service = new TotpService(host);
  return definePlugin<TotpSettings>({
    id: 'totp',
    name: 'Two-factor authentication (TOTP)',
    description: 'Asks enrolled accounts for a one-time code from an authenticator app at login; admins can require it per role or technician group.',
    settings: totpSettings as unknown as z.ZodType<TotpSettings>,
    hooks: { technicianLogin: technicianLoginHook(host, service) },
    routes: [...ownMfaRoutes(host, service), ...adminMfaRoutes(host, service)],
  });
}
