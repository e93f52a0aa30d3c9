// The small part of ldapjs 3 that plugins/ldap/directory.ts uses. ldapjs ships no types and its
// upstream is archived, so these few lines replace @types/ldapjs; only directory.ts imports it.
declare module 'ldapjs' {
  import type { EventEmitter } from 'node:events';
  import type { ConnectionOptions } from 'node:tls';

  namespace ldapjs {
    interface ClientOptions {
      url: string | string[];
      tlsOptions?: ConnectionOptions;
      /** Per-operation time limit in ms. */
      timeout?: number;
      connectTimeout?: number;
      reconnect?: boolean;
    }

    interface Attribute {
      type: string;
      values: string[];
      buffers: Buffer[];
    }

    interface SearchEntry {
      objectName: { toString(): string } | string;
      attributes: Attribute[];
    }

    /** A filter object (built from plugins/ldap/filter-syntax.ts, never from a string). */
    interface Filter { readonly type: string }
    const AndFilter: new (o: { filters: Filter[] }) => Filter;
    const OrFilter: new (o: { filters: Filter[] }) => Filter;
    const NotFilter: new (o: { filter: Filter }) => Filter;
    const PresenceFilter: new (o: { attribute: string }) => Filter;
    const EqualityFilter: new (o: { attribute: string; raw: Buffer }) => Filter;
    const ApproximateFilter: new (o: { attribute: string; value: string }) => Filter;
    const GreaterThanEqualsFilter: new (o: { attribute: string; value: string }) => Filter;
    const LessThanEqualsFilter: new (o: { attribute: string; value: string }) => Filter;
    const SubstringFilter: new (o: { attribute: string; initial?: string; any: string[]; final?: string }) => Filter;
    const ExtensibleFilter: new (o: { attribute?: string; rule?: string; dnAttributes: boolean; value: string }) => Filter;

    interface SearchOptions {
      scope?: 'base' | 'one' | 'sub';
      filter?: Filter;
      attributes?: string[];
      sizeLimit?: number;
      timeLimit?: number;
      paged?: boolean | { pageSize?: number; pagePause?: boolean };
    }

    interface SearchCallbackResponse extends EventEmitter {
      on(event: 'searchEntry', listener: (entry: SearchEntry) => void): this;
      on(event: 'searchReference', listener: (reference: unknown) => void): this;
      on(event: 'error', listener: (error: Error) => void): this;
      on(event: 'end', listener: (result: { status: number } | null) => void): this;
    }

    interface Client extends EventEmitter {
      connected: boolean;
      bind(name: string, credentials: string, callback: (error: Error | null) => void): void;
      starttls(options: ConnectionOptions, controls: unknown[], callback: (error: Error | null) => void): void;
      search(base: string, options: SearchOptions, callback: (error: Error | null, response: SearchCallbackResponse) => void): void;
      unbind(callback?: (error?: Error | null) => void): void;
      destroy(error?: Error): void;
    }

    function createClient(options: ClientOptions): Client;
  }

  export = ldapjs;
}
