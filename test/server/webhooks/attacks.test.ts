/**
 * Hostile input against the webhook features: the inbound notification route (odd tokens and
 * paths, odd bodies, other customers' ids, replays, pathological texts), the operator API
 * (URL-rule bypasses, odd event types and overlaps, retries, listing filters), secrets in logs,
 * and verifyWebhook's misuse. Each must be a clear 200/400/404, never a 500, never an event for
 * another customer, never two for one fact.
 */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { EmbedProxyOptions } from '../../../src/server/proxy.ts';
import { verifyWebhook, WebhookSignatureError } from '../../../src/server/webhooks/verify.ts';
import { ORIGIN } from '../harness.ts';
import { connectStripe, inboundHarness, receiver, RECEIVER_URL, webhookHarness } from './webhookHarness.ts';

const INBOUND = `${ORIGIN}/api/embed/airbyte/notifications`;

/** Customer A connected and its first sync's success notification received: its URL (with the token) and body. */
async function withNotification(proxy: Partial<EmbedProxyOptions> = {}) {
  const h = await inboundHarness(proxy);
  const a = await connectStripe(h, 'customer-a');
  await h.settle();
  const [first] = h.sent;
  if (!first || first.status !== 200) throw new Error(`no notification reached the proxy: ${JSON.stringify(h.sent)}`);
  const token = new URL(first.url).pathname.split('/').pop()!;
  const body = JSON.parse(first.body) as { text: string; data: Record<string, any> };
  const workspaceId = (await h.store.getWorkspaceId('customer-a'))!;
  return { ...h, a, url: first.url, pathToken: token, body, workspaceId, connectionId: a.connections[0]!.connection.connectionId, jobId: a.connections[0]!.firstJob!.jobId };
}

