import DOMPurify from 'dompurify';
import { marked } from 'marked';

const BLOCK_TAGS = ['a', 'b', 'strong', 'i', 'em', 'code', 'pre', 'br', 'p', 'ul', 'ol', 'li', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];
const INLINE_TAGS = ['b', 'strong', 'i', 'em', 'code', 'span'];
let hooked = false;

// Specs repeat descriptions (oneOf options, array items) and forms re-render: parse each once.
const cache = new Map<string, string>();
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Markdown syntax marked would act on, or a bare URL it would link (outside HTML tags). */
const MARKDOWN = /[*`[\]#|~\n]|(^|\s)_|https?:\/\/|www\./;

function cached(key: string, make: () => string): string {
  let html = cache.get(key);
  if (html === undefined) {
    html = make();
    if (cache.size > 2000) cache.clear();
    cache.set(key, html);
  }
  return html;
}

/**
 * Connector descriptions mix HTML (`<a href>`, `<b>`, `<code>`) and Markdown (backticks, links,
 * tables): render the Markdown with marked, then sanitize with DOMPurify, keeping only formatting
 * tags (tables included) and making every link open in a new tab without access to this page.
 * A link whose address was not safe keeps its text and loses its look of a link. Returns plain
 * text (tags stripped) where there is no DOM, e.g. during server rendering.
 */
export function descriptionToHtml(text: string): string {
  return cached(`b:${text}`, () => {
    const outsideTags = text.replace(/<[^>]*>/g, ' ');
    if (!MARKDOWN.test(outsideTags)) {
      // Most descriptions are a plain sentence, or one with a few HTML tags: no Markdown to parse.
      if (!/[<>&]/.test(text)) return `<p>${text.replace(/["]/g, (c) => ESCAPES[c]!)}</p>`;
      return sanitize(`<p>${text}</p>`, BLOCK_TAGS);
    }
    return sanitize(marked.parse(text, { async: false, breaks: true, gfm: true }) as string, BLOCK_TAGS);
  });
}

/**
 * A title or format hint as inline rich text: HTML formatting kept (sanitized, no links, no
 * blocks), Markdown backticks as code ("Add `user_id` to …").
 */
export function inlineToHtml(text: string): string {
  return cached(`i:${text}`, () => sanitize(marked.parseInline(text, { async: false, gfm: true }) as string, INLINE_TAGS));
}

function sanitize(html: string, tags: string[]): string {
  if (typeof window === 'undefined' || !DOMPurify.isSupported) return html.replace(/<[^>]*>/g, '');
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName !== 'A') return;
      if (node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      } else {
        // Its address was dropped (javascript:, a relative path): plain text, not a dead link.
        node.setAttribute('data-aek-inert', '');
      }
    });
    hooked = true;
  }
  const clean = DOMPurify.sanitize(html, { ALLOWED_TAGS: tags, ALLOWED_ATTR: ['href', 'target', 'rel', 'data-aek-inert', 'align'], ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i });
  // Links cannot nest, so each inert one ends at the next </a>.
  return clean.includes('data-aek-inert') ? clean.replace(/<a data-aek-inert="">([\s\S]*?)<\/a>/g, '<span>$1</span>') : clean;
}
