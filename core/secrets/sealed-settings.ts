import { isSealed, type Vault } from './vault.js';

/** The sealed-value context of one secret setting of a plugin. */
export const settingContext = (pluginId: string, key: string): string => `plugin:${pluginId}:${key}`;

type Settings = Record<string, unknown>;
const isObject = (value: unknown): value is Settings => !!value && typeof value === 'object' && !Array.isArray(value);

/** Seals the named secret fields of a settings object (those not sealed yet); other fields stay readable. */
export function sealSettings(vault: Vault, pluginId: string, settings: unknown, secretKeys: readonly string[]): unknown {
  if (!isObject(settings) || secretKeys.length === 0) return settings;
  const out: Settings = { ...settings };
  for (const key of secretKeys) {
    const value = out[key];
    if (typeof value === 'string' && value !== '' && !isSealed(value)) out[key] = vault.seal(value, settingContext(pluginId, key));
    // A record of secrets (one client secret per provider): each entry sealed under its own context.
    else if (isObject(value)) out[key] = mapEntries(value, (entry, v) => (typeof v === 'string' && v !== '' && !isSealed(v) ? vault.seal(v, settingContext(pluginId, `${key}.${entry}`)) : v));
  }
  return out;
}

function mapEntries(record: Settings, change: (key: string, value: unknown) => unknown): Settings {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, change(k, v)]));
}

/** Opens every sealed field of a stored settings object. */
export function openSettings(vault: Vault, pluginId: string, settings: unknown): unknown {
  if (!isObject(settings)) return settings;
  const out: Settings = { ...settings };
  for (const [key, value] of Object.entries(out)) {
    if (isSealed(value)) out[key] = vault.openText(value, settingContext(pluginId, key));
    else if (isObject(value)) out[key] = mapEntries(value, (entry, v) => (isSealed(v) ? vault.openText(v, settingContext(pluginId, `${key}.${entry}`)) : v));
  }
  return out;
}

/** Re-seals every sealed field for a new key (rotation). */
export function resealSettings(from: Vault, to: Vault, pluginId: string, settings: unknown): { settings: unknown; count: number } {
  if (!isObject(settings)) return { settings, count: 0 };
  const out: Settings = { ...settings };
  let count = 0;
  const reseal = (value: unknown, context: string) => {
    if (!isSealed(value)) return value;
    count += 1;
    return to.seal(from.open(value, context), context);
  };
  for (const [key, value] of Object.entries(out)) {
    out[key] = isObject(value) ? mapEntries(value, (entry, v) => reseal(v, settingContext(pluginId, `${key}.${entry}`))) : reseal(value, settingContext(pluginId, key));
  }
  return { settings: out, count };
}
