/**
 * What Airbyte answers about workspaces, sources, connections and jobs it no longer has (deleted in
 * Airbyte) or never had (the backend restarted against a fresh Airbyte). Paths are airbyte-platform
 * files at 310e6cb6ac0e; `…/publicapi/` is airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/.
 *
 * Who asks decides the answer (RoleResolver.kt): on Cloud the application acts with an organization
 * role, which reaches a workspace only through its organization, so ids that do not lead to a live
 * workspace are refused with 403 before any handler runs. Self-managed Community tokens are the
 * instance admin's: every check passes and the handlers answer 404, or 500 where they trip.
 */
import { describe, expect, it } from 'vitest';
import { emulatorClient, FAKER, S3, S3_CONFIG } from './emulatorClient.ts';

const UNKNOWN = '0f0f0f0f-0000-4000-8000-000000000000';
const CALLER_CANNOT = 'Caller does not have the required permissions to access the resource(s).';
const CALLER_NOT_READER = 'Caller does not have the required WORKSPACE_READER permissions to access the resource(s).';

/** A customer's workspace with a Faker source, an S3 destination, a connection and one finished sync. */
async function customer(deployment: 'cloud' | 'self-managed') {
  const c = await emulatorClient({ deployment });
  const { ws, source, destination } = await c.seed('customer-1');
  const conn = (await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId, configurations: { streams: [{ name: 'users' }] } })).json;
  const job = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
  c.clock.now += 10_000;
  return { c, ws, source, destination, conn, job };
}

/** Micronaut Security's refusal of a `@Secured(roles)` route (DefaultAuthorizationExceptionHandler). */
const micronautForbidden = (path: string) => ({ message: 'Forbidden', _links: { self: { href: path, templated: false } }, _embedded: { errors: [{ message: 'Forbidden' }] } });

describe('Airbyte Cloud (organization role): a deleted workspace', () => {
  it('DELETE /workspaces/{id} answers 204 and tombstones the workspace with its sources, destinations and connections', async () => {
    // WorkspacesHandler.deleteWorkspace (airbyte-commons-server/…/handlers/WorkspacesHandler.kt)
    const { c, ws } = await customer('cloud');
    expect((await c.api('DELETE', `/workspaces/${ws.workspaceId}`)).status).toBe(204);
    expect((await c.api('GET', '/workspaces')).json.data).toEqual([]);
    expect((await c.api('GET', '/workspaces?includeDeleted=true')).json.data.map((w: { workspaceId: string }) => w.workspaceId)).toEqual([ws.workspaceId]);
  });

  it('refuses every later call about it, its sources, connections and jobs with 403 forbidden (RoleResolver: no organization, no role)', async () => {
    const { c, ws, source, destination, conn, job } = await customer('cloud');
    await c.api('DELETE', `/workspaces/${ws.workspaceId}`);
    const w = ws.workspaceId;
    const cases: Array<[string, string, unknown, string]> = [
      // WorkspacesController.kt: publicGetWorkspace requireRole(WORKSPACE_READER); publicDeleteWorkspace requireOneOfRoles.
      ['GET', `/workspaces/${w}`, undefined, CALLER_NOT_READER],
      ['DELETE', `/workspaces/${w}`, undefined, CALLER_CANNOT],
      // SourcesController.kt publicGetSource requireOneOfRoles(WORKSPACE_READER, EMBEDDED_END_USER); DestinationsController.kt requireRole.
      ['GET', `/sources/${source.sourceId}`, undefined, CALLER_CANNOT],
      ['GET', `/destinations/${destination.destinationId}`, undefined, CALLER_NOT_READER],
      // ConnectionsController.kt publicGetConnection requireRole(WORKSPACE_READER); JobsController.kt getJob, listJobs.
      ['GET', `/connections/${conn.connectionId}`, undefined, CALLER_NOT_READER],
      ['GET', `/jobs/${job.jobId}`, undefined, CALLER_NOT_READER],
      ['POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' }, CALLER_CANNOT],
      // The lists: withWorkspaces(workspaceIds).requireRole(WORKSPACE_READER).
      ['GET', `/sources?workspaceIds=${w}`, undefined, CALLER_NOT_READER],
      ['GET', `/destinations?workspaceIds=${w}`, undefined, CALLER_NOT_READER],
      ['GET', `/connections?workspaceIds=${w}`, undefined, CALLER_NOT_READER],
      ['GET', `/jobs?workspaceIds=${w}`, undefined, CALLER_NOT_READER],
      ['GET', `/jobs?connectionId=${conn.connectionId}`, undefined, CALLER_NOT_READER],
      ['GET', `/workspaces?workspaceIds=${w}`, undefined, CALLER_NOT_READER],
      ['GET', `/workspaces/${w}/definitions/sources/${FAKER}`, undefined, CALLER_NOT_READER],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await c.api(method, path, body);
      expect({ call: `${method} ${path}`, status: res.status, body: res.json }).toEqual({
        call: `${method} ${path}`,
        status: 403,
        body: { type: 'https://reference.airbyte.com/reference/errors#forbidden', title: 'forbidden', status: 403, detail: 'The request is forbidden.', data: { message } },
      });
    }
  });

  it('refuses POST /sources, /destinations and /connections into it with Micronaut’s 403 (their @Secured roles come from the body’s ids)', async () => {
    // SourcesController/DestinationsController/ConnectionsController: @Secured(WORKSPACE_EDITOR, …) on the
    // create methods; AuthorizationServerHandler.kt copies workspaceId / sourceId / destinationId into headers.
    const { c, ws, source, destination } = await customer('cloud');
    await c.api('DELETE', `/workspaces/${ws.workspaceId}`);
    const creates: Array<[string, unknown]> = [
      ['/sources', { name: 'Faker', workspaceId: ws.workspaceId, definitionId: FAKER, configuration: {} }],
      ['/destinations', { name: 'Lake', workspaceId: ws.workspaceId, definitionId: S3, configuration: S3_CONFIG }],
      ['/connections', { sourceId: source.sourceId, destinationId: destination.destinationId }],
    ];
    for (const [path, body] of creates) {
      const res = await c.api('POST', path, body);
      expect(res.status).toBe(403);
      expect(res.json).toEqual(micronautForbidden(`/v1${path}`));
    }
  });
});

