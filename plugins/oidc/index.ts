import type { z } from 'zod';
import { ApiError } from '../../core/http/errors.js';
import type { PluginHost } from '../../core/policy/host.js';
import { definePlugin, type PolicyPlugin } from '../../core/policy/plugin.js';
import { ProviderClients } from './client.js';
import { oidcRoutes } from './routes.js';
import { oidcSettings, type OidcSettings } from './settings.js';

/**
 * OpenID Connect single sign-on: one button per provider on the login page (Entra ID, Okta,
 * Keycloak, AD FS…), authorization code with PKCE, full ID token validation, provider groups
 * mapped to roles and technician groups, accounts created just in time if wanted, and
 * RP-initiated logout. The login then passes the same technicianLogin chain (IP ranges, login
 * hours, TOTP) as a password login, with method 'oidc'.
 */
export default function oidcPlugin(host: PluginHost): PolicyPlugin<OidcSettings> {
  const settings = (): OidcSettings => {
    const s = host.activeSettings<OidcSettings>('oidc');
    if (!s) throw new ApiError('not_found', 'The plugin oidc is switched off.');
    return s;
  };
  const parts = { host, clients: new ProviderClients(host.clock), key: host.deriveKey('rescuebox/oidc/id-token-seal/v1'), settings };
  return definePlugin<OidcSettings>({
    id: 'oidc',
    name: 'Single sign-on (OpenID Connect)',
    description: 'Log in through OpenID providers (Entra ID, Okta, Keycloak, AD FS); provider groups give roles and technician groups.',
    settings: oidcSettings as unknown as z.ZodType<OidcSettings>,
    hooks: {},
    secretSettings: ['clientSecrets'],
    routes: oidcRoutes(parts),
  });
}
