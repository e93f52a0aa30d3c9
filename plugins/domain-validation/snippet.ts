import { z } from 'zod';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use #rrggbb');

/** What an admin can brand in a snippet. */
export const snippetOptions = z.object({
  origin: z.string().min(1).max(300),
  kind: z.enum(['pin', 'channel']).default('pin'),
  /** A channel form's link token (from the company-pin plugin's channel links). */
  channelToken: z.string().min(1).max(300).optional(),
  colours: z.object({ background: colour.default('#ffffff'), text: colour.default('#1f2937'), button: colour.default('#0b5cad'), buttonText: colour.default('#ffffff') }).strict().default({ background: '#ffffff', text: '#1f2937', button: '#0b5cad', buttonText: '#ffffff' }),
  texts: z.object({
    title: z.string().max(100).default('Remote support'),
    label: z.string().max(100).default('PIN from your technician'),
    button: z.string().max(60).default('Start support'),
  }).strict().default({ title: 'Remote support', label: 'PIN from your technician', button: 'Start support' }),
  /** Adds the small script (digits only, busy state); the form works without it. */
  script: z.boolean().default(false),
}).strict();

export type SnippetOptions = z.output<typeof snippetOptions>;

/** Escapes text for HTML text and double-quoted attributes. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/**
 * The HTML an admin pastes into the company website: a plain form posting to the appliance,
 * with inline style attributes only (no script needed), and the signed form token.
 */
export function renderSnippet(applianceOrigin: string, options: SnippetOptions, token: string, version: string): string {
  const { colours: c, texts } = options;
  const action = `${applianceOrigin}/api/v1/plugins/domain-validation/${options.kind}`;
  const box = `font-family:system-ui,sans-serif;max-width:22rem;padding:1rem;border-radius:8px;background:${c.background};color:${c.text}`;
  const button = `margin-top:.5rem;padding:.5rem 1rem;border:0;border-radius:6px;background:${c.button};color:${c.buttonText};font-size:1rem;cursor:pointer`;
  const lines = [
    `<!-- RescueBox ${options.kind === 'pin' ? 'PIN' : 'support'} form for ${escapeHtml(options.origin)} (approved domain list ${version}). Works only on that origin. -->`,
    `<form class="rescuebox-form" method="post" action="${escapeHtml(action)}" accept-charset="utf-8" style="${box}">`,
    `  <input type="hidden" name="token" value="${escapeHtml(token)}">`,
    `  <p style="margin:0 0 .5rem;font-weight:600">${escapeHtml(texts.title)}</p>`,
  ];
  if (options.kind === 'pin') {
    lines.push(
      `  <label for="rescuebox-pin" style="display:block;margin-bottom:.25rem">${escapeHtml(texts.label)}</label>`,
      '  <input id="rescuebox-pin" name="pin" inputmode="numeric" autocomplete="one-time-code" maxlength="32" required style="font-size:1.25rem;padding:.4rem;width:100%;box-sizing:border-box">',
    );
  }
  lines.push(`  <button type="submit" style="${button}">${escapeHtml(texts.button)}</button>`, '</form>');
  if (options.script) lines.push(`<script src="${escapeHtml(applianceOrigin)}/api/v1/plugins/domain-validation/form.js" defer></script>`);
  return `${lines.join('\n')}\n`;
}

/** The optional script: keeps only digits in the PIN and shows the form as busy once sent. */
export const formScript = `(function () {
  document.querySelectorAll('form.rescuebox-form').forEach(function (form) {
    var pin = form.querySelector('input[name="pin"]');
    if (pin) pin.addEventListener('input', function () { pin.value = pin.value.replace(/[^0-9]/g, ''); });
    form.addEventListener('submit', function () {
      var button = form.querySelector('button');
      if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true'); }
    });
  });
})();
`;
