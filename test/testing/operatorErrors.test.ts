/**
 * Airbyte's answers to mistakes of the site's operator, not of its customers: an unknown connector
 * definition, a destination configuration the connector's spec refuses, wrong application
 * credentials, a bad or expired bearer token. Paths are airbyte-platform files at 310e6cb6ac0e.
 */
import { describe, expect, it } from 'vitest';
import { loadConnectorSpecsDir } from '../../src/testing/connectors.ts';
import { SHARED_SPECS, specsMissingMessage } from '../fixtures/sharedSpecs.ts';
import { emulatorClient, FAKER, S3, S3_CONFIG } from './emulatorClient.ts';

const UNKNOWN_DEFINITION = '5e5e5e5e-0000-4000-8000-000000000000';
const PREFIX = 'json schema validation failed when comparing the data to the json schema. \nErrors: ';

describe('unknown connector definitions', () => {
  it.each(['cloud', 'self-managed'] as const)('%s: POST /sources and /destinations with an unknown definitionId answer 404 STANDARD_*_DEFINITION', async (deployment) => {
    // SourceHandler.createSource → SourceServiceJooqImpl.getStandardSourceDefinition: ConfigNotFoundException → ConfigClientErrorHandler 404.
    const c = await emulatorClient({ deployment });
    const ws = (await c.api('POST', '/workspaces', { name: 'acme' })).json;
    for (const [path, resourceType] of [
      ['/sources', 'STANDARD_SOURCE_DEFINITION'],
      ['/destinations', 'STANDARD_DESTINATION_DEFINITION'],
    ] as const) {
      const res = await c.api('POST', path, { name: 'x', workspaceId: ws.workspaceId, definitionId: UNKNOWN_DEFINITION, configuration: {} });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({
        type: 'https://reference.airbyte.com/reference/errors#resource-not-found',
        title: 'resource-not-found',
        status: 404,
        detail: 'The requested resource could not be found.',
        data: { resourceType, resourceId: UNKNOWN_DEFINITION },
      });
    }
    // SourcesController.publicCreateSource: an unknown configuration.sourceType is 400 value-not-found (UnknownValueProblem).
    expect((await c.api('POST', '/sources', { name: 'x', workspaceId: ws.workspaceId, configuration: { sourceType: 'no-such-source' } })).json).toMatchObject({ status: 400, title: 'value-not-found', data: { value: 'no-such-source' } });
  });

  it('GET /workspaces/{id}/definitions/sources/{definitionId}: {id, name, dockerRepository, dockerImageTag, documentationUrl}; unknown: 404 STANDARD_SOURCE_DEFINITION', async () => {
    // DefinitionsController.publicGetSourceDefinition (…/publicapi/controllers/DefinitionsController.kt)
    const c = await emulatorClient();
    const ws = (await c.api('POST', '/workspaces', { name: 'acme' })).json;
    expect((await c.api('GET', `/workspaces/${ws.workspaceId}/definitions/sources/${FAKER}`)).json).toEqual({
      id: FAKER,
      name: 'Sample Data',
      dockerRepository: 'airbyte/source-faker',
      dockerImageTag: '6.2.38',
      documentationUrl: 'https://docs.airbyte.com/integrations/sources/faker',
    });
    expect((await c.api('GET', `/workspaces/${ws.workspaceId}/definitions/destinations/${S3}`)).json).toMatchObject({ id: S3, dockerRepository: 'airbyte/destination-s3' });
    expect((await c.api('GET', `/workspaces/${ws.workspaceId}/definitions/sources/${UNKNOWN_DEFINITION}`)).json).toMatchObject({ status: 404, data: { resourceType: 'STANDARD_SOURCE_DEFINITION', resourceId: UNKNOWN_DEFINITION } });
  });
});

