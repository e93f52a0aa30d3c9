import { useEffect, useState } from 'preact/hooks';
import { getLanguage } from '../i18n/index.js';

/** Small display helpers for the console and the PIN page. */

/** A byte count for people: "512 B", "1.4 MB", "3.2 GB" (decimal units, the current language's digits). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${units[unit]}`;
}

/** The time left until `until`, as m:ss (or h:mm:ss); "0:00" once passed. */
export function formatRemaining(until: number, now: number): string {
  const total = Math.max(0, Math.ceil((until - now) / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const mmss = `${h > 0 ? String(m).padStart(2, '0') : m}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** A clock time (hours and minutes) in the current language. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** A short date and time in the current language. */
export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(ms);
}

const locale = () => (getLanguage() === 'de' ? 'de-DE' : 'en-GB');

/** The current time, refreshed every `intervalMs` (for countdowns). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
