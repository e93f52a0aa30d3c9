import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linuxDistro } from '../platform.js';
import { parseMounts, parseProcess } from './linux.js';
import { parsePs, parsePsTime } from './ps.js';
import { collectReport, fitReport } from './report.js';

describe('diagnostics report', () => {
  it('has every section, as plain JSON', { skip: process.platform !== 'linux' && 'the /proc readers are Linux only' }, async () => {
    const report = await collectReport();
    assert.deepEqual(Object.keys(report).sort(), ['agentVersion', 'collectedAt', 'cpu', 'disks', 'memory', 'network', 'os', 'processes', 'uptimeSeconds']);
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report, 'JSON-serialisable');
    assert.ok(report.os.hostname && report.os.platform === 'linux');
    assert.ok(report.cpu.cores >= 1 && report.cpu.loadAverage.length === 3);
    assert.ok(report.memory.totalBytes > report.memory.freeBytes);
    assert.ok(report.disks.length >= 1 && report.disks.every((d) => d.totalBytes > 0), JSON.stringify(report.disks));
    assert.ok(report.network.some((n) => n.addresses.some((a) => a.address === '127.0.0.1')));
    assert.equal(report.processes.source, 'proc');
    assert.ok(report.processes.top.length >= 1 && report.processes.top.length <= 50);
    assert.ok(report.processes.top.some((p) => p.pid === process.pid), 'this process is among the top ones (or the list is short)');
    const rss = report.processes.top.map((p) => p.rssBytes);
    assert.deepEqual(rss, [...rss].sort((a, b) => b - a), 'sorted by memory');
  });

  it('shrinks to fit a message header', async () => {
    const report = await collectReport();
    const huge = { ...report, processes: { ...report.processes, top: Array.from({ length: 50 }, (_, i) => ({ pid: i, name: 'x'.repeat(2000), rssBytes: 1, cpuSeconds: 0 })) } };
    const fitted = fitReport(huge, 60 * 1024);
    assert.ok(Buffer.byteLength(JSON.stringify(fitted)) <= 60 * 1024);
    assert.ok(fitted.processes.top.length > 0);
  });
});

describe('system parsers', () => {
  it('reads real file systems from /proc/mounts, decoding escapes', () => {
    const mounts = parseMounts([
      '/dev/sda1 / ext4 rw,relatime 0 0',
      'proc /proc proc rw 0 0',
      'tmpfs /run tmpfs rw 0 0',
      'overlay / overlay rw 0 0',
      '/dev/sdb1 /media/My\\040Disk vfat rw 0 0',
      'cgroup2 /sys/fs/cgroup cgroup2 rw 0 0',
    ].join('\n'));
    assert.deepEqual(mounts.map((m) => m.mount), ['/', '/media/My Disk']);
  });

  it('reads a process from stat and status, names with spaces and parentheses included', () => {
    const stat = '4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 100 1000000 500 18446744073709551615';
    const process = parseProcess(4242, stat, 'Name:\tmy (odd) name\nVmRSS:\t  2048 kB\n');
    assert.deepEqual(process, { pid: 4242, name: 'my (odd) name', rssBytes: 2048 * 1024, cpuSeconds: 3 });
    assert.equal(parseProcess(1, 'garbage', '')?.name, undefined);
  });

  it('parses ps output and its times', () => {
    assert.equal(parsePsTime('1-02:03:04'), 86_400 + 7384);
    assert.equal(parsePsTime('03:04.50'), 184.5);
    assert.deepEqual(parsePs('  1  1024 00:00:01 /sbin/launchd\n 99 2048 1:00.00 /Applications/Foo Bar.app/foo bar\n'), [
      { pid: 1, rssBytes: 1024 * 1024, cpuSeconds: 1, name: 'launchd' },
      { pid: 99, rssBytes: 2048 * 1024, cpuSeconds: 60, name: 'foo bar' },
    ]);
  });

  it('reads the distribution from os-release', () => {
    assert.equal(linuxDistro(() => 'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(linuxDistro(() => 'NAME=Alpine\nVERSION=3.20\n'), 'Alpine 3.20');
    assert.equal(linuxDistro(() => { throw new Error('ENOENT'); }), null);
  });
});
