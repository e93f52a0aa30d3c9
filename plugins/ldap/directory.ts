import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import ldapjs from 'ldapjs';
import { FilterSyntaxError, parseFilter, type FilterNode } from './filter-syntax.js';

// The one file that talks ldapjs. Its upstream is archived, so everything else in the plugin
// sees only the small Directory interface below, which the maintained `ldapts` could implement
// in this file alone. Passwords never appear in an error, a log line or a thrown message.

/** How to reach the directory. */
export interface DirectoryOptions {
  /** ldap://host:389 or ldaps://host:636 */
  url: string;
  /** Upgrade an ldap:// connection with StartTLS before anything else is sent. */
  startTls: boolean;
  /** PEM of the CA(s) to trust instead of the system store; null: the system store. */
  caPem: string | null;
  /** Check the server certificate's chain and host name (only ever off in a lab). */
  verifyCertificate: boolean;
  /** Longest any single step (connect, TLS, bind, search) may take. */
  timeoutMs: number;
}

/** One entry: its DN and its attributes by lower-case name, as raw bytes (GUIDs are binary). */
export interface DirectoryEntry {
  dn: string;
  attributes: Map<string, Buffer[]>;
}

/** A search: base, scope, an RFC 4515 filter (values already escaped) and the attributes wanted. */
export interface DirectorySearch {
  base: string;
  scope: 'base' | 'one' | 'sub';
  filter: string;
  attributes: string[];
  /** Ask in pages (RFC 2696) so a large directory does not hit the server's size limit. */
  paged?: boolean;
  sizeLimit?: number;
}

/** An open connection. */
export interface Directory {
  /** Simple bind. An empty password is refused here: servers take it as an unauthenticated bind that "succeeds". */
  bind(name: string, password: string): Promise<void>;
  search(request: DirectorySearch): Promise<DirectoryEntry[]>;
  /** Unbinds and closes; never throws. */
  close(): Promise<void>;
}

/** What went wrong, in words an admin can act on. */
export type DirectoryErrorKind = 'invalid_credentials' | 'unreachable' | 'tls' | 'timeout' | 'no_such_object' | 'protocol';

/** A directory failure with a stable kind; `detail` is the server's or socket's own message. */
export class DirectoryError extends Error {
  constructor(readonly kind: DirectoryErrorKind, message: string, readonly detail: string | null = null) {
    super(message);
    this.name = 'DirectoryError';
  }
}

const PAGE_SIZE = 500;

/** Connects (and upgrades with StartTLS when asked); rejects with a DirectoryError. */
export async function openDirectory(options: DirectoryOptions): Promise<Directory> {
  const url = new URL(options.url);
  const tlsOptions = tlsOptionsFor(url.hostname.replace(/^\[|\]$/g, ''), options);
  const client = ldapjs.createClient({
    url: options.url, tlsOptions, timeout: options.timeoutMs, connectTimeout: options.timeoutMs, reconnect: false,
  });
  // ldapjs emits 'error' on socket trouble at any time; unhandled it would crash the process.
  let lastError: Error | null = null;
  client.on('error', (error: Error) => { lastError = error; });
  try {
    await withTimeout(options.timeoutMs, 'connect', new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      for (const event of ['connectError', 'connectRefused', 'connectTimeout', 'setupError', 'error']) client.once(event, reject);
    }));
    if (options.startTls) {
      await withTimeout(options.timeoutMs, 'StartTLS', new Promise<void>((resolve, reject) => {
        client.starttls(tlsOptions, [], (error) => (error ? reject(error) : resolve()));
      }));
    }
  } catch (error) {
    client.destroy();
    throw toDirectoryError(error ?? lastError);
  }
  return wrap(client, options.timeoutMs);
}

function tlsOptionsFor(host: string, options: DirectoryOptions): ConnectionOptions {
  return {
    // `host` is what the certificate's names are checked against (StartTLS passes no host of its own).
    host,
    ...(isIP(host) === 0 && { servername: host }),
    ...(options.caPem && { ca: [options.caPem] }),
    rejectUnauthorized: options.verifyCertificate,
    minVersion: 'TLSv1.2',
  };
}

function wrap(client: ldapjs.Client, timeoutMs: number): Directory {
  return {
    bind: async (name, password) => {
      if (password.length === 0) throw new DirectoryError('invalid_credentials', 'An empty password is never sent: it would be an unauthenticated bind.');
      await withTimeout(timeoutMs, 'bind', new Promise<void>((resolve, reject) => {
        client.bind(name, password, (error) => (error ? reject(toDirectoryError(error)) : resolve()));
      }));
    },
    search: (request) => withTimeout(timeoutMs * (request.paged ? 6 : 1), 'search', search(client, request)),
    close: () => new Promise<void>((resolve) => {
      const done = () => { client.destroy(); resolve(); };
      const timer = setTimeout(done, 500);
      try {
        client.unbind(() => { clearTimeout(timer); done(); });
      } catch {
        clearTimeout(timer);
        done();
      }
    }),
  };
}

