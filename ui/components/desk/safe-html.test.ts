import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSafeUrl } from './safe-html.js';

// The URL rule of the KB renderer's allowlist: only addresses that cannot run code survive.
describe('isSafeUrl', () => {
  it('keeps http(s), mailto, paths and anchors', () => {
    for (const url of ['https://example.test/help', 'http://example.test', 'mailto:help@example.test', '/portal/kb/1', '#step-2', 'docs/page.html', '?q=1']) {
      assert.equal(isSafeUrl(url), true, url);
    }
  });

  it('drops script, data and odd schemes, also disguised', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', '\u0000javascript:x',
      'vbscript:x', 'data:text/html,<script>x</script>', 'file:///etc/passwd', '//evil.test/x', '/\\evil.test', 'blob:https://x/y']) {
      assert.equal(isSafeUrl(url), false, JSON.stringify(url));
    }
  });

  it('allows images only over http(s) or from the appliance', () => {
    assert.equal(isSafeUrl('https://example.test/a.png', true), true);
    assert.equal(isSafeUrl('/api/v1/branding/logo', true), true);
    assert.equal(isSafeUrl('mailto:a@b.c', true), false);
    assert.equal(isSafeUrl('#x', true), false);
    assert.equal(isSafeUrl('data:image/svg+xml,<svg onload=alert(1)>', true), false);
  });
});
