/**
 * Every real connector spec (../shared/connector-specs), filled by a person in Chromium on a
 * phone-sized screen: for each spec it types into the visible required inputs, picks options
 * with the visible pickers (every option of every choice it meets, across as many runs as that
 * takes, in a seeded order), adds one item to each required list with "+ Add item" (in later runs
 * also to optional lists whose items hold a choice, so those choices are reached), and submits.
 * Each run must send a config that validates against the original spec with the options chosen;
 * every control must show what was sent for its path, every hidden or fixed value must be sent
 * and have no input; nothing may be logged to the console. Some runs are in Arabic (right to left).
 *
 * `npm test` runs every spec that has a choice (so every option of the corpus) and a seeded sample
 * of CORPUS_SAMPLE (default 90) of the others; `npm run test:corpus` runs all 578. CORPUS_SEED picks the sample and the order of
 * options (printed, so any run can be repeated); CORPUS_ONLY=source-a,source-b runs just those.
 */
import 'airbyte-embed-kit/styles.css';
import { cleanup, render } from '@testing-library/react';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import { SourceForm } from '../../../src/form.ts'; // the eager entry, as a host rendering the form alone imports it
import { ConfigValidator } from '../../../src/shared/configValidator.ts';
import type { JsonSchema } from '../../../src/shared/contract.ts';
import { toFormSchema } from '../../../src/shared/form/formSchema.ts';
import { discriminatorOf, propertiesOf } from '../../../src/shared/form/nodes.ts';
import { fillLikeAPerson, hiddenFields, holdsChoice, nodeAt, nodeAtChoice, openFolds, shownControls, showsSent, valueAtPointer, choiceKey } from '../../fixtures/person/person.ts';
import { seeded } from '../../fixtures/person/values.ts';

// Relative to the project root (how the browser's readFile resolves paths).
const SPECS = '../shared/connector-specs';
const seed = inject('corpusSeed');
const sample = inject('corpusSample');
const only = inject('corpusOnly');

type Spec = { name: string; connectionSpecification: JsonSchema };
type Entry = { file: string; name: string; oneOfCount?: number };

const index = await commands.readFile(`${SPECS}/index.json`).then((t) => JSON.parse(t) as { connectors: Entry[] }).catch(() => undefined);
const all = index?.connectors ?? [];
const rng = seeded(seed);
// The sample: every spec with a choice (so every option of the corpus is submitted) and a seeded share of the rest.
const withChoices = all.filter((c) => (c.oneOfCount ?? 0) > 0);
const sampled =
  sample > 0 && sample < all.length
    ? [...withChoices, ...shuffle(all.filter((c) => !withChoices.includes(c)), rng).slice(0, sample)].sort((a, b) => a.name.localeCompare(b.name))
    : all;
const chosen = only ? all.filter((c) => only.split(',').includes(c.name)) : sampled;

