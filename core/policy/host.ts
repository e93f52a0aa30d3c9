import type { Config } from '../../config/schema.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { DB } from '../db/open.js';
import type { Vault } from '../secrets/vault.js';
import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import type { PolicyPipeline } from './pipeline.js';
import type { PolicyPlugin } from './plugin.js';

/**
 * What a plugin that keeps state (TOTP enrolments, channel links, directory sync) is given when
 * it is created. Pure plugins need none of it and can be plain objects.
 */
export interface PluginHost {
  config: Config;
  db: DB;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  /** Seals and opens secrets at rest under the master key (core/secrets/vault.ts). */
  vault: Vault;
  /**
   * A 32-byte key for one purpose, derived (HKDF-SHA256, `label` as info) from the appliance's
   * plugin root key (sealed in the database under the master key), so a plugin can encrypt its secrets at rest; stable across restarts.
   */
  deriveKey(label: string): Buffer;
  /** The plugin's current validated settings, or null while it is switched off. */
  activeSettings<S>(pluginId: string): S | null;
}

/** A plugin, or a function that makes one from the host (for plugins that keep state). */
export type PluginSource = PolicyPlugin<any> | ((host: PluginHost) => PolicyPlugin<any>);

/** Builds the host for a pipeline: settings are read from the live chain, so changes apply at once. */
export function createPluginHost(parts: Omit<PluginHost, 'activeSettings'>, pipeline: PolicyPipeline): PluginHost {
  return {
    ...parts,
    activeSettings: <S>(pluginId: string) => (pipeline.getActive().find((a) => a.plugin.id === pluginId)?.settings ?? null) as S | null,
  };
}

/** Turns plugin sources into plugins. */
export function instantiatePlugins(sources: readonly PluginSource[], host: PluginHost): PolicyPlugin<any>[] {
  return sources.map((source) => (typeof source === 'function' ? source(host) : source));
}
