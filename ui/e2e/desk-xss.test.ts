import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { CUSTOMER, logIn, startDeskTestbed, TECH, type DeskTestbed } from './desk-testbed.js';

// Stored XSS in a real browser: a customer's incident title, description and comment, a
// technician's comments and a KB article all carry script payloads. Every page that shows them
// (queue, incident, portal incident, KB editor, portal KB) must render them inert: no payload
// runs (a window flag and the dialog handler stay untouched), no dangerous element or attribute
// reaches the DOM, and the CSP — the second layer — is present and refuses inline script.
const flag = (name: string) => `window.__xss='${name}'`;
const payload = (name: string) => [
  `<script>${flag(`${name}-script`)}</script>`,
  `<img src=x onerror="${flag(`${name}-img`)};alert('${name}')">`,
  `<svg onload="${flag(`${name}-svg`)}"><circle r="4"/></svg>`,
  `<a href="javascript:${flag(`${name}-link`)}">click me</a>`,
  `"><iframe src="javascript:${flag(`${name}-iframe`)}"></iframe>`,
].join(' ');

const article = [
  '# Printer troubleshooting',
  `<script>${flag('kb-script')}</script>`,
  `<img src=x onerror="${flag('kb-img')};alert('kb')">`,
  `<svg onload="${flag('kb-svg')}"><circle r="5"/></svg>`,
  `[Markdown link](javascript:${flag('kb-md-link')})`,
  `<a href="javascript:${flag('kb-a')}">Raw link</a>`,
  `<a href="JaVaScRiPt&colon;${flag('kb-entity')}">Entity link</a>`,
  `<details open ontoggle="${flag('kb-toggle')}"><summary>More</summary>text</details>`,
  `<iframe srcdoc="<script>parent.${flag('kb-iframe')}</script>"></iframe>`,
  `<form action="javascript:${flag('kb-form')}"><button>Send</button></form>`,
  '',
  'Turn it off and on. **Bold words** and a [good link](https://example.test/help).',
].join('\n');

/** Elements and attributes that must never reach the page from stored content. */
const dangerous = 'main script, main iframe, main svg, main object, main embed, main form [formaction], main [onerror], main [onload], main [ontoggle], main [onclick], main a[href^="javascript" i], main [srcdoc]';

/** Asserts no payload ran and nothing dangerous is in the page; clicks every link in `scope` to be sure. */
async function assertInert(page: Page, where: string, scope?: string): Promise<void> {
  if (scope) {
    for (const link of await page.locator(`${scope} a`).all()) {
      const href = await link.getAttribute('href');
      // Links that stayed are http(s) only; a stripped javascript: link is left without href and clicked.
      if (!href || !/^https?:/i.test(href)) await link.click();
    }
  }
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss), undefined, `no payload ran on ${where}`);
  assert.equal(await page.locator(dangerous).count(), 0, `no dangerous element on ${where}`);
}

