import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HookContexts } from '../../core/policy/types.js';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import { checkForm, listVersion, normaliseOrigin, signFormToken } from './form-token.js';
import { decideForm } from './index.js';
import { renderSnippet, snippetOptions } from './snippet.js';

const KEY = Buffer.alloc(32, 3).toString('base64url');
const SITE = 'https://www.example.com';
const domains = [SITE, 'https://help.example.com'];
const token = (over: Partial<Parameters<typeof signFormToken>[1]> = {}, key = KEY) => signFormToken(key, { o: SITE, k: 'pin', v: listVersion(domains), iat: 0, ...over });

describe('domain-validation plugin', () => {
  describe('checkForm', () => {
    const cases: [string, string | null, string | null, string][] = [
      ['approved origin, valid token', SITE, token(), 'ok'],
      ['no origin', null, token(), 'origin_missing'],
      ['foreign origin', 'https://evil.example.net', token(), 'origin_not_approved'],
      ['no token', SITE, null, 'form_token_missing'],
      ['token signed with another key', SITE, token({}, Buffer.alloc(32, 4).toString('base64url')), 'form_token_invalid'],
      ['tampered payload', SITE, token().replace(/^dv1\.[^.]{4}/, 'dv1.AAAA'), 'form_token_invalid'],
      ['token of another approved origin', SITE, token({ o: 'https://help.example.com' }), 'form_token_other_origin'],
      ['channel token on the PIN form', SITE, token({ k: 'channel' }), 'form_token_wrong_kind'],
      ['token of an older domain list', SITE, token({ v: listVersion([SITE]) }), 'form_token_outdated'],
      ['garbage', SITE, 'dv1.x', 'form_token_invalid'],
    ];
    for (const [name, origin, tok, expected] of cases) {
      it(name, () => {
        const result = checkForm(KEY, domains, origin, tok, 'pin');
        assert.equal(result.ok ? 'ok' : result.code, expected);
      });
    }
    it('normalises origins and refuses paths', () => {
      assert.equal(normaliseOrigin('https://www.example.com'), SITE);
      assert.equal(normaliseOrigin('https://www.example.com/help'), null);
      assert.equal(normaliseOrigin('ftp://x.example'), null);
      assert.equal(normaliseOrigin('nonsense'), null);
    });
  });

  describe('pinRedeem hook', () => {
    const ctx = (channel: string, origin: string | null, formToken: string | null): HookContexts['pinRedeem'] => ({
      ip: '192.0.2.1', at: 0, actor: null, sessionId: 's', channel, facts: {}, pin: '******', technician: null, pinChannel: null, origin, formToken,
    });
    it('leaves the PIN page and the agent alone', () => assert.equal(decideForm(ctx('pin-page', null, null), { domains }, KEY).outcome, 'continue'));
    it('denies a web-form PIN without a token', () => assert.deepEqual(decideForm(ctx('web-form', SITE, null), { domains }, KEY), { outcome: 'deny', code: 'form_token_missing', reason: `The form is not accepted from ${SITE} (form_token_missing).` }));
    it('accepts a web-form PIN from an approved origin with its token', () => assert.equal(decideForm(ctx('web-form', SITE, token()), { domains }, KEY).outcome, 'continue'));
    it('checks a channel form token as a channel form', () => assert.equal(decideForm(ctx('link:x', SITE, token({ k: 'channel' })), { domains }, KEY).outcome, 'continue'));
  });

  it('renders an escaped, script-free snippet by default', () => {
    const html = renderSnippet('https://support.example.com', snippetOptions.parse({ origin: SITE, texts: { title: '<b>Hi</b> "you"' } }), 'dv1.a.b', 'v1');
    assert.match(html, /action="https:\/\/support\.example\.com\/api\/v1\/plugins\/domain-validation\/pin"/);
    assert.match(html, /&lt;b&gt;Hi&lt;\/b&gt; &quot;you&quot;/);
    assert.doesNotMatch(html, /<script/);
    assert.equal(snippetOptions.safeParse({ origin: SITE, colours: { button: 'red' } }).success, false);
  });

  describe('on the appliance', () => {
    let t: TestAppliance;
    let admin: TestClient;
    let tech: TestClient;
    const APPROVED = 'http://localhost:8123';
    before(async () => {
      t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000', PIN_RATE_LIMIT_PER_IP: '40', PLUGINS: 'company-pin,domain-validation', PLUGIN_SETTINGS: JSON.stringify({ 'domain-validation': { domains: [APPROVED] } }) });
      admin = (await loggedInAs(t, 'network_admin')).client;
      tech = (await loggedInAs(t, 'technician')).client;
    });
    after(() => t.close());

    const snippetToken = async (origin = APPROVED) => {
      const res = await admin.request('POST', '/api/v1/plugins/domain-validation/snippet', { origin });
      return { status: res.status, body: (await res.json()) as { html: string; token: string } };
    };
    const post = (fields: Record<string, string>, headers: Record<string, string>) => new TestClient(t).request('POST', '/api/v1/plugins/domain-validation/pin', new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });

    it('generates snippets only for approved origins, only for admins', async () => {
      assert.equal((await snippetToken('https://elsewhere.example')).status, 400);
      assert.equal((await tech.request('POST', '/api/v1/plugins/domain-validation/snippet', { origin: APPROVED })).status, 403);
      const { status, body } = await snippetToken();
      assert.equal(status, 200);
      assert.match(body.html, /name="token" value="dv1\./);
    });

    it('redeems a PIN from the approved origin and redirects to the PIN page with a join code', async () => {
      const { pin } = (await (await tech.request('POST', '/api/v1/sessions', { pinChannel: 'pin-page' })).json()) as { pin: string };
      const res = await post({ pin, token: (await snippetToken()).body.token }, { origin: APPROVED });
      assert.equal(res.status, 303);
      const location = res.headers.get('location') ?? '';
      assert.match(location, /^\/pin#join=[\w.-]+&exp=\d+&pin=\d+$/);
      const joinCode = new URLSearchParams(location.split('#')[1]).get('join')!;
      assert.equal((await new TestClient(t).request('POST', '/api/v1/agent/join', { joinCode })).status, 200);
    });

    it('refuses a foreign origin before looking at the PIN, audited', async () => {
      const { pin } = (await (await tech.request('POST', '/api/v1/sessions', {})).json()) as { pin: string };
      const res = await post({ pin, token: (await snippetToken()).body.token }, { origin: 'http://127.0.0.1:9999' });
      assert.equal(res.status, 403);
      assert.match(await res.text(), /origin_not_approved/);
      const audit = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'web_form.refused').execute();
      assert.equal(JSON.parse(audit.at(-1)!.details).code, 'origin_not_approved');
      // The PIN is still unused.
      assert.equal((await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin })).status, 200);
    });

    it('refuses a Referer-only foreign page, a tampered token and a plain JSON post', async () => {
      const tok = (await snippetToken()).body.token;
      assert.equal((await post({ pin: '123456', token: tok }, { referer: 'http://127.0.0.1:9999/copy.html' })).status, 403);
      assert.equal((await post({ pin: '123456', token: `${tok.slice(0, -4)}AAAA` }, { origin: APPROVED })).status, 403);
      assert.equal((await post({ pin: '123456' }, { origin: APPROVED })).status, 403);
      assert.equal((await new TestClient(t).request('POST', '/api/v1/plugins/domain-validation/pin', { pin: '1' }, { origin: APPROVED })).status, 415);
    });

    it('answers a wrong PIN from the approved origin with the neutral page', async () => {
      const res = await post({ pin: '000000', token: (await snippetToken()).body.token }, { origin: APPROVED });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /not valid/);
    });

    it('keeps CSRF on every other route for foreign origins', async () => {
      const res = await new TestClient(t).request('POST', '/api/v1/pin/join-code', { pin: '123456' }, { origin: 'http://127.0.0.1:9999' });
      assert.equal(res.status, 403);
      assert.equal(((await res.json()) as { error: string }).error, 'csrf_failed');
    });

    it('retires snippets when the approved list changes', async () => {
      const tok = (await snippetToken()).body.token;
      await t.plugins.change('domain-validation', { settings: { domains: [APPROVED, 'https://new.example.com'] } }, 'test');
      const res = await post({ pin: '123456', token: tok }, { origin: APPROVED });
      assert.equal(res.status, 403);
      assert.match(await res.text(), /form_token_outdated/);
    });

    it('starts a channel session from an approved support form', async () => {
      const group = (await (await admin.request('POST', '/api/v1/groups', { name: 'Web desk', permissions: [] })).json()) as { group?: { id: string }; id?: string };
      const groupId = group.group?.id ?? group.id!;
      const link = ((await (await admin.request('POST', '/api/v1/plugins/company-pin/links', { name: 'Website', groupId })).json()) as { link: { token: string } }).link;
      const snippet = await admin.request('POST', '/api/v1/plugins/domain-validation/snippet', { origin: APPROVED, kind: 'channel', channelToken: link.token });
      const { token: formToken, html } = (await snippet.json()) as { token: string; html: string };
      assert.doesNotMatch(html, /name="pin"/);
      const res = await new TestClient(t).request('POST', '/api/v1/plugins/domain-validation/channel', new URLSearchParams({ token: formToken }).toString(), { 'content-type': 'application/x-www-form-urlencoded', origin: APPROVED });
      assert.equal(res.status, 303);
      const foreign = await new TestClient(t).request('POST', '/api/v1/plugins/domain-validation/channel', new URLSearchParams({ token: formToken }).toString(), { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:1' });
      assert.equal(foreign.status, 403);
    });

    it('cuts off a flood of refused forms from one IP', async () => {
      const flood = new TestClient(t, '203.0.113.50');
      const statuses: number[] = [];
      for (let i = 0; i < 42; i += 1) {
        statuses.push((await flood.request('POST', '/api/v1/plugins/domain-validation/pin', 'pin=1&token=x', { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:1' })).status);
      }
      assert.deepEqual([statuses[0], statuses.at(-1)], [403, 429]);
    });

    it('serves the optional script to other sites', async () => {
      const res = await new TestClient(t).request('GET', '/api/v1/plugins/domain-validation/form.js');
      assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
      assert.match(res.headers.get('content-type') ?? '', /javascript/);
    });
  });
});
