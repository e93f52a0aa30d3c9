import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { settings } from '../config/schema.js';
import { END_MARKER, README, START_MARKER, WRITE_COMMAND, configTable, tableInReadme, withTable } from './config-table.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('README configuration table', () => {
  it('is exactly the table generated from config/schema.ts', () => {
    const inReadme = tableInReadme(readFileSync(README, 'utf8'));
    assert.ok(inReadme !== null, `README.md lacks the markers ${START_MARKER} and ${END_MARKER}: add them under "Configuration", then run \`${WRITE_COMMAND}\`.`);
    assert.ok(inReadme === configTable(), `The configuration table in README.md is out of date: run \`${WRITE_COMMAND}\`.`);
  });
});

describe('config-table script', () => {
  it('has one row per setting, naming its variable, key and default', () => {
    const rows = configTable().trimEnd().split('\n');
    assert.equal(rows[0], '| variable | config-file key | default | meaning |');
    assert.equal(rows.length, 2 + Object.keys(settings).length);
    assert.ok(rows.includes(`| \`PORT\` | \`port\` | \`8443\` | ${settings.port.doc} |`));
    assert.ok(rows.some((row) => row.startsWith('| `AGENT_PORTS` | `agentPorts` | `8200,443,80` |')));
    assert.ok(rows.some((row) => row.startsWith('| `TLS_CERT` | `tlsCert` | — |')));
  });

  it('replaces only what stands between the markers, and is idempotent', () => {
    const readme = `# Title\n\nBefore.\n\n${START_MARKER}\n| stale |\n${END_MARKER}\n\nAfter.\n`;
    const updated = withTable(readme, configTable());
    assert.ok(updated.startsWith(`# Title\n\nBefore.\n\n${START_MARKER}\n| variable |`));
    assert.ok(updated.endsWith(`|\n${END_MARKER}\n\nAfter.\n`));
    assert.equal(tableInReadme(updated), configTable());
    assert.equal(withTable(updated, configTable()), updated);
  });

  it('refuses to write without markers, and reports them missing', () => {
    assert.equal(tableInReadme('# No markers\n'), null);
    assert.equal(tableInReadme(`${END_MARKER}\n${START_MARKER}\n`), null);
    assert.throws(() => withTable('# No markers\n', configTable()), /lacks the markers/);
  });

  it('prints the table when run without --write', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/config-table.ts'], { cwd: root, encoding: 'utf8' });
    assert.equal(out, configTable());
  });
});
