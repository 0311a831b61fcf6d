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
  const html = marked.parse(text, { async: false, breaks: true, gfm: true }) as string;
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
