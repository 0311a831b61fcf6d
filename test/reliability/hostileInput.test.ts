/**
 * Scenario 6: for every real connector spec, seeded invalid configs (wrong types, missing
 * required, bad patterns, unknown keys, huge strings, deep nesting) and malformed bodies (bad
 * JSON, wrong content type, oversize): every one answered 400/413/415 with a message naming the
 * field or the problem, none 5xx, none reaching Airbyte.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/shared/contract.ts';
import { SHARED_SPECS, specsMissingMessage } from '../fixtures/sharedSpecs.ts';
import { harness, ORIGIN } from '../server/harness.ts';
import { report, size } from './figures.ts';

type Spec = { name: string; definitionId: string; connectionSpecification: JsonSchema };

function wrongValue(prop: JsonSchema): unknown {
  const t = Array.isArray(prop.type) ? (prop.type as string[]).find((x) => x !== 'null') : prop.type;
  if (t === 'string') return 12345;
  if (t === 'integer' || t === 'number') return 'not-a-number';
  if (t === 'boolean') return 'yes';
  if (t === 'array') return { not: 'a list' };
  if (t === 'object' || prop.oneOf) return 'not-an-object';
  return undefined;
}

describe.skipIf(!SHARED_SPECS)(`scenario 6: hostile input (${specsMissingMessage})`, () => {
  it('answers every invalid config and malformed body with a 4xx naming the problem, never reaching Airbyte', async () => {
    const every = size(10, 1);
    const files = [...readdirSync(path.join(SHARED_SPECS!, 'sources')).map((f) => path.join(SHARED_SPECS!, 'sources', f)), path.join(SHARED_SPECS!, 'destinations', 'destination-s3.json')].filter((_, i) => i % every === 0);
    const specs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Spec);
    const templates = {
      sources: specs.map((s) => ({ id: s.name, name: s.name, actorDefinitionId: s.definitionId, partialDefaultConfig: {}, partialUserConfigSpec: { connectionSpecification: s.connectionSpecification } })),
      connections: [],
    };
    const h = await harness({ templates, proxy: { maxBodyBytes: 256 * 1024, rateLimit: false } });
    const outcomes: Record<string, { tried: number; held: number }> = {};
    const bad: string[] = [];
    const send = async (kind: string, templateId: string, body: string, type = 'application/json', field?: string) => {
      const res = await h.proxy(new Request(`${ORIGIN}/api/embed/sources`, { method: 'POST', headers: { authorization: `Bearer ${await h.token()}`, origin: ORIGIN, 'content-type': type }, body }));
      const json = (await res.json().catch(() => ({}))) as { error?: { message?: string; fieldErrors?: Array<{ path: string[] }> } };
      const named = field === undefined || (json.error?.fieldErrors ?? []).some((e) => e.path[0] === field) || (json.error?.message ?? '').includes(field);
      const ok = [400, 413, 415].includes(res.status) && Boolean(json.error?.message) && named;
      const o = (outcomes[kind] ??= { tried: 0, held: 0 });
      o.tried++;
      if (ok) o.held++;
      else if (bad.length < 20) bad.push(`${templateId} ${kind}: ${res.status} ${JSON.stringify(json).slice(0, 160)}`);
    };
    for (const spec of specs) {
      const schema = spec.connectionSpecification;
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = ((schema.required as string[] | undefined) ?? []).filter((k) => props[k]);
      const id = spec.name;
      for (const [key, prop] of Object.entries(props).slice(0, 3)) {
        const value = wrongValue(prop);
        if (value !== undefined) await send('wrong type', id, JSON.stringify({ templateId: id, config: { [key]: value } }), undefined, key);
      }
      if (required.length) await send('missing required', id, JSON.stringify({ templateId: id, config: {} }), undefined, required[0]);
      // A value the field's pattern really refuses (some patterns, like shopify's lookaheads, accept almost anything).
      const patterned = Object.entries(props)
        .filter(([, p]) => typeof p.pattern === 'string' && (p.type === 'string' || !p.type))
        .map(([k, p]) => [k, ['!!not matching!!', 'https://x', '', '0'].find((v) => !new RegExp(p.pattern as string).test(v))] as const)
        .find(([, v]) => v !== undefined);
      if (patterned) await send('bad pattern', id, JSON.stringify({ templateId: id, config: { [patterned[0]]: patterned[1] } }), undefined, patterned[0]);
      await send('unknown key', id, JSON.stringify({ templateId: id, config: { __proto_pollution__: { polluted: true }, zz_unknown_field: 1 } }), undefined, 'zz_unknown_field');
      let deep: unknown = 'x';
      for (let i = 0; i < 2000; i++) deep = { a: deep };
      await send('deep nesting', id, JSON.stringify({ templateId: id, config: { zz_deep: deep } }), undefined, 'zz_deep');
      await send('huge string', id, JSON.stringify({ templateId: id, config: { zz_huge: 'x'.repeat(300 * 1024) } }));
      await send('bad JSON', id, `{"templateId": "${id}", "config": {`);
      await send('wrong content type', id, `templateId=${id}`, 'application/x-www-form-urlencoded');
    }
    const rows = Object.entries(outcomes).map(([check, o]) => ({ scenario: '6 hostile input', check, ...o }));
    const reachedAirbyte = h.calls.filter((c) => c.method !== 'GET').length;
    rows.push({ scenario: '6 hostile input', check: 'requests reaching Airbyte', tried: rows.reduce((n, r) => n + r.tried, 0), held: rows.reduce((n, r) => n + r.tried, 0) - reachedAirbyte });
    report('6 hostile input', rows.map((r) => ({ ...r, note: r.check === 'requests reaching Airbyte' ? `${specs.length} specs` : undefined })));
    expect(bad).toEqual([]);
    expect(reachedAirbyte).toBe(0);
  });
});
