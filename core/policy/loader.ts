import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginHost } from './host.js';
import type { PolicyPlugin } from './plugin.js';
import { hookNames } from './types.js';

/** Thrown when a plugin cannot be loaded; the appliance refuses to start rather than run without it. */
export class PluginLoadError extends Error {
  override name = 'PluginLoadError';
}

/** Checks that a value satisfies the PolicyPlugin interface, with a message naming what is wrong. */
export function assertPlugin(value: unknown, source: string): PolicyPlugin<unknown> {
  const fail = (why: string): never => {
    throw new PluginLoadError(`Plugin from ${source}: ${why}`);
  };
  if (!value || typeof value !== 'object') return fail('the module must default-export a plugin object');
  const p = value as Record<string, unknown>;
  if (typeof p.id !== 'string' || p.id.length < 2 || p.id.length > 63 || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(p.id)) fail('id must be a kebab-case string');
  if (typeof p.name !== 'string' || typeof p.description !== 'string') fail('name and description must be strings');
  const settings = p.settings as { safeParse?: unknown } | undefined;
  if (!settings || typeof settings.safeParse !== 'function') fail('settings must be a zod schema');
  if (!p.hooks || typeof p.hooks !== 'object') fail('hooks must be an object');
  for (const [hook, handler] of Object.entries(p.hooks as object)) {
    if (!(hookNames as readonly string[]).includes(hook)) fail(`unknown hook "${hook}" (known: ${hookNames.join(', ')})`);
    if (typeof handler !== 'function') fail(`hook "${hook}" must be a function`);
  }
  if (p.timeoutMs !== undefined && (typeof p.timeoutMs !== 'number' || p.timeoutMs <= 0)) fail('timeoutMs must be a positive number');
  if (p.authenticate !== undefined && typeof p.authenticate !== 'function') fail('authenticate must be a function');
  if (p.lookup !== undefined && typeof p.lookup !== 'function') fail('lookup must be a function');
  if (p.start !== undefined && typeof p.start !== 'function') fail('start must be a function');
  if (p.routes !== undefined) {
    if (!Array.isArray(p.routes)) fail('routes must be an array');
    const prefix = `/api/v1/plugins/${String(p.id)}/`;
    // A plugin's API lives under its own prefix so it can never shadow or replace a core route.
    for (const route of p.routes as { path?: unknown; access?: unknown }[]) {
      if (typeof route.path !== 'string' || !route.path.startsWith(prefix)) fail(`route paths must start with ${prefix}`);
      if (!route.access || typeof route.access !== 'object') fail(`route ${String(route.path)} must declare its access`);
    }
  }
  return value as PolicyPlugin<unknown>;
}

/**
 * Loads outside plugins by path (a module file, or a folder with index.js/index.ts). The default
 * export is a plugin object, or a function that gets the plugin host and returns one.
 */
export async function loadPluginsFromPaths(paths: readonly string[], host?: PluginHost): Promise<PolicyPlugin<unknown>[]> {
  const plugins: PolicyPlugin<unknown>[] = [];
  for (const path of paths) {
    const entry = entryOf(path);
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
    } catch (error) {
      throw new PluginLoadError(`Plugin from ${path}: cannot import: ${(error as Error).message}`);
    }
    const exported = typeof module.default === 'function' && host ? (module.default as (h: PluginHost) => unknown)(host) : module.default;
    plugins.push(assertPlugin(exported, path));
  }
  return plugins;
}

/** The module file a path stands for: ESM cannot import a folder, so a folder means its index module. */
function entryOf(path: string): string {
  const full = resolve(path);
  if (!statSync(full, { throwIfNoEntry: false })?.isDirectory()) return full;
  const index = ['index.js', 'index.mjs', 'index.ts'].map((name) => join(full, name)).find((file) => existsSync(file));
  if (!index) throw new PluginLoadError(`Plugin from ${path}: the folder has no index.js, index.mjs or index.ts`);
  return index;
}
