import { z } from 'zod';
import type { Config } from '../../config/schema.js';
import type { DB } from '../db/open.js';
import { openSettings, sealSettings } from '../secrets/sealed-settings.js';
import type { Vault } from '../secrets/vault.js';
import type { Clock } from '../support/clock.js';
import { PluginLoadError } from './loader.js';
import type { ActivePlugin, PolicyPipeline } from './pipeline.js';
import type { PolicyPlugin } from './plugin.js';
import type { HookName } from './types.js';
import { ApiError } from '../http/errors.js';
import type { RouteSpec } from '../http/route.js';

/** A plugin's state as the admin console shows it. */
export interface PluginState {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  position: number;
  settings: unknown;
  settingsSchema: unknown;
  hooks: HookName[];
  /** 'config' until an admin changes it in the console, then 'console'. */
  source: 'config' | 'console';
}

/** A change an admin makes to one plugin. */
export interface PluginChange {
  enabled?: boolean | undefined;
  position?: number | undefined;
  settings?: unknown;
}

/**
 * Knows every available plugin and which are switched on, in which order, with which settings.
 * Config gives the starting state; a change in the admin console is stored and then wins for
 * that plugin. Every change re-validates and swaps the pipeline's chain at once.
 */
export class PluginManager {
  private readonly available = new Map<string, PolicyPlugin<unknown>>();

  constructor(plugins: readonly PolicyPlugin<unknown>[], private readonly config: Config, private readonly db: DB, private readonly clock: Clock, private readonly pipeline: PolicyPipeline, private readonly vault: Vault) {
    for (const plugin of plugins) {
      if (this.available.has(plugin.id)) throw new PluginLoadError(`Two plugins have the id "${plugin.id}".`);
      this.available.set(plugin.id, plugin);
    }
    const unknownSettings = Object.keys(config.pluginSettings).filter((id) => !this.available.has(id));
    if (unknownSettings.length > 0) throw new PluginLoadError(`pluginSettings (PLUGIN_SETTINGS): settings for unknown plugin ${unknownSettings.join(', ')}`);
    for (const plugin of this.available.values()) {
      const given = config.pluginSettings[plugin.id];
      const parsed = given === undefined ? null : plugin.settings.safeParse(given);
      if (parsed && !parsed.success) throw new PluginLoadError(`pluginSettings.${plugin.id} (PLUGIN_SETTINGS): ${z.prettifyError(parsed.error)}`);
    }
    const unknown = config.plugins.filter((id) => !this.available.has(id));
    if (unknown.length > 0) throw new PluginLoadError(`plugins (PLUGINS): unknown plugin id ${unknown.join(', ')} (available: ${[...this.available.keys()].join(', ')})`);
  }

  /** Every available plugin, switched on or not. */
  all(): PolicyPlugin<unknown>[] {
    return [...this.available.values()];
  }

  /**
   * Every plugin's own API routes. They are mounted whether or not the plugin is on (so the
   * route table and its authorization matrix stay fixed), and answer 404 while it is off.
   */
  routes(): RouteSpec[] {
    return this.all().flatMap((plugin) => (plugin.routes ?? []).map((route): RouteSpec => ({
      ...route,
      handler: (c, input) => {
        if (!this.pipeline.getActive().some((a) => a.plugin.id === plugin.id)) throw new ApiError('not_found', `The plugin ${plugin.id} is switched off.`);
        return route.handler(c, input);
      },
    })));
  }

  /** Starts the plugins' background work; returns one function that stops all of it. */
  startBackgroundWork(): () => void {
    const stops = this.all().flatMap((plugin) => (plugin.start ? [plugin.start()] : []));
    return () => stops.forEach((stop) => stop());
  }

  /** Validates everything and installs the chain; throws (so the appliance does not start) on any invalid setting. */
  async apply(): Promise<void> {
    const states = await this.list({ revealSecrets: true });
    const active: ActivePlugin[] = [];
    for (const state of states.filter((s) => s.enabled).sort((a, b) => a.position - b.position)) {
      const plugin = this.available.get(state.id)!;
      const parsed = plugin.settings.safeParse(state.settings);
      if (!parsed.success) throw new PluginLoadError(`pluginSettings.${state.id}: ${z.prettifyError(parsed.error)}`);
      active.push({ plugin, settings: parsed.data });
    }
    this.pipeline.setActive(active);
  }

