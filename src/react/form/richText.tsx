// The `/react` entry: the one RJSF's own templates import, so the page bundles markdown-to-jsx once.
import { compiler, RuleType, type MarkdownToJSX } from 'markdown-to-jsx/react';
import { createElement, Fragment, isValidElement, type ReactNode } from 'react';

/** Tags a description keeps (everything else renders its text, or nothing: see DROPPED). */
const BLOCK_TAGS = new Set(['a', 'b', 'strong', 'i', 'em', 'code', 'pre', 'br', 'p', 'ul', 'ol', 'li', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
/** Tags a title or format hint keeps: formatting only, no links, no blocks. */
const INLINE_TAGS = new Set(['b', 'strong', 'i', 'em', 'code', 'span']);
/** Tags whose content is not text to show (code, styles, embedded documents, form controls). */
const DROPPED = new Set(['script', 'style', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'noscript', 'noembed', 'noframes', 'title', 'textarea', 'select', 'svg', 'math', 'xmp', 'plaintext', 'img', 'video', 'audio', 'picture', 'source', 'canvas', 'link', 'meta', 'base', 'head', 'input', 'button', 'form']);
const SAFE_HREF = /^(?:https?:|mailto:)/i;
const ALIGN = new Set(['left', 'right', 'center']);

type Props = Record<string, unknown> & { key?: string | number | null };

/**
 * HTML character references, decoded by the kit rather than by markdown-to-jsx: in a browser it
 * decodes each one by writing it into a `<textarea>`'s `innerHTML`, which Trusted Types forbid
 * (and which differs from its server-side table). Each reference is swapped for a placeholder
 * before parsing and put back, decoded, in the text of the elements built (as written inside code).
 * Named references outside this list stay as written.
 */
const ENTITY = /&([a-zA-Z0-9]+|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});/g;
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', shy: '\u00ad',
  mdash: '\u2014', ndash: '\u2013', hellip: '\u2026', bull: '\u2022', middot: '\u00b7', copy: '\u00a9', reg: '\u00ae', trade: '\u2122',
  laquo: '\u00ab', raquo: '\u00bb', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', rarr: '\u2192', larr: '\u2190',
  uarr: '\u2191', darr: '\u2193', harr: '\u2194', rArr: '\u21d2', times: '\u00d7', divide: '\u00f7', deg: '\u00b0', plusmn: '\u00b1',
  le: '\u2264', ge: '\u2265', ne: '\u2260', euro: '\u20ac', pound: '\u00a3', yen: '\u00a5', cent: '\u00a2', sect: '\u00a7', para: '\u00b6',
  check: '\u2713', hearts: '\u2665', star: '\u2606', infin: '\u221e', micro: '\u00b5',
};
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

function decodeReference(name: string): string | undefined {
  if (name[0] !== '#') return Object.prototype.hasOwnProperty.call(NAMED, name) ? NAMED[name] : undefined;
  const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
  return code === 0 || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff ? '\ufffd' : String.fromCodePoint(code);
}

interface References {
  written: string[];
  decoded: string[];
}

/** The text with every character reference as a placeholder, and what each stands for. */
function withPlaceholders(text: string): { text: string; refs: References } {
  const refs: References = { written: [], decoded: [] };
  if (!text.includes('&')) return { text, refs };
  const out = text.replace(ENTITY, (written, name: string) => {
    refs.written.push(written);
    refs.decoded.push(decodeReference(name) ?? written);
    return `\uE000${refs.written.length - 1}\uE001`;
  });
  return { text: out, refs };
}

/** Puts the references back into strings (also in arrays of children): decoded, or as written inside code. */
function restore(node: unknown, refs: References, asWritten: boolean): unknown {
  if (!refs.written.length) return node;
  if (typeof node === 'string') return node.replace(PLACEHOLDER, (_, i: string) => (asWritten ? refs.written : refs.decoded)[Number(i)] ?? '');
  if (Array.isArray(node)) return node.map((child) => restore(child, refs, asWritten));
  return node;
}

/**
 * Builds only whitelisted elements with only safe attributes: a `key`, a link's address when it
 * is http(s) or mailto (then it opens in a new tab with no access to this page; any other address
 * makes it plain text), a table cell's alignment. No event handler, `style`, `class` or `id`
 * reaches the page, whatever the spec's HTML says.
 */
