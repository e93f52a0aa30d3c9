import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type DB } from '../db/open.js';
import { ManualClock } from '../support/clock.js';
import { AuditLog, type AuditEvent } from './audit-log.js';
import { queryAudit, toCsv, type AuditEntry } from './query.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;

// Entry i (seq i) is recorded at T0 + (i - 1) minutes.
const fixtures: AuditEvent[] = [
  { action: 'auth.login', outcome: 'success', actorId: 'u-alice', actorEmail: 'alice@example.test', ip: '10.0.0.1' },
  { action: 'auth.login', outcome: 'failure', actorEmail: 'bob@example.test', ip: '10.0.0.2' },
  { action: 'auth.logout', outcome: 'success', actorId: 'u-alice', actorEmail: 'alice@example.test' },
  { action: 'user.create', outcome: 'success', actorId: 'u-alice', actorEmail: 'alice@example.test', targetType: 'user', targetId: 'u-bob' },
  { action: 'setup.first_admin', outcome: 'denied', actorEmail: 'mallory@example.test' },
  { action: 'setupXfirst_admin', outcome: 'info' },
  { action: 'authz.check', outcome: 'deny', actorId: 'u-bob', actorEmail: 'bob@example.test' },
  { action: 'auth.login', outcome: 'success', actorId: 'u-bob', actorEmail: 'bob@example.test' },
];

const seqs = (entries: AuditEntry[]) => entries.map((e) => e.seq);

