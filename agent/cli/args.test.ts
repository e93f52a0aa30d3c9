import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HelpRequested, parseArgs, UsageError } from './args.js';

const fp = 'AB:'.repeat(31) + 'AB';

describe('agent command line', () => {
  it('parses a full command line', () => {
    const options = parseArgs([
      '--server', 'https://support.example.com:8443/ignored/path', '--pin', '123 456', '--ports', '8200, 443,8200', '--fingerprint', fp,
      '--download-dir', '/tmp/dl', '--max-file-mb', '2', '--script', '--lang', 'de',
    ]);
    assert.equal(options.server.href, 'https://support.example.com:8443/');
    assert.equal(options.pin, '123456');
    assert.deepEqual(options.ports, [8200, 443]);
    assert.equal(options.fingerprint, 'ab'.repeat(32));
    assert.equal(options.downloadDir, '/tmp/dl');
    assert.equal(options.maxFileBytes, 2 * 1024 * 1024);
    assert.equal(options.script, true);
    assert.equal(options.lang, 'de');
  });

  it('has defaults: download dir, 1 GiB, language from LANG, https for a bare host', () => {
    const options = parseArgs(['--server', 'support.example.com', '--join', 'abc.def', '--pin', '123456'], { LANG: 'de_DE.UTF-8' });
    assert.equal(options.server.origin, 'https://support.example.com');
    assert.equal(options.joinCode, 'abc.def');
    assert.equal(options.downloadDir, join(homedir(), 'Downloads', 'RescueBox'));
    assert.equal(options.maxFileBytes, 1024 * 1024 * 1024);
    assert.equal(options.lang, 'de');
    assert.equal(parseArgs(['--server', 'x.test'], { LANG: 'C.UTF-8' }).lang, 'en');
    assert.equal(parseArgs(['--server', 'x.test']).pin, null, 'no PIN: asked interactively');
  });

  it('takes server and fingerprint from the bundle, the fingerprint only for that server', () => {
    const defaults = { server: 'https://box.example.com', fingerprint: fp };
    assert.equal(parseArgs(['--pin', '123456'], {}, defaults).fingerprint, 'ab'.repeat(32));
    assert.equal(parseArgs(['--pin', '123456', '--server', 'https://other.example.com'], {}, defaults).fingerprint, null);
    assert.equal(parseArgs(['--pin', '123456', '--ca', '/tmp/ca.pem'], {}, defaults).fingerprint, null, 'an explicit --ca means CA trust');
  });

  const bad: [string, string[]][] = [
    ['no server', ['--pin', '123456']],
    ['unknown option', ['--server', 'x.test', '--frobnicate']],
    ['positional', ['--server', 'x.test', 'extra']],
    ['ftp server', ['--server', 'ftp://x.test']],
    ['credentials in the URL', ['--server', 'https://u:p@x.test']],
    ['short pin', ['--server', 'x.test', '--pin', '12']],
    ['pin with symbols', ['--server', 'x.test', '--pin', '12;rm -rf']],
    ['bad port', ['--server', 'x.test', '--ports', '8200,70000']],
    ['empty ports', ['--server', 'x.test', '--ports', ',']],
    ['short fingerprint', ['--server', 'x.test', '--fingerprint', 'abcd']],
    ['fingerprint over http', ['--server', 'http://x.test', '--fingerprint', fp]],
    ['zero max file', ['--server', 'x.test', '--max-file-mb', '0']],
    ['bad language', ['--server', 'x.test', '--lang', 'fr']],
    ['bad join code', ['--server', 'x.test', '--join', 'not a code']],
  ];
  for (const [name, argv] of bad) {
    it(`refuses: ${name}`, () => assert.throws(() => parseArgs(argv), UsageError));
  }

  it('--help', () => assert.throws(() => parseArgs(['--help']), HelpRequested));
});
