import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bootAppliance } from '../../../boot.js';
import { loadConfig } from '../../../../config/load.js';
import { createApp } from '../../app.js';
import { createLogger } from '../../../support/logger.js';

describe('agent download', () => {
  it('serves the bundle with this appliance\'s address and certificate fingerprint after the shebang', async () => {
    const publicDir = mkdtempSync(join(tmpdir(), 'rb-public-'));
    mkdirSync(join(publicDir, 'downloads'));
    writeFileSync(join(publicDir, 'downloads', 'rescuebox-agent.mjs'), '#!/usr/bin/env node\nconsole.log("agent");\n');
    const appliance = await bootAppliance(loadConfig({ TLS: 'off', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://support.example.test' }), { inMemory: true, logger: createLogger('silent') });
    appliance.services.tlsFingerprint = 'ab'.repeat(32);
    try {
      const { app } = createApp(appliance.services, appliance.plugins, { publicDir });
      const res = await app.request('/downloads/rescuebox-agent.mjs', {}, { remoteAddress: '127.0.0.1' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-disposition') ?? '', /attachment/);
      const lines = (await res.text()).split('\n');
      assert.equal(lines[0], '#!/usr/bin/env node');
      assert.equal(lines[1], `globalThis.__RESCUEBOX_DEFAULTS__ = {"server":"https://support.example.test","fingerprint":"${'ab'.repeat(32)}"};`);
      assert.equal(lines[2], 'console.log("agent");');
    } finally {
      await appliance.services.db.destroy();
      rmSync(publicDir, { recursive: true, force: true });
    }
  });
});
