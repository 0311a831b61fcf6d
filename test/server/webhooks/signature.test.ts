/** verifyWebhook against what the worker really sends: tampering, wrong secret, stale timestamp, rotation. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookSignatureError } from '../../../src/server/webhooks/verify.ts';
import { connectStripe, receiver, RECEIVER_URL, webhookHarness, type Received } from './webhookHarness.ts';

const asRequest = (r: Received, body = r.body, headers = r.headers) => new Request(RECEIVER_URL, { method: 'POST', headers, body });

async function oneDelivery() {
  const hook = receiver();
  const h = await webhookHarness(hook);
  const endpoint = (await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL, eventTypes: ['source.connected'] })).json as { id: string; secret: string };
  await connectStripe(h, 'customer-a');
  await h.worker.drain();
  return { h, hook, endpoint, sent: hook.received[0]! };
}

describe('verifyWebhook', () => {
  it('accepts the delivery as sent, from a Request or from raw headers and body (Express)', async () => {
    const { endpoint, sent } = await oneDelivery();
    expect((await verifyWebhook(asRequest(sent), endpoint.secret)).type).toBe('source.connected');
    expect((await verifyWebhook({ headers: sent.headers, body: Buffer.from(sent.body) }, endpoint.secret)).id).toBe(sent.headers['webhook-id']);
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp and a parsed body', async () => {
    const { endpoint, sent } = await oneDelivery();
    const tampered = sent.body.replace('customer-a', 'customer-b');
    await expect(verifyWebhook(asRequest(sent, tampered), endpoint.secret)).rejects.toThrow(/matches none of the secrets/);
    const other = `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;
    await expect(verifyWebhook(asRequest(sent), other)).rejects.toBeInstanceOf(WebhookSignatureError);
    // A capture replayed ten minutes later: re-signing with the right secret but an old time is refused too.
    const old = new Date(Date.now() - 10 * 60_000);
    const replayed = { ...sent.headers, 'webhook-timestamp': String(Math.floor(old.getTime() / 1000)), 'webhook-signature': new Webhook(endpoint.secret).sign(sent.headers['webhook-id']!, old, sent.body) };
    await expect(verifyWebhook(asRequest(sent, sent.body, replayed), endpoint.secret)).rejects.toThrow(/timestamp too old/);
    await expect(verifyWebhook({ headers: sent.headers, body: JSON.parse(sent.body) }, endpoint.secret)).rejects.toThrow(/raw text or bytes/);
    await expect(verifyWebhook(asRequest(sent), [])).rejects.toThrow(/no secret given/);
  });

  it('during a rotation both secrets sign and either verifies; after the overlap only the new one', async () => {
    const { h, hook, endpoint } = await oneDelivery();
    const rotated = await h.op('POST', `/webhooks/endpoints/${endpoint.id}/rotate_secret`, { overlapSeconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(endpoint.secret);
    expect(rotated.json.previousSecretExpiresAt).toBe(new Date(h.clock.now + 3_600_000).toISOString());
    expect((await h.op('POST', `/webhooks/endpoints/${endpoint.id}/test`)).status).toBe(202);
    await h.worker.drain();
    const during = hook.received.at(-1)!;
    expect(during.json.type).toBe('webhook.test');
    expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect((await verifyWebhook(asRequest(during), endpoint.secret)).type).toBe('webhook.test');
    expect((await verifyWebhook(asRequest(during), rotated.json.secret)).type).toBe('webhook.test');
    expect((await verifyWebhook(asRequest(during), [endpoint.secret, rotated.json.secret])).type).toBe('webhook.test');
    h.clock.now += 3_600_001;
    await h.op('POST', `/webhooks/endpoints/${endpoint.id}/test`);
    await h.worker.drain();
    const after = hook.received.at(-1)!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    await expect(verifyWebhook(asRequest(after), endpoint.secret)).rejects.toThrow(/matches none/);
    expect((await verifyWebhook(asRequest(after), rotated.json.secret)).type).toBe('webhook.test');
  });
});
