/**
 * Editing an existing config, on every real connector spec (../shared/connector-specs), in jsdom:
 * the form renders with no console output, a valid config (json-schema-faker, seeded) loaded
 * into it submits unchanged (the form only adds what it writes itself: defaults, consts,
 * discriminators) and still valid, and the rendered form shows secrets as passwords, hides
 * discriminators, offers no root "Add" button and keeps `order`. What a person typing meets is
 * the browser corpus test (SourceForm.person.browser.test.tsx).
 */
import { openOptionalFields } from '../../fixtures/openOptionalFields.ts';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateSync } from 'json-schema-faker';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceForm } from '../../../src/form.ts'; // the eager entry, as a host rendering the form alone imports it
import { ConfigValidator, patternOverFormat } from '../../../src/shared/configValidator.ts';
import { toFormSchema } from '../../../src/shared/form/formSchema.ts';
import { orderKeys } from '../../../src/shared/form/uiSchema.ts';
import type { JsonSchema } from '../../../src/shared/contract.ts';
import { SHARED_SPECS, specsMissingMessage } from '../../fixtures/sharedSpecs.ts';

type Spec = { name: string; connectionSpecification: JsonSchema };
const specs: Spec[] = SHARED_SPECS
  ? [
      ...readdirSync(path.join(SHARED_SPECS, 'sources')).filter((f) => f.endsWith('.json')).map((f) => path.join(SHARED_SPECS!, 'sources', f)),
      path.join(SHARED_SPECS, 'destinations', 'destination-s3.json'),
    ].map((f) => JSON.parse(readFileSync(f, 'utf8')) as Spec)
  : [];
const serverValidator = new ConfigValidator();

/** Whether every value of `input` is in `output` unchanged (the form may add keys, never change or drop one). */
function keeps(input: unknown, output: unknown): boolean {
  if (Array.isArray(input)) return Array.isArray(output) && input.length === output.length && input.every((v, i) => keeps(v, output[i]));
  if (input && typeof input === 'object') return !!output && typeof output === 'object' && Object.entries(input).every(([k, v]) => v === undefined || keeps(v, (output as Record<string, unknown>)[k]));
  return Object.is(input, output);
}
const counts = { rendered: 0, roundTripped: 0, structure: 0, noValidConfig: [] as string[], failures: [] as string[] };

afterAll(() => {
  if (!specs.length) return;
  console.info(
    `connector corpus: ${specs.length} specs; renders cleanly ${counts.rendered}/${specs.length}; ` +
      `round-trip ${counts.roundTripped}/${specs.length}; structure ${counts.structure}/${specs.length}` +
      (counts.failures.length ? `\n  failures:\n  - ${counts.failures.slice(0, 40).join('\n  - ')}` : ''),
  );
});

/** A valid config for the spec, generated with a seeded json-schema-faker (first seed that validates). */
function validConfig(spec: JsonSchema): Record<string, unknown> | undefined {
  // Generate from the pattern where a node also names a format, as the validator checks it.
  const { $schema: _s, ...schema } = patternOverFormat(spec) as JsonSchema;
  for (let seed = 1; seed <= 25; seed++) {
    let value: unknown;
    try {
      value = generateSync(schema as never, { seed, optionalsProbability: 0.5, useDefaultValue: seed % 2 === 0, maxItems: 3, maxLength: 40 } as never);
    } catch {
      continue;
    }
    if (value && typeof value === 'object' && !Array.isArray(value) && serverValidator.validate(spec, value as Record<string, unknown>).length === 0) {
      return value as Record<string, unknown>;
    }
  }
  return undefined;
}

/** Ids of what the form renders for a property path. */
const idOf = (p: string[]) => ['root', ...p].join('_');

