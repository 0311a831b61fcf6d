import DOMPurify from 'dompurify';
import { marked } from 'marked';

const ALLOWED_TAGS = ['a', 'b', 'strong', 'i', 'em', 'code', 'pre', 'br', 'p', 'ul', 'ol', 'li', 'span'];
let hooked = false;

/**
 * Connector descriptions mix HTML (`<a href>`, `<b>`, `<code>`) and Markdown (backticks, links):
 * render the Markdown with marked, then sanitize with DOMPurify, keeping only formatting tags and
 * making every link open in a new tab without access to this page. Returns plain text (tags
 * stripped) where there is no DOM, e.g. during server rendering.
 */
export function descriptionToHtml(text: string): string {
  let html = cache.get(text);
  if (html === undefined) {
    html = render(text);
    if (cache.size > 2000) cache.clear();
    cache.set(text, html);
  }
  return html;
}

// Specs repeat descriptions (oneOf options, array items) and forms re-render: parse each once.
const cache = new Map<string, string>();
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Markdown syntax marked would act on, or a bare URL it would link (outside HTML tags). */
const MARKDOWN = /[*`[\]#|~\n]|(^|\s)_|https?:\/\/|www\./;

function render(text: string): string {
  const outsideTags = text.replace(/<[^>]*>/g, ' ');
  if (!MARKDOWN.test(outsideTags)) {
    // Most descriptions are a plain sentence, or one with a few HTML tags: no Markdown to parse.
    if (!/[<>&]/.test(text)) return `<p>${text.replace(/["]/g, (c) => ESCAPES[c]!)}</p>`;
    return sanitize(`<p>${text}</p>`);
  }
  return sanitize(marked.parse(text, { async: false, breaks: true, gfm: true }) as string);
}

function sanitize(html: string): string {
  if (typeof window === 'undefined' || !DOMPurify.isSupported) return html.replace(/<[^>]*>/g, '');
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
    hooked = true;
  }
  return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR: ['href', 'target', 'rel'], ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i });
}
