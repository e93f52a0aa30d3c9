import { h, type ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';

/**
 * Shows Markdown the server already rendered and sanitized, without ever putting that string
 * into the page as HTML: it is parsed into a <template>'s content — an inert fragment that runs
 * no script, loads no image, fires no handler and applies no style — and rebuilt as preact
 * elements from an allowlist of tags and attributes. So even a sanitizer bug on the server
 * cannot put a handler, a script, an SVG or a `javascript:` link into the page: defence in
 * depth on top of the server's sanitizer and the CSP.
 */

/** Tags kept as they are; everything else is unwrapped (its text stays, the tag goes). */
const allowedTags = new Set([
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup',
  'code', 'pre', 'kbd', 'blockquote', 'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  'dl', 'dt', 'dd', 'span', 'div', 'mark', 'small', 'abbr',
]);

/** Tags dropped with everything inside them (their text is code or styling, never content). */
const droppedTags = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'noscript', 'frame', 'frameset', 'form', 'input', 'button', 'textarea', 'select', 'link', 'meta', 'base']);

/** Attributes kept per tag; any other attribute (on*, style, class, id, …) is dropped. */
const allowedAttributes: Record<string, string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  th: ['colspan', 'rowspan', 'align'],
  td: ['colspan', 'rowspan', 'align'],
  ol: ['start'],
  abbr: ['title'],
  code: ['class'],
};

/** A link or image address that cannot run code: http(s), mailto, or a path/anchor on this appliance. */
export function isSafeUrl(value: string, forImage = false): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  const url = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  // "//host" and "/\\host" leave the appliance although they look like paths.
  if (/^[/\\]{2}/.test(url)) return false;
  if (url.startsWith('#')) return !forImage;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme) return forImage ? scheme === 'https' || scheme === 'http' : ['http', 'https', 'mailto'].includes(scheme);
  // No scheme: a relative address, unless a colon or backslash before the first / ? # makes it odd.
  return !/[:\\]/.test(url.split(/[/?#]/, 1)[0] ?? '');
}

/** The kept attributes of one element, as preact props. */
function propsOf(element: Element, tag: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const name of allowedAttributes[tag] ?? []) {
    const value = element.getAttribute(name);
    if (value === null) continue;
    if ((name === 'href' || name === 'src') && !isSafeUrl(value, name === 'src')) continue;
    if (name === 'class' && !/^language-[\w-]+$/.test(value)) continue;
    props[name] = value;
  }
  if (tag === 'a') props.rel = 'noopener noreferrer nofollow';
  if (tag === 'img') props.referrerpolicy = 'no-referrer';
  return props;
}

/** Rebuilds one node and its children from the allowlist. */
function rebuild(node: Node, key: number): ComponentChildren {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  const tag = element.localName;
  if (droppedTags.has(tag) || element.namespaceURI !== 'http://www.w3.org/1999/xhtml') return null;
  const children = Array.from(element.childNodes, (child, i) => rebuild(child, i));
  if (!allowedTags.has(tag)) return h('span', { key }, children);
  return h(tag, { key, ...propsOf(element, tag) }, tag === 'br' || tag === 'hr' || tag === 'img' ? null : children);
}

/** Turns sanitized server HTML into preact elements (exported for tests of the allowlist). */
export function htmlToVNodes(html: string): ComponentChildren[] {
  const template = document.createElement('template');
  // Parsing only: template content is never rendered or run (see above); nothing of it is adopted.
  template.innerHTML = html;
  return Array.from(template.content.childNodes, (node, i) => rebuild(node, i));
}

/** Rendered Markdown from the server (KB articles), shown through the allowlist above. */
export function SafeHtml({ html, class: className, testId }: { html: string; class?: string; testId?: string }) {
  const nodes = useMemo(() => htmlToVNodes(html), [html]);
  return <div class={className ?? 'markdown'} data-testid={testId}>{nodes}</div>;
}
