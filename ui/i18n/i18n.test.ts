import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dictionaries } from './index.js';

const uiRoot = new URL('..', import.meta.url).pathname;

/** Every .ts/.tsx source file of the UI, tests and browser tests left out. */
function sources(dir = uiRoot, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'e2e') sources(path, found);
    } else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

/** The keys passed to t(…): literal keys, and the fixed prefix of keys built with `${…}`. */
function usedKeys(): { literal: Set<string>; prefixes: Set<string> } {
  const literal = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bt\('([^']+)'/g)) literal.add(match[1]!);
    for (const match of text.matchAll(/\bt\(`([^`$]*)\$\{/g)) prefixes.add(match[1]!);
  }
  return { literal, prefixes };
}

describe('translations', () => {
  it('German and English have the same keys', () => {
    const de = Object.keys(dictionaries.de).sort();
    const en = Object.keys(dictionaries.en).sort();
    assert.deepEqual(de.filter((k) => !en.includes(k)), [], 'only in German');
    assert.deepEqual(en.filter((k) => !de.includes(k)), [], 'only in English');
  });

  it('every key the UI uses has a text', () => {
    const { literal, prefixes } = usedKeys();
    const missing = [...literal].filter((key) => !(key in dictionaries.en)).sort();
    assert.deepEqual(missing, []);
    const known = Object.keys(dictionaries.en);
    const emptyFamilies = [...prefixes].filter((prefix) => !known.some((key) => key.startsWith(prefix))).sort();
    assert.deepEqual(emptyFamilies, [], 'key families built at run time');
  });

  it('no text is empty and placeholders match across languages', () => {
    for (const [key, en] of Object.entries(dictionaries.en)) {
      const de = dictionaries.de[key] ?? '';
      assert.ok(en.trim() && de.trim(), `empty text for ${key}`);
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(names(de), names(en), `placeholders of ${key}`);
    }
  });
});