describe('configurations the connector spec refuses (JsonSchemaValidator.ensure → 422)', () => {
  it('POST /destinations: 422 unprocessable-entity, data.message lists networknt’s errors with $-paths and ends before the schema', async () => {
    // SourceServiceImpl/DestinationServiceImpl → ConfigClientErrorHandler: JsonValidationException →
    // UnprocessableEntityProblem(message.substringBefore("\nSchema:")).
    const c = await emulatorClient();
    const ws = (await c.api('POST', '/workspaces', { name: 'acme' })).json;
    const missing = await c.api('POST', '/destinations', { name: 'Lake', workspaceId: ws.workspaceId, definitionId: S3, configuration: { s3_bucket_name: 'lake', format: {} } });
    expect(missing.status).toBe(422);
    expect(missing.json).toEqual({
      type: 'https://reference.airbyte.com/reference/errors#unprocessable-entity',
      title: 'unprocessable-entity',
      status: 422,
      detail: 'The body of the request was not understood',
      data: { message: `${PREFIX}$: required property 's3_bucket_path' not found, $: required property 's3_bucket_region' not found, $.format: required property 'format_type' not found ` },
    });
    const wrongTypes = await c.api('POST', '/destinations', { name: 'Lake', workspaceId: ws.workspaceId, definitionId: S3, configuration: { ...S3_CONFIG, s3_bucket_name: 42, format: { format_type: 'XML' } } });
    expect(wrongTypes.json.data.message).toBe(`${PREFIX}$.s3_bucket_name: integer found, string expected, $.format.format_type: does not have a value in the enumeration [Avro, CSV, JSONL, Parquet] `);
    // PATCH and PUT validate the merged or new configuration the same way (DestinationHandler.validateDestinationUpdate).
    const lake = (await c.api('POST', '/destinations', { name: 'Lake', workspaceId: ws.workspaceId, definitionId: S3, configuration: S3_CONFIG })).json;
    expect((await c.api('PATCH', `/destinations/${lake.destinationId}`, { configuration: { s3_bucket_path: 7 } })).json.data.message).toBe(`${PREFIX}$.s3_bucket_path: integer found, string expected `);
  });

  it.skipIf(!SHARED_SPECS)(`validates against destination-s3's full spec when the registry has it (connectorSpecsDir) (${specsMissingMessage})`, async () => {
    const c = await emulatorClient({ connectors: loadConnectorSpecsDir(SHARED_SPECS!).filter((d) => d.id === S3) });
    const ws = (await c.api('POST', '/workspaces', { name: 'acme' })).json;
    const res = await c.api('POST', '/destinations', { name: 'Lake', workspaceId: ws.workspaceId, definitionId: S3, configuration: { ...S3_CONFIG, s3_bucket_region: 'mars-1', format: { format_type: 'Parquet' } } });
    expect(res.status).toBe(422);
    expect(res.json.data.message).toMatch(/^json schema validation failed when comparing the data to the json schema\. \nErrors: \$\.s3_bucket_region: does not have a value in the enumeration \[, af-south-1, /);
  });

  it('the self-managed Config API check keeps the whole message, schema dump included (ApiHelper.execute → BadObjectSchemaKnownException)', async () => {
    const c = await emulatorClient({ deployment: 'self-managed' });
    const ws = (await c.api('POST', '/workspaces', { name: 'acme' })).json;
    await c.api('GET', '/workspaces');
    const token = (await c.raw('POST', '/applications/token', { client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' })).json.access_token;
    const res = await c.emulator.handle(
      new Request('http://emulator.test/api/v1/scheduler/sources/check_connection', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sourceDefinitionId: 'e094cb9a-26de-4645-8761-65c0c425d1de', workspaceId: ws.workspaceId, connectionConfiguration: { account_id: 'a' } }),
      }),
    );
    expect(res.status).toBe(422);
    const { message } = (await res.json()) as { message: string };
    expect(message.startsWith(`The provided configuration does not fulfill the specification. Errors: ${PREFIX}$: required property 'client_secret' not found \nSchema: \n{\n  "type" : "object",`)).toBe(true);
  });
});

describe('wrong application credentials (POST /applications/token)', () => {
  it('Cloud: 401 with only an error id, whichever of the two is wrong (InvalidClientCredentialsExceptionHandler.kt)', async () => {
    const c = await emulatorClient({ clientId: 'site-app', clientSecret: 's3cret' });
    for (const body of [{ client_id: 'site-app', client_secret: 'wrong' }, { client_id: 'wrong', client_secret: 's3cret' }, { client_id: '', client_secret: '' }]) {
      const res = await c.raw('POST', '/applications/token', body);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.json).toEqual({ errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    }
    expect((await c.raw('POST', '/applications/token', { client_id: 'site-app', client_secret: 's3cret' })).json).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
  });

  it('self-managed Community: 400 {message: "Invalid client id or token", errorId} (ApplicationServiceMicronautImpl.getToken)', async () => {
    const c = await emulatorClient({ deployment: 'self-managed' });
    const res = await c.raw('POST', '/applications/token', { client_id: 'emulator-client-id', client_secret: 'wrong' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ message: 'Invalid client id or token', errorId: expect.any(String) });
  });
});

describe('a bad, expired or missing bearer token', () => {
  it('is a 401 from Micronaut Security on every route, before the body is even read (DefaultAuthorizationExceptionHandler)', async () => {
    const c = await emulatorClient();
    const ws = (await c.api('POST', '/workspaces', { name: 'acme' })).json;
    const unauthorized = (path: string) => ({ message: 'Unauthorized', _links: { self: { href: path, templated: false } }, _embedded: { errors: [{ message: 'Unauthorized' }] } });
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: 'Basic ZW11bGF0b3I6cGFzcw==' }] as Array<Record<string, string>>) {
      const res = await c.raw('GET', `/workspaces/${ws.workspaceId}`, undefined, headers);
      expect(res.status).toBe(401);
      expect(res.json).toEqual(unauthorized(`/v1/workspaces/${ws.workspaceId}`));
    }
    // An invalid body changes nothing: security runs first.
    expect((await c.raw('POST', '/sources', '{not json', { authorization: 'Bearer not-a-token', 'content-type': 'application/json' })).status).toBe(401);
    // Expired: tokens last 900 s (AirbyteConfig DEFAULT_AUTH_APP_TOKEN_EXPIRATION_MINS).
    const { access_token } = (await c.raw('POST', '/applications/token', { client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' })).json;
    expect((await c.raw('GET', '/workspaces', undefined, { authorization: `Bearer ${access_token}` })).status).toBe(200);
    c.clock.now += 900_000;
    const expired = await c.raw('GET', '/workspaces', undefined, { authorization: `Bearer ${access_token}` });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual(unauthorized('/v1/workspaces'));
    // The Config API beside it answers the same way.
    const config = await c.emulator.handle(new Request('http://emulator.test/api/v1/jobs/get', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":1}' }));
    expect(config.status).toBe(401);
    expect(await config.json()).toEqual(unauthorized('/api/v1/jobs/get'));
    // Health needs no token.
    expect((await c.raw('GET', '/health')).status).toBe(200);
  });
});
