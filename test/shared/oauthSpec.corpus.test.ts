/**
 * `oauthPlan` and `withoutOAuthOutputs` over every real connector spec with an `advancedAuth`
 * (../shared/connector-specs/sources, never copied into the repo): the predicate names an option
 * the spec has, and hiding the sign-in's outputs removes exactly those fields of that option
 * (and their `required` entries), never a user input, nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/shared/contract.ts';
import { oauthChosen, oauthInputs, oauthPlan, withoutOAuthOutputs, type OAuthPlan } from '../../src/shared/oauthSpec.ts';
import { SHARED_SPECS } from '../fixtures/sharedSpecs.ts';

type Json = Record<string, any>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface SpecFile {
  name: string;
  connectionSpecification: JsonSchema;
  advancedAuth?: Json;
}

const files: SpecFile[] = SHARED_SPECS
  ? readdirSync(path.join(SHARED_SPECS, 'sources'))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(path.join(SHARED_SPECS!, 'sources', f), 'utf8')) as SpecFile)
      .filter((s) => s.advancedAuth)
  : [];

/**
 * Specs whose predicate names no option they have. Every one of the 48 has its option: a oneOf
 * option whose predicate property's `const` is the value (Azure Blob Storage, Facebook Marketing,
 * GCS, Google Drive, the Microsoft ones and YouTube Data also repeat it as `enum`/`default`), the
 * plain `credentials` object of Pinterest and SurveyMonkey, or the root of Amazon Ads, Amazon
 * Seller Partner, Bing Ads and Salesforce (predicate_key of length 1). The eight without a
 * predicate (Facebook Pages, Google Ads, Instagram, Intercom, RD Station Marketing, Snapchat
 * Marketing, Trello, YouTube Analytics) are OAuth as a whole: their option is the root.
 */
const EXPECTED_WITHOUT_OPTION: string[] = [];

const pathKey = (p: string[]) => p.join('.');

/** The predicate property holds the value: `const`, a one-value `enum`, or `default`. */
function holds(prop: unknown, value: string | undefined): boolean {
  if (value === undefined) return true;
  if (!isObject(prop)) return false;
  return prop.const === value || (Array.isArray(prop.enum) && prop.enum.length === 1 && prop.enum[0] === value) || prop.default === value;
}

/** The JSON pointer (as segments) of the OAuth option in the spec, or undefined when the spec has none. */
function optionPointer(spec: Json, plan: OAuthPlan): Array<string | number> | undefined {
  const parent = plan.predicateKey.slice(0, -1);
  const key = plan.predicateKey[plan.predicateKey.length - 1];
  const pointer: Array<string | number> = [];
  let node: unknown = spec;
  for (const k of parent) {
    node = isObject(node) && isObject(node.properties) ? node.properties[k] : undefined;
    pointer.push('properties', k);
  }
  if (!isObject(node)) return undefined;
  if (!key) return pointer; // no predicate: the whole form is the sign-in's
  if (Array.isArray(node.oneOf)) {
    const i = node.oneOf.findIndex((o: unknown) => isObject(o) && isObject(o.properties) && holds(o.properties[key], plan.predicateValue));
    return i < 0 ? undefined : [...pointer, 'oneOf', i];
  }
  return isObject(node.properties) && holds(node.properties[key], plan.predicateValue) ? pointer : undefined;
}

interface PropNode {
  /** Where it sits in the schema (properties/oneOf segments). */
  pointer: Array<string | number>;
  /** Where its value sits in a config. */
  configPath: string[];
}

/** Every property schema under `node`, through nested objects and their oneOf/anyOf options. */
function propertyNodes(node: unknown, pointer: Array<string | number> = [], configPath: string[] = []): PropNode[] {
  if (!isObject(node)) return [];
  const out: PropNode[] = [];
  for (const alt of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(node[alt])) node[alt].forEach((o: unknown, i: number) => out.push(...propertyNodes(o, [...pointer, alt, i], configPath)));
  }
  if (isObject(node.properties)) {
    for (const [k, child] of Object.entries(node.properties)) {
      const p = [...pointer, 'properties', k];
      out.push({ pointer: p, configPath: [...configPath, k] }, ...propertyNodes(child, p, [...configPath, k]));
    }
  }
  return out;
}