describe('Airbyte Cloud (organization role): ids Airbyte never had (a fresh Airbyte)', () => {
  it('refuses unknown workspace, source, connection and job ids with 403, never 404', async () => {
    const { c } = await customer('cloud');
    for (const [path, message] of [
      [`/workspaces/${UNKNOWN}`, CALLER_NOT_READER],
      [`/sources/${UNKNOWN}`, CALLER_CANNOT],
      [`/connections/${UNKNOWN}`, CALLER_NOT_READER],
      [`/sources?workspaceIds=${UNKNOWN}`, CALLER_NOT_READER],
      ['/jobs/987654', CALLER_NOT_READER],
    ] as const) {
      const res = await c.api('GET', path);
      expect({ path, status: res.status, title: res.json.title, message: res.json.data.message }).toEqual({ path, status: 403, title: 'forbidden', message });
    }
    const create = await c.api('POST', '/sources', { name: 'Faker', workspaceId: UNKNOWN, definitionId: FAKER, configuration: {} });
    expect(create.status).toBe(403);
    expect(create.json.message).toBe('Forbidden');
  });

  it('checks @Secured routes before validating the body, roleResolver routes after (400 first)', async () => {
    const { c } = await customer('cloud');
    // POST /sources is @Secured: the workspace from the body decides first, even a malformed one.
    expect((await c.api('POST', '/sources', { name: 'x', workspaceId: 'not-a-uuid', configuration: {} })).status).toBe(403);
    // POST /jobs checks in the controller (roleResolver), after binding: the bad jobType is the 400.
    expect((await c.api('POST', '/jobs', { connectionId: UNKNOWN, jobType: 'explode' })).json).toMatchObject({ status: 400, title: 'bad-request' });
    expect((await c.api('POST', '/jobs', { connectionId: UNKNOWN, jobType: 'sync' })).json).toMatchObject({ status: 403, title: 'forbidden' });
  });

  it('reset() makes a fresh Airbyte at the same address: old ids are refused, old tokens are a 401, the same credentials work', async () => {
    const { c, ws, source } = await customer('cloud');
    const { access_token: old } = (await c.raw('POST', '/applications/token', { client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' })).json;
    c.emulator.reset();
    const stale = await c.raw('GET', '/workspaces', undefined, { authorization: `Bearer ${old}` });
    expect(stale.status).toBe(401);
    // The client fetches a new token with the same credentials (emulatorClient does on a 401).
    expect((await c.api('GET', '/workspaces')).json.data).toEqual([]);
    expect((await c.api('GET', `/workspaces/${ws.workspaceId}`)).status).toBe(403);
    expect((await c.api('GET', `/sources/${source.sourceId}`)).status).toBe(403);
    const fresh = (await c.api('POST', '/workspaces', { name: 'customer-1' })).json;
    expect((await c.api('GET', `/workspaces/${fresh.workspaceId}`)).status).toBe(200);
  });
});

describe('self-managed Community (instance admin): deleted and unknown ids', () => {
  it('GET and DELETE /workspaces/{id} of a deleted or unknown workspace: 404 STANDARD_WORKSPACE (getStandardWorkspaceNoSecrets without tombstones)', async () => {
    const { c, ws } = await customer('self-managed');
    expect((await c.api('DELETE', `/workspaces/${ws.workspaceId}`)).status).toBe(204);
    for (const id of [ws.workspaceId, UNKNOWN]) {
      for (const method of ['GET', 'DELETE']) {
        const res = await c.api(method, `/workspaces/${id}`);
        expect(res.status).toBe(404);
        expect(res.json).toEqual({
          type: 'https://reference.airbyte.com/reference/errors#resource-not-found',
          title: 'resource-not-found',
          status: 404,
          detail: 'The requested resource could not be found.',
          data: { resourceType: 'STANDARD_WORKSPACE', resourceId: id },
        });
      }
    }
  });

  it('still reads the deleted workspace’s source (tombstoned, configuration voided) and connection (deprecated) by id', async () => {
    const { c, ws, source, conn } = await customer('self-managed');
    await c.api('DELETE', `/workspaces/${ws.workspaceId}`);
    const src = await c.api('GET', `/sources/${source.sourceId}`);
    expect(src.status).toBe(200);
    expect(src.json).toMatchObject({ sourceId: source.sourceId, workspaceId: ws.workspaceId, configuration: {} });
    expect((await c.api('GET', `/connections/${conn.connectionId}`)).json).toMatchObject({ connectionId: conn.connectionId, status: 'deprecated' });
    // …and a sync of it: SchedulerHandler.submitManualSyncToWorker checks the status (409 state-conflict).
    expect((await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json).toMatchObject({ status: 409, title: 'state-conflict' });
  });

  it('lists nothing of a deleted or unknown workspace unless includeDeleted=true; its jobs stay listed', async () => {
    const { c, ws, source, conn, job } = await customer('self-managed');
    await c.api('DELETE', `/workspaces/${ws.workspaceId}`);
    for (const list of ['sources', 'destinations', 'connections']) {
      expect((await c.api('GET', `/${list}?workspaceIds=${ws.workspaceId}`)).json).toEqual({ data: [], next: '', previous: '' });
      expect((await c.api('GET', `/${list}?workspaceIds=${UNKNOWN}`)).json.data).toEqual([]);
    }
    expect((await c.api('GET', `/sources?workspaceIds=${ws.workspaceId}&includeDeleted=true`)).json.data.map((s: { sourceId: string }) => s.sourceId)).toEqual([source.sourceId]);
    expect((await c.api('GET', `/connections?workspaceIds=${ws.workspaceId}&includeDeleted=true`)).json.data.map((x: { connectionId: string }) => x.connectionId)).toEqual([conn.connectionId]);
    // JobsController.listJobs → JobHistoryHandler.listJobsForWorkspaces: jobs are never deleted.
    expect((await c.api('GET', `/jobs?workspaceIds=${ws.workspaceId}`)).json.data.map((j: { jobId: number }) => j.jobId)).toEqual([job.jobId]);
    expect((await c.api('GET', `/jobs?workspaceIds=${UNKNOWN}`)).json.data).toEqual([]);
    expect((await c.api('GET', `/workspaces?workspaceIds=${ws.workspaceId}`)).json.data).toEqual([]);
  });

  it('POST /sources and /destinations into an unknown workspace: 500 with the ConfigNotFoundException; into a deleted one: 500 wrapped in a CompletionException', async () => {
    // SourceHandler.createSource: ConfigurationDefinitionVersionOverrideProvider.getOrganizationId (tombstones
    // included: unknown fails) → spec check → WorkspaceHelper.getOrganizationForWorkspace (no tombstones: deleted fails).
    const { c, ws } = await customer('self-managed');
    await c.api('DELETE', `/workspaces/${ws.workspaceId}`);
    const cause = (id: string) => `io.airbyte.data.ConfigNotFoundException: config type: STANDARD_WORKSPACE id: ${id}`;
    for (const [path, body] of [
      ['/sources', { name: 'Faker', definitionId: FAKER, configuration: {} }],
      ['/destinations', { name: 'Lake', definitionId: S3, configuration: S3_CONFIG }],
    ] as const) {
      const unknown = await c.api('POST', path, { ...body, workspaceId: UNKNOWN });
      expect(unknown.status).toBe(500);
      expect(unknown.json).toMatchObject({ title: 'unexpected-problem', data: { message: cause(UNKNOWN) } });
      const deleted = await c.api('POST', path, { ...body, workspaceId: ws.workspaceId });
      expect(deleted.status).toBe(500);
      expect(deleted.json).toMatchObject({ title: 'unexpected-problem', data: { message: `java.util.concurrent.CompletionException: ${cause(ws.workspaceId)}` } });
    }
    // The definition is looked up first, the spec checked before the deleted workspace is noticed.
    expect((await c.api('POST', '/sources', { name: 'x', workspaceId: UNKNOWN, definitionId: UNKNOWN, configuration: {} })).json).toMatchObject({ status: 404, data: { resourceType: 'STANDARD_SOURCE_DEFINITION' } });
    expect((await c.api('POST', '/destinations', { name: 'x', workspaceId: ws.workspaceId, definitionId: S3, configuration: {} })).status).toBe(422);
  });

  it('POST /connections in a deleted workspace: 500 "Cannot run discover on tombstoned workspace" (SchedulerHandler.discover)', async () => {
    const { c, ws, source, destination } = await customer('self-managed');
    await c.api('DELETE', `/workspaces/${ws.workspaceId}`);
    const res = await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId });
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ title: 'unexpected-problem', data: { message: 'Cannot run discover on tombstoned workspace' } });
  });

  it('GET /jobs/{id} and DELETE /jobs/{id} of an unknown job: 409 "Job is not currently running" (DefaultJobPersistence.getJob → ConfigClientErrorHandler)', async () => {
    const { c } = await customer('self-managed');
    for (const method of ['GET', 'DELETE']) {
      expect((await c.api(method, '/jobs/987654')).json).toMatchObject({ status: 409, title: 'state-conflict', data: { message: 'Job is not currently running' } });
    }
  });
});