function search(client: ldapjs.Client, request: DirectorySearch): Promise<DirectoryEntry[]> {
  return new Promise((resolve, reject) => {
    let filter: ldapjs.Filter;
    try {
      filter = toLdapjsFilter(parseFilter(request.filter));
    } catch (error) {
      return reject(new DirectoryError('protocol', `invalid search filter: ${(error as Error).message}`));
    }
    const options: ldapjs.SearchOptions = {
      scope: request.scope, filter, attributes: request.attributes,
      ...(request.sizeLimit !== undefined && { sizeLimit: request.sizeLimit }),
      ...(request.paged && { paged: { pageSize: PAGE_SIZE } }),
    };
    try {
      client.search(request.base, options, (error, response) => {
        if (error) return reject(toDirectoryError(error));
        const entries: DirectoryEntry[] = [];
        response.on('searchEntry', (entry) => entries.push(toEntry(entry)));
        // Referrals (AD answers searches at the domain root with some) are not followed.
        response.on('searchReference', () => undefined);
        response.on('error', (failure) => {
          // A size limit the caller set is an answer ("at most N"), not a failure.
          if (request.sizeLimit !== undefined && (failure.name === 'SizeLimitExceededError' || (failure as { code?: unknown }).code === 4)) resolve(entries);
          else reject(toDirectoryError(failure));
        });
        response.on('end', (result) => (result && result.status !== 0 ? reject(new DirectoryError('protocol', `search ended with LDAP status ${result.status}`)) : resolve(entries)));
      });
    } catch (error) {
      // ldapjs throws synchronously on a base DN it cannot parse.
      reject(new DirectoryError('protocol', `invalid search: ${(error as Error).message}`));
    }
  });
}

/** ldapjs filter objects from a parsed filter: values as decoded bytes, never re-parsed by ldapjs. */
function toLdapjsFilter(node: FilterNode): ldapjs.Filter {
  const text = (b: Buffer) => b.toString('utf8');
  switch (node.type) {
    case 'and': return new ldapjs.AndFilter({ filters: node.children.map(toLdapjsFilter) });
    case 'or': return new ldapjs.OrFilter({ filters: node.children.map(toLdapjsFilter) });
    case 'not': return new ldapjs.NotFilter({ filter: toLdapjsFilter(node.child) });
    case 'present': return new ldapjs.PresenceFilter({ attribute: node.attribute });
    case 'equal': return new ldapjs.EqualityFilter({ attribute: node.attribute, raw: node.value });
    case 'approx': return new ldapjs.ApproximateFilter({ attribute: node.attribute, value: text(node.value) });
    case 'ge': return new ldapjs.GreaterThanEqualsFilter({ attribute: node.attribute, value: text(node.value) });
    case 'le': return new ldapjs.LessThanEqualsFilter({ attribute: node.attribute, value: text(node.value) });
    case 'substring': return new ldapjs.SubstringFilter({
      attribute: node.attribute, any: node.any.map(text), ...(node.initial && { initial: text(node.initial) }), ...(node.final && { final: text(node.final) }),
    });
    case 'extensible': return new ldapjs.ExtensibleFilter({
      dnAttributes: node.dnAttributes, value: text(node.value), ...(node.attribute && { attribute: node.attribute }), ...(node.rule && { rule: node.rule }),
    });
    default: throw new FilterSyntaxError('unknown filter type');
  }
}

function toEntry(entry: ldapjs.SearchEntry): DirectoryEntry {
  const attributes = new Map<string, Buffer[]>();
  for (const attribute of entry.attributes) {
    const name = attribute.type.toLowerCase();
    attributes.set(name, [...(attributes.get(name) ?? []), ...attribute.buffers]);
  }
  return { dn: entry.objectName.toString(), attributes };
}

async function withTimeout<T>(ms: number, step: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DirectoryError('timeout', `The directory did not answer the ${step} within ${ms} ms.`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const tlsCodes = /CERT|SELF_SIGNED|UNABLE_TO_|ALTNAME|ERR_TLS|ERR_SSL|EPROTO|HANDSHAKE/i;

/** Maps ldapjs and socket errors onto the few kinds the plugin acts on. */
export function toDirectoryError(error: unknown): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const e = (error ?? {}) as { name?: string; code?: unknown; message?: string; lde_message?: string };
  const detail = (e.lde_message || e.message || String(error)).slice(0, 300);
  const code = typeof e.code === 'string' ? e.code : '';
  if (e.name === 'InvalidCredentialsError' || e.code === 49) return new DirectoryError('invalid_credentials', 'The directory refused the name or password.', detail);
  if (e.name === 'NoSuchObjectError' || e.code === 32) return new DirectoryError('no_such_object', 'The directory has no such entry (check the base DN).', detail);
  if (tlsCodes.test(code) || /certificate|tls|ssl/i.test(detail)) return new DirectoryError('tls', `TLS with the directory failed: ${code || detail}`, detail);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN'].includes(code) || e.name === 'ConnectionError') {
    return new DirectoryError('unreachable', `Cannot reach the directory: ${code || detail}`, detail);
  }
  if (e.name === 'TimeoutError' || /timeout/i.test(detail)) return new DirectoryError('timeout', 'The directory did not answer in time.', detail);
  return new DirectoryError('protocol', `The directory answered with an error: ${detail}`, detail);
}
