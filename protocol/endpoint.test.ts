import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecureEndpoint, type Transport } from './endpoint.js';
import type { ProtocolError } from './errors.js';
import type { Message } from './messages.js';

/**
 * An in-memory stand-in for the relay: it pairs the two endpoints and forwards frames, and lets
 * a test drop, alter or replay what passes. (The real relay has its own tests; here the subject
 * is the endpoint logic both the agent and the browser run.)
 */
class FakeRelay {
  private sides: { technician?: { endpoint: SecureEndpoint; transport: Transport }; customer?: { endpoint: SecureEndpoint; transport: Transport } } = {};
  private paired = false;
  forwarded: Uint8Array[] = [];
  intercept: ((frame: Uint8Array, from: string) => Uint8Array | null) | null = null;

  connect(endpoint: SecureEndpoint): Transport {
    const role = endpoint.role;
    const relay = this;
    const transport: Transport = {
      send(data) {
        if (typeof data === 'string') return; // the ticket
        const other = relay.sides[role === 'technician' ? 'customer' : 'technician'];
        const frame = relay.intercept ? relay.intercept(data, role) : data;
        if (!frame || !other || relay.sides[role]?.transport !== transport) return;
        relay.forwarded.push(frame);
        other.endpoint.handleBinary(new Uint8Array(frame));
      },
      close() {
        if (relay.sides[role]?.transport === transport) delete relay.sides[role];
      },
    };
    this.sides[role] = { endpoint, transport };
    endpoint.attach(transport, 'ticket');
    if (this.sides.technician && this.sides.customer) {
      const resumed = this.paired;
      this.paired = true;
      for (const side of [this.sides.technician, this.sides.customer]) side.endpoint.handleText(JSON.stringify({ type: 'paired', resumed }));
    } else {
      endpoint.handleText(JSON.stringify({ type: 'waiting' }));
    }
    return transport;
  }

  drop(role: 'technician' | 'customer'): void {
    this.sides[role]?.endpoint.detach();
    delete this.sides[role];
  }
}

function collect(endpoint: SecureEndpoint) {
  const got = { messages: [] as Message[], alerts: [] as ProtocolError[], sas: [] as string[] };
  endpoint.on('message', (m) => got.messages.push(m)).on('alert', (e) => got.alerts.push(e)).on('ready', ({ sas }) => got.sas.push(sas));
  return got;
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), `timed out waiting for ${what}`);
};
const chat = (text: string): Message => ({ type: 'chat', id: text, text, at: 0 });

describe('secure endpoint over a relay', () => {
  it('agrees keys, shows the same SAS on both ends, and carries chat both ways', async () => {
    const relay = new FakeRelay();
    const tech = new SecureEndpoint('technician', 's1', '424242');
    const customer = new SecureEndpoint('customer', 's1', '424242');
    const [t, c] = [collect(tech), collect(customer)];
    relay.connect(tech);
    void tech.send(chat('sent before the customer arrived'));
    relay.connect(customer);
    await until(() => t.sas.length === 1 && c.sas.length === 1, 'ready');
    assert.equal(t.sas[0], c.sas[0]);
    await customer.send(chat('hi from customer'));
    await until(() => c.messages.length === 1 && t.messages.length === 1, 'chat');
    assert.equal((c.messages[0] as Message<'chat'>).text, 'sent before the customer arrived');
    assert.equal((t.messages[0] as Message<'chat'>).text, 'hi from customer');
    const all = Buffer.concat(relay.forwarded);
    assert.equal(all.includes(Buffer.from('hi from customer')), false, 'the relay sees no plaintext');
    assert.equal(all.includes(Buffer.from('424242')), false, 'nor the PIN');
  });

  it('alerts both sides when the PINs differ', async () => {
    const relay = new FakeRelay();
    const tech = new SecureEndpoint('technician', 's1', '111111');
    const customer = new SecureEndpoint('customer', 's1', '222222');
    const [t, c] = [collect(tech), collect(customer)];
    relay.connect(tech);
    relay.connect(customer);
    await until(() => t.alerts.length === 1 && c.alerts.length === 1, 'alerts');
    assert.equal(t.alerts[0]!.code, 'pin_mismatch');
    assert.equal(t.sas.length, 0);
  });

  it('closes the session with an alert when a frame is altered, replayed or dropped in transit', async () => {
    for (const attack of ['flip', 'replay', 'drop'] as const) {
      const relay = new FakeRelay();
      const tech = new SecureEndpoint('technician', 's1', '424242');
      const customer = new SecureEndpoint('customer', 's1', '424242');
      const c = collect(customer);
      relay.connect(tech);
      relay.connect(customer);
      await until(() => tech.isReady && customer.isReady, 'ready');
      let seen = 0;
      let kept: Uint8Array | null = null;
      relay.intercept = (frame, from) => {
        if (from !== 'technician' || frame[0] !== 0x10) return frame;
        seen += 1;
        if (seen === 1) kept = frame;
        if (seen === 2 && attack === 'flip') return frame.map((b, i) => (i === frame.length - 3 ? b ^ 0x40 : b));
        if (seen === 2 && attack === 'replay') return kept;
        if (seen === 2 && attack === 'drop') return null;
        return frame;
      };
      await tech.send(chat('one'));
      await tech.send(chat('two'));
      await tech.send(chat('three'));
      await until(() => c.alerts.length === 1, `alert for ${attack}`);
      assert.equal(c.alerts[0]!.code, attack === 'flip' ? 'tampered' : 'replayed_or_reordered', attack);
    }
  });

  it('survives a network cut: frames lost in the cut are sent again, none twice', async () => {
    const relay = new FakeRelay();
    const tech = new SecureEndpoint('technician', 's1', '424242');
    const customer = new SecureEndpoint('customer', 's1', '424242');
    const [t, c] = [collect(tech), collect(customer)];
    relay.connect(tech);
    relay.connect(customer);
    await until(() => tech.isReady && customer.isReady, 'ready');
    await tech.send(chat('before the cut'));
    await until(() => c.messages.length === 1, 'first');
    relay.drop('customer');
    await tech.send(chat('lost in the cut 1'));
    await tech.send(chat('lost in the cut 2'));
    relay.connect(customer);
    await tech.send(chat('after the cut'));
    await until(() => c.messages.length === 4, 'resent');
    assert.deepEqual(c.messages.map((m) => (m as Message<'chat'>).text), ['before the cut', 'lost in the cut 1', 'lost in the cut 2', 'after the cut']);
    assert.equal(c.alerts.length + t.alerts.length, 0);
    assert.equal(t.sas.length, 1, 'no re-key needed');
  });
});
