/**
 * A layout check for a rendered widget in a real browser: what a customer would see as broken on
 * their screen. It walks the DOM under each `.aek-root` and reports
 *
 * - `wider-than-viewport`: an element (or a line of text) reaching past the viewport's left or
 *   right edge, or the page scrolling sideways;
 * - `outside-root`: an element or a line of text sticking out of the widget's root horizontally;
 * - `text-outside-box`: a line of text reaching out of the box that holds it (a long word or
 *   value that neither wraps nor is clipped: it overlaps whatever is next to it);
 * - `overlap`: two lines of text from different text nodes whose boxes intersect (a `<dt>`
 *   written over its `<dd>`), or two sibling elements holding text whose boxes intersect.
 *
 * What a scroll container (`overflow-x` other than visible, e.g. the sync history's table) holds
 * is clipped to it, so content scrolled out of view is not an overflow; the container itself is
 * checked. Visually hidden text (clipped to 1 px), closed `<details>` and `<option>`s are skipped.
 */

/** A box in viewport coordinates, rounded to tenths of a pixel for readable reports. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/** One thing wrong with the layout, with where it is and what it says. */
export interface LayoutProblem {
  kind: 'wider-than-viewport' | 'outside-root' | 'text-outside-box' | 'overlap';
  /** The element, as `tag.class[data-…]`, with its closest identifying ancestor. */
  element: string;
  /** Its text (trimmed, at most 60 characters). */
  text: string;
  box: Box;
  /** What it exceeded (viewport, root, its own box) or the other element it overlaps. */
  against: { element: string; text: string; box: Box };
}

/** Options of {@link findLayoutProblems}. */
export interface LayoutCheckOptions {
  /** Pixels of slack before anything counts (sub-pixel rounding, anti-aliasing). Default 1. */
  tolerance?: number;
}

type Rect = Pick<DOMRect, 'left' | 'top' | 'right' | 'bottom'>;

const round = (n: number) => Math.round(n * 10) / 10;
const boxOf = (r: Rect): Box => ({ left: round(r.left), top: round(r.top), right: round(r.right), bottom: round(r.bottom), width: round(r.right - r.left), height: round(r.bottom - r.top) });
const intersect = (a: Rect, b: Rect): Rect => ({ left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) });
const isEmpty = (r: Rect) => r.right - r.left <= 0 || r.bottom - r.top <= 0;
const snippet = (text: string | null | undefined) => {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
};

/** `li.aek-source[data-state=failed]`: enough to find the element in the story. */
export function describeElement(el: Element): string {
  const own = (e: Element) => {
    const classes = [...e.classList].filter((c) => c.startsWith('aek-') || c === 'form-group' || c === 'control-label').slice(0, 2);
    const data = ['data-path', 'data-step', 'data-state', 'data-status'].map((a) => (e.hasAttribute(a) ? `[${a}=${e.getAttribute(a)}]` : '')).join('');
    return `${e.tagName.toLowerCase()}${classes.map((c) => `.${c}`).join('')}${data}`;
  };
  const anchor = el.parentElement?.closest('[class*="aek-"]');
  return anchor && anchor !== el && !anchor.classList.contains('aek-root') ? `${own(anchor)} › ${own(el)}` : own(el);
}

/** Elements whose subtree a customer never sees laid out on the page. */
function isUnseen(el: Element, style: CSSStyleDeclaration): boolean {
  if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return true;
  if (['OPTION', 'OPTGROUP', 'DATALIST', 'SCRIPT', 'STYLE', 'TEMPLATE'].includes(el.tagName)) return true;
  // Visually hidden (screen-reader only) text: clipped away.
  if (style.clip !== 'auto' && style.clip !== '' && style.position === 'absolute') return true;
  if (style.clipPath !== 'none' && style.clipPath !== '') return true;
  // The folded part of a closed <details> (Chromium keeps it in the DOM, without layout).
  const details = el.parentElement;
  if (details instanceof HTMLDetailsElement && !details.open && el.tagName !== 'SUMMARY') return true;
  return false;
}

