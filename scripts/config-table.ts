// Prints the README's configuration table, generated from `settings` in config/schema.ts;
// `--write` puts it between the config-table markers in README.md instead.
//   node --import tsx scripts/config-table.ts [--write]
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { settings } from '../config/schema.js';

export const START_MARKER = '<!-- config-table:start -->';
export const END_MARKER = '<!-- config-table:end -->';
export const README = fileURLToPath(new URL('../README.md', import.meta.url));
export const WRITE_COMMAND = 'node --import tsx scripts/config-table.ts --write';

/** The default of a setting as a user would write it in the environment, or null when there is none. */
function defaultText(schema: z.ZodType): string | null {
  // A default is what the schema yields for a missing value; optional settings yield undefined.
  const result = schema.safeParse(undefined);
  if (!result.success || result.data === undefined) return null;
  const value: unknown = result.data;
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(',');
  if (typeof value === 'object' && value !== null) return Object.keys(value).length === 0 ? null : JSON.stringify(value);
  return String(value);
}

/** Escapes what would break a Markdown table cell. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The configuration table in Markdown: variable, config-file key, default, meaning. */
export function configTable(): string {
  const lines = ['| variable | config-file key | default | meaning |', '| --- | --- | --- | --- |'];
  for (const [key, setting] of Object.entries(settings)) {
    const fallback = defaultText(setting.schema);
    lines.push(`| \`${setting.env}\` | \`${key}\` | ${fallback === null ? '—' : `\`${cell(fallback)}\``} | ${cell(setting.doc)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** What stands between the markers in a README, or null when the markers are missing or out of order. */
export function tableInReadme(readme: string): string | null {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) return null;
  return readme.slice(start + START_MARKER.length, end).replace(/^\r?\n/, '');
}

/** The README with the part between the markers replaced by `table`; throws when the markers are missing. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${START_MARKER} … ${END_MARKER}; add them where the table belongs.`);
  return `${readme.slice(0, start + START_MARKER.length)}\n${table}${readme.slice(end)}`;
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  if (process.argv.includes('--write')) {
    const readme = readFileSync(README, 'utf8');
    const updated = withTable(readme, configTable());
    if (updated !== readme) writeFileSync(README, updated);
    console.log(updated === readme ? 'README.md: configuration table already up to date.' : 'README.md: configuration table rewritten.');
  } else {
    process.stdout.write(configTable());
  }
}