describe('inbound notifications under attack', () => {
  it('odd tokens and odd paths all get a bare 404, and the real token never reaches the log or an answer', async () => {
    const h = await withNotification();
    const odd = ['', 'x'.repeat(10_240), '..%2f..%2fetc%2fpasswd', encodeURIComponent('ü'.repeat(43)), `${h.pathToken}%00`, `${h.pathToken}/`, `${h.pathToken}/extra`, `${h.pathToken}/..`];
    for (const t of odd) {
      const answer = await h.post(`${INBOUND}/${t}`, h.body ? JSON.stringify(h.body) : '{}');
      const text = await answer.text();
      expect(answer.status, t.slice(0, 60)).toBe(404);
      expect(JSON.parse(text).error.message, t.slice(0, 60)).toBe('Not found.');
      expect(text).not.toContain(h.pathToken);
    }
    // A wrong token is refused before its body is even looked at: not JSON, too big, wrong type.
    for (const [body, type] of [['not json', 'application/json'], ['x'.repeat(2 * 1024 * 1024), 'application/json'], ['<xml/>', 'text/xml']] as const) {
      expect((await h.post(`${INBOUND}/${'y'.repeat(43)}`, body, type)).status).toBe(404);
    }
    expect(JSON.stringify(h.logs)).not.toContain(h.pathToken);
  });

  it('bodies that are no notification are answered without a 500 and emit nothing', async () => {
    const h = await withNotification();
    const before = h.events().length;
    const data = h.body.data;
    const bodies = [
      'null', '[]', '1', '"text"', '{}', '{"data": []}', '{"data": null}',
      JSON.stringify({ text: 'x', data: { ...data, workspace: undefined } }),
      JSON.stringify({ text: 'x', data: { ...data, workspace: { id: 42 } } }),
      JSON.stringify({ text: 'x', data: { ...data, workspace: { id: ['a'] } } }),
      JSON.stringify({ text: 'x', data: { ...data, connection: { id: { $ne: null } } } }),
      `{"__proto__": {"data": ${JSON.stringify(data)}}}`,
      `{"text": "x", "data": {"__proto__": {"workspace": {"id": "${h.workspaceId}"}}, "connection": {"id": "${h.connectionId}"}, "jobId": 777, "success": true}}`,
      `{"text": "x", "constructor": {"prototype": {"polluted": true}}, "data": {"constructor": 1}}`,
      JSON.stringify({ blocks: [null, 1, { text: null }, { fields: [null, { text: 5 }] }] }),
    ];
    for (const body of bodies) {
      const answer = await h.post(h.url, body);
      expect(answer.status, body.slice(0, 80)).toBe(200);
      expect((await answer.json()).ignored, body.slice(0, 80)).toBe('not a notification the proxy reads');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Not JSON, or not said to be: a clear 4xx.
    expect((await h.post(h.url, '{"text": ')).status).toBe(400);
    expect((await h.post(h.url, '{}', 'text/plain')).status).toBe(415);
    await h.worker.drain();
    expect(h.events().length).toBe(before);
  });

  it('a failure whose message holds a NUL, or whose job id is odd, is recorded (never a 500)', async () => {
    const h = await withNotification();
    const failure = (jobId: unknown, errorMessage: string) => JSON.stringify({ text: 'Sync failure occurred', data: { ...h.body.data, jobId, success: false, errorMessage, errorType: 'config_error' } });
    for (const [jobId, message] of [[h.jobId + 1000, 'bad\u0000byte'], [1.5, 'half a job'], [1e300, 'a huge job'], [-1, 'negative'], ['12', 'a string id']] as const) {
      const answer = await h.post(h.url, failure(jobId, message));
      expect(answer.status, `${jobId} ${message}`).toBe(200);
    }
    // A message with no job id, and a deeply nested field beside it (JSON.parse takes it; JSON.stringify overflows).
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const disabled = `{"text": "Connection disabled\\nThe most recent attempted sync failed\\n\\nWorkspace ID: ${h.workspaceId}\\nConnection ID: ${h.connectionId}\\n", "extra": ${deep}}`;
    expect((await h.post(h.url, disabled)).status).toBe(200);
    expect(await (await h.post(h.url, disabled)).json()).toEqual({ received: true, ignored: 'already received' });
    await h.worker.drain();
    expect(h.events('sync.failed').map((r) => r.json.data.reason)).toContain('bad\uFFFDbyte');
    expect(h.events('connection.disabled').map((r) => r.json.data.reason)).toEqual(['sync failed']);
  });

  it('a success and a failure for the same job make one outcome; a replay with other text makes none', async () => {
    const h = await withNotification();
    expect(h.events('sync.succeeded')).toHaveLength(1);
    const again = { ...h.body, text: 'Something else entirely', data: { ...h.body.data, recordsCommitted: 1 } };
    expect(await (await h.post(h.url, JSON.stringify(again))).json()).toEqual({ received: true, ignored: 'already received' });
    const failed = { text: 'Sync failure occurred', data: { ...h.body.data, success: false, errorMessage: 'forged' } };
    expect(await (await h.post(h.url, JSON.stringify(failed))).json()).toEqual({ received: true, ignored: 'already received' });
    await h.worker.drain();
    expect(h.events('sync.succeeded')).toHaveLength(1);
    expect(h.events('sync.failed')).toEqual([]);
  });

  it("another customer's job id in a notification does not swallow that customer's own event", async () => {
    const h = await withNotification();
    const b = await connectStripe(h, 'customer-b');
    const bJob = b.connections[0]!.firstJob!.jobId;
    // A's token, A's workspace and connection, B's (still running) job id: Airbyte has that job on
    // B's connection, so the notification is refused.
    const answer = await h.post(h.url, JSON.stringify({ ...h.body, data: { ...h.body.data, jobId: bJob } }));
    expect(answer.status).toBe(404);
    await h.settle();
    expect(h.sent.at(-1)!.status).toBe(200);
    const forB = h.events('sync.succeeded').filter((r) => r.json.customerId === 'customer-b');
    expect(forB.map((r) => r.json.data.jobId)).toEqual([bJob]);
    // And nothing for B came through A's token.
    expect(h.events().filter((r) => r.json.customerId === 'customer-b').every((r) => [undefined, b.connections[0]!.connection.connectionId].includes(r.json.data.connectionId as string))).toBe(true);
  });

  it("a notification whose outcome contradicts the job's status in Airbyte is ignored; the true one is recorded", async () => {
    const h = await withNotification();
    const started = await h.call('POST', `/connections/${h.connectionId}/sync`);
    expect(started.status).toBeLessThan(300);
    const jobId = (started.json as { jobId: number }).jobId;
    h.clock.now += 11_000; // the job has succeeded in Airbyte; its notification is not sent yet
    const forged = { text: 'Sync failure occurred', data: { ...h.body.data, jobId, success: false, errorMessage: 'forged', errorType: 'config_error' } };
    expect(await (await h.post(h.url, JSON.stringify(forged))).json()).toEqual({ received: true, ignored: "the job's status in Airbyte says otherwise" });
    await h.settle(0);
    expect(h.events('sync.failed')).toEqual([]);
    expect(h.events('credentials.broken')).toEqual([]);
    expect(h.events('sync.succeeded').map((r) => r.json.data.jobId)).toContain(jobId);
  });

  it('a body that trickles in is cut off at bodyTimeoutMs for a known token; a wrong token is answered before it is read', async () => {
    const h = await withNotification({ bodyTimeoutMs: 300 });
    const trickle = () => {
      let timer: ReturnType<typeof setInterval> | undefined;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"text": "'));
          timer = setInterval(() => controller.enqueue(new TextEncoder().encode('x')), 50);
        },
        cancel: () => clearInterval(timer),
      });
      return { stream, stop: () => clearInterval(timer) };
    };
    const slow = trickle();
    const started = performance.now();
    const answer = await h.proxy(new Request(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: slow.stream, duplex: 'half' } as RequestInit));
    slow.stop();
    expect(answer.status).toBe(408);
    expect(performance.now() - started).toBeLessThan(2_000);
    const wrong = trickle();
    const refused = await h.proxy(new Request(`${INBOUND}/${'z'.repeat(43)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: wrong.stream, duplex: 'half' } as RequestInit));
    wrong.stop();
    expect(refused.status).toBe(404);
  });

  it('a pathological message text is read in linear time (the event loop is never held)', async () => {
    const h = await withNotification();
    const ids = `Workspace ID: ${h.workspaceId}\nConnection ID: ${h.connectionId}`;
    const texts = [
      `Connection disabled\n${ids}\nThe most recent attempted ${'\n'.repeat(60_000)}`,
      `Connection disabled\n${ids}\n${'The most recent attempted \n\n'.repeat(20_000)}`,
      `${"The schema of '<".repeat(40_000)}`,
      `${"Airbyte detected schema changes for '<".repeat(20_000)}`,
    ];
    for (const text of texts) {
      const started = performance.now();
      const answer = await h.post(h.url, JSON.stringify({ text }));
      expect(answer.status).toBeLessThan(500);
      expect(performance.now() - started, text.slice(0, 40)).toBeLessThan(1_000);
    }
  });
});

describe('operator API for endpoints under attack', () => {
  it('refuses every private-network and scheme bypass with a 400 on "url"; loopback and host names pass by design', async () => {
    const h = await webhookHarness(receiver());
    const refused = [
      'https://10.0.0.1', 'HTTPS://10.0.0.1/x', ' https://10.0.0.1 ', 'https://a@10.0.0.1', 'https://0', 'https://[fd00::1]', 'https://[::ffff:127.0.0.1]',
      'http://[::ffff:127.0.0.1]', 'https://[::ffff:10.0.0.1]', 'https://[fe90::1]', 'https://[febf::1]', 'https://[fec0::1]', 'https://[::127.0.0.1]', 'https://[::ffff:0:a00:1]',
      'https://[64:ff9b::10.0.0.1]', 'https://[2002:a00:1::]', 'https://[::]', 'https://224.0.0.1', 'https://255.255.255.255', 'https://198.18.0.1',
      'http://localhost.evil.com', 'http://hooks.example.com', 'ftp://hooks.example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,x',
      `https://hooks.example.com/${'a'.repeat(5_000)}`, 'https://\u0000.example.com', '',
    ];
    for (const url of refused) {
      const answer = await h.op('POST', '/webhooks/endpoints', { url });
      expect(answer.status, url.slice(0, 60)).toBe(400);
      expect(answer.json.error.fieldErrors?.[0]?.path, url.slice(0, 60)).toEqual(['url']);
    }
    for (const url of [1, null, ['https://hooks.example.com'], { href: 'https://hooks.example.com' }]) {
      expect((await h.op('POST', '/webhooks/endpoints', { url })).json.error.fieldErrors?.[0]?.path).toEqual(['url']);
    }
    // The developer's machine (however 127.0.0.1 is spelled), and host names (never resolved, by design).
    for (const [url, stored] of [['http://127.1:4000/h', 'http://127.0.0.1:4000/h'], ['http://0x7f.1/h', 'http://127.0.0.1/h'], ['http://[::1]:4000/h', 'http://[::1]:4000/h'], ['https://169.254.169.254.nip.io/h', 'https://169.254.169.254.nip.io/h']]) {
      const answer = await h.op('POST', '/webhooks/endpoints', { url });
      expect(answer.status, url).toBe(201);
      expect(answer.json.url).toBe(stored);
    }
    // PATCH applies the same rule.
    const { id } = (await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL })).json;
    expect((await h.op('PATCH', `/webhooks/endpoints/${id}`, { url: 'https://[::ffff:169.254.169.254]/' })).status).toBe(400);
  });

  it('event type lists with unknown names, prototype keys or wrong shapes are a 400 on "eventTypes"; duplicates collapse', async () => {
    const h = await webhookHarness(receiver());
    for (const eventTypes of [['__proto__'], ['constructor'], ['toString'], ['sync.failed', 'hasOwnProperty'], [1], 'sync.failed', {}, [null], [['sync.failed']], []]) {
      const answer = await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL, eventTypes });
      expect(answer.status, JSON.stringify(eventTypes)).toBe(400);
      expect(answer.json.error.fieldErrors?.[0]?.path).toEqual(['eventTypes']);
    }
    expect((await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL, eventTypes: ['sync.failed', 'sync.failed'] })).json.eventTypes).toEqual(['sync.failed']);
    const proto = await h.proxy(new Request(`${ORIGIN}/api/embed/operator/webhooks/endpoints`, { method: 'POST', headers: { authorization: 'Bearer operator-key-0123456789abcdef', 'content-type': 'application/json' }, body: `{"url": "${RECEIVER_URL}", "__proto__": {"enabled": false}}` }));
    expect(proto.status).toBe(400);
    expect((await proto.json()).error.message).toMatch(/Unknown field.*"__proto__"/);
  });

  it('rotate refuses every bad overlap with a 400 on "overlapSeconds", and an unknown id with a 404', async () => {
    const h = await webhookHarness(receiver());
    const { id } = (await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL })).json;
    for (const overlapSeconds of [null, '3600', 1.5, -1, 604_801, true, [], {}]) {
      const answer = await h.op('POST', `/webhooks/endpoints/${id}/rotate_secret`, { overlapSeconds });
      expect(answer.status, JSON.stringify(overlapSeconds)).toBe(400);
      expect(answer.json.error.fieldErrors?.[0]?.path).toEqual(['overlapSeconds']);
    }
    expect((await h.op('POST', `/webhooks/endpoints/ep_nope/rotate_secret`, {})).status).toBe(404);
    expect((await h.op('POST', `/webhooks/endpoints/${encodeURIComponent("' OR 1=1 --")}/rotate_secret`, {})).status).toBe(404);
  });

  it('retry: 404 for an unknown id, 400 for a delivered one or one being sent right now, 202 for a waiting or dead one', async () => {
    const hook = receiver();
    const h = await webhookHarness(hook);
    const { id } = (await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL })).json;
    expect((await h.op('POST', `/webhooks/endpoints/${id}/test`)).status).toBe(202);
    const [pending] = (await h.op('GET', '/webhooks/deliveries?status=pending')).json.data;
    expect(pending).toBeDefined();
    // Claimed by a worker (its lease held): a retry clearing the lease would let a second round send it at once.
    await h.store.query('UPDATE aek_webhook_deliveries SET lease_until = $2 WHERE id = $1', [pending.id, h.clock.now + 60_000]);
    const inFlight = await h.op('POST', `/webhooks/deliveries/${pending.id}/retry`);
    expect(inFlight.status).toBe(400);
    expect(inFlight.json.error.message).toMatch(/being sent right now/);
    await h.store.query('UPDATE aek_webhook_deliveries SET lease_until = NULL WHERE id = $1', [pending.id]);
    expect((await h.op('POST', `/webhooks/deliveries/${pending.id}/retry`)).status).toBe(202);
    await h.worker.drain();
    expect((await h.op('POST', `/webhooks/deliveries/${pending.id}/retry`)).status).toBe(400);
    expect((await h.op('POST', '/webhooks/deliveries/dlv_nope/retry')).status).toBe(404);
    await h.store.query("UPDATE aek_webhook_deliveries SET status = 'dead' WHERE id = $1", [pending.id]);
    expect((await h.op('POST', `/webhooks/deliveries/${pending.id}/retry`)).status).toBe(202);
    await h.worker.drain();
    expect(hook.received).toHaveLength(2);
  });

  it('listing filters with hostile values are a 400 or an empty list, never a 500', async () => {
    const h = await webhookHarness(receiver());
    const { id } = (await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL })).json;
    await h.op('POST', `/webhooks/endpoints/${id}/test`);
    for (const q of ['customerId=%00', 'endpointId=a%00b', 'eventId=%01', 'status=__proto__', 'limit=abc', 'limit=1.5', 'limit=-1', 'limit=1001', 'limit=1e9', 'limit=%00']) {
      expect((await h.op('GET', `/webhooks/deliveries?${q}`)).status, q).toBe(400);
    }
    for (const q of [`customerId=${'x'.repeat(10_000)}`, "endpointId=' OR 1=1 --", '__proto__=1', 'constructor=x', 'customerId=%E2%80%AE', 'limit=1e3']) {
      const answer = await h.op('GET', `/webhooks/deliveries?${q}`);
      expect(answer.status, q.slice(0, 40)).toBe(200);
    }
    expect((await h.op('GET', '/webhooks/deliveries/%00')).status).toBe(400);
    expect((await h.op('GET', `/webhooks/deliveries/${'x'.repeat(5_000)}`)).status).toBe(404);
  });
});

