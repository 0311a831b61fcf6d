import { beforeAll, describe, expect, it } from 'vitest';
import { registryIconUrl } from '../../src/server/templates.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

const OPERATOR_KEY = 'operator-key-0123456789abcdef';
const FAKER = 'dfd88b22-b603-4c3d-aad7-3701784586b1';
const FAKER_ICON = 'https://connectors.airbyte.com/files/metadata/airbyte/source-faker/latest/icon.svg';

type H = Awaited<ReturnType<typeof harness>>;

async function operator(h: H, method: string, path: string, body?: unknown) {
  const res = await h.proxy(
    new Request(`${ORIGIN}/api/embed/operator${path}`, {
      method,
      headers: { authorization: `Bearer ${OPERATOR_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const seed = (extra: Record<string, unknown> = {}) => ({
  actorDefinitionId: FAKER,
  partialDefaultConfig: {},
  partialUserConfigSpec: { connectionSpecification: { type: 'object', required: ['count'], properties: { count: { type: 'integer', minimum: 1 } } } },
  ...extra,
});

/** A harness whose Airbyte account already has a workspace (as any Cloud account does). */
async function withWorkspace(options: Parameters<typeof harness>[0] = {}) {
  const h = await harness({ operatorKey: OPERATOR_KEY, templates: { sources: [], connections: [] }, ...options });
  await h.airbyte.createWorkspace({ name: 'operator-default' });
  return h;
}

describe('operator API: template icons and categories', () => {
  it('fills in the icon Airbyte’s registry publishes when a template is created without one, and the catalog shows it', async () => {
    const h = await withWorkspace();
    const created = await operator(h, 'POST', '/config_templates/sources', seed({ id: 'faker', category: 'api' }));
    expect(created.status).toBe(200);
    expect((await operator(h, 'GET', '/config_templates/sources/faker')).json).toMatchObject({ icon: FAKER_ICON, category: 'api' });
    expect((await h.call('GET', '/templates')).json.data).toEqual([{ id: 'faker', name: 'Sample Data', icon: FAKER_ICON, category: 'api' }]);
  });

  it('keeps the icon the operator gave', async () => {
    const h = await withWorkspace();
    await operator(h, 'POST', '/config_templates/sources', seed({ id: 'faker', icon: 'https://cdn.example/faker.svg' }));
    expect((await operator(h, 'GET', '/config_templates/sources/faker')).json.icon).toBe('https://cdn.example/faker.svg');
  });

  it('still creates the template, without an icon, when Airbyte cannot tell the definition’s image', async () => {
    const h = await withWorkspace({ intercept: (r) => (/\/definitions\/sources\//.test(new URL(r.url).pathname) ? Response.json({ type: 'about:blank', title: 'resource-not-found', status: 404 }, { status: 404 }) : undefined) });
    const created = await operator(h, 'POST', '/config_templates/sources', seed({ id: 'faker' }));
    expect(created.status).toBe(200);
    const template = (await operator(h, 'GET', '/config_templates/sources/faker')).json;
    expect(template.name).toBe('Sample Data');
    expect(template).not.toHaveProperty('icon');
    expect(h.logs.some((l) => l.level === 'warn' && /No registry icon for source definition/.test(l.message))).toBe(true);
  });

  it('creates the template without an icon when the Airbyte account has no workspace yet', async () => {
    const h = await harness({ operatorKey: OPERATOR_KEY, templates: { sources: [], connections: [] } });
    expect((await operator(h, 'POST', '/config_templates/sources', seed({ id: 'faker' }))).status).toBe(200);
    expect((await operator(h, 'GET', '/config_templates/sources/faker')).json).not.toHaveProperty('icon');
  });

  it('refuses a category that is not short text', async () => {
    const h = await withWorkspace();
    for (const category of ['', 42, 'x'.repeat(65)]) {
      const res = await operator(h, 'POST', '/config_templates/sources', seed({ category }));
      expect(res.status, JSON.stringify(category)).toBe(400);
      expect(res.json.error.fieldErrors).toEqual([expect.objectContaining({ path: ['category'] })]);
    }
  });

  it('builds registry icon URLs only for Airbyte’s own images', () => {
    expect(registryIconUrl('airbyte/source-stripe')).toBe('https://connectors.airbyte.com/files/metadata/airbyte/source-stripe/latest/icon.svg');
    expect(registryIconUrl('acme/source-internal')).toBeUndefined();
    expect(registryIconUrl('airbyte/source-x/../../evil')).toBeUndefined();
    expect(registryIconUrl(undefined)).toBeUndefined();
  });
});
