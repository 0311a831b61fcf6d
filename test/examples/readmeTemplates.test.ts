/**
 * The README's "Templates file" example works as pasted: it loads, its form can be filled, and a
 * customer who fills it gets a connected source (the emulator validates the destination's
 * configuration against destination-s3's spec as Airbyte does).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { harness } from '../server/harness.ts';

const readme = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8');

/** The first ```json block after a heading. */
function jsonAfter(heading: string): unknown {
  const at = readme.indexOf(heading);
  expect(at, `README has a "${heading}" section`).toBeGreaterThan(-1);
  const block = /```json\n([\s\S]*?)```/.exec(readme.slice(at));
  return JSON.parse(block![1]!);
}

describe("the README's templates example", () => {
  it('connects a source as pasted: every required field exists, the destination config is accepted', async () => {
    const templates = jsonAfter('### Templates file') as { sources: Array<{ id: string; partialUserConfigSpec: { connectionSpecification: { required: string[]; properties: Record<string, unknown> } } }> };
    const spec = templates.sources[0]!.partialUserConfigSpec.connectionSpecification;
    for (const name of spec.required) expect(Object.keys(spec.properties)).toContain(name);
    const h = await harness({ templates });
    const body = { templateId: 'stripe', config: { account_id: 'acct_readme', client_secret: 'sk_test_readme' } };
    const first = await h.call('POST', '/sources', { body, idempotencyKey: 'readme-example-1' });
    expect(first.status).toBe(202);
    expect(first.json.status).toBe('needs_streams');
    const done = await h.call('POST', '/sources', { body: { ...body, streams: [{ name: first.json.streams[0].name }] }, idempotencyKey: 'readme-example-1' });
    expect(done.status, JSON.stringify(done.json)).toBe(201);
    expect(done.json.connections).toHaveLength(1);
  });
});
