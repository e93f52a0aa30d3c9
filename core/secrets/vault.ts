import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'rbv1';

/** Raised when a sealed value does not open: altered, sealed for another place, or under another key. */
export class SealError extends Error {}

/**
 * The one API for secrets at rest. Every secret the appliance stores (plugin settings such as
 * the LDAP service password, plugin keys, the appliance's own keys, future OIDC/SAML client
 * secrets) is sealed here with AES-256-GCM under a key derived from the master key (the
 * key-encryption key, kept outside the data dir). `context` names where the value lives
 * (e.g. `plugin:ldap:servicePassword`) and is bound as additional data, so a sealed value
 * copied to another row or column does not open there.
 *
 * Stored form: `rbv1.<key id>.<nonce>.<tag>.<ciphertext>` (base64url parts).
 */
export class Vault {
  private readonly key: Buffer;
  /** Short public fingerprint of the master key: says which key sealed a value, reveals nothing of it. */
  readonly keyId: string;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'rescuebox/vault/aes-256-gcm/v1', 32));
    this.keyId = createHash('sha256').update('rescuebox/vault/key-id').update(masterKey).digest('hex').slice(0, 12);
  }

  /** A vault with a fresh random key (tests and in-memory appliances). */
  static ephemeral(): Vault {
    return new Vault(randomBytes(32));
  }

  /** Seals a secret for one place. */
  seal(plain: string | Buffer, context: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), cipher.final()]);
    return [PREFIX, this.keyId, ...[nonce, cipher.getAuthTag(), body].map((b) => b.toString('base64url'))].join('.');
  }

  /** Opens a sealed secret; throws SealError when it does not open here. */
  open(sealed: string, context: string): Buffer {
    const [prefix, keyId, nonce, tag, body, extra] = sealed.split('.');
    if (prefix !== PREFIX || !nonce || !tag || body === undefined || extra !== undefined) throw new SealError(`not a sealed secret (${context})`);
    if (keyId !== this.keyId) throw new SealError(`${context} was sealed under master key ${keyId}, not the current key ${this.keyId}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    } catch {
      throw new SealError(`${context} does not open: altered, or sealed for another place`);
    }
  }

  /** Opens a sealed text secret. */
  openText(sealed: string, context: string): string {
    return this.open(sealed, context).toString('utf8');
  }
}

/** Whether a stored string is a sealed value (as opposed to a legacy plain one). */
export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(`${PREFIX}.`);

/** Re-seals a value from one vault to another (key rotation). */
export const reseal = (sealed: string, context: string, from: Vault, to: Vault): string => to.seal(from.open(sealed, context), context);
