import * as oidc from 'openid-client';
import type { Clock } from '../../core/support/clock.js';
import { isLoopbackUrl, type OidcProvider } from './settings.js';

/** What a validated login gives: the ID token's claims (with userinfo where the token lacked some) and the raw ID token. */
export interface ValidatedLogin {
  claims: Record<string, unknown>;
  idToken: string;
}

/** A started login: where to send the browser, and what to keep for the callback. */
export interface StartedLogin {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

type JwksCache = NonNullable<ReturnType<typeof oidc.getJwksCache>>;

// Discovery documents change rarely; an hour keeps the appliance from asking on every login.
const DISCOVERY_TTL_MS = 3_600_000;
const TIMEOUT_SECONDS = 10;

/**
 * The appliance's side of the providers (openid-client): cached discovery, authorization URLs
 * with PKCE (S256), state and nonce, and the code exchange with full ID token validation
 * (issuer, audience, expiry, nonce, and the JWS signature against the provider's JWKS).
 */
export class ProviderClients {
  private readonly discovered = new Map<string, { key: string; at: number; metadata: oidc.ServerMetadata }>();
  private readonly jwks = new Map<string, JwksCache>();

  constructor(private readonly clock: Clock) {}

  /** Builds the authorization URL for a new login; `redirectUri` is the appliance's callback. */
  async start(p: OidcProvider, secret: string | undefined, redirectUri: string): Promise<StartedLogin> {
    const config = await this.configuration(p, secret);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: ['openid', 'email', 'profile', ...p.scopes].join(' '), state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    });
    return { url, state, nonce, codeVerifier };
  }

  /**
   * Exchanges the code and validates everything: state, PKCE, the ID token's issuer, audience,
   * expiry and nonce, and its signature against the provider's keys. Throws on any failure.
   */
  async finish(p: OidcProvider, secret: string | undefined, callbackUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<ValidatedLogin> {
    const config = await this.configuration(p, secret);
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      expectedState: checks.state, expectedNonce: checks.nonce, pkceCodeVerifier: checks.codeVerifier, idTokenExpected: true,
    });
    const cache = oidc.getJwksCache(config);
    if (cache) this.jwks.set(p.id, cache);
    const claims: Record<string, unknown> = { ...tokens.claims()! };
    const wanted = [p.claims.email, p.claims.displayName, p.claims.groups];
    if (wanted.some((name) => claims[name] === undefined) && config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      // Some providers (Okta, Keycloak by scope) send groups or e-mail only at userinfo; the subject must match.
      const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
      for (const name of wanted) if (claims[name] === undefined && info[name] !== undefined) claims[name] = info[name];
    }
    return { claims, idToken: tokens.id_token! };
  }

  /** The provider's logout URL (RP-initiated logout), or null when it has none. */
  async logoutUrl(p: OidcProvider, secret: string | undefined, idToken: string, returnTo: string): Promise<URL | null> {
    const config = await this.configuration(p, secret);
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: returnTo, client_id: p.clientId });
  }

  /** Discovers the provider now (for "test connection"); returns the issuer's metadata. */
  async discover(p: OidcProvider, secret: string | undefined): Promise<oidc.ServerMetadata> {
    this.discovered.delete(p.id);
    return (await this.configuration(p, secret)).serverMetadata();
  }

  /**
   * A fresh Configuration per login from the cached discovery document. Fresh, because
   * openid-client keeps a JWKS per configuration and refetches an unknown key only after a
   * minute: here the cached key set is handed in, and dropped when the token endpoint's ID
   * token names a key it lacks, so a rotated key works at its first use. Only the provider's
   * token endpoint (over TLS, server to server) can cause that refetch, never a browser.
   */
  private async configuration(p: OidcProvider, secret: string | undefined): Promise<oidc.Configuration> {
    const metadata = await this.metadata(p, secret);
    const config = new oidc.Configuration(metadata, p.clientId, this.clientMetadata(secret), secret ? oidc.ClientSecretBasic(secret) : oidc.None());
    if (new URL(p.issuer).protocol === 'http:') oidc.allowInsecureRequests(config);
    oidc.enableNonRepudiationChecks(config);
    config.timeout = TIMEOUT_SECONDS;
    const cached = this.jwks.get(p.id);
    if (cached) oidc.setJwksCache(config, cached);
    config[oidc.customFetch] = async (url, options) => {
      const response = await fetch(url, options as RequestInit);
      if (cached && url === metadata.token_endpoint && response.ok) {
        const kid = await idTokenKid(response.clone());
        const jwks = cached.jwks as { keys?: Array<{ kid?: string }> };
        if (kid && !jwks.keys?.some((k) => k.kid === kid)) oidc.setJwksCache(config, { uat: 0, jwks: { keys: [] } } as unknown as JwksCache);
      }
      return response;
    };
    return config;
  }

  private async metadata(p: OidcProvider, secret: string | undefined): Promise<oidc.ServerMetadata> {
    const key = `${p.issuer}|${p.clientId}`;
    const hit = this.discovered.get(p.id);
    if (hit && hit.key === key && this.clock.now() - hit.at < DISCOVERY_TTL_MS) return hit.metadata;
    const issuer = new URL(p.issuer);
    const config = await oidc.discovery(issuer, p.clientId, this.clientMetadata(secret), secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
      timeout: TIMEOUT_SECONDS, ...(issuer.protocol === 'http:' && isLoopbackUrl(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
    const metadata = config.serverMetadata();
    this.discovered.set(p.id, { key, at: this.clock.now(), metadata });
    return metadata;
  }

  /** The appliance's clock decides whether a token is expired (openid-client's skew is local minus real time, in seconds). */
  private clientMetadata(secret: string | undefined): Partial<oidc.ClientMetadata> {
    return { [oidc.clockSkew]: Math.round((this.clock.now() - Date.now()) / 1000), ...(secret ? {} : { token_endpoint_auth_method: 'none' }) };
  }
}

/** The `kid` in the header of a token response's ID token, read without trusting it (only to decide on a refetch). */
async function idTokenKid(response: Response): Promise<string | null> {
  try {
    const body = (await response.json()) as { id_token?: unknown };
    if (typeof body.id_token !== 'string') return null;
    const header = JSON.parse(Buffer.from(body.id_token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : null;
  } catch {
    return null;
  }
}
