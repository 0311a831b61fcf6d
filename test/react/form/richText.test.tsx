/**
 * Spec descriptions, titles and format hints as React elements: only formatting tags and safe
 * links reach the page, whatever HTML or Markdown a spec (or whoever wrote it) puts in.
 */
import { cleanup, render } from '@testing-library/react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { RichText } from '../../../src/react/form/richText.tsx';

afterEach(cleanup);

const show = (text: string, inline = false) => render(<div data-testid="host">{<RichText text={text} inline={inline} />}</div>).container.firstElementChild as HTMLElement;

/** Every attribute name on every element under `host`. */
const attributes = (host: Element) => [...host.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => `${el.tagName.toLowerCase()}[${a.name}]`));

describe('RichText (descriptions)', () => {
  it('renders HTML and Markdown mixed, links opening in a new tab with no access to this page', () => {
    const host = show('Find it <a href="https://example.com/keys">here</a>, use `sk_live` keys. <b>Never</b> share it.');
    const link = host.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://example.com/keys');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(host.querySelector('code')?.textContent).toBe('sk_live');
    expect(host.querySelector('b')?.textContent).toBe('Never');
    expect(host.textContent).toBe('Find it here, use sk_live keys. Never share it.');
  });

  it('links bare URLs, keeps tables and turns single line breaks into <br>', () => {
    const host = show('Docs: https://docs.airbyte.com/x\nSecond line\n\n| Region | Code |\n|:--|--:|\n| Europe | EU |');
    expect(host.querySelector('a')?.getAttribute('href')).toBe('https://docs.airbyte.com/x');
    expect(host.querySelector('p br')).not.toBeNull();
    expect(host.querySelector('table td:last-child')?.textContent).toBe('EU');
    expect(host.querySelector('td')?.getAttribute('align')).toBe('left');
    expect(attributes(host).filter((a) => a.endsWith('[style]'))).toEqual([]);
  });

  it('drops scripts, images, frames and styles, with their content where it is not text', () => {
    const host = show('a<script>alert(1)</script>b<img src=x onerror=alert(1)><iframe src="https://evil.example">inner</iframe><style>p{color:red}</style><svg onload=alert(1)><circle/></svg>c');
    expect(host.querySelector('script, img, iframe, style, svg, link')).toBeNull();
    expect(host.textContent).toBe('abc');
  });

  it('keeps no event handler, style, class or id, nested or not', () => {
    const host = show('<p onclick="alert(1)" style="color:red" class="x" id="y"><b onmouseover="alert(1)"><i style="background:url(javascript:alert(1))">deep</i></b></p><div onclick="alert(1)">div text</div>');
    expect(attributes(host)).toEqual([]);
    expect(host.querySelector('p b i')?.textContent).toBe('deep');
    expect(host.querySelector('div')).toBeNull();
    expect(host.textContent).toContain('div text');
  });

  it('shows a link with an unsafe address as plain text, never a dead or script link', () => {
    const host = show('See <a href="javascript:alert(1)">this</a>, <a href=" JaVaScRiPt:alert(1)">that</a>, [md](javascript:alert(1)), <a href="/docs">docs</a>, <a href="data:text/html,x">data</a>, [proto](__proto__) or <a href="mailto:help@example.com">mail</a>.');
    const links = [...host.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['mailto:help@example.com']);
    expect(host.textContent).toBe('See this, that, md, docs, data, proto or mail.');
  });

  it('treats tag and property names like __proto__ and constructor as text', () => {
    const host = show('<constructor>c</constructor> <__proto__>p</__proto__> <toString>t</toString> [x](constructor)');
    // `__proto__` is Markdown emphasis (`__…__`), which is fine; no element takes those names.
    expect([...host.querySelectorAll('*')].map((el) => el.tagName.toLowerCase()).filter((t) => !['p', 'strong', 'em', 'span'].includes(t))).toEqual([]);
    expect(host.textContent).toContain('c');
    expect(host.textContent).toContain('t');
    expect(host.querySelector('a')).toBeNull();
  });

  it('decodes character references itself (never through innerHTML), as written inside code', () => {
    const host = show('Tom &amp; Jerry &mdash; &lt;b&gt;not bold&lt;/b&gt; &#169; &#x2192; &unknownref; `a &amp; b` <a href="https://x.example/?a=1&amp;b=2">q</a>');
    expect(host.querySelector('b')).toBeNull();
    expect(host.textContent).toBe('Tom & Jerry \u2014 <b>not bold</b> \u00a9 \u2192 &unknownref; a &amp; b q');
    expect(host.querySelector('a')?.getAttribute('href')).toBe('https://x.example/?a=1&b=2');
    expect(show('A &amp; B', true).textContent).toBe('A & B');
  });

  it('renders the same markup on the server as in the browser', () => {
    const text = 'Use `x` <b>bold</b> https://a.example\nnext <img src=x onerror=alert(1)>';
    const server = document.createElement('div');
    server.innerHTML = renderToStaticMarkup(<RichText text={text} />);
    expect(show(text).innerHTML).toBe(server.innerHTML);
  });
});

describe('RichText (titles and format hints, inline)', () => {
  it('keeps inline formatting only: backticks as code, no links, no blocks', () => {
    const host = show('Add `user_id` to <b>Transactions</b>, see [docs](https://x.example) <p>para</p><table><tr><td>cell</td></tr></table>', true);
    expect(host.querySelector('code')?.textContent).toBe('user_id');
    expect(host.querySelector('b')?.textContent).toBe('Transactions');
    expect(host.querySelector('a, p, table, td')).toBeNull();
    expect(host.textContent).toContain('see docs');
    expect(host.textContent).toContain('cell');
  });

  it('a plain title stays plain text', () => {
    expect(show('API Key (v2)', true).innerHTML).toBe('API Key (v2)');
  });
});