function checkStructure(spec: JsonSchema, container: HTMLElement): string[] {
  const problems: string[] = [];
  const { schema } = toFormSchema(spec);
  if (container.querySelector('.rjsf-object-property-expand, .object-property-expand')) problems.push('has an "Add" button');
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, prop] of Object.entries(props)) {
    const el = container.querySelector<HTMLElement>(`[id="${idOf([key])}"]`);
    if (prop.airbyte_hidden === true) {
      if (el) problems.push(`hidden field ${key} is rendered`);
      continue;
    }
    if (prop.airbyte_secret === true && el && !(el instanceof HTMLInputElement && el.type === 'password') && !el.closest('.aek-secret')) problems.push(`secret ${key} is not a password input`);
  }
  // Discriminators of rendered oneOfs are never rendered as inputs.
  const discriminators = new Set<string>();
  const collect = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(collect);
    else if (n && typeof n === 'object') {
      const d = (n as { discriminator?: { propertyName?: string } }).discriminator?.propertyName;
      if (d) discriminators.add(d);
      Object.values(n).forEach(collect);
    }
  };
  collect(schema);
  for (const el of Array.from(container.querySelectorAll<HTMLElement>('.aek-oneof-option [id]'))) {
    if ([...discriminators].some((d) => el.id.endsWith(`_${d}`)) && el.matches('input, select, textarea')) problems.push(`discriminator input visible: ${el.id}`);
  }
  // Root fields appear in `order` order, within the inline part and within "Optional fields".
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const expected = orderKeys(props, [...required]).filter((k) => props[k]!.airbyte_hidden !== true && !props[k]!.group);
  const position = (k: string) => {
    const el = container.querySelector(`[id="${idOf([k])}"], [id="${idOf([k])}__oneof_select"]`);
    return el ? Array.from(container.querySelectorAll('*')).indexOf(el) : -1;
  };
  for (const part of [expected.filter((k) => required.has(k) || props[k]!.always_show), expected.filter((k) => !(required.has(k) || props[k]!.always_show))]) {
    const positions = part.map(position).filter((p) => p >= 0);
    if (positions.some((p, i) => i > 0 && p < positions[i - 1]!)) problems.push(`fields out of order: ${part.join(', ')}`);
  }
  return problems;
}

describe.skipIf(!SHARED_SPECS)(`every real connector spec (${specsMissingMessage})`, () => {
  it.each(specs.map((s) => [s.name, s] as const))('%s', (name, { connectionSpecification: spec }) => {
    const errors: string[] = [];
    const original = { error: console.error, warn: console.warn };
    console.error = (...a: unknown[]) => errors.push(a.map(String).join(' '));
    console.warn = (...a: unknown[]) => errors.push(a.map(String).join(' '));
    try {
      // 1. renders with no error and no console errors
      const empty = render(<SourceForm spec={spec} onSubmit={() => undefined} />);
      openOptionalFields(empty.container);
      const structure = checkStructure(spec, empty.container);
      cleanup();
      if (!errors.length) counts.rendered++;
      else counts.failures.push(`${name}: console: ${errors[0]!.slice(0, 160)}`);
      // 3. structure
      if (!structure.length) counts.structure++;
      else counts.failures.push(`${name}: ${structure.join('; ')}`);
      // 2. a valid config round-trips
      const config = validConfig(spec);
      if (!config) {
        counts.noValidConfig.push(name);
        counts.failures.push(`${name}: the generator found no valid config`);
      } else {
        let submitted: unknown;
        const view = render(<SourceForm spec={spec} formData={structuredClone(config)} onSubmit={(c) => (submitted = c)} />);
        fireEvent.submit(view.container.querySelector('form')!);
        cleanup();
        const invalid = submitted ? serverValidator.validate(spec, submitted as Record<string, unknown>) : [];
        if (submitted && !invalid.length && keeps(config, submitted)) counts.roundTripped++;
        else counts.failures.push(`${name}: round-trip ${submitted ? (invalid.length ? `invalid: ${JSON.stringify(invalid[0])}` : 'changed the config') : 'did not submit'}`);
      }
      expect(errors, 'console output while rendering').toEqual([]);
    } finally {
      Object.assign(console, original);
      cleanup();
    }
  });

  it('passes all three checks on every spec', () => {
    expect({ rendered: counts.rendered, roundTripped: counts.roundTripped, structure: counts.structure }).toEqual({ rendered: specs.length, roundTripped: specs.length, structure: specs.length });
  });
});