const clipsX = (style: CSSStyleDeclaration) => style.overflowX !== 'visible';
const isInline = (style: CSSStyleDeclaration) => style.display === 'inline' || style.display === 'contents';

interface TextLine {
  node: Text;
  holder: Element;
  rect: Rect;
  /** Whether an element around it already sticks out (and is reported instead). */
  inside: { viewport: boolean; root: boolean };
}

/**
 * Every layout problem under `container` (itself a `.aek-root`, or holding some). An empty list
 * means: nothing wider than the viewport, nothing out of the widget, no text out of its box, no
 * two texts over each other.
 */
export function findLayoutProblems(container: Element, options: LayoutCheckOptions = {}): LayoutProblem[] {
  const tol = options.tolerance ?? 1;
  const doc = container.ownerDocument;
  const win = doc.defaultView!;
  const viewport: Rect = { left: 0, top: -Infinity, right: doc.documentElement.clientWidth, bottom: Infinity };
  const viewportRef = { element: 'viewport', text: `${viewport.right}px wide`, box: boxOf({ ...viewport, top: 0, bottom: win.innerHeight }) };
  const problems: LayoutProblem[] = [];
  if (doc.documentElement.scrollWidth > doc.documentElement.clientWidth + tol) {
    problems.push({
      kind: 'wider-than-viewport',
      element: 'page',
      text: `scrolls sideways: ${doc.documentElement.scrollWidth}px of content`,
      box: boxOf({ left: 0, top: 0, right: doc.documentElement.scrollWidth, bottom: 0 }),
      against: viewportRef,
    });
  }
  const roots = container.matches('.aek-root') ? [container] : [...container.querySelectorAll('.aek-root')].filter((r) => !r.parentElement?.closest('.aek-root'));
  const styles = new Map<Element, CSSStyleDeclaration>();
  const styleOf = (el: Element) => {
    let s = styles.get(el);
    if (!s) styles.set(el, (s = win.getComputedStyle(el)));
    return s;
  };

  for (const root of roots) {
    const rootRect = root.getBoundingClientRect();
    const rootRef = { element: describeElement(root), text: `${round(rootRect.width)}px wide`, box: boxOf(rootRect) };
    const lines: TextLine[] = [];
    const shown: Element[] = [];
    // Depth-first, with the clip rectangle of the scroll containers above, and whether an
    // ancestor already overflows (only the outermost offender is reported).
    const visit = (el: Element, clip: Rect, parentOut: { viewport: boolean; root: boolean }) => {
      const style = styleOf(el);
      if (isUnseen(el, style)) return;
      shown.push(el);
      const rect = el.getBoundingClientRect();
      const out = { ...parentOut };
      if (!isInline(style) && rect.width > 0) {
        const seen = intersect(rect, clip);
        if (!isEmpty(seen)) {
          const past = (limit: Rect) => seen.left < limit.left - tol || seen.right > limit.right + tol;
          if (past(viewport) && !parentOut.viewport) {
            problems.push({ kind: 'wider-than-viewport', element: describeElement(el), text: snippet(el.textContent), box: boxOf(rect), against: viewportRef });
          }
          if (el !== root && past(rootRect) && !parentOut.root) {
            problems.push({ kind: 'outside-root', element: describeElement(el), text: snippet(el.textContent), box: boxOf(rect), against: rootRef });
          }
          out.viewport ||= past(viewport);
          out.root ||= el !== root && past(rootRect);
        }
      }
      const inner = clipsX(style) && el !== root ? intersect(clip, rect) : clip;
      for (const child of el.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          const text = child as Text;
          if (!text.data.trim()) continue;
          const range = doc.createRange();
          range.selectNodeContents(text);
          for (const r of range.getClientRects()) {
            const seen = intersect(r, inner);
            if (!isEmpty(seen)) lines.push({ node: text, holder: el, rect: seen, inside: out });
          }
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          visit(child as Element, inner, out);
        }
      }
    };
    visit(root, viewport, { viewport: false, root: false });

    // Lines of text: within the viewport, the root, and the box that holds them.
    const reported = new Set<Text>();
    for (const line of lines) {
      const against = (kind: LayoutProblem['kind'], ref: LayoutProblem['against']) => {
        if (reported.has(line.node)) return;
        reported.add(line.node);
        problems.push({ kind, element: describeElement(line.holder), text: snippet(line.node.data), box: boxOf(line.rect), against: ref });
      };
      const past = (limit: Rect) => line.rect.left < limit.left - tol || line.rect.right > limit.right + tol;
      if (past(viewport)) {
        if (!line.inside.viewport) against('wider-than-viewport', viewportRef);
      } else if (past(rootRect)) {
        if (!line.inside.root) against('outside-root', rootRef);
      } else {
        let box: Element = line.holder;
        while (box !== root && isInline(styleOf(box)) && box.parentElement) box = box.parentElement;
        const boxRect = box.getBoundingClientRect();
        if (past(boxRect)) against('text-outside-box', { element: describeElement(box), text: snippet(box.textContent), box: boxOf(boxRect) });
      }
    }

    // Two lines of text over each other. Lines of tall scripts may touch their neighbours' glyph
    // boxes by a few pixels without any glyph meeting: a third of the smaller line is an overlap.
    const sorted = [...lines].sort((a, b) => a.rect.top - b.rect.top);
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length; j++) {
        const b = sorted[j]!;
        if (b.rect.top >= a.rect.bottom) break;
        if (a.node === b.node) continue;
        const both = intersect(a.rect, b.rect);
        const h = Math.min(a.rect.bottom - a.rect.top, b.rect.bottom - b.rect.top);
        if (both.right - both.left > tol * 2 && both.bottom - both.top > Math.max(tol * 2, h / 3)) {
          problems.push({
            kind: 'overlap',
            element: describeElement(a.holder),
            text: snippet(a.node.data),
            box: boxOf(a.rect),
            against: { element: describeElement(b.holder), text: snippet(b.node.data), box: boxOf(b.rect) },
          });
        }
      }
    }

    // Sibling boxes holding text, in flow, over each other (a <dt> over its <dd>).
    const seen = new Set(shown);
    for (const parent of shown) {
      const kids = [...parent.children].filter((k) => {
        const s = styleOf(k);
        return seen.has(k) && !isInline(s) && s.position !== 'absolute' && s.position !== 'fixed' && (k.textContent ?? '').trim() !== '';
      });
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const a = kids[i]!.getBoundingClientRect();
          const b = kids[j]!.getBoundingClientRect();
          const both = intersect(a, b);
          if (both.right - both.left > tol * 2 && both.bottom - both.top > tol * 2) {
            problems.push({
              kind: 'overlap',
              element: describeElement(kids[i]!),
              text: snippet(kids[i]!.textContent),
              box: boxOf(a),
              against: { element: describeElement(kids[j]!), text: snippet(kids[j]!.textContent), box: boxOf(b) },
            });
          }
        }
      }
    }
  }
  return problems;
}

/** Problems as lines a person can read in a test failure (the first `max`, then how many more). */
export function formatProblems(problems: LayoutProblem[], max = 12): string {
  const more = problems.length > max ? [`… and ${problems.length - max} more`] : [];
  return [
    ...problems.slice(0, max).map((p) => {
      const b = p.box;
      const o = p.against.box;
      return `${p.kind}: ${p.element} "${p.text}" at x ${b.left}–${b.right} (${b.width}px), y ${b.top}–${b.bottom} vs ${p.against.element} "${p.against.text}" at x ${o.left}–${o.right} (${o.width}px), y ${o.top}–${o.bottom}`;
    }),
    ...more,
  ].join('\n');
}
