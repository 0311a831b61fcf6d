/**
 * Whether text in Latin script reads as written inside a right-to-left widget. Unisolated in an
 * Arabic paragraph, "Sample data (Faker)" shows as "(Sample data (Faker" and "Choose how to
 * authenticate." as ".Choose how to authenticate": the trailing neutral characters take the
 * paragraph's direction and move to the left end. Measured from the glyphs' positions, so it holds
 * whatever isolates the text (`dir="auto"`, `<bdi>`, `unicode-bidi`).
 */

/** One character laid out out of order: where it is, and where the one before it is. */
export interface BidiProblem {
  text: string;
  character: string;
  index: number;
  x: number;
  previousX: number;
}

const LATIN = /[A-Za-z]/;
// Arabic, Hebrew and the other right-to-left scripts' letters.
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/** The characters of `text` (a run of consecutive text nodes under `el`, or those nodes) with their boxes. */
function glyphs(el: Element, text: string, only?: Text[]): { char: string; rect: DOMRect }[] | undefined {
  const nodes: Text[] = only ?? [];
  const walker = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  if (!only) for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  const whole = nodes.map((n) => n.data).join('');
  const start = whole.indexOf(text);
  if (start < 0) return undefined;
  const out: { char: string; rect: DOMRect }[] = [];
  let offset = 0;
  for (const node of nodes) {
    for (let i = 0; i < node.data.length; i++) {
      const at = offset + i;
      if (at < start || at >= start + text.length) continue;
      const range = el.ownerDocument.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      out.push({ char: node.data[i]!, rect: range.getBoundingClientRect() });
    }
    offset += node.data.length;
  }
  return out;
}

/**
 * Characters of `text` (found in `el`'s text, or in the text nodes `only`) that are not right of
 * the one before them on the same line: empty when `text` reads left to right. Throws when `text`
 * is not there.
 */
export function leftToRightProblems(el: Element, text: string, only?: Text[]): BidiProblem[] {
  const laid = glyphs(el, text, only);
  if (!laid) throw new Error(`"${text}" is not in ${el.outerHTML.slice(0, 200)}`);
  const shown = laid.map((g, index) => ({ ...g, index })).filter((g) => g.char.trim() && g.rect.width > 0);
  const problems: BidiProblem[] = [];
  for (let i = 1; i < shown.length; i++) {
    const a = shown[i - 1]!;
    const b = shown[i]!;
    const sameLine = Math.abs(a.rect.top - b.rect.top) < a.rect.height / 2;
    if (sameLine && b.rect.left + b.rect.width / 2 < a.rect.left + a.rect.width / 2) {
      problems.push({ text, character: b.char, index: b.index, x: Math.round(b.rect.left), previousX: Math.round(a.rect.left) });
    }
  }
  return problems;
}

/**
 * Every text node under `root` written in Latin script alone (no right-to-left letters) that
 * does not read left to right, with what is wrong: the widget's own words are in the page's
 * language, so these are names and texts from a spec, a template or the customer.
 */
export function unisolatedLatinText(root: Element): string[] {
  const found: string[] = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const node = n as Text;
    const data = node.data.trim();
    if (!LATIN.test(data) || RTL_LETTER.test(data) || !node.parentElement || node.parentElement.closest('option, datalist, script, style, .aek-visually-hidden')) continue;
    if (node.parentElement.getClientRects().length === 0) continue;
    const problems = leftToRightProblems(node.parentElement, node.data, [node]);
    if (problems.length) found.push(`"${data}" (${problems.map((p) => `"${p.character}" at x ${p.x}, left of the character before it at x ${p.previousX}`).join('; ')})`);
  }
  return found;
}

/** Whether `el` is direction-isolated by markup: it or an ancestor inside the widget root is a `<bdi>` or has `dir="auto"`. */
export function isIsolated(el: Element): boolean {
  for (let e: Element | null = el; e && !e.classList.contains('aek-root'); e = e.parentElement) {
    if (e.tagName === 'BDI' || e.getAttribute('dir') === 'auto') return true;
  }
  return false;
}