const at = (root: unknown, pointer: Array<string | number>): any => pointer.reduce<any>((n, k) => (n == null ? undefined : n[k]), root);
const startsWith = (a: Array<string | number>, prefix: Array<string | number>) => prefix.every((p, i) => a[i] === p);

const totals = { specs: 0, withOption: 0, removed: 0, outputsNotInSpec: 0, outputsOutsideOption: 0, inputs: 0 };
const noOption: string[] = [];

describe.skipIf(!SHARED_SPECS)(
  SHARED_SPECS ? 'oauthSpec over every real spec with advancedAuth (../shared/connector-specs)' : 'SKIPPED: ../shared/connector-specs not found next to this checkout (the real-spec OAuth corpus needs it)',
  () => {
    it('finds the 48 specs that carry advancedAuth', () => {
      expect(files).toHaveLength(48);
    });

    describe.each(files.map((f) => [f.name, f] as const))('%s', (name, file) => {
      it('has a plan whose predicate names an option of the spec; hiding the outputs removes exactly them, never an input', () => {
        totals.specs++;
        const plan = oauthPlan(file.advancedAuth);
        expect(plan, `${name}: no plan`).toBeDefined();
        if (!plan) return;
        const spec = file.connectionSpecification as Json;
        const option = optionPointer(spec, plan);
        if (!option) {
          noOption.push(name);
          return;
        }
        totals.withOption++;
        const parent = plan.predicateKey.slice(0, -1);
        const outputs = new Set(plan.outputPaths.map(pathKey));
        const inputs = new Set(plan.inputPaths.map(pathKey));
        totals.inputs += inputs.size;
        // Every output path lies under the predicate's parent (the plan's rule: Shopify's `shop` at the root is not one).
        for (const p of plan.outputPaths) expect(p.slice(0, parent.length), `${name}: ${pathKey(p)}`).toEqual(parent);

        const before = propertyNodes(spec);
        const stripped = withoutOAuthOutputs(file.connectionSpecification, plan) as Json;
        expect(spec, 'the input spec is not changed').toEqual(file.connectionSpecification);
        const after = new Set(propertyNodes(stripped).map((n) => JSON.stringify(n.pointer)));
        const removed = before.filter((n) => !after.has(JSON.stringify(n.pointer)));
        // Only the removed properties' own subtrees vanish: look at the removed roots.
        const removedRoots = removed.filter((n) => !removed.some((m) => m !== n && startsWith(n.pointer, m.pointer)));
        totals.removed += removedRoots.length;
        for (const n of removedRoots) {
          expect(outputs.has(pathKey(n.configPath)), `${name}: removed ${pathKey(n.configPath)}, which is not an output path`).toBe(true);
          expect(startsWith(n.pointer, option), `${name}: removed ${pathKey(n.configPath)} outside the OAuth option`).toBe(true);
          expect(inputs.has(pathKey(n.configPath)), `${name}: removed the input ${pathKey(n.configPath)}`).toBe(false);
        }
        // Every output path inside the option is gone (at any oneOf depth below it).
        const inOption = (ns: PropNode[]) => ns.filter((n) => startsWith(n.pointer, option));
        for (const p of plan.outputPaths) {
          const k = pathKey(p);
          const found = inOption(before).some((n) => pathKey(n.configPath) === k);
          if (!found) {
            if (before.some((n) => pathKey(n.configPath) === k)) totals.outputsOutsideOption++;
            else totals.outputsNotInSpec++;
          }
          expect(inOption(propertyNodes(stripped)).filter((n) => pathKey(n.configPath) === k), `${name}: ${k} still in the option`).toEqual([]);
        }
        // Input paths are never removed: each one the spec has is still there.
        for (const p of plan.inputPaths) {
          const k = pathKey(p);
          const had = before.filter((n) => pathKey(n.configPath) === k).length;
          expect(propertyNodes(stripped).filter((n) => pathKey(n.configPath) === k).length, `${name}: input ${k}`).toBe(had);
        }
        // Nothing else changed: put the removed properties (and their `required` entries) back and compare.
        const restored = structuredClone(stripped);
        for (const n of removedRoots) {
          const ownerPointer = n.pointer.slice(0, -2);
          const key = n.pointer[n.pointer.length - 1] as string;
          at(restored, [...ownerPointer, 'properties'])[key] = structuredClone(at(spec, n.pointer));
        }
        const owners = new Set(removedRoots.map((n) => JSON.stringify(n.pointer.slice(0, -2))));
        for (const o of owners) {
          const ownerPointer = JSON.parse(o) as Array<string | number>;
          const original = at(spec, ownerPointer);
          const now = at(restored, ownerPointer);
          if (!Array.isArray(original.required)) {
            expect(now.required, `${name}: required appeared`).toBeUndefined();
            continue;
          }
          const gone = new Set(removedRoots.filter((n) => JSON.stringify(n.pointer.slice(0, -2)) === o).map((n) => n.pointer[n.pointer.length - 1]));
          expect(now.required, `${name}: only the removed fields leave "required"`).toEqual(original.required.filter((r: string) => !gone.has(r)));
          now.required = [...original.required];
        }
        expect(restored).toEqual(spec);
        // Something was hidden (every real spec has at least one output field in its option).
        expect(removedRoots.length, `${name}: nothing hidden`).toBeGreaterThan(0);
      });
    });

    it('lists the specs whose predicate names no option (expected: none)', () => {
      expect(noOption.sort()).toEqual(EXPECTED_WITHOUT_OPTION);
    });

    it('keeps the OAuth option chosen from its own predicate value, and sends inputs keyed by their property names', () => {
      for (const file of files) {
        const plan = oauthPlan(file.advancedAuth)!;
        const values: Json = {};
        if (plan.predicateKey.length && plan.predicateValue !== undefined) {
          let node = values;
          plan.predicateKey.slice(0, -1).forEach((k) => (node = node[k] ??= {}));
          node[plan.predicateKey[plan.predicateKey.length - 1]!] = plan.predicateValue;
        }
        expect(oauthChosen(plan, values), file.name).toBe(true);
        // oAuthInputConfiguration is flat, keyed as oauth_user_input_from_connector_config_specification's properties.
        const inputSpec = file.advancedAuth!.oauth_config_specification?.oauth_user_input_from_connector_config_specification as Json | undefined;
        const withInputs = structuredClone(values);
        for (const p of plan.inputPaths) {
          let node = withInputs;
          p.slice(0, -1).forEach((k) => (node = node[k] ??= {}));
          node[p[p.length - 1]!] = `v:${pathKey(p)}`;
        }
        const expected = Object.fromEntries(Object.entries((inputSpec?.properties ?? {}) as Record<string, Json>).map(([k, s]) => [k, `v:${pathKey(s.path_in_connector_config)}`]));
        expect(oauthInputs(plan, withInputs), file.name).toEqual(expected);
      }
    });

    it('summarizes', () => {
      console.info(
        `[oauthSpec corpus] ${totals.specs} specs with advancedAuth, ${totals.withOption} with their OAuth option found, ${noOption.length} without; ${totals.removed} output fields hidden; ${totals.outputsOutsideOption} output paths outside the option kept, ${totals.outputsNotInSpec} output paths the spec does not declare; ${totals.inputs} input paths, none removed`,
      );
      expect(totals.specs).toBe(files.length);
    });
  },
);
