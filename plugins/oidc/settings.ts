import { z } from 'zod';
import { roles } from '../../core/auth/roles.js';

const group = z.string().trim().min(1).max(512);
const claimName = z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_:.\/-]{0,127}$/, 'a claim name such as email');

/** IdP group (a value of the groups claim: a name, or an object id in Entra ID) → appliance role; first matching line wins. */
const roleMapping = z.object({ group, role: z.enum(roles) }).strict();
/** IdP group → technician groups of the appliance (their ids); every matching line adds. */
const groupMapping = z.object({ group, groups: z.array(z.string().trim().min(1).max(64)).min(1).max(100) }).strict();

/** Whether a URL's host is loopback, where plain http is allowed (a test or a local IdP). */
export function isLoopbackUrl(url: URL): boolean {
  return ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}

/** One OpenID provider: where it is, how the appliance is registered there, and how its claims map. */
const provider = z.object({
  /** Stable kebab-case id: in URLs, links of accounts, audit entries. Changing it unlinks its accounts. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case, e.g. entra').min(2).max(40),
  /** Text of the login page's button ("Microsoft", "Okta"). */
  label: z.string().trim().min(1).max(60),
  /** Button colour (#rrggbb). */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  /** The issuer; discovery reads `<issuer>/.well-known/openid-configuration`. https, or http on loopback only. */
  issuer: z.url().refine((u) => { const url = new URL(u); return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url)); }, 'https (http only for a loopback address)'),
  clientId: z.string().trim().min(1).max(256),
  /** Extra scopes besides openid, email, profile (e.g. groups for Okta and Keycloak). */
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/)).max(20).default([]),
  claims: z.object({
    /** The stable id of the person at this provider; `sub` everywhere, `oid` for Entra ID across apps. */
    subject: claimName.default('sub'),
    email: claimName.default('email'),
    displayName: claimName.default('name'),
    groups: claimName.default('groups'),
  }).strict().prefault({}),
  /** Accept an e-mail only when email_verified is true (turn off for Entra ID, which sends no email_verified). */
  requireVerifiedEmail: z.boolean().default(true),
  /** Create an account at the first login of someone unknown (just in time); off: only existing or linked accounts. */
  createAccounts: z.boolean().default(false),
  /** Link the first login to an existing account with the same e-mail (trust the IdP for the e-mail). */
  linkByEmail: z.boolean().default(false),
  roleMapping: z.array(roleMapping).max(200).default([]),
  groupMapping: z.array(groupMapping).max(200).default([]),
  /** Role for people in no mapped group; null refuses them. Only applies to accounts this provider created. */
  defaultRole: z.enum(roles).nullable().default(null),
  /** Log out at the provider too (RP-initiated logout) when it has an end_session_endpoint. */
  logoutAtProvider: z.boolean().default(false),
}).strict();

/** One provider's validated settings. */
export type OidcProvider = z.output<typeof provider>;

/** The OIDC plugin's settings: the providers, and their client secrets by provider id (masked in the console). */
export const oidcSettings = z.object({
  providers: z.array(provider).max(20).default([]),
  /** Provider id → client secret. A provider without one is a public client (PKCE only). */
  clientSecrets: z.record(z.string(), z.string().min(1).max(1024)).default({}),
}).strict().superRefine((s, ctx) => {
  const seen = new Set<string>();
  s.providers.forEach((p, i) => {
    if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['providers', i, 'id'], message: `provider id ${p.id} is used twice` });
    seen.add(p.id);
  });
  for (const id of Object.keys(s.clientSecrets)) {
    if (!seen.has(id)) ctx.addIssue({ code: 'custom', path: ['clientSecrets', id], message: `no provider has the id ${id}` });
  }
});

/** Validated settings. */
export type OidcSettings = z.output<typeof oidcSettings>;