function shuffle<T>(list: T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const validator = new ConfigValidator();
const totals = { specs: 0, passed: 0, runs: 0, options: 0, optionsSubmitted: 0, failures: [] as string[] };

afterAll(() => {
  if (!all.length) return;
  console.info(
    `person-like corpus (seed ${seed}${chosen.length < all.length ? `, sample ${chosen.length} of ${all.length}` : ''}): ` +
      `${totals.passed}/${totals.specs} specs, ${totals.optionsSubmitted}/${totals.options} options submitted, ${totals.runs} runs` +
      (totals.failures.length ? `\n  - ${totals.failures.slice(0, 30).join('\n  - ')}` : ''),
  );
});

/** One person, one form: fill, submit, check. Returns the problems found (none = passed) and the options picked. */
async function runOnce(spec: JsonSchema, plan: (key: string, options: number[]) => number, runRng: () => number, locale: 'en' | 'ar', explore: boolean) {
  const problems: string[] = [];
  const logged: string[] = [];
  const original = { error: console.error, warn: console.warn };
  console.error = (...a: unknown[]) => logged.push(`error: ${a.map(String).join(' ').slice(0, 200)}`);
  console.warn = (...a: unknown[]) => logged.push(`warn: ${a.map(String).join(' ').slice(0, 200)}`);
  let submitted: Record<string, unknown> | undefined;
  let latest: Record<string, unknown> = {};
  const { schema } = toFormSchema(spec);
  const view = render(<SourceForm spec={spec} locale={locale} onChange={(c) => (latest = c as Record<string, unknown>)} onSubmit={(c) => (submitted = c as Record<string, unknown>)} />);
  try {
    const container = view.container;
    // Another language's messages load on first use: wait for the form itself.
    await expect.poll(() => container.querySelector('form button[type="submit"]'), { timeout: 10_000 }).toBeTruthy();
    const { picks, stuck } = await fillLikeAPerson(container, schema, plan, runRng, explore);
    for (const p of stuck) problems.push(`could not fill ${p}`);
    // The person reads fields by the config path each one says it edits: none may be unaccounted for.
    for (const control of container.querySelectorAll<HTMLElement>('form :is(input, select, textarea)')) {
      if (!control.closest('[data-path]:not([data-path=""])') && !control.id.endsWith('__oneof_select')) problems.push(`a control (${control.outerHTML.slice(0, 80)}) is tied to no config path`);
    }
    await userEvent.click(container.querySelector('button[type="submit"]')!);
    if (!submitted) {
      const errors = [...container.querySelectorAll<HTMLElement>('[data-has-error]')].map((w) => `${w.dataset.path}: ${w.querySelector('.error-detail')?.textContent ?? '?'}`);
      const why = validator.validate(spec, latest).slice(0, 3).map((e) => `${e.path.join('.')} ${e.message}`);

      problems.push(`did not submit (${errors.slice(0, 3).join('; ') || `no error shown; the data: ${why.join('; ') || 'valid'}`})`);
      return { problems: [...problems, ...logged], picks };
    }
    const invalid = validator.validate(spec, submitted);
    if (invalid.length) problems.push(`sent an invalid config: ${invalid.slice(0, 2).map((e) => `${e.path.join('.')} ${e.message}`).join('; ')}`);
    // The options picked are the options sent.
    const optionAt = (p: string) => Number(container.querySelector(`[data-path="${CSS.escape(p)}"] [data-option]`)?.getAttribute('data-option') ?? -1);
    for (const [pointer, index] of picks) {
      const node = nodeAtChoice(schema, pointer, optionAt);
      const key = node && discriminatorOf(node);
      const value = valueAtPointer(submitted, pointer) as Record<string, unknown> | undefined;
      const want = key ? propertiesOf((node!.oneOf as JsonSchema[])[index]!)[key]?.const : undefined;
      if (key && JSON.stringify(value?.[key]) !== JSON.stringify(want)) problems.push(`${pointer}: picked option ${index}, sent ${JSON.stringify(value?.[key])}`);
    }
    // Shown = sent, for every control once every fold is open.
    await openFolds(container);
    for (const shown of shownControls(container, schema)) {
      const sent = valueAtPointer(submitted, shown.pointer);
      if (shown.kind === 'choice') {
        const node = nodeAtChoice(schema, shown.pointer, optionAt);
        const key = node && discriminatorOf(node);
        const sentIndex = key ? (node!.oneOf as JsonSchema[]).findIndex((o) => JSON.stringify(propertiesOf(o)[key]?.const) === JSON.stringify((sent as Record<string, unknown> | undefined)?.[key])) : -1;
        if (sentIndex !== shown.shows) problems.push(`${shown.pointer}: shows option ${String(shown.shows)}, sent option ${sentIndex}`);
        continue;
      }
      if (!showsSent(shown, sent, nodeAt(schema, shown.pointer, optionAt))) problems.push(`${shown.pointer} (${shown.kind}): shows ${JSON.stringify(shown.shows)}, sent ${JSON.stringify(sent)}`);
    }
    // Hidden and fixed values: sent, and no input anywhere for them.
    for (const { pointer, node } of hiddenFields(schema, submitted)) {
      const sent = valueAtPointer(submitted, pointer);
      if ('const' in node && JSON.stringify(sent) !== JSON.stringify(node.const)) problems.push(`${pointer}: fixed to ${JSON.stringify(node.const)}, sent ${JSON.stringify(sent)}`);
      if (!('const' in node) && node.default !== undefined && sent === undefined) problems.push(`${pointer}: hidden default not sent`);
      if (container.querySelector(`[data-path="${CSS.escape(pointer)}"] :is(input, select, textarea)`)) problems.push(`${pointer}: hidden or fixed, yet it has an input`);
    }
    return { problems: [...problems, ...logged], picks };
  } catch (error) {
    return { problems: [...problems, `threw ${String(error).slice(0, 300)}`, ...logged], picks: new Map<string, number>() };
  } finally {
    Object.assign(console, original);
    view.unmount();
    cleanup();
  }
}

describe.skipIf(!all.length)(`a person fills every real connector spec (${all.length ? `${chosen.length} of ${all.length} from ../shared/connector-specs, seed ${seed}` : 'SKIPPED: ../shared/connector-specs not found'})`, () => {
  it.each(chosen.map((c) => [c.name, c] as const))('%s', { timeout: 120_000 }, async (name, entry) => {
    await page.viewport(375, 740);
    const spec = JSON.parse(await commands.readFile(`${SPECS}/${entry.file}`)) as Spec;
    const specRng = seeded(seed ^ hash(name));
    // Every option of every choice met, each submitted at least once: run until none is left.
    const offered = new Map<string, Set<number>>();
    const submittedOptions = new Map<string, Set<number>>();
    // Which choices were met inside each option (`key#option` → the keys of the choices inside it), so
    // a person can head for an option that leads to choices with options not yet submitted.
    const leadsTo = new Map<string, Set<string>>();
    const unfinished = (key: string, seen = new Set<string>()): boolean => {
      if (seen.has(key)) return false;
      seen.add(key);
      const options = [...(offered.get(key) ?? [])];
      return options.some((o) => !submittedOptions.get(key)?.has(o) || [...(leadsTo.get(`${key}#${o}`) ?? [])].some((k) => unfinished(k, seen)));
    };
    const plan = (key: string, options: number[]) => {
      if (!offered.has(key)) offered.set(key, new Set(options));
      const done = submittedOptions.get(key) ?? new Set();
      const left = options.filter((o) => !done.has(o));
      const leading = options.filter((o) => [...(leadsTo.get(`${key}#${o}`) ?? [])].some((k) => unfinished(k)));
      const pool = left.length ? left : leading.length ? leading : options;
      return pool[Math.floor(specRng() * pool.length)]!;
    };
    const problems: string[] = [];
    for (let run = 0; run < 40; run++) {
      const locale = specRng() < 0.25 ? 'ar' : 'en';
      // The first run fills only what is required; later ones also open optional lists that hold choices.
      const result = await runOnce(spec.connectionSpecification, plan, specRng, locale, run > 0);
      totals.runs++;
      if (result.problems.length) {
        problems.push(...result.problems.map((p) => `run ${run + 1} (${locale}): ${p}`));
        break;
      }
      for (const [pointer, index] of result.picks) {
        const key = choiceKey(pointer);
        if (!submittedOptions.has(key)) submittedOptions.set(key, new Set());
        submittedOptions.get(key)!.add(index);
        for (const inner of result.picks.keys()) {
          if (!inner.startsWith(`${pointer}/`)) continue;
          const via = `${key}#${index}`;
          if (!leadsTo.has(via)) leadsTo.set(via, new Set());
          leadsTo.get(via)!.add(choiceKey(inner));
        }
      }
      const left = [...offered].some(([key, options]) => [...options].some((o) => !submittedOptions.get(key)?.has(o)));
      // One exploring run at least, where optional lists may hide choices not met yet.
      if (!left && (run > 0 || !holdsOptionalListChoices(spec.connectionSpecification))) break;
    }
    totals.specs++;
    const optionCount = [...offered.values()].reduce((n, s) => n + s.size, 0);
    const optionDone = [...offered].reduce((n, [key, s]) => n + [...s].filter((o) => submittedOptions.get(key)?.has(o)).length, 0);
    totals.options += optionCount;
    totals.optionsSubmitted += optionDone;
    if (!problems.length && optionDone === optionCount) totals.passed++;
    else {
      const missing = [...offered].flatMap(([key, s]) => [...s].filter((o) => !submittedOptions.get(key)?.has(o)).map((o) => `${key || '(root)'}#${o}`));
      totals.failures.push(`${name}: ${problems[0] ?? `${optionCount - optionDone} options never submitted (${missing.slice(0, 6).join(', ')})`}`);
    }
    expect(problems, `${name}: what went wrong`).toEqual([]);
    expect(optionDone, `${name}: options submitted`).toBe(optionCount);
  });

  it('reaches every spec and every option', () => {
    expect({ specs: totals.passed, options: totals.optionsSubmitted }).toEqual({ specs: chosen.length, options: totals.options });
  });
});

/** Whether some list in the spec holds a choice in its items (the exploring runs reach those). */
function holdsOptionalListChoices(spec: JsonSchema): boolean {
  const { schema } = toFormSchema(spec);
  const visit = (node: JsonSchema): boolean =>
    (node.type === 'array' && holdsChoice(node.items as JsonSchema | undefined)) ||
    Object.values(propertiesOf(node)).some(visit) ||
    ((node.oneOf as JsonSchema[] | undefined) ?? []).some(visit);
  return visit(schema);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
