import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { fuzzParams } from '../../scripts/fuzz-runs.js';
import { markdownExcerpt, renderMarkdown } from './markdown.js';

// Articles are written by staff but shown to customers in the portal: whatever Markdown (and
// raw HTML inside it) an author writes, the rendered HTML holds only the allowed tags and
// attributes, and no URL with a scheme that could run script.

const tags = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 'del', 's', 'ul', 'ol', 'li',
  'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input', 'sup', 'sub', 'kbd']);
const attributes: Record<string, string[]> = {
  a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'], input: ['type', 'checked', 'disabled'], code: ['class'],
};

const hostile = fc.constantFrom(
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))', '[x](&#106;avascript:alert(1))', '[x](java\tscript:alert(1))', '![i](data:image/svg+xml,<svg onload=alert(1)>)',
  '<iframe src="//evil">', '<svg><script>alert(1)</script></svg>', '<style>*{}</style>', '<a href="//evil.example">x</a>', '[x](//evil.example)',
  '<form action=x><input type=submit></form>', '<div style="background:url(javascript:alert(1))">', '<code class="language-js onmouseover">x</code>',
  '<!-- <script> -->', '<![CDATA[<script>]]>', '`<script>`', '```html\n<script>\n```', '<a href=" javascript:alert(1)">x</a>', '<img src="x" srcset="javascript:x">',
  '<input type="text" onfocus=alert(1) autofocus>', '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', '<a href="mailto:a@b">m</a>', '[ok](https://example.com "t")',
  '<', '>', '"', "'", '&', '\n\n', '| a | b |\n|---|---|\n| 1 | 2 |\n', '- [x] done\n', '> quote\n', '***', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
);
const markdown = fc.array(fc.oneof(hostile, fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 })), { maxLength: 12 }).map((parts) => parts.join(''));

/** Scheme of a URL the way a browser reads it: control characters and white space inside ignored. */
function scheme(url: string): string | null {
  const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const match = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  return match ? match[1]! : null;
}

function assertSafeHtml(html: string): void {
  new Parser({
    onopentag(name, attrs) {
      assert.ok(tags.has(name), `tag <${name}> in ${html}`);
      for (const [key, value] of Object.entries(attrs)) {
        assert.ok((attributes[name] ?? []).includes(key), `attribute ${key} on <${name}> in ${html}`);
        if (key === 'href' || key === 'src') {
          const s = scheme(value);
          assert.ok(s === null || ['http', 'https', ...(key === 'href' ? ['mailto'] : [])].includes(s), `${key}=${value}`);
          assert.ok(!value.trim().startsWith('//'), `protocol-relative ${key}=${value}`);
        }
        if (key === 'class') assert.match(value, /^(language-[a-z0-9+-]+( |$))*$/);
      }
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }).end(html);
  // Independently of that parser: every "<" that starts markup starts an allowed tag or an end tag of one.
  for (const match of html.matchAll(/<\/?([a-zA-Z!?][^\s/>]*)/g)) assert.ok(tags.has(match[1]!.toLowerCase()), `markup <${match[1]}> in ${html}`);
}

describe('Markdown sanitizer (fuzz)', () => {
  it('renders any Markdown to allowed tags, attributes and URL schemes only', () => {
    fc.assert(fc.property(markdown, (md) => assertSafeHtml(renderMarkdown(md))), fuzzParams());
  });

  it('gives a bounded excerpt for any Markdown without throwing', () => {
    fc.assert(fc.property(markdown, fc.integer({ min: 2, max: 300 }), (md, length) => {
      const excerpt = markdownExcerpt(md, length);
      assert.ok(excerpt.length <= length);
    }), fuzzParams());
  });
});
