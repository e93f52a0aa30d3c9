import { z } from 'zod';
import { definePlugin } from '../../core/policy/plugin.js';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24 h)');

const settings = z.object({
  /** IANA time zone the hours are in, e.g. Europe/Berlin. */
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone').default('UTC'),
  days: z.array(z.enum(weekdays)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
  from: time.default('00:00'),
  until: time.default('23:59'),
  /** Roles the hours apply to; admins are exempt by default so they can always get in to fix things. */
  roles: z.array(z.enum(['account_admin', 'network_admin', 'technician', 'customer'])).default(['technician']),
}).strict();

type Settings = z.output<typeof settings>;

/** Weekday and minute of day of an instant in a time zone. */
export function localTime(at: number, timeZone: string): { day: (typeof weekdays)[number]; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: get('weekday').toLowerCase().slice(0, 3) as (typeof weekdays)[number], minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether an instant lies inside the allowed days and hours (a window may run past midnight). */
export function withinHours(at: number, s: Settings): boolean {
  const { day, minutes } = localTime(at, s.timeZone);
  const from = toMinutes(s.from);
  const until = toMinutes(s.until);
  if (from <= until) return s.days.includes(day) && minutes >= from && minutes <= until;
  // Overnight window (e.g. 22:00–06:00): the late part belongs to the listed day, the early part to the day after.
  const yesterday = weekdays[(weekdays.indexOf(day) + 6) % 7]!;
  return (s.days.includes(day) && minutes >= from) || (s.days.includes(yesterday) && minutes <= until);
}

/** Login hours: staff of the listed roles may log in only on the given days and hours. */
export default definePlugin<Settings>({
  id: 'login-hours',
  name: 'Login hours',
  description: 'Technicians (or other roles) may log in only on configured weekdays and hours, in a given time zone.',
  settings: settings as unknown as z.ZodType<Settings>,
  hooks: {
    // The decision's own time, not tools.now(): the console's "test a policy" asks about a chosen instant.
    technicianLogin: (context, s) => {
      if (!context.actor || !s.roles.includes(context.actor.role)) return { outcome: 'continue', reason: `Login hours do not apply to ${context.actor ? `the role ${context.actor.role}` : 'an unknown account'}.` };
      if (withinHours(context.at, s)) return { outcome: 'continue', reason: 'Within the allowed login hours.', facts: { withinHours: true } };
      return {
        outcome: 'deny', code: 'outside_login_hours',
        reason: `Login is allowed only ${s.days.join(', ')} ${s.from}–${s.until} (${s.timeZone}).`,
      };
    },
  },
});
