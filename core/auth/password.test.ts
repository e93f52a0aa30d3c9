import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword } from './password-hash.js';
import { checkPassword } from './password-policy.js';

describe('password policy', () => {
  const cases: [string, string | null][] = [
    ['short1a', 'too_short'],
    ['onlyletters', 'needs_letter_and_digit'],
    ['1234567890', 'needs_letter_and_digit'],
    ['password1', 'too_common'],
    ['Passw0rd', 'too_common'],
    ['Qwerty123!', 'too_common'],
    ['Sommer2026', 'too_common'],
    ['alice-2026-x', 'contains_email'],
    ['Tr0ubadour-staple', null],
    ['Grüße-aus-Köln-7', null],
  ];
  for (const [password, expected] of cases) {
    it(`${password} → ${expected ?? 'ok'}`, () => {
      assert.equal(checkPassword(password, 'alice@example.test')?.code ?? null, expected);
    });
  }
});

describe('password hashing', () => {
  it('uses scrypt with a random salt and verifies only the right password', async () => {
    const a = await hashPassword('Secret-pass-1');
    const b = await hashPassword('Secret-pass-1');
    assert.match(a, /^scrypt\$32768\$8\$1\$/);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('Secret-pass-1', a), true);
    assert.equal(await verifyPassword('Secret-pass-2', a), false);
    assert.equal(await verifyPassword('Secret-pass-1', null), false);
    assert.equal(await verifyPassword('Secret-pass-1', 'garbage'), false);
  });
});
