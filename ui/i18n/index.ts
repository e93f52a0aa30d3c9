import { useEffect, useState } from 'preact/hooks';
import deAdmin from './de/admin.json' with { type: 'json' };
import deChannels from './de/channels.json' with { type: 'json' };
import deCommon from './de/common.json' with { type: 'json' };
import deConsole from './de/console.json' with { type: 'json' };
import deCustomer from './de/customer.json' with { type: 'json' };
import deMfa from './de/mfa.json' with { type: 'json' };
import deDesk from './de/desk.json' with { type: 'json' };
import dePin from './de/pin.json' with { type: 'json' };
import dePortal from './de/portal.json' with { type: 'json' };
import deSso from './de/sso.json' with { type: 'json' };
import enAdmin from './en/admin.json' with { type: 'json' };
import enChannels from './en/channels.json' with { type: 'json' };
import enCommon from './en/common.json' with { type: 'json' };
import enConsole from './en/console.json' with { type: 'json' };
import enCustomer from './en/customer.json' with { type: 'json' };
import enMfa from './en/mfa.json' with { type: 'json' };
import enDesk from './en/desk.json' with { type: 'json' };
import enPin from './en/pin.json' with { type: 'json' };
import enPortal from './en/portal.json' with { type: 'json' };
import enSso from './en/sso.json' with { type: 'json' };

/**
 * German and English, one file per area and language (common, admin, console, pin) so each area
 * keeps its words beside the others; a test checks both languages have the same keys.
 */
export const dictionaries = {
  de: { ...deCommon, ...deAdmin, ...deChannels, ...deConsole, ...deCustomer, ...deMfa, ...dePin, ...deDesk, ...dePortal, ...deSso } as Record<string, string>,
  en: { ...enCommon, ...enAdmin, ...enChannels, ...enConsole, ...enCustomer, ...enMfa, ...enPin, ...enDesk, ...enPortal, ...enSso } as Record<string, string>,
};

export type Language = keyof typeof dictionaries;
const STORAGE_KEY = 'rescuebox.language';
const listeners = new Set<(language: Language) => void>();

function initialLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (stored === 'de' || stored === 'en') return stored;
  return (globalThis.navigator?.language ?? 'en').toLowerCase().startsWith('de') ? 'de' : 'en';
}

let current: Language = initialLanguage();

/** The language in use. */
export const getLanguage = (): Language => current;

/** Switches the language everywhere and remembers the choice in this browser. */
export function setLanguage(language: Language): void {
  current = language;
  globalThis.localStorage?.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  for (const listener of listeners) listener(language);
}

/** Translates a key; `{name}` placeholders are filled from params. Unknown keys show as themselves. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}

/** Whether a key has a text (in the language in use or in English). */
export const hasText = (key: string): boolean => key in dictionaries[current] || key in dictionaries.en;

/** Re-renders a component when the language changes; returns the current language. */
export function useLanguage(): Language {
  const [language, setState] = useState(current);
  useEffect(() => {
    listeners.add(setState);
    return () => void listeners.delete(setState);
  }, []);
  return language;
}

/** A date and time in the language in use, e.g. "23.11.2026, 14:05" or "11/23/2026, 2:05 PM". */
export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Intl.DateTimeFormat(current === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }).format(ms);
}
