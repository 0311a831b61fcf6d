/** The operator API's webhook endpoints: CRUD, secrets shown once, clear 400s, the key required. */
import { describe, expect, it } from 'vitest';
import { ORIGIN } from '../harness.ts';
import { receiver, RECEIVER_URL, webhookHarness } from './webhookHarness.ts';

describe('operator API: webhook endpoints', () => {
  it('registers, lists, reads, updates and deletes an endpoint; the secret is shown only when made', async () => {
    const h = await webhookHarness(receiver());
    const created = await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL, eventTypes: ['sync.failed', 'sync.succeeded'], description: 'billing' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: expect.stringMatching(/^ep_/), url: RECEIVER_URL, eventTypes: ['sync.failed', 'sync.succeeded'], description: 'billing', enabled: true, secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) });
    const id = created.json.id;
    const listed = await h.op('GET', '/webhooks/endpoints');
    expect(listed.json.data).toHaveLength(1);
    expect(JSON.stringify(listed.json)).not.toContain(created.json.secret);
    expect((await h.op('GET', `/webhooks/endpoints/${id}`)).json.secret).toBeUndefined();
    const updated = await h.op('PATCH', `/webhooks/endpoints/${id}`, { url: 'https://hooks.example.com/v2', eventTypes: ['*'], enabled: false });
    expect(updated.json).toMatchObject({ url: 'https://hooks.example.com/v2', eventTypes: ['*'], enabled: false });
    const given = `whsec_${Buffer.from(new Uint8Array(32).fill(7)).toString('base64')}`;
    expect((await h.op('POST', '/webhooks/endpoints', { url: 'http://localhost:4000/hooks', secret: given })).json.secret).toBe(given);
    expect((await h.op('DELETE', `/webhooks/endpoints/${id}`)).status).toBe(204);
    expect((await h.op('GET', `/webhooks/endpoints/${id}`)).status).toBe(404);
    expect((await h.op('DELETE', `/webhooks/endpoints/${id}`)).status).toBe(404);
    expect((await h.op('GET', '/webhooks/endpoints')).json.data.map((e: { url: string }) => e.url)).toEqual(['http://localhost:4000/hooks']);
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    const h = await webhookHarness(receiver());
    const cases: Array<[unknown, string]> = [
      [{}, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'http://hooks.example.com/x' }, 'url'],
      [{ url: 'https://169.254.169.254/latest' }, 'url'],
      [{ url: 'https://10.0.0.5/hook' }, 'url'],
      [{ url: 'https://user:pw@hooks.example.com/' }, 'url'],
      [{ url: RECEIVER_URL, eventTypes: ['sync.exploded'] }, 'eventTypes'],
      [{ url: RECEIVER_URL, eventTypes: [] }, 'eventTypes'],
      [{ url: RECEIVER_URL, secret: 'hunter2' }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const answer = await h.op('POST', '/webhooks/endpoints', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error.fieldErrors?.[0]?.path, JSON.stringify([body, answer.json])).toEqual([field]);
    }
    expect((await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL, colour: 'red' })).json.error.message).toMatch(/Unknown field.*"colour"/);
    expect((await h.op('POST', '/webhooks/endpoints', [])).status).toBe(400);
    const { id } = (await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL })).json;
    expect((await h.op('POST', `/webhooks/endpoints/${id}/rotate_secret`, { overlapSeconds: -1 })).status).toBe(400);
    expect((await h.op('GET', '/webhooks/deliveries?status=lost')).status).toBe(400);
    expect((await h.op('GET', '/webhooks/deliveries?limit=0')).status).toBe(400);
  });

  it('an operator opt-in allows http and private addresses (a receiver inside the operator network)', async () => {
    const h = await webhookHarness(receiver(), { proxy: { webhooks: { worker: false, allowInsecureUrls: true, allowPrivateNetworks: true } } });
    expect((await h.op('POST', '/webhooks/endpoints', { url: 'http://10.0.0.5:8080/hook' })).status).toBe(201);
  });

  it('needs the operator key', async () => {
    const h = await webhookHarness(receiver());
    const answer = await h.proxy(new Request(`${ORIGIN}/api/embed/operator/webhooks/endpoints`, { headers: { authorization: 'Bearer wrong-key-0123456789abcdefgh' } }));
    expect(answer.status).toBe(401);
  });
});
