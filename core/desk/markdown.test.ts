import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownExcerpt, renderMarkdown } from './markdown.js';

/** Payloads that must come out inert. */
const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle/></svg>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](java&#x73;cript:alert(1))',
  '[click](  javascript:alert(1))',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p onclick="alert(1)">x</p>',
  '<object data="x"></object><embed src="x">',
  '<form action="https://evil.example"><button>go</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="//evil.example">x</a>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
];

describe('markdown rendering', () => {
  it('renders ordinary Markdown', () => {
    const html = renderMarkdown('# Title\n\nSome **bold** and `code`.\n\n- a\n- b\n\n[docs](https://example.com/docs)\n\n```js\nx()\n```');
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<li>a<\/li>/);
    assert.match(html, /<a href="https:\/\/example.com\/docs" rel="noopener noreferrer nofollow">docs<\/a>/);
    assert.match(html, /<code class="language-js">/);
  });

  for (const payload of payloads) {
    it(`makes inert: ${payload}`, () => {
      const html = renderMarkdown(`before\n\n${payload}\n\nafter`);
      // No live tag that runs or loads anything, no handler attribute, no dangerous URL.
      assert.doesNotMatch(html, /<(script|iframe|object|embed|svg|math|style|form|base|meta|noscript|div)\b/i, html);
      assert.doesNotMatch(html, /<[^>]*\son[a-z]+\s*=/i, html);
      assert.doesNotMatch(html, /<[^>]*(href|src)\s*=\s*"(?!https?:|mailto:|#|\/(?!\/)|[a-z0-9._-]+(\/|"|$))/i, html);
      assert.doesNotMatch(html, /(href|src)="[^"]*(javascript|data):/i, html);
      assert.match(html, /after/);
    });
  }

  it('gives plain-text excerpts', () => {
    assert.equal(markdownExcerpt('# Reset **password**\n\nUse <script>x</script> the portal.'), 'Reset password Use the portal.');
  });
});