describe('stored XSS in the service desk and the portal', () => {
  let bed: DeskTestbed;
  before(async () => {
    bed = await startDeskTestbed();
  });
  after(async () => {
    await bed?.close();
  });

  it('renders script payloads in incidents, comments and KB articles inert, and the CSP holds', async () => {
    const title = `Broken <img src=x onerror="${flag('title')};alert('title')"><script>${flag('title-script')}</script>`;

    // The customer stores payloads in the title, the description and a comment.
    const customer = await logIn(bed, CUSTOMER, '/portal');
    await customer.page.click('nav a[href="/portal/new"]');
    await customer.page.getByTestId('portal-title').fill(title);
    await customer.page.getByTestId('portal-description').fill(payload('description'));
    await customer.page.getByTestId('portal-submit').click();
    await customer.page.waitForURL('**/portal/incidents/*');
    const incidentId = customer.page.url().split('/').pop()!;
    await customer.page.getByTestId('portal-reply').fill(payload('customer-comment'));
    await customer.page.getByTestId('portal-reply-send').click();
    await customer.page.getByTestId('portal-comment').waitFor();

    // The technician sees them in the queue and on the incident, and adds a public and an internal payload.
    const tech = await logIn(bed, TECH, '/console');
    await tech.page.goto(`${bed.appliance.url}/desk/incidents`);
    const row = tech.page.locator(`[data-testid="incident-row"][data-id="${incidentId}"]`);
    await row.waitFor();
    assert.ok((await row.innerText()).includes('<img src=x onerror='), 'the title is shown as text');
    await assertInert(tech.page, 'the queue');
    await tech.page.goto(`${bed.appliance.url}/desk/incidents/${incidentId}`);
    await tech.page.getByTestId('incident-description').waitFor();
    assert.equal(await tech.page.getByTestId('incident-description').innerText(), payload('description'), 'the description is shown as text');
    for (const kind of ['public', 'internal'] as const) {
      await tech.page.getByTestId('comment-body').fill(payload(`tech-${kind}`));
      await tech.page.getByTestId(`comment-${kind}`).click();
      await tech.page.locator(`[data-testid="desk-comment"][data-visibility="${kind}"]`).filter({ hasText: `tech-${kind}-script` }).waitFor();
    }
    assert.ok((await tech.page.title()).includes('<img src=x'), 'the window title holds the text');
    await assertInert(tech.page, 'the incident page');

    // The technician writes a public KB article full of payloads in the editor.
    await tech.page.goto(`${bed.appliance.url}/desk/kb/new`);
    await tech.page.getByTestId('kb-title').fill(`Printer <script>${flag('kb-title')}</script>`);
    await tech.page.getByTestId('kb-body').fill(article);
    await tech.page.getByTestId('kb-visibility-public').check();
    await tech.page.getByTestId('kb-save').click();
    await tech.page.waitForURL(/\/desk\/kb\/[0-9a-f-]{36}$/);
    const articleId = tech.page.url().split('/').pop()!;
    const body = tech.page.getByTestId('kb-article-body');
    await body.locator('strong', { hasText: 'Bold words' }).waitFor();
    assert.equal(await body.locator('a[href="https://example.test/help"]').count(), 1, 'safe Markdown still renders');
    await assertInert(tech.page, 'the KB editor', '[data-testid="kb-article-body"]');

    // The customer: own incident with every comment, then the article from the portal KB search.
    await customer.page.reload();
    await customer.page.getByTestId('portal-comment').filter({ hasText: 'tech-public-script' }).waitFor();
    assert.equal(await customer.page.getByTestId('portal-comment').filter({ hasText: 'tech-internal' }).count(), 0);
    assert.equal(await customer.page.getByTestId('portal-incident-description').innerText(), payload('description'));
    await assertInert(customer.page, 'the portal incident');
    await customer.page.click('nav a[href="/portal/kb"]');
    await customer.page.getByTestId('kb-search').fill('printer');
    await customer.page.getByTestId('kb-search-go').click();
    await customer.page.locator(`[data-testid="kb-result"] a[href="/portal/kb/${articleId}"]`).click();
    await customer.page.getByTestId('kb-article-body').locator('strong', { hasText: 'Bold words' }).waitFor();
    assert.ok((await customer.page.getByTestId('kb-article-title').innerText()).includes('<script>'), 'the article title is text');
    await assertInert(customer.page, 'the portal KB article', '[data-testid="kb-article-body"]');
    await customer.page.getByTestId('kb-helpful-yes').click();
    await customer.page.getByTestId('kb-helpful-yes').filter({ hasText: '(1)' }).waitFor();
    assert.deepEqual([...customer.problems, ...tech.problems], [], 'no page error, CSP refusal or dialog while showing the payloads');

    // The second layer: the page carries the strict CSP and the browser enforces it.
    const answer = await customer.page.goto(`${bed.appliance.url}/portal/incidents/${incidentId}`);
    const csp = answer?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    await customer.page.getByTestId('portal-comment').first().waitFor();
    const probe = await customer.page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = "window.__xss='csp-inline'";
      document.body.append(script);
      const holder = document.createElement('div');
      holder.innerHTML = `<img src="/favicon-missing.png" onerror="window.__xss='csp-handler'">`;
      document.body.append(holder);
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { violations, flag: (window as unknown as { __xss?: string }).__xss };
    });
    assert.equal(probe.flag, undefined, 'injected inline script and handler did not run');
    assert.ok(probe.violations.some((v) => v.startsWith('script-src')), `the CSP refused them: ${probe.violations.join(', ')}`);
  });

  it('the browser-side allowlist keeps raw HTML inert even if the server sanitizer failed', async () => {
    // Fault injection, on purpose: the real server's answer is taken and its sanitized `html`
    // replaced by raw payloads, as if sanitize-html had a bug. The page must still put no
    // dangerous node into the document, and keep the safe markup. Chromium checks the CSP already
    // while parsing the inert copy (and reports a refused handler there, targeted at the document
    // because that node is in no page); a node that reached the page would be the report's target.
    const tech = await logIn(bed, TECH, '/console');
    await tech.page.goto(`${bed.appliance.url}/desk/kb/new`);
    await tech.page.getByTestId('kb-title').fill('Raw HTML probe');
    await tech.page.getByTestId('kb-body').fill('plain');
    await tech.page.getByTestId('kb-visibility-public').check();
    await tech.page.getByTestId('kb-save').click();
    await tech.page.waitForURL(/\/desk\/kb\/[0-9a-f-]{36}$/);
    const articleId = tech.page.url().split('/').pop()!;
    const raw = `<p onclick="${flag('raw-p')}">Hello <b>bold</b></p>${payload('raw')}` +
      `<a href=" java\tscript:${flag('raw-tab')}">tab link</a><a href="//evil.test/x">evil</a><a href="https://example.test/ok">ok</a>` +
      `<img src="data:image/svg+xml,<svg onload=alert(1)>"><math><mtext><style><img src=x onerror="${flag('raw-math')}"></style></mtext></math>` +
      `<object data="javascript:${flag('raw-object')}"></object><style>body{display:none}</style><base href="https://evil.test/">`;

    const customer = await logIn(bed, CUSTOMER, '/portal');
    await customer.page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => {
        if (e.target !== document) seen.push(`${e.violatedDirective} on ${(e.target as Element).outerHTML.slice(0, 80)}`);
      }, true);
    });
    await customer.page.route(`**/api/v1/portal/kb/articles/${articleId}`, async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as { article: { html: string } };
      json.article.html = raw;
      await route.fulfill({ response, json });
    });
    await customer.page.goto(`${bed.appliance.url}/portal/kb/${articleId}`);
    const body = customer.page.getByTestId('kb-article-body');
    await body.locator('b', { hasText: 'bold' }).waitFor();
    await assertInert(customer.page, 'the article with raw HTML', '[data-testid="kb-article-body"]');
    assert.equal(await body.locator('a[href="https://example.test/ok"]').count(), 1, 'a safe link stays');
    assert.equal(await body.locator('a[href*="evil"], img[src^="data:"], style, base, math, object, [style]').count(), 0, 'nothing else survives');
    assert.equal(await customer.page.evaluate(() => getComputedStyle(document.body).display), 'block', 'no style block took effect');
    assert.deepEqual(await customer.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), [], 'no element in the page was refused by the CSP');
    assert.deepEqual(customer.problems.filter((p) => !p.startsWith('csp:')), [], 'no page error or dialog');
  });
});
