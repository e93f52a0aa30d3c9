import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkCredentials } from './pam-linux.js';
import { pamTestStack, type PamTestStack } from './testing/pam.js';

// The real PAM library through pamtester, with a test-only stack (libpam-wrapper's pam_matrix
// module and a password file in a temp dir): no account or file of the machine is touched.

describe('device credentials through PAM', () => {
  let dir: string;
  let pam: PamTestStack;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rescuebox-pam-'));
    pam = pamTestStack(dir, { alice: 'Device-Pass-1' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the right password and rejects a wrong one, an unknown user and a password with a trailing extra', async () => {
    assert.equal(await checkCredentials(pam.service, 'alice', 'Device-Pass-1', pam.env), 'accepted');
    assert.equal(await checkCredentials(pam.service, 'alice', 'wrong', pam.env), 'rejected');
    assert.equal(await checkCredentials(pam.service, 'bob', 'Device-Pass-1', pam.env), 'rejected');
    assert.equal(await checkCredentials(pam.service, 'alice', 'Device-Pass-1x', pam.env), 'rejected');
  });

  it('refuses user names that could be options or paths before PAM runs', async () => {
    for (const user of ['-h', '--help', '../root', 'a b', '']) assert.equal(await checkCredentials(pam.service, user, 'x', pam.env), 'bad_user');
  });

  it('fails closed when the PAM service does not exist', async () => {
    assert.equal(await checkCredentials('rescuebox-no-such-service', 'alice', 'Device-Pass-1', pam.env), 'rejected');
  });
});
