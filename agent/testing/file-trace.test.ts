import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { straceCommand, writtenByTrace, writtenByTraceFile } from './file-trace.js';

describe('what a traced program wrote', () => {
  it('reads writes, creations, directories, renames and links; skips reads and failures', () => {
    const log = [
      '101 openat(AT_FDCWD, "/etc/ssl/openssl.cnf", O_RDONLY) = 3',
      '101 openat(AT_FDCWD, "/home/c/.config/autostart/x.desktop", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 5',
      '101 openat(AT_FDCWD, "/nope/file", O_WRONLY|O_CREAT, 0666) = -1 ENOENT (No such file or directory)',
      '102 mkdir("/home/c/Downloads/RescueBox", 0700) = 0',
      '102 openat(AT_FDCWD, "rel/part", O_RDWR|O_CREAT|O_EXCL, 0600) = 7',
      '102 rename("/home/c/Downloads/RescueBox/.p", "/home/c/Downloads/RescueBox/tool \\"1\\".bin") = 0',
      '103 linkat(AT_FDCWD, "/a", AT_FDCWD, "/b", 0) = 0',
      '103 openat(AT_FDCWD, "/dev/tty", O_RDWR|O_CLOEXEC) = 8',
      '103 +++ exited with 0 +++',
    ].join('\n');
    assert.deepEqual(writtenByTrace(log, '/work'), [
      '/home/c/.config/autostart/x.desktop', '/home/c/Downloads/RescueBox', '/work/rel/part', '/home/c/Downloads/RescueBox/tool "1".bin', '/b', '/dev/tty',
    ]);
  });

  it('catches what a real program writes, in its children too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-trace-'));
    try {
      const log = join(dir, 'trace.log');
      const [strace, ...args] = straceCommand(log);
      const run = spawnSync(strace!, [...args, 'sh', '-c', `mkdir ${dir}/made && (echo x > ${dir}/made/child.txt) && cat /etc/hostname >/dev/null`], { cwd: dir });
      assert.equal(run.status, 0, run.stderr.toString());
      const written = writtenByTraceFile(log, dir);
      assert.ok(written.includes(join(dir, 'made')), written.join('\n'));
      assert.ok(written.includes(join(dir, 'made', 'child.txt')), written.join('\n'));
      assert.ok(!written.includes('/etc/hostname'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