  /** Every available plugin with its effective state, in chain order; secret settings masked unless asked. */
  async list(options: { revealSecrets?: boolean } = {}): Promise<PluginState[]> {
    const rows = new Map((await this.db.selectFrom('plugin_settings').selectAll().execute()).map((r) => [r.plugin_id, r]));
    const states = [...this.available.values()].map((plugin): PluginState => {
      const row = rows.get(plugin.id);
      const configIndex = this.config.plugins.indexOf(plugin.id);
      const settings = row ? openSettings(this.vault, plugin.id, JSON.parse(row.settings) as unknown) : (this.config.pluginSettings[plugin.id] ?? {});
      return {
        id: plugin.id, name: plugin.name, description: plugin.description,
        enabled: row ? row.enabled === 1 : configIndex >= 0,
        position: row ? row.position : configIndex >= 0 ? configIndex : 1000,
        settings: options.revealSecrets ? settings : maskSecrets(plugin, settings),
        settingsSchema: safeJsonSchema(plugin.settings),
        hooks: Object.keys(plugin.hooks) as HookName[],
        source: row ? 'console' : 'config',
      };
    });
    return states.sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  }

  /** Seals secret settings an older version stored in plain text (run at every start; a no-op once done). */
  async sealLegacySecrets(): Promise<number> {
    let sealed = 0;
    for (const row of await this.db.selectFrom('plugin_settings').select(['plugin_id', 'settings']).execute()) {
      const plugin = this.available.get(row.plugin_id);
      const before = row.settings;
      const after = JSON.stringify(sealSettings(this.vault, row.plugin_id, JSON.parse(before) as unknown, plugin?.secretSettings ?? []));
      if (after === before) continue;
      await this.db.updateTable('plugin_settings').set({ settings: after }).where('plugin_id', '=', row.plugin_id).execute();
      sealed += 1;
    }
    return sealed;
  }

  /** Applies an admin's change; returns null for an unknown id, throws a message for invalid settings. */
  async change(id: string, change: PluginChange, actorId: string): Promise<PluginState | null> {
    const plugin = this.available.get(id);
    if (!plugin) return null;
    const current = (await this.list({ revealSecrets: true })).find((s) => s.id === id)!;
    const settings = change.settings === undefined ? current.settings : keepMaskedSecrets(plugin, change.settings, current.settings);
    const parsed = plugin.settings.safeParse(settings);
    if (!parsed.success) throw new InvalidPluginSettings(z.prettifyError(parsed.error));
    const row = {
      plugin_id: id, enabled: (change.enabled ?? current.enabled) ? 1 : 0, position: change.position ?? current.position,
      settings: JSON.stringify(sealSettings(this.vault, id, settings, plugin.secretSettings ?? [])), updated_at: this.clock.now(), updated_by: actorId,
    };
    await this.db.insertInto('plugin_settings').values(row).onConflict((oc) => oc.column('plugin_id').doUpdateSet(row)).execute();
    await this.apply();
    return (await this.list()).find((s) => s.id === id)!;
  }
}

/** What the console sees in place of a secret setting. */
export const SECRET_MASK = '********';

function maskSecrets(plugin: PolicyPlugin<unknown>, settings: unknown): unknown {
  if (!plugin.secretSettings?.length || !settings || typeof settings !== 'object' || Array.isArray(settings)) return settings;
  const masked: Record<string, unknown> = { ...(settings as Record<string, unknown>) };
  for (const key of plugin.secretSettings) {
    const value = masked[key];
    if (typeof value === 'string' && value !== '') masked[key] = SECRET_MASK;
    // A record of secrets (one client secret per provider): each value masked, the keys shown.
    else if (isStringRecord(value)) masked[key] = Object.fromEntries(Object.keys(value).map((k) => [k, SECRET_MASK]));
  }
  return masked;
}

/** An admin saving settings sends the mask back for secrets they did not change: keep the stored value. */
function keepMaskedSecrets(plugin: PolicyPlugin<unknown>, incoming: unknown, stored: unknown): unknown {
  if (!plugin.secretSettings?.length || !incoming || typeof incoming !== 'object' || Array.isArray(incoming)) return incoming;
  const merged: Record<string, unknown> = { ...(incoming as Record<string, unknown>) };
  const previous = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  for (const key of plugin.secretSettings) {
    const value = merged[key];
    if (value === SECRET_MASK) merged[key] = previous[key];
    else if (isStringRecord(value)) {
      const before = isStringRecord(previous[key]) ? previous[key] : {};
      merged[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === SECRET_MASK ? before[k] : v]).filter(([, v]) => v !== undefined));
    }
  }
  return merged;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Plugin settings that do not match the plugin's schema. */
export class InvalidPluginSettings extends Error {}

function safeJsonSchema(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  } catch {
    return {};
  }
}
