import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../testing/appliance.js';
import { assertPlugin, loadPluginsFromPaths, PluginLoadError } from './loader.js';

const valid = {
  id: 'office-network', name: 'Office network', description: 'd', settings: z.object({}),
  hooks: { technicianLogin: () => ({ outcome: 'continue' }) },
};

const badShapes: { name: string; value: unknown; message: RegExp }[] = [
  { name: 'not an object', value: undefined, message: /default-export a plugin object/ },
  { name: 'a function', value: () => valid, message: /default-export a plugin object/ },
  { name: 'unknown hook name', value: { ...valid, hooks: { onLogin: () => ({ outcome: 'allow' }) } }, message: /unknown hook "onLogin" \(known: technicianLogin/ },
  { name: 'hook that is not a function', value: { ...valid, hooks: { technicianLogin: 'allow' } }, message: /hook "technicianLogin" must be a function/ },
  { name: 'hooks missing', value: { ...valid, hooks: undefined }, message: /hooks must be an object/ },
  { name: 'camelCase id', value: { ...valid, id: 'officeNetwork' }, message: /kebab-case/ },
  { name: 'snake_case id', value: { ...valid, id: 'office_network' }, message: /kebab-case/ },
  { name: 'id with a trailing dash', value: { ...valid, id: 'office-' }, message: /kebab-case/ },
  { name: 'id with a double dash', value: { ...valid, id: 'office--network' }, message: /kebab-case/ },
  { name: 'id starting with a digit', value: { ...valid, id: '1office' }, message: /kebab-case/ },
  { name: 'one-letter id', value: { ...valid, id: 'o' }, message: /kebab-case/ },
  { name: 'id missing', value: { ...valid, id: undefined }, message: /kebab-case/ },
  { name: 'settings schema missing', value: { ...valid, settings: undefined }, message: /settings must be a zod schema/ },
  { name: 'settings a plain object', value: { ...valid, settings: { type: 'object' } }, message: /settings must be a zod schema/ },
  { name: 'name missing', value: { ...valid, name: undefined }, message: /name and description/ },
  { name: 'negative timeout', value: { ...valid, timeoutMs: -1 }, message: /timeoutMs/ },
  { name: 'timeout as a string', value: { ...valid, timeoutMs: '100' }, message: /timeoutMs/ },
];

const zodUrl = import.meta.resolve('zod');

/** An outside plugin: only logins from the listed client IPs may go ahead. */
const officePluginSource = `import { z } from ${JSON.stringify(zodUrl)};
export default {
  id: 'office-network',
  name: 'Office network',
  description: 'Staff may log in only from the office network.',
  settings: z.object({ allowedIps: z.array(z.string()).default([]) }).strict(),
  timeoutMs: 500,
  hooks: {
    technicianLogin(context, settings) {
      if (settings.allowedIps.includes(context.ip)) return { outcome: 'continue', facts: { office: true } };
      return { outcome: 'deny', code: 'outside_office_network', reason: 'Log in from the office network.' };
    },
  },
};
`;

type Trace = { plugin: string; outcome: string; code?: string }[];

async function lastPolicyTrace(t: TestAppliance): Promise<string[]> {
  const row = await t.services.db.selectFrom('audit_log').select('details').where('action', '=', 'policy.technicianLogin').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  return (JSON.parse(row.details) as { trace: Trace }).trace.map((s) => `${s.plugin}:${s.outcome}${s.code ? `:${s.code}` : ''}`);
}

describe('plugin loader', () => {
  let dir: string;
  let pluginFile: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rescuebox-plugins-'));
    pluginFile = join(dir, 'office-network.mjs');
    writeFileSync(pluginFile, officePluginSource);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('assertPlugin', () => {
    it('accepts a well-formed plugin and returns it', () => {
      assert.equal(assertPlugin(valid, 'test'), valid);
      assert.equal(assertPlugin({ ...valid, hooks: {}, timeoutMs: 50 }, 'test').id, 'office-network');
    });

    it('accepts any object with safeParse as a schema', () => {
      assert.ok(assertPlugin({ ...valid, settings: { safeParse: () => ({ success: true, data: {} }) } }, 'test'));
    });

    for (const c of badShapes) {
      it(`refuses ${c.name}`, () => {
        assert.throws(() => assertPlugin(c.value, 'the-source.mjs'), (error: Error) => {
          assert.ok(error instanceof PluginLoadError);
          assert.match(error.message, /^Plugin from the-source\.mjs: /);
          assert.match(error.message, c.message);
          return true;
        });
      });
    }
  });

  describe('loadPluginsFromPaths', () => {
    it('loads an outside plugin module that uses zod', async () => {
      const [plugin, ...rest] = await loadPluginsFromPaths([pluginFile]);
      assert.equal(rest.length, 0);
      assert.equal(plugin!.id, 'office-network');
      assert.deepEqual(plugin!.settings.parse({}), { allowedIps: [] });
      assert.equal(plugin!.settings.safeParse({ allowedIps: 'all' }).success, false);
    });

    it('loads a folder through its index module', async () => {
      const folder = join(dir, 'folder-plugin');
      mkdirSync(folder);
      writeFileSync(join(folder, 'index.mjs'), officePluginSource.replace("'office-network'", "'folder-plugin'"));
      const [plugin] = await loadPluginsFromPaths([folder]);
      assert.equal(plugin!.id, 'folder-plugin');
    });

    it('keeps the order of the paths', async () => {
      const second = join(dir, 'second.mjs');
      writeFileSync(second, officePluginSource.replace("'office-network'", "'second-plugin'"));
      assert.deepEqual((await loadPluginsFromPaths([second, pluginFile])).map((p) => p.id), ['second-plugin', 'office-network']);
    });

    const failing: { name: string; file: string; source?: string; message: RegExp }[] = [
      { name: 'a missing file', file: 'missing.mjs', message: /cannot import/ },
      { name: 'a syntax error', file: 'broken.mjs', source: 'export default {', message: /cannot import/ },
      { name: 'a module that throws on import', file: 'throws.mjs', source: 'throw new Error("no licence");', message: /cannot import: no licence/ },
      { name: 'a module without default export', file: 'named.mjs', source: 'export const plugin = {};', message: /default-export a plugin object/ },
      { name: 'a default export of the wrong shape', file: 'shape.mjs', source: 'export default { id: "Bad Id" };', message: /kebab-case/ },
      { name: 'a folder without index', file: 'empty-folder', message: /no index\.js/ },
    ];
    for (const c of failing) {
      it(`gives PluginLoadError for ${c.name}`, async () => {
        const path = join(dir, c.file);
        if (c.source !== undefined) writeFileSync(path, c.source);
        if (c.file === 'empty-folder') mkdirSync(path, { recursive: true });
        await assert.rejects(loadPluginsFromPaths([pluginFile, path]), (error: Error) => {
          assert.ok(error instanceof PluginLoadError, `${error.name}: ${error.message}`);
          assert.ok(error.message.includes(path), error.message);
          assert.match(error.message, c.message);
          return true;
        });
      });
    }
  });

  describe('an appliance with an outside plugin', () => {
    let t: TestAppliance;
    before(async () => {
      t = await buildTestAppliance({
        PLUGIN_PATHS: pluginFile, PLUGINS: 'login-hours,office-network',
        PLUGIN_SETTINGS: JSON.stringify({ 'office-network': { allowedIps: ['10.1.1.1'] } }),
      });
    });
    after(() => t.close());

    it('runs it in the chain after login-hours on a real login', async () => {
      const { client } = await loggedInAs(t, 'technician', { ip: '10.1.1.1' });
      assert.equal((await client.request('GET', '/api/v1/me')).status, 200);
      assert.deepEqual(await lastPolicyTrace(t), ['login-hours:continue', 'office-network:continue']);
    });

    it('answers its deny as 403 policy_denied with its code, and opens no session', async () => {
      const { user, password } = await loggedInAs(t, 'technician', { ip: '10.1.1.1' });
      const client = new TestClient(t, '10.2.2.2');
      const res = await client.login(user.email, password);
      assert.equal(res.status, 403);
      const body = (await res.json()) as { error: string; code: string; message: string };
      assert.equal(body.error, 'policy_denied');
      assert.equal(body.code, 'outside_office_network');
      assert.equal(body.message, 'Log in from the office network.');
      assert.equal(client.cookie, null);
      assert.deepEqual(await lastPolicyTrace(t), ['login-hours:continue', 'office-network:deny:outside_office_network']);
    });

    it('lists it in the admin console with its settings schema', async () => {
      const { client } = await loggedInAs(t, 'account_admin', { ip: '10.1.1.1' });
      const { plugins } = (await (await client.request('GET', '/api/v1/plugins')).json()) as { plugins: { id: string; enabled: boolean; settingsSchema: { properties?: object } }[] };
      // The switched-on plugins come first, in chain order; the built-in ones that are off follow.
      assert.deepEqual(plugins.slice(0, 2).map((p) => [p.id, p.enabled]), [['login-hours', true], ['office-network', true]]);
      assert.ok(plugins.slice(2).every((p) => !p.enabled));
      assert.ok(plugins[1]!.settingsSchema.properties && 'allowedIps' in plugins[1]!.settingsSchema.properties);
    });
  });

  describe('booting', () => {
    it('loads but does not run an outside plugin missing from PLUGINS', async () => {
      const t = await buildTestAppliance({ PLUGIN_PATHS: pluginFile, PLUGINS: 'login-hours' });
      try {
        await loggedInAs(t, 'technician', { ip: '10.2.2.2' });
        assert.deepEqual(await lastPolicyTrace(t), ['login-hours:continue']);
      } finally {
        await t.close();
      }
    });

    it('fails with a message naming PLUGINS for an unknown id', async () => {
      await assert.rejects(buildTestAppliance({ PLUGINS: 'login-hours,no-such-plugin' }), (error: Error) => {
        assert.ok(error instanceof PluginLoadError);
        assert.match(error.message, /PLUGINS/);
        assert.match(error.message, /no-such-plugin/);
        assert.match(error.message, /available: login-hours/);
        return true;
      });
    });

    it('fails when a PLUGIN_PATHS module cannot be loaded', async () => {
      await assert.rejects(buildTestAppliance({ PLUGIN_PATHS: join(dir, 'missing.mjs') }), PluginLoadError);
    });

    it('fails when an outside plugin reuses a built-in id', async () => {
      const clash = join(dir, 'clash.mjs');
      writeFileSync(clash, officePluginSource.replace("'office-network'", "'login-hours'"));
      await assert.rejects(buildTestAppliance({ PLUGIN_PATHS: clash }), /Two plugins have the id "login-hours"/);
    });

    it('fails when an enabled outside plugin has invalid settings', async () => {
      await assert.rejects(
        buildTestAppliance({ PLUGIN_PATHS: pluginFile, PLUGINS: 'office-network', PLUGIN_SETTINGS: '{"office-network":{"allowedIps":"*"}}' }),
        /pluginSettings\.office-network/,
      );
    });
  });
});

describe('plugin settings validated at boot', () => {
  it('refuses settings for an unknown plugin id, and invalid settings of a disabled plugin', async () => {
    await assert.rejects(buildTestAppliance({ PLUGIN_SETTINGS: '{"no-such-plugin":{}}' }), /PLUGIN_SETTINGS.*no-such-plugin/);
    await assert.rejects(buildTestAppliance({ PLUGINS: '', PLUGIN_SETTINGS: '{"login-hours":{"from":"25:00"}}' }), /login-hours/);
  });
});
