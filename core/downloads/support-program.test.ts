import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkOwnSignature, SelfCheckFailed } from '../../agent/sea/self-check.js';
import { buildSupportPrograms } from '../../agent/testing/support-program.js';
import { prepareProgram, programFileName, type ProgramInputs } from './support-program.js';

/**
 * The Windows support program cannot run here; this checks what can be checked on Linux: the
 * build makes a valid PE, the appliance's Authenticode signature (test certificate) verifies with
 * osslsigncode, and the program's own start-up check (the same function it runs on Windows)
 * accepts the signed file and refuses it with one byte changed.
 */
describe('the Windows support program, signed', { timeout: 180_000 }, () => {
  let work: string;
  let inputs: ProgramInputs;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'rb-win-'));
    const publicDir = join(work, 'public');
    buildSupportPrograms(publicDir, ['win-x64']);
    // A self-signed code-signing certificate, as an admin would configure a real one.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(work, 'cs.key'), '-out', join(work, 'cs.crt'), '-days', '2', '-subj', '/CN=RescueBox Test Code Signing', '-addext', 'extendedKeyUsage=codeSigning'], { stdio: 'ignore' });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    inputs = {
      sourceDir: join(publicDir, 'downloads', 'support'),
      cacheDir: join(work, 'cache'),
      defaults: { server: 'https://support.example.test', fingerprint: 'ab'.repeat(32), company: 'ACME', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      privateKey,
      codeSigning: { certFile: join(work, 'cs.crt'), keyFile: join(work, 'cs.key') },
    };
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('carries an Authenticode signature that osslsigncode verifies, and passes its own check', async () => {
    const program = await prepareProgram('win-x64', inputs);
    assert.equal(program.fileName, 'RescueBox-Support-ACME.exe');
    assert.equal(program.authenticode, true);
    const verify = spawnSync('osslsigncode', ['verify', '-CAfile', join(work, 'cs.crt'), '-in', program.file], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /Signature verification: ok/);
    assert.deepEqual(checkOwnSignature(program.file), inputs.defaults);
    const bytes = readFileSync(program.file);
    const changed = join(work, 'changed.exe');
    bytes[Math.floor(bytes.length / 3)]! ^= 0x01;
    writeFileSync(changed, bytes);
    assert.throws(() => checkOwnSignature(changed), SelfCheckFailed);
  });

  it('without a certificate is a valid PE with no Authenticode signature, still Ed25519-signed', async () => {
    const program = await prepareProgram('win-x64', { ...inputs, codeSigning: null, cacheDir: join(work, 'cache-unsigned') });
    assert.equal(program.authenticode, false);
    const bytes = readFileSync(program.file);
    assert.equal(bytes.subarray(0, 2).toString(), 'MZ');
    const pe = bytes.readUInt32LE(0x3c);
    assert.equal(bytes.readUInt32LE(pe), 0x4550, 'PE signature');
    // A console program (IMAGE_SUBSYSTEM_WINDOWS_CUI): double-clicked, it opens a console window
    // that shows the prompts and the control warning, and closing that window ends the session.
    assert.equal(bytes.readUInt16LE(pe + 24 + 68), 3, 'console subsystem');
    const verify = spawnSync('osslsigncode', ['verify', '-in', program.file], { encoding: 'utf8' });
    assert.notEqual(verify.status, 0);
    assert.match(verify.stdout + verify.stderr, /No signature found/i);
    assert.equal(checkOwnSignature(program.file).company, 'ACME');
  });

  it('names files by company in plain ASCII', () => {
    assert.equal(programFileName('win-x64', 'Müller & Söhne GmbH'), 'RescueBox-Support-Muller-Sohne-GmbH.exe');
    assert.equal(programFileName('linux-arm64', 'RescueBox'), 'RescueBox-Support-linux-arm64');
    assert.equal(programFileName('linux-x64', '  '), 'RescueBox-Support-linux-x64');
  });
});