describe('queryAudit', () => {
  let db: DB;
  before(async () => {
    db = await openDatabase(':memory:');
    const clock = new ManualClock(T0);
    const audit = new AuditLog(db, clock);
    for (const e of fixtures) {
      await audit.record(e);
      clock.advance(MINUTE);
    }
  });
  after(() => db.destroy());

  const cases: Array<[name: string, filter: Parameters<typeof queryAudit>[1], expected: number[]]> = [
    ['no filter: newest first', { limit: 100 }, [8, 7, 6, 5, 4, 3, 2, 1]],
    ['limit', { limit: 3 }, [8, 7, 6]],
    ['action prefix "auth." (not "authz.")', { action: 'auth.', limit: 100 }, [8, 3, 2, 1]],
    ['action prefix "auth" (also "authz.")', { action: 'auth', limit: 100 }, [8, 7, 3, 2, 1]],
    ['full action name', { action: 'auth.login', limit: 100 }, [8, 2, 1]],
    ['action with "_" matches literally', { action: 'setup.first_admin', limit: 100 }, [5]],
    ['"_" is no wildcard', { action: 'setup_', limit: 100 }, []],
    ['"%" is no wildcard', { action: '%', limit: 100 }, []],
    ['"." is no wildcard', { action: 'setup.', limit: 100 }, [5]],
    ['actor by e-mail', { actor: 'bob@example.test', limit: 100 }, [8, 7, 2]],
    ['actor by e-mail, any case', { actor: 'Alice@Example.TEST', limit: 100 }, [4, 3, 1]],
    ['actor by id', { actor: 'u-alice', limit: 100 }, [4, 3, 1]],
    ['actor is not a target', { actor: 'u-nobody', limit: 100 }, []],
    ['outcome', { outcome: 'success', limit: 100 }, [8, 4, 3, 1]],
    ['from (inclusive)', { from: T0 + 5 * MINUTE, limit: 100 }, [8, 7, 6]],
    ['to (inclusive)', { to: T0 + MINUTE, limit: 100 }, [2, 1]],
    ['from and to', { from: T0 + 2 * MINUTE, to: T0 + 4 * MINUTE, limit: 100 }, [5, 4, 3]],
    ['before (paging)', { before: 4, limit: 100 }, [3, 2, 1]],
    ['filters combine', { action: 'auth.', outcome: 'success', actor: 'u-alice', limit: 100 }, [3, 1]],
  ];
  for (const [name, filter, expected] of cases) {
    it(name, async () => {
      assert.deepEqual(seqs(await queryAudit(db, filter)), expected);
    });
  }

  it('pages through everything with before = the last seq of the previous page', async () => {
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await queryAudit(db, { limit: 3, before });
      seen.push(...seqs(page));
      if (page.length < 3) break;
      before = page[page.length - 1]!.seq;
    }
    assert.deepEqual(seen, [8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('returns entries in API shape with parsed details', async () => {
    const [entry] = await queryAudit(db, { action: 'user.create', limit: 1 });
    assert.deepEqual({ ...entry, hash: undefined }, {
      seq: 4, at: T0 + 3 * MINUTE, action: 'user.create', outcome: 'success', actorId: 'u-alice', actorEmail: 'alice@example.test',
      ip: null, targetType: 'user', targetId: 'u-bob', details: {}, hash: undefined,
    });
    assert.match(entry!.hash, /^[0-9a-f]{64}$/);
  });
});

/** A CSV entry with harmless defaults. */
const entry = (fields: Partial<AuditEntry> = {}): AuditEntry => ({
  seq: 1, at: Date.UTC(2026, 0, 5, 9, 0, 0), action: 'auth.login', outcome: 'failure', actorId: null, actorEmail: 'a@example.test',
  ip: '10.0.0.1', targetType: null, targetId: null, details: {}, hash: 'ab'.repeat(32), ...fields,
});

/** Parses RFC 4180 CSV (enough for these tests): rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 1; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 1; }
    else cell += ch;
  }
  return rows;
}

describe('toCsv', () => {
  const header = 'seq,at,action,outcome,actorId,actorEmail,ip,targetType,targetId,details,hash';

  it('writes the header, CRLF line ends and ISO 8601 times', () => {
    const csv = toCsv([entry()]);
    assert.equal(csv, `${header}\r\n1,2026-01-05T09:00:00.000Z,auth.login,failure,,a@example.test,10.0.0.1,,,{},${'ab'.repeat(32)}\r\n`);
    assert.equal(toCsv([]), `${header}\r\n`);
  });

  it('quotes commas, quotes and newlines so every value survives a round trip', () => {
    const tricky = { actorEmail: 'a,b@example.test', targetId: 'say "hi"', targetType: 'line1\nline2', ip: 'cr\rhere' };
    const csv = toCsv([entry(tricky)]);
    assert.ok(csv.includes('"a,b@example.test"'));
    assert.ok(csv.includes('"say ""hi"""'));
    assert.ok(csv.includes('"line1\nline2"'));
    const [head, row] = parseCsv(csv);
    assert.equal(head!.join(','), header);
    assert.equal(row!.length, head!.length);
    assert.equal(row![5], 'a,b@example.test');
    assert.equal(row![8], 'say "hi"');
    assert.equal(row![7], 'line1\nline2');
    assert.equal(row![6], 'cr\rhere');
  });

  it('writes details as JSON, quoted', () => {
    const [, row] = parseCsv(toCsv([entry({ details: { rows: 3, note: 'a,"b"' } })]));
    assert.deepEqual(JSON.parse(row![9]!), { rows: 3, note: 'a,"b"' });
  });

  for (const payload of ['=HYPERLINK("http://evil.test","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1+1']) {
    it(`defuses a formula starting with ${JSON.stringify(payload[0])} with a leading '`, () => {
      const [, row] = parseCsv(toCsv([entry({ actorEmail: payload, targetId: payload })]));
      assert.equal(row![5], `'${payload}`);
      assert.equal(row![8], `'${payload}`);
    });
  }

  it('leaves harmless values alone', () => {
    const [, row] = parseCsv(toCsv([entry({ actorEmail: 'x=1@example.test', targetId: "it's" })]));
    assert.equal(row![5], 'x=1@example.test');
    assert.equal(row![8], "it's");
  });
});
