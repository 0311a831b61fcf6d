import { Fragment, type ReactNode } from 'react';
import type { MessageKey, MessageValues, Translator } from '../shared/i18n/translator.ts';

// Private-use characters: never in a message, so they mark where each value goes.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARK = new RegExp(`${OPEN}(\\d+)${CLOSE}`);

/**
 * A message whose string values (names from a template, a spec or the customer) are each in a
 * `<bdi>`, so the sentence around them never reorders them: in Arabic, "تم ربط Acme Inc." shows the
 * name as written instead of ".Acme Inc". Numbers are formatted as by `tr.t`. The text content (and
 * so the accessible name) is the same as `tr.t(key, values)`.
 */
export function isolatedMessage(tr: Translator, key: MessageKey, values: MessageValues): ReactNode {
  const strings: string[] = [];
  const marked: MessageValues = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string') {
      marked[name] = `${OPEN}${strings.length}${CLOSE}`;
      strings.push(value);
    } else {
      marked[name] = value;
    }
  }
  const parts = tr.t(key, marked).split(MARK);
  if (parts.length === 1) return parts[0];
  // split() with a capture group alternates text and value indexes: text, index, text, …
  return parts.map((part, i) => (i % 2 === 0 ? <Fragment key={i}>{part}</Fragment> : <bdi key={i}>{strings[Number(part)]}</bdi>));
}
