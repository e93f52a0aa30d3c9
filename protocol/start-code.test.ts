import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStartCode, parseStartCode } from './start-code.js';

describe('start code', () => {
  const joinCode = 'eyJ2IjoxLCJraW5kIjoiam9pbiJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmVfLQ';

  it('carries PIN and join code there and back', () => {
    const text = formatStartCode({ pin: '123456', joinCode });
    assert.equal(text, `123456:${joinCode}`);
    assert.deepEqual(parseStartCode(text), { pin: '123456', joinCode });
  });

  it('ignores the spaces and line breaks a terminal paste adds, and dashes in the PIN', () => {
    assert.deepEqual(parseStartCode(`  123-456:${joinCode.slice(0, 20)}\r\n${joinCode.slice(20)} `), { pin: '123456', joinCode });
  });

  it('is not a start code: a bare PIN, a missing part, a foreign shape', () => {
    for (const text of ['123456', `:${joinCode}`, '123456:', '123456:nodot', `12:${joinCode}`, `123456:${joinCode}.x`, `12 34!56:${joinCode}`, `123456:${'a'.repeat(2049)}.b`]) {
      assert.equal(parseStartCode(text), null, text);
    }
  });
});