describe('secrets under attack', () => {
  it('an endpoint secret is shown once: never in GET, the list, a later error or the log', async () => {
    const h = await webhookHarness(receiver());
    const created = await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL });
    const rotated = await h.op('POST', `/webhooks/endpoints/${created.json.id}/rotate_secret`, {});
    const given = `whsec_${Buffer.from(new Uint8Array(32).fill(9)).toString('base64')}`;
    const refused = await h.op('POST', '/webhooks/endpoints', { url: 'https://10.0.0.1/', secret: given });
    const bad = await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL, secret: `${given.slice(0, 20)}!` });
    const shown = JSON.stringify([await h.op('GET', '/webhooks/endpoints'), await h.op('GET', `/webhooks/endpoints/${created.json.id}`), await h.op('PATCH', `/webhooks/endpoints/${created.json.id}`, { secret: given }), refused, bad, h.logs]);
    for (const secret of [created.json.secret, rotated.json.secret, given, given.slice(0, 20)]) expect(shown).not.toContain(secret.slice(6));
  });
});

describe('secrets in events', () => {
  it("a source's secret config value is in no event, delivery listing or log line; the path token in no log line", async () => {
    const h = await withNotification();
    await h.op('POST', `/webhooks/endpoints/${h.endpoint.id}/test`);
    await h.worker.drain();
    const seen = JSON.stringify([h.hook.received, (await h.op('GET', '/webhooks/deliveries')).json, h.logs]);
    expect(h.events().length).toBeGreaterThanOrEqual(4);
    expect(seen).not.toContain('sk_test_secret_value');
    expect(JSON.stringify(h.logs)).not.toContain(h.pathToken);
    expect(seen).not.toContain(h.endpoint.secret.slice(6));
  });
});

