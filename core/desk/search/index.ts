import type { FullTextIndex } from './full-text.js';
import { sqliteFullText } from './sqlite-fts.js';

/** The full-text index the desk uses; the one switch point when another database follows. */
export const fullText: FullTextIndex = sqliteFullText;
