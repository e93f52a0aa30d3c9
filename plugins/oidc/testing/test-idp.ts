import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, decodeJwt, type JWK, type JWTPayload } from 'jose';
import Provider from 'oidc-provider';

/** A person at the test provider: the login typed on its sign-in page is the subject. */
export interface TestPerson {
  email: string;
  name: string;
  groups: string[];
  emailVerified?: boolean;
}

/**
 * How the provider's token endpoint misbehaves for the next exchange: the ID token is re-signed
 * with one claim changed (with the provider's own key, so only that claim is wrong), signed
 * with a key the provider never published, or swapped for an earlier login's ID token.
 */
export type Tamper = { kind: 'claims'; change: (claims: JWTPayload) => JWTPayload } | { kind: 'foreign-key' } | { kind: 'replay'; idToken: string };

/** A running test provider. */
export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  people: Map<string, TestPerson>;
  /** ID tokens the token endpoint issued, in order (after any tampering). */
  issued: string[];
  /** Tampers with the next token response only. */
  tamperNext(t: Tamper): void;
  /** Publishes a new signing key and signs with it from now on (the old key stays published). */
  rotateKey(): Promise<string>;
  /** The kid the provider signs with now. */
  currentKid(): string;
  close(): Promise<void>;
}

type SigningKey = { kid: string; privateJwk: JWK; privateKey: CryptoKey };

async function newKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `k-${Math.random().toString(36).slice(2, 10)}`;
  return { kid, privateKey, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' } };
}

/**
 * A real OpenID provider (oidc-provider, the certified implementation) on loopback, with its
 * development sign-in pages (any login, any password), one confidential client, claims in the
 * ID token, and RP-initiated logout. Key rotation swaps in a provider instance with the new key
 * first in its key set; the browser then signs in again there.
 */
export async function startTestIdp(options: { redirectUri: string; postLogoutUri: string; idTokenTtlSeconds?: number }): Promise<TestIdp> {
  const server: Server = createServer((req, res) => current.callback()(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const people = new Map<string, TestPerson>();
  const issued: string[] = [];
  const keys: SigningKey[] = [await newKey()];
  let tamper: Tamper | null = null;
  const clientId = 'rescuebox';
  const clientSecret = 'test-client-secret-0123456789abcdef';

  const build = (): Provider => {
    const provider = new Provider(issuer, {
      clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [options.redirectUri], post_logout_redirect_uris: [options.postLogoutUri], grant_types: ['authorization_code'], response_types: ['code'] }],
      jwks: { keys: keys.map((k) => k.privateJwk) as never },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      scopes: ['openid', 'email', 'profile', 'groups'],
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      ttl: { IdToken: options.idTokenTtlSeconds ?? 3600 },
      findAccount: (_ctx, sub) => {
        const person = people.get(sub);
        if (!person) return undefined;
        return { accountId: sub, claims: () => ({ sub, email: person.email, email_verified: person.emailVerified ?? true, name: person.name, groups: person.groups }) };
      },
    });
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path !== '/token' || ctx.status !== 200) return;
      const body = ctx.body as { id_token?: string };
      if (!body.id_token) return;
      if (tamper) {
        body.id_token = await tampered(tamper, body.id_token, keys[0]!);
        tamper = null;
      }
      issued.push(body.id_token);
    });
    return provider;
  };
  let current = build();

  return {
    issuer, clientId, clientSecret, people, issued,
    tamperNext: (t) => { tamper = t; },
    rotateKey: async () => {
      keys.unshift(await newKey());
      current = build();
      return keys[0]!.kid;
    },
    currentKid: () => keys[0]!.kid,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

async function tampered(t: Tamper, idToken: string, key: SigningKey): Promise<string> {
  if (t.kind === 'replay') return t.idToken;
  const claims = decodeJwt(idToken);
  if (t.kind === 'claims') return new SignJWT(t.change({ ...claims })).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  // Same kid as the real key, so the appliance must check the signature itself, not just the key id.
  const forger = await newKey();
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(forger.privateKey);
}