describe('both: a deleted source or destination in a live workspace', () => {
  it.each(['cloud', 'self-managed'] as const)('%s: GET reads them (200); POST /connections with the deleted destination succeeds, with the deleted source fails its discover (500)', async (deployment) => {
    // ConnectionsHandler.createConnection has no tombstone check (airbytehq/airbyte#14664); the public
    // route discovers the source first, whose configuration SourceServiceJooqImpl.tombstoneSource voided.
    const { c, ws, source, destination } = await customer(deployment);
    const other = (await c.api('POST', '/sources', { name: 'Faker 2', workspaceId: ws.workspaceId, definitionId: FAKER, configuration: {} })).json;
    const otherLake = (await c.api('POST', '/destinations', { name: 'Lake 2', workspaceId: ws.workspaceId, definitionId: S3, configuration: S3_CONFIG })).json;
    expect((await c.api('DELETE', `/sources/${source.sourceId}`)).status).toBe(204);
    expect((await c.api('DELETE', `/destinations/${otherLake.destinationId}`)).status).toBe(204);
    expect((await c.api('GET', `/sources/${source.sourceId}`)).status).toBe(200);
    expect((await c.api('GET', `/destinations/${otherLake.destinationId}`)).status).toBe(200);
    const withDeletedSource = await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId });
    expect(withDeletedSource.status).toBe(500);
    expect(withDeletedSource.json).toMatchObject({ title: 'unexpected-problem', data: { message: expect.stringMatching(/^Something went wrong in the connector\. logs:/) } });
    const withDeletedDestination = await c.api('POST', '/connections', { sourceId: other.sourceId, destinationId: otherLake.destinationId, configurations: { streams: [{ name: 'users' }] } });
    expect(withDeletedDestination.status).toBe(200);
  });
});