describe('verifyWebhook misuse', () => {
  const secret = `whsec_${Buffer.from(new Uint8Array(32).fill(3)).toString('base64')}`;
  const other = `whsec_${Buffer.from(new Uint8Array(32).fill(4)).toString('base64')}`;
  const event = { id: 'msg_1', type: 'webhook.test', timestamp: new Date().toISOString(), customerId: '', data: {} };
  const body = JSON.stringify(event);
  const signed = (s = secret) => {
    const at = new Date();
    return { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(s).sign('msg_1', at, body) };
  };

  it('a parsed body, or a Request whose body was read already, is a WebhookSignatureError saying what to pass', async () => {
    await expect(verifyWebhook({ headers: signed(), body: event as never }, secret)).rejects.toThrow(WebhookSignatureError);
    const request = new Request(RECEIVER_URL, { method: 'POST', headers: signed(), body });
    await request.json();
    const error = await verifyWebhook(request, secret).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect((error as Error).message).toMatch(/already read/);
  });

  it('header names in any case; several signatures of which one is valid; Node array headers', async () => {
    const h = signed();
    expect((await verifyWebhook({ headers: { 'Webhook-Id': h['webhook-id'], 'WEBHOOK-TIMESTAMP': h['webhook-timestamp'], 'Webhook-Signature': h['webhook-signature'] }, body }, secret)).id).toBe('msg_1');
    const many = `v1,${Buffer.from('nope').toString('base64')} ${signed(other)['webhook-signature']} ${h['webhook-signature']}`;
    expect((await verifyWebhook({ headers: { ...h, 'webhook-signature': many }, body: Buffer.from(body) }, secret)).id).toBe('msg_1');
    expect((await verifyWebhook({ headers: { ...h, 'webhook-signature': [signed(other)['webhook-signature'], h['webhook-signature']] }, body }, secret)).id).toBe('msg_1');
    await expect(verifyWebhook({ headers: { ...h, 'webhook-signature': signed(other)['webhook-signature'] }, body }, secret)).rejects.toThrow(/matches none of the secrets/);
  });

  it("another copy's Headers and Request (undici's, node-fetch's: not this realm's classes) verify too", async () => {
    const h = signed();
    // A Map has the Headers forEach(value, key); Object.entries of a real foreign Headers is empty.
    const headers = new Map(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v])) as unknown as Headers;
    expect((await verifyWebhook({ headers, body }, secret)).id).toBe('msg_1');
    const foreign = { headers, bodyUsed: false, text: async () => body } as unknown as Request;
    expect((await verifyWebhook(foreign, secret)).id).toBe('msg_1');
  });

  it('a whsec_ secret and its raw base64 verify alike; a secret of another shape is a clear error', async () => {
    expect((await verifyWebhook({ headers: signed(), body }, secret.slice(6))).id).toBe('msg_1');
    await expect(verifyWebhook({ headers: signed(), body }, 'hunter2!')).rejects.toThrow(WebhookSignatureError);
    await expect(verifyWebhook({ headers: signed(), body }, '')).rejects.toThrow(/no secret given/);
    await expect(verifyWebhook({ headers: { ...signed(), 'webhook-timestamp': 'soon' }, body }, secret)).rejects.toThrow(WebhookSignatureError);
    await expect(verifyWebhook({ headers: {}, body }, secret)).rejects.toThrow(WebhookSignatureError);
  });
});
