// An RFC 4515 search-filter parser. ldapjs 3 sends the `\xx` escapes of a string filter to the
// server as literal text (so `j\c3\bcrgen` never matches "jürgen"), so the adapter builds its
// filters from this tree instead, with escapes decoded to the exact bytes. It also lets the
// settings schema refuse a malformed filter before it is saved.

/** A parsed filter. Values are the decoded bytes the server compares. */
export type FilterNode =
  | { type: 'and' | 'or'; children: FilterNode[] }
  | { type: 'not'; child: FilterNode }
  | { type: 'present'; attribute: string }
  | { type: 'equal' | 'approx' | 'ge' | 'le'; attribute: string; value: Buffer }
  | { type: 'substring'; attribute: string; initial: Buffer | null; any: Buffer[]; final: Buffer | null }
  | { type: 'extensible'; attribute: string | null; rule: string | null; dnAttributes: boolean; value: Buffer };

/** A filter that does not follow RFC 4515. */
export class FilterSyntaxError extends Error {}

const attributeName = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)(;[A-Za-z0-9-]+)*$/;
const MAX_DEPTH = 32;

/** Parses a complete filter such as `(&(objectClass=person)(uid=j\c3\bcrgen))`. */
export function parseFilter(text: string): FilterNode {
  const { node, end } = parseAt(text, 0, 0);
  if (end !== text.length) throw new FilterSyntaxError(`unexpected text after position ${end}`);
  return node;
}

function parseAt(text: string, start: number, depth: number): { node: FilterNode; end: number } {
  if (depth > MAX_DEPTH) throw new FilterSyntaxError('filter nested too deeply');
  if (text[start] !== '(') throw new FilterSyntaxError(`expected "(" at position ${start}`);
  const op = text[start + 1];
  if (op === '&' || op === '|') {
    const children: FilterNode[] = [];
    let at = start + 2;
    while (text[at] === '(') {
      const parsed = parseAt(text, at, depth + 1);
      children.push(parsed.node);
      at = parsed.end;
    }
    if (text[at] !== ')' || children.length === 0) throw new FilterSyntaxError(`expected a filter list closed by ")" at position ${at}`);
    return { node: { type: op === '&' ? 'and' : 'or', children }, end: at + 1 };
  }
  if (op === '!') {
    const parsed = parseAt(text, start + 2, depth + 1);
    if (text[parsed.end] !== ')') throw new FilterSyntaxError(`expected ")" at position ${parsed.end}`);
    return { node: { type: 'not', child: parsed.node }, end: parsed.end + 1 };
  }
  const close = text.indexOf(')', start + 1);
  if (close < 0) throw new FilterSyntaxError('missing ")"');
  return { node: parseItem(text.slice(start + 1, close)), end: close + 1 };
}

function parseItem(item: string): FilterNode {
  const extensible = item.indexOf(':=');
  if (extensible >= 0 && !item.slice(0, extensible).includes('=')) return parseExtensible(item.slice(0, extensible), item.slice(extensible + 2));
  const match = /^([^=~<>]+)(=|~=|>=|<=)(.*)$/s.exec(item);
  if (!match) throw new FilterSyntaxError(`not a filter item: "${item}"`);
  const [, attribute, operator, raw] = match as unknown as [string, string, string, string];
  checkAttribute(attribute);
  if (operator !== '=') return { type: operator === '~=' ? 'approx' : operator === '>=' ? 'ge' : 'le', attribute, value: unescapeValue(raw) };
  if (raw === '*') return { type: 'present', attribute };
  if (!raw.includes('*')) return { type: 'equal', attribute, value: unescapeValue(raw) };
  const parts = raw.split('*');
  const initial = parts.shift()!;
  const final = parts.pop()!;
  if (parts.some((p) => p.length === 0)) throw new FilterSyntaxError(`empty part in substring filter "${item}"`);
  return { type: 'substring', attribute, initial: initial ? unescapeValue(initial) : null, any: parts.map(unescapeValue), final: final ? unescapeValue(final) : null };
}

function parseExtensible(left: string, raw: string): FilterNode {
  const pieces = left.split(':');
  const attribute = pieces.shift() || null;
  if (attribute) checkAttribute(attribute);
  let dnAttributes = false;
  let rule: string | null = null;
  for (const piece of pieces) {
    if (piece.toLowerCase() === 'dn' && !dnAttributes && rule === null) dnAttributes = true;
    else if (rule === null && attributeName.test(piece)) rule = piece;
    else throw new FilterSyntaxError(`bad extensible match "${left}:="`);
  }
  if (!attribute && !rule) throw new FilterSyntaxError('an extensible match needs an attribute or a matching rule');
  return { type: 'extensible', attribute, rule, dnAttributes, value: unescapeValue(raw) };
}

function checkAttribute(attribute: string): void {
  if (!attributeName.test(attribute)) throw new FilterSyntaxError(`bad attribute name "${attribute}"`);
}

/** Decodes `\xx` escapes into bytes; unescaped `(`, `)`, `*` or a lone `\` are errors. */
export function unescapeValue(raw: string): Buffer {
  const bytes: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = String.fromCodePoint(raw.codePointAt(i)!);
    if (c === '\\') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new FilterSyntaxError(`bad escape "\\${hex}" (use \\ and two hex digits)`);
      bytes.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    if (c === '(' || c === ')' || c === '*' || c === '\0') throw new FilterSyntaxError(`unescaped "${c}" in a value`);
    bytes.push(...Buffer.from(c, 'utf8'));
    i += c.length;
  }
  return Buffer.from(bytes);
}