function safeCreateElement(allowed: Set<string>, refs: References): MarkdownToJSX.Options['createElement'] {
  return (tag, props, ...raw) => {
    const { key } = (props ?? {}) as Props;
    const name = typeof tag === 'string' ? tag.toLowerCase() : '';
    const children = raw.map((child) => restore(child, refs, name === 'code' || name === 'pre')) as ReactNode[];
    // The wrapper (a Fragment) or, never here, a component: its children only.
    if (typeof tag !== 'string') return createElement(Fragment, { key }, ...children);
    if (DROPPED.has(name)) return null;
    if (!allowed.has(name)) return createElement(Fragment, { key }, ...children);
    const p = props as Props;
    if (name === 'a') {
      const href = typeof p.href === 'string' ? (restore(p.href, refs, false) as string).trim() : '';
      return SAFE_HREF.test(href) ? createElement('a', { key, href, target: '_blank', rel: 'noopener noreferrer' }, ...children) : createElement('span', { key }, ...children);
    }
    if (name === 'br') return createElement('br', { key });
    const align = (p.style as { textAlign?: unknown } | undefined)?.textAlign ?? p.align;
    if ((name === 'th' || name === 'td') && typeof align === 'string' && ALIGN.has(align)) return createElement(name, { key, align }, ...children);
    return createElement(name, { key }, ...children);
  };
}

/** Markdown's single line breaks as `<br>`, as marked's `breaks` did: spec authors wrap lines on purpose. */
function renderBreaks(refs: References): MarkdownToJSX.Options['renderRule'] {
  return (next, node, _children, state) => {
    if (node.type !== RuleType.text || !node.text.includes('\n')) return next();
    const lines = node.text.split('\n').map((line) => restore(line, refs, false) as string);
    return createElement(Fragment, { key: (state as { key?: string | number }).key }, ...lines.flatMap((line, i) => (i === 0 ? [line] : [createElement('br', { key: i }), line])));
  };
}

function render(text: string, inline: boolean): ReactNode {
  const { text: prepared, refs } = withPlaceholders(text);
  const options: MarkdownToJSX.Options = inline
    ? { forceInline: true, wrapper: Fragment, tagfilter: false, disableAutoLink: true, createElement: safeCreateElement(INLINE_TAGS, refs) }
    : { forceBlock: true, wrapper: Fragment, tagfilter: false, createElement: safeCreateElement(BLOCK_TAGS, refs), renderRule: renderBreaks(refs) };
  const out = compiler(prepared, options);
  // The wrapper markdown-to-jsx builds itself (not through createElement): restore its own text children.
  if (isValidElement<{ children?: unknown }>(out) && out.type === Fragment) return createElement(Fragment, { key: out.key }, ...([] as unknown[]).concat(restore(out.props.children, refs, false)).map((c) => c as ReactNode));
  return restore(out, refs, false) as ReactNode;
}

/** Text markdown-to-jsx would leave as one plain paragraph: no Markdown or HTML syntax, no bare URL. */
const PLAIN = /^(?![ \t]*(?:[-+*>]|\d+[.)])[ \t])[^<>&*`_[\]#|~\n\\:!=]*$/;

// Specs repeat descriptions (oneOf options, array items) and forms re-render: parse each once.
// React elements are immutable, so one can be rendered in several places.
const cache = new Map<string, ReactNode>();

function cached(key: string, make: () => ReactNode): ReactNode {
  let node = cache.get(key);
  if (node === undefined) {
    node = make();
    if (cache.size > 2000) cache.clear();
    cache.set(key, node);
  }
  return node;
}

/**
 * A spec's description, title or format hint as React elements. Connector specs mix HTML
 * (`<a href>`, `<b>`, `<code>`) and Markdown (backticks, links, tables, bare URLs): both render,
 * through markdown-to-jsx, with only formatting tags kept (tables too in block mode; no links and
 * no blocks `inline`) and links opening in a new tab. No HTML string is ever put into the page, so
 * it works under Trusted Types, and the output is the same on the server and in the browser (no
 * hydration mismatch). Renders no wrapper: put it in the element that should hold it.
 */
export function RichText({ text, inline = false }: { text: string; inline?: boolean }): ReactNode {
  return inline ? inlineRichText(text) : blockRichText(text);
}

/** A description as React elements (block mode of {@link RichText}), cached per text. */
export function blockRichText(text: string): ReactNode {
  return cached(`b:${text}`, () => (PLAIN.test(text) && !/www\./i.test(text) ? createElement('p', null, text) : render(text, false)));
}

/** A title or format hint as React elements (inline mode of {@link RichText}), cached per text. */
export function inlineRichText(text: string): ReactNode {
  return cached(`i:${text}`, () => (PLAIN.test(text) ? text : render(text, true)));
}
