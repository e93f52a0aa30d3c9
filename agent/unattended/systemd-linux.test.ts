import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode } from '../exit-codes.js';
import { pamServiceFile, systemdUnit } from './systemd-linux.js';

/** The unit's sections as key → values (a key may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current = '';
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = header[1]!;
      sections[current] = {};
      continue;
    }
    const [key, ...rest] = line.split('=');
    ((sections[current] ??= {})[key!] ??= []).push(rest.join('='));
  }
  return sections;
}

describe('systemd unit of the unattended service', () => {
  const unit = systemdUnit({ command: ['/usr/bin/node', '/opt/rescuebox-agent/rescuebox-agent.mjs'], stateDir: '/var/lib/rescuebox-agent' });
  const sections = parseUnit(unit);

  it('starts the agent\'s service entry point with its state directory, at boot, after the network', () => {
    assert.deepEqual(sections.Service!.ExecStart, ['/usr/bin/node /opt/rescuebox-agent/rescuebox-agent.mjs service --state-dir /var/lib/rescuebox-agent']);
    assert.deepEqual(sections.Service!.Type, ['simple']);
    assert.deepEqual(sections.Install!.WantedBy, ['multi-user.target']);
    assert.deepEqual(sections.Unit!.After, ['network-online.target']);
    assert.match(sections.Unit!.Description![0]!, /rescuebox-agent revoke/);
  });

  it('restarts after a crash but not after revoke or expiry (exit 7), and keeps the rest of the system read-only', () => {
    assert.deepEqual(sections.Service!.Restart, ['on-failure']);
    assert.deepEqual(sections.Service!.RestartPreventExitStatus, [String(ExitCode.deviceGone)]);
    assert.deepEqual(sections.Service!.UMask, ['0077']);
    assert.deepEqual(sections.Service!.ProtectSystem, ['strict']);
    assert.deepEqual(sections.Service!.ReadWritePaths, ['/var/lib/rescuebox-agent /etc/systemd/system']);
    assert.deepEqual(sections.Service!.NoNewPrivileges, ['yes']);
  });

  it('quotes paths with spaces the way systemd reads them', () => {
    const quoted = parseUnit(systemdUnit({ command: ['/opt/Rescue Box/agent'], stateDir: '/var/lib/a "b"' }));
    assert.deepEqual(quoted.Service!.ExecStart, ['"/opt/Rescue Box/agent" service --state-dir "/var/lib/a \\"b\\""']);
  });

  it('passes systemd-analyze verify where systemd is installed', { skip: spawnSync('systemd-analyze', ['--version']).status !== 0 && 'systemd-analyze is not installed' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rescuebox-unit-'));
    try {
      const file = join(dir, 'rescuebox-agent.service');
      writeFileSync(file, systemdUnit({ command: [process.execPath, join(dir, 'agent.mjs')], stateDir: dir }));
      writeFileSync(join(dir, 'agent.mjs'), '');
      const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks device credentials with the system\'s normal password stack', () => {
    assert.match(pamServiceFile(), /^@include common-auth$/m);
    assert.match(pamServiceFile(), /^@include common-account$/m);
  });
});
