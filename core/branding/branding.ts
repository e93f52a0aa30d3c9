import { z } from 'zod';
import type { DB } from '../db/open.js';

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use #rrggbb');
const texts = z.object({ welcome: z.string().max(2000), help: z.string().max(4000) }).strict();

/** The PIN page's look and words, per language; plain text only (rendered as text, never HTML). */
export const brandingSchema = z.object({
  companyName: z.string().trim().max(120),
  colors: z.object({ primary: color, background: color, text: color }).strict(),
  texts: z.object({ de: texts, en: texts }).strict(),
}).strict();

export type Branding = z.output<typeof brandingSchema>;

export const defaultBranding: Branding = {
  companyName: 'RescueBox',
  colors: { primary: '#1f5fbf', background: '#f4f6fa', text: '#1b2430' },
  texts: {
    de: { welcome: 'Willkommen beim Fernsupport. Bitte geben Sie die PIN ein, die Ihnen Ihr Techniker genannt hat.', help: 'Die PIN hat 6 Ziffern und gilt 20 Minuten. Sie können die Sitzung jederzeit beenden.' },
    en: { welcome: 'Welcome to remote support. Please enter the PIN your technician gave you.', help: 'The PIN has 6 digits and is valid for 20 minutes. You can end the session at any time.' },
  },
};

/** Image types a logo may have, recognised by their first bytes (never by the client's word). */
const logoSignatures: { type: string; magic: number[] }[] = [
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/webp', magic: [0x52, 0x49, 0x46, 0x46] },
];
export const MAX_LOGO_BYTES = 512 * 1024;

/** The image type of logo bytes, or null if they are not a PNG, JPEG or WebP image. SVG is refused: it can carry script. */
export function logoType(bytes: Uint8Array): string | null {
  const found = logoSignatures.find((s) => s.magic.every((b, i) => bytes[i] === b));
  if (found?.type === 'image/webp' && String.fromCharCode(...bytes.subarray(8, 12)) !== 'WEBP') return null;
  return found?.type ?? null;
}

/** The current branding (defaults until an admin saves some). */
export async function loadBranding(db: DB): Promise<Branding & { hasLogo: boolean }> {
  const row = await db.selectFrom('branding').select(['settings', 'logo_type']).where('id', '=', 1).executeTakeFirst();
  const parsed = row ? brandingSchema.safeParse(JSON.parse(row.settings)) : null;
  return { ...(parsed?.success ? parsed.data : defaultBranding), hasLogo: Boolean(row?.logo_type) };
}

async function upsert(db: DB, values: { settings?: string; logo_type?: string | null; logo_base64?: string | null }, now: number): Promise<void> {
  const existing = await db.selectFrom('branding').select('settings').where('id', '=', 1).executeTakeFirst();
  if (existing) await db.updateTable('branding').set({ ...values, updated_at: now }).where('id', '=', 1).execute();
  else await db.insertInto('branding').values({ id: 1, settings: values.settings ?? JSON.stringify(defaultBranding), logo_type: values.logo_type ?? null, logo_base64: values.logo_base64 ?? null, updated_at: now }).execute();
}

/** Saves the branding settings. */
export const saveBranding = (db: DB, branding: Branding, now: number) => upsert(db, { settings: JSON.stringify(branding) }, now);

/** Saves (or with null, removes) the logo. */
export const saveLogo = (db: DB, logo: { type: string; bytes: Uint8Array } | null, now: number) =>
  upsert(db, { logo_type: logo?.type ?? null, logo_base64: logo ? Buffer.from(logo.bytes).toString('base64') : null }, now);

/** The logo bytes and type, if one is set. */
export async function loadLogo(db: DB): Promise<{ type: string; bytes: Buffer } | null> {
  const row = await db.selectFrom('branding').select(['logo_type', 'logo_base64']).where('id', '=', 1).executeTakeFirst();
  return row?.logo_type && row.logo_base64 ? { type: row.logo_type, bytes: Buffer.from(row.logo_base64, 'base64') } : null;
}
