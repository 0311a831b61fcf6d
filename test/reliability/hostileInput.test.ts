/**
 * Scenario 6: for every real connector spec, seeded invalid configs (wrong types, missing
 * required, bad patterns, values built to make backtracking engines run for ever, unknown keys at
 * the root and nested inside objects and chosen options, prototype keys, values at a path the
 * operator fixed, huge strings, deep nesting) and malformed bodies (bad JSON, wrong content type,
 * oversize, oversize and chunked): every one answered 400/413/415 with a message naming the field
 * or the problem, none 5xx, none reaching Airbyte.
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
      // Every template fixes one nested value of the operator's, which no customer may touch.
      sources: specs.map((s) => ({ id: s.name, name: s.name, actorDefinitionId: s.definitionId, partialDefaultConfig: { aek_operator: { endpoint: 'https://internal.example' } }, partialUserConfigSpec: { connectionSpecification: s.connectionSpecification } })),
      connections: [],
    };
    const h = await harness({ templates, proxy: { maxBodyBytes: 256 * 1024, rateLimit: false } });
    const outcomes: Record<string, { tried: number; held: number }> = {};
    const bad: string[] = [];
    const send = async (kind: string, templateId: string, body: string | ReadableStream<Uint8Array>, type = 'application/json', field?: string | string[]) => {
      const res = await h.proxy(new Request(`${ORIGIN}/api/embed/sources`, { method: 'POST', headers: { authorization: `Bearer ${await h.token()}`, origin: ORIGIN, 'content-type': type }, body, duplex: 'half' } as RequestInit));
      const json = (await res.json().catch(() => ({}))) as { error?: { message?: string; fieldErrors?: Array<{ path: string[] }> } };
      const wanted = typeof field === 'string' ? [field] : field;
      const named = wanted === undefined || (json.error?.fieldErrors ?? []).some((e) => wanted.every((k, i) => e.path[i] === k)) || (json.error?.message ?? '').includes(wanted.join('.'));
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
      await send('prototype key', id, `{"templateId": ${JSON.stringify(id)}, "config": {"__proto__": {"polluted": true}}}`, undefined, '__proto__');
      await send('operator-fixed path', id, JSON.stringify({ templateId: id, config: { aek_operator: { endpoint: 'https://attacker.example' } } }), undefined, ['aek_operator', 'endpoint']);
      // An unknown key inside the first object (or chosen option) the form has.
      const nested = Object.entries(props).find(([, p]) => p.type === 'object' || p.oneOf);
      if (nested) {
        const [key, prop] = nested;
        const options = (prop.oneOf as JsonSchema[] | undefined) ?? [];
        const disc = options.length ? Object.entries((options[0]!.properties ?? {}) as Record<string, JsonSchema>).find(([, p]) => 'const' in p) : undefined;
        const inner = { ...(disc ? { [disc[0]]: disc[1].const } : {}), zz_injected_endpoint: 'https://attacker.example' };
        await send('nested unknown key', id, JSON.stringify({ templateId: id, config: { [key]: inner } }), undefined, [key, 'zz_injected_endpoint']);
      }
      // A value that makes a backtracking engine run for ever against any pattern with nested repeats.
      const hostile = Object.entries(props).find(([, p]) => typeof p.pattern === 'string' && (p.type === 'string' || !p.type));
      if (hostile) await send('backtracking bomb', id, JSON.stringify({ templateId: id, config: { [hostile[0]]: `${'a.'.repeat(60)}a!\u0001` } }), undefined, hostile[0]);
      let deep: unknown = 'x';
      for (let i = 0; i < 2000; i++) deep = { a: deep };
      await send('deep nesting', id, JSON.stringify({ templateId: id, config: { zz_deep: deep } }), undefined, 'zz_deep');
      await send('huge string', id, JSON.stringify({ templateId: id, config: { zz_huge: 'x'.repeat(300 * 1024) } }));
      await send('bad JSON', id, `{"templateId": "${id}", "config": {`);
      // Over the limit, chunked (no Content-Length): refused as it streams, never read whole.
      let pulled = 0;
      await send('oversize, chunked', id, new ReadableStream<Uint8Array>({ pull(c) { if (pulled > 4 * 1024 * 1024) return c.close(); pulled += 64 * 1024; c.enqueue(new Uint8Array(64 * 1024).fill(32)); } }));
      if (pulled > 512 * 1024) bad.push(`${id} oversize, chunked: read ${pulled} bytes before refusing`);
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
