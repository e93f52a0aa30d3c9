import { z } from 'zod';
import type { DB } from '../db/open.js';
import type { Clock } from '../support/clock.js';

/** Impact and urgency levels of an incident. */
export const levels = ['high', 'medium', 'low'] as const;
export type Level = (typeof levels)[number];

/** Priorities: 1 critical, 2 high, 3 medium, 4 low. */
export const priorities = [1, 2, 3, 4] as const;
export type Priority = (typeof priorities)[number];

const priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const row = z.object({ high: priority, medium: priority, low: priority }).strict();
const target = z.object({ responseMinutes: z.number().int().min(1).max(525_600), resolutionMinutes: z.number().int().min(1).max(525_600) }).strict()
  .refine((t) => t.resolutionMinutes >= t.responseMinutes, 'resolutionMinutes must not be shorter than responseMinutes');

/** The desk's configurable rules: impact × urgency → priority, SLA targets per priority, categories. */
export const deskSettingsSchema = z.object({
  priorityMatrix: z.object({ high: row, medium: row, low: row }).strict(),
  sla: z.object({ 1: target, 2: target, 3: target, 4: target }).strict(),
  incidentCategories: z.array(z.string().trim().min(1).max(50)).min(1).max(100)
    .refine((list) => new Set(list).size === list.length, 'categories must be unique'),
}).strict();

/** Validated desk settings. */
export type DeskSettings = z.output<typeof deskSettingsSchema>;

/** The defaults: a common ITIL matrix and 24×7 targets. */
export const defaultDeskSettings: DeskSettings = {
  priorityMatrix: { high: { high: 1, medium: 2, low: 3 }, medium: { high: 2, medium: 3, low: 4 }, low: { high: 3, medium: 4, low: 4 } },
  sla: {
    1: { responseMinutes: 15, resolutionMinutes: 240 },
    2: { responseMinutes: 60, resolutionMinutes: 480 },
    3: { responseMinutes: 240, resolutionMinutes: 1440 },
    4: { responseMinutes: 480, resolutionMinutes: 4320 },
  },
  incidentCategories: ['hardware', 'software', 'network', 'access', 'other'],
};

/** The stored settings, or the defaults when none were saved. */
export async function loadDeskSettings(db: DB): Promise<DeskSettings> {
  const stored = await db.selectFrom('desk_settings').select('settings').where('id', '=', 1).executeTakeFirst();
  if (!stored) return defaultDeskSettings;
  const parsed = deskSettingsSchema.safeParse(JSON.parse(stored.settings));
  return parsed.success ? parsed.data : defaultDeskSettings;
}

/** Saves the settings (already validated). */
export async function saveDeskSettings(db: DB, clock: Clock, settings: DeskSettings): Promise<void> {
  const values = { id: 1, settings: JSON.stringify(settings), updated_at: clock.now() };
  await db.insertInto('desk_settings').values(values).onConflict((oc) => oc.column('id').doUpdateSet({ settings: values.settings, updated_at: values.updated_at })).execute();
}

/** Priority of an impact × urgency pair under the settings' matrix. */
export function priorityOf(settings: DeskSettings, impact: Level, urgency: Level): Priority {
  return settings.priorityMatrix[impact][urgency];
}
