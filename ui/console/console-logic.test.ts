import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relayUrl } from './connection.js';
import { readReport, uptimeParts } from './diagnostics.js';
import { protocolName } from './files-outgoing.js';
import { formatRemaining } from './format.js';
import { joinHandlers } from './handlers.js';
import { endingFrom } from './session.js';

describe('console logic', () => {
  it('reads an untrusted diagnostics report without throwing, filling gaps with empty values', () => {
    const view = readReport({ os: { hostname: 'pc-1', type: 42 }, disks: [{ mount: '/', totalBytes: 100, freeBytes: -5 }, 'junk'], processes: { top: 'nope' }, uptimeSeconds: 'long' });
    assert.equal(view.os.hostname, 'pc-1');
    assert.equal(view.os.type, '');
    assert.deepEqual(view.disks[0], { mount: '/', device: '', fsType: '', totalBytes: 100, freeBytes: 0 });
    assert.equal(view.disks[1]!.mount, '');
    assert.deepEqual(view.processes, []);
    assert.equal(view.uptimeSeconds, 0);
    assert.deepEqual(uptimeParts(90_061), { days: 1, hours: 1, minutes: 1 });
  });

  it('knows who ended a session from the relay\'s reason', () => {
    assert.equal(endingFrom('ended by customer').by, 'customer');
    assert.equal(endingFrom('ended by technician').by, 'technician');
    assert.equal(endingFrom('ended by admin').by, 'other');
    assert.equal(endingFrom('idle').by, 'other');
  });

  it('refuses two owners for one message type', () => {
    const noop = () => undefined;
    assert.equal(joinHandlers({ a: { chat: noop }, b: { 'file.offer': noop } }).size, 2);
    assert.throws(() => joinHandlers({ a: { chat: noop }, b: { chat: noop } }), /two owners/);
  });

  it('shortens long file names to what the protocol takes, keeping the extension', () => {
    const name = protocolName(`${'x'.repeat(300)}.tar.gz`);
    assert.equal(name.length, 255);
    assert.ok(name.endsWith('.gz'));
    assert.equal(protocolName('  \u0007 '), 'file');
    assert.equal(protocolName('report.pdf'), 'report.pdf');
  });

  it('formats countdowns and relay addresses', () => {
    assert.equal(formatRemaining(125_000, 0), '2:05');
    assert.equal(formatRemaining(3_725_000, 0), '1:02:05');
    assert.equal(formatRemaining(0, 10), '0:00');
    assert.equal(relayUrl('/relay', { protocol: 'https:', host: 'support.example.com' }), 'wss://support.example.com/relay');
    assert.equal(relayUrl('/relay', { protocol: 'http:', host: '127.0.0.1:8080' }), 'ws://127.0.0.1:8080/relay');
  });
});
