import { describe, expect, it } from 'vitest';
import templatesJson from '../../demo/templates.json';
import { AirbyteClient } from '../../src/server/airbyteClient.ts';
import { DEFAULT_CLIENT_ID } from '../../src/testing/emulator.ts';
import { EMULATOR_URL, harness } from './harness.ts';

const faker = { templateId: 'faker', config: { count: 10 } };
const SITE = "This connector is not set up correctly; the site's team has been told. Try again later.";

describe("the site's mistakes are not the customer's", () => {
  it('an unknown connector definition: the customer is told the site knows; the log names the template and Airbyte\'s detail; nothing is left', async () => {
    const templates = structuredClone(templatesJson) as { sources: Array<Record<string, unknown>> };
    templates.sources[0]!.actorDefinitionId = '00000000-0000-4000-8000-00000000dead';
    const h = await harness({ templates });
    const res = await h.call('POST', '/sources', { body: faker });
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('misconfigured');
    expect(res.json.error.message).toBe(SITE);
    expect(res.json.error.message).not.toMatch(/check your details/i);
    const line = h.logs.find((l) => l.level === 'error' && /Template "faker"/.test(l.message));
    expect(line?.message).toMatch(/source creation/);
    expect(line?.message).toMatch(/actorDefinitionId/);
    expect((await h.upstream('/sources')).data).toEqual([]);
    // A new submit gets the same answer (the template, not the customer, has to change).
    const before = h.calls.length;
    expect((await h.call('POST', '/sources', { body: faker, idempotencyKey: 'retry-same-0001' })).json.error.code).toBe('misconfigured');
    expect(h.calls.length).toBeGreaterThan(before);
  });

  it('wrong Airbyte credentials: a start-up log line says which setting is wrong, and a connect says the site knows', async () => {
    const h0 = await harness();
    const logs: Array<{ level: string; message: string }> = [];
    const wrong = new AirbyteClient({ baseUrl: EMULATOR_URL, clientId: DEFAULT_CLIENT_ID, clientSecret: 'not-the-secret', fetch: (input, init) => h0.emulator.handle(new Request(input, init)), retryDelayMs: 1 });
    const h = await harness({ proxy: { airbyte: wrong, checkAirbyteOnStart: true, log: (e) => logs.push(e) } });
    await expect.poll(() => logs.find((l) => l.level === 'error' && l.message.includes('clientSecret'))?.message).toMatch(/refused the proxy's application credentials \(401/);
    const res = await h.call('POST', '/sources', { body: faker });
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('misconfigured');
    expect(JSON.stringify(logs)).not.toContain('not-the-secret');
  });

  it('an Airbyte URL that has no token endpoint, or none at all: the start-up log says to fix airbyte.baseUrl', async () => {
    const logs: Array<{ level: string; message: string }> = [];
    const nowhere = new AirbyteClient({ baseUrl: 'http://127.0.0.1:9/v1', clientId: 'x', clientSecret: 'y', retries: 0, timeoutMs: 2000 });
    await harness({ proxy: { airbyte: nowhere, checkAirbyteOnStart: true, log: (e) => logs.push(e) } });
    await expect.poll(() => logs.find((l) => l.level === 'error')?.message, { timeout: 5000 }).toMatch(/cannot be reached at http:\/\/127\.0\.0\.1:9\/v1/);
  });
});

describe('templates that cannot work are refused when sent', () => {
  it('a source template whose connector definition Airbyte does not know: 400 naming actorDefinitionId', async () => {
    const h = await harness({ operatorKey: 'operator-key-0123456789abcdef' });
    // A workspace to ask in.
    expect((await h.call('POST', '/sources', { body: faker })).status).toBe(201);
    const res = await h.proxy(
      new Request('https://app.example.com/api/embed/operator/config_templates/sources', {
        method: 'POST',
        headers: { authorization: 'Bearer operator-key-0123456789abcdef', 'content-type': 'application/json' },
        body: JSON.stringify({
          organizationId: '00000000-0000-4000-8000-000000000001',
          name: 'Typo',
          icon: 'https://example.com/icon.svg',
          actorDefinitionId: '00000000-0000-4000-8000-00000000dead',
          partialUserConfigSpec: { connectionSpecification: { type: 'object', properties: {} } },
        }),
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fieldErrors: Array<{ path: string[] }> } };
    expect(body.error.fieldErrors[0]!.path).toEqual(['actorDefinitionId']);
  });

  it('a `required` property the spec does not define: 400 naming it', async () => {
    const h = await harness({ operatorKey: 'operator-key-0123456789abcdef' });
    const res = await h.proxy(
      new Request('https://app.example.com/api/embed/operator/config_templates/sources', {
        method: 'POST',
        headers: { authorization: 'Bearer operator-key-0123456789abcdef', 'content-type': 'application/json' },
        body: JSON.stringify({
          organizationId: '00000000-0000-4000-8000-000000000001',
          actorDefinitionId: 'e094cb9a-26de-4645-8761-65c0c425d1de',
          partialUserConfigSpec: { connectionSpecification: { type: 'object', required: ['account_id', 'client_secret'], properties: { account_id: { type: 'string' } } } },
        }),
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; fieldErrors: Array<{ path: string[] }> } };
    expect(body.error.message).toMatch(/"client_secret", which is not a property/);
    expect(body.error.fieldErrors[0]!.path).toEqual(['partialUserConfigSpec', 'connectionSpecification', 'required']);
  });

  it("a connection template whose destination_config the destination's spec refuses: 400 naming the field (the emulator, like self-managed Airbyte, serves the spec)", async () => {
    const h = await harness({ operatorKey: 'operator-key-0123456789abcdef' });
    // A workspace to ask in (the Config API's spec lookup is per workspace).
    expect((await h.call('POST', '/sources', { body: faker })).status).toBe(201);
    const send = (destination_config: Record<string, unknown>) =>
      h.proxy(
        new Request('https://app.example.com/api/embed/operator/integrations/templates/connections', {
          method: 'POST',
          headers: { authorization: 'Bearer operator-key-0123456789abcdef', 'content-type': 'application/json' },
          body: JSON.stringify({ organization_id: '00000000-0000-4000-8000-000000000001', destination_name: 'Second lake', destination_definition_id: '4816b78f-1489-44c1-9060-4b19d5fa9362', destination_config, cron_expression: '0 0 3 * * ?' }),
        }),
      );
    const bad = await send({ s3_bucket_name: 'acme-analytics-lake' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { message: string; fieldErrors: Array<{ path: string[]; message: string }> } };
    expect(body.error.message).toMatch(/Airbyte would refuse this destination/);
    expect(body.error.fieldErrors.every((e) => e.path[0] === 'destination_config')).toBe(true);
    expect(JSON.stringify(body.error.fieldErrors)).toMatch(/s3_bucket_path/);
    const good = await send({ s3_bucket_name: 'acme-analytics-lake', s3_bucket_path: 'raw', s3_bucket_region: 'us-east-1', format: { format_type: 'Parquet' } });
    expect(good.status).toBe(200);
  });

  it("a destination_config Airbyte refuses at a customer's connect: misconfigured, and the log names the template and Airbyte's detail", async () => {
    const templates = structuredClone(templatesJson) as { connections: Array<Record<string, unknown>> };
    templates.connections[0]!.destination_config = { s3_bucket_name: 'acme-analytics-lake' };
    const h = await harness({ templates });
    const res = await h.call('POST', '/sources', { body: faker });
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('misconfigured');
    const line = h.logs.find((l) => l.level === 'error' && /destination creation/.test(l.message));
    expect(line?.message).toMatch(/Template "faker"/);
    expect(line?.message).toMatch(/destination_config/);
    expect(line?.message).toMatch(/422/);
  });
});
