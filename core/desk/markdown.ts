import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// One Marked instance of our own, so no other code's marked.use() changes how articles render.
const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * What survives sanitizing: text structure, links and images only. No script, style, iframe,
 * form or event handler; no attributes but the listed ones; URLs only http(s), mailto and
 * relative — so `javascript:` and `data:` URLs cannot exist in the output.
 */
const policy: sanitizeHtml.IOptions = {
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 'del', 's', 'ul', 'ol', 'li',
    'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input', 'sup', 'sub', 'kbd'],
  allowedAttributes: {
    a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'],
    input: [{ name: 'type', values: ['checkbox'] }, 'checked', 'disabled'],
    code: ['class'],
  },
  allowedClasses: { code: [/^language-[a-z0-9+-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    // Links open safely: never give the target page a handle on this one.
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
  },
};

/** Renders an article's Markdown to HTML that is safe to insert into a page. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, policy);
}

/** A plain-text excerpt of Markdown (for search results): tags stripped, whitespace folded. */
export function markdownExcerpt(markdown: string, length = 200): string {
  const text = sanitizeHtml(marked.parse(markdown) as string, { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > length ? `${folded.slice(0, length - 1)}…` : folded;
}
