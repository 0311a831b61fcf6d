/**
 * msw handlers standing in for the kit's proxy in stories: a small in-memory proxy per story
 * (deleting a source removes it, "Sync now" starts a job), configured per scenario. The catalog
 * holds the demo's Faker and Stripe templates plus real connector specs from
 * ../shared/connector-specs when that folder is next to this checkout.
 */
import { delay, http, HttpResponse } from 'msw';
import type { ConnectionStatus, ErrorBody, JobSummary, OnboardingProgress, SourceOverview, TemplateDetail, TemplateSummary } from '../src/shared/contract.ts';
import { describeSchedule } from '../src/shared/schedule.ts';
import type { JsonSchema } from '../src/shared/contract.ts';
import { connectionStatus, job, jobHistory, onboardingResult, sourceDetail, sourceOverviews, storyStreams, templateDetail, templateSummaries } from '../test/fixtures/proxyFixtures.ts';
import templatesFile from '../demo/templates.json';

export const BASE = '/api/embed';

type RealSpec = { name: string; displayName?: string; connectionSpecification: JsonSchema };
const real = import.meta.glob<RealSpec>('../../shared/connector-specs/sources/source-{postgres,hubspot,salesforce,shopify,github,slack,notion,zendesk-support,mysql,google-sheets}.json', {
  eager: true,
  import: 'default',
});
const realTemplates: TemplateDetail[] = Object.values(real)
  .map((spec) => ({
    id: spec.name,
    name: spec.displayName ?? spec.name,
    spec: spec.connectionSpecification,
    connections: [{ destinationName: templatesFile.connections[0]!.destination_name, schedule: describeSchedule(templatesFile.connections[0]!.cron_expression), syncOnCreate: true }],
  }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** The stories' catalog: the demo templates, then real connectors when ../shared is present. */
export const storyCatalog: TemplateSummary[] = [...templateSummaries, ...realTemplates.map(({ id, name }) => ({ id, name }))];
const detailOf = (id: string): TemplateDetail => realTemplates.find((t) => t.id === id) ?? templateDetail(id);

export interface ScenarioOptions {
  templates?: TemplateSummary[];
  templatesDelay?: number | 'infinite';
  templatesError?: ErrorBody;
  createError?: { status: number; body: ErrorBody };
  createDelay?: number | 'infinite';
  /** What GET /onboardings/:key answers while a create runs. */
  progress?: OnboardingProgress;
  /** Successive answers of GET /connections/:id; the last one repeats. */
  connection?: ConnectionStatus[];
  /** The customer's sources (manage view); default: one synced, one syncing, one failed. */
  sources?: SourceOverview[];
  sourcesDelay?: number | 'infinite';
  sourcesError?: ErrorBody;
  updateError?: { status: number; body: ErrorBody };
  /** What "Finish setup" answers (`POST /onboardings/:key/resume`); default: it finishes. */
  resumeError?: { status: number; body: ErrorBody };
  /** Every call with this token answers 401 `session_expired` (the widget must ask for another). */
  expiredToken?: string;
}

const expired = { error: { code: 'session_expired', message: 'The session has expired. Ask the host app for a new session token.' } };

/** Every scenario's state, reset before each story (meta `beforeEach`): handler lists live as long as the module. */
const scenarios = new Set<() => void>();

/** Starts every story from its scenario's initial data. */
export function resetStoryProxies(): void {
  for (const reset of scenarios) reset();
  // Each story starts as a fresh tab: no form draft from the story before.
  sessionStorage.clear();
}

export function proxyHandlers(options: ScenarioOptions = {}) {
  let polls = 0;
  let sources: SourceOverview[] = [];
  const jobs = new Map<string, JobSummary[]>();
  const reset = () => {
    polls = 0;
    sources = structuredClone(options.sources ?? sourceOverviews());
    jobs.clear();
  };
  reset();
  scenarios.add(reset);
  const history = (connectionId: string) => {
    if (!jobs.has(connectionId)) {
      const last = sources.flatMap((s) => s.connections).find((c) => c.connection.connectionId === connectionId)?.lastJob ?? null;
      jobs.set(connectionId, jobHistory(last));
    }
    return jobs.get(connectionId)!;
  };
  const authorized = (request: Request) => !options.expiredToken || request.headers.get('authorization') !== `Bearer ${options.expiredToken}`;
  type Args = { request: Request; params: Record<string, unknown> };
  const guard = (handler: (args: Args) => Response | Promise<Response>) => async (args: Args) =>
    authorized(args.request) ? handler(args) : HttpResponse.json(expired, { status: 401 });

  return [
    http.get(
      `${BASE}/templates`,
      guard(async () => {
        if (options.templatesDelay !== undefined) await delay(options.templatesDelay);
        if (options.templatesError) return HttpResponse.json(options.templatesError, { status: 503 });
        return HttpResponse.json({ data: options.templates ?? storyCatalog });
      }),
    ),
    http.get(`${BASE}/templates/:id`, guard(({ params }) => HttpResponse.json(detailOf(String(params.id))))),
    http.post(
      `${BASE}/sources`,
      guard(async ({ request }) => {
        const body = (await request.json()) as { templateId: string };
        if (options.createDelay !== undefined) await delay(options.createDelay);
        if (options.createError) return HttpResponse.json(options.createError.body, { status: options.createError.status });
        const result = onboardingResult(body.templateId, detailOf(body.templateId).name);
        // The new source is in the manage view's list from now on, as the proxy's would be.
        if (!sources.some((s) => s.sourceId === result.source.sourceId)) {
          sources = [...sources, { ...result.source, templateName: detailOf(body.templateId).name, connections: result.connections.map(({ connection, firstJob }) => ({ connection, lastJob: firstJob })) }];
        }
        return HttpResponse.json(result, { status: 201 });
      }),
    ),
    http.get(
      `${BASE}/onboardings/:key`,
      guard(() => (options.progress ? HttpResponse.json(options.progress) : HttpResponse.json({ error: { code: 'not_found', message: 'No onboarding with this key has started.' } }, { status: 404 }))),
    ),
    http.get(
      `${BASE}/connections/:id/jobs`,
      guard(({ params }) => HttpResponse.json({ data: history(String(params.id)) })),
    ),
    http.post(
      `${BASE}/connections/:id/sync`,
      guard(({ params }) => {
        const id = String(params.id);
        const started = job('pending', undefined, { jobId: 100 + history(id).length, agoMs: 0 });
        jobs.set(id, [started, ...history(id)]);
        sources = sources.map((s) => ({ ...s, connections: s.connections.map((c) => (c.connection.connectionId === id ? { ...c, lastJob: started } : c)) }));
        return HttpResponse.json(started);
      }),
    ),
    http.get(
      `${BASE}/connections/:id`,
      guard(() => {
        const answers = options.connection ?? [connectionStatus('running', 1200), connectionStatus('succeeded', 5000)];
        return HttpResponse.json(answers[Math.min(polls++, answers.length - 1)]!);
      }),
    ),
    http.get(
      `${BASE}/sources`,
      guard(async () => {
        if (options.sourcesDelay !== undefined) await delay(options.sourcesDelay);
        if (options.sourcesError) return HttpResponse.json(options.sourcesError, { status: 503 });
        return HttpResponse.json({ data: sources });
      }),
    ),
    http.get(
      `${BASE}/sources/:id`,
      guard(({ params }) => {
        const source = sources.find((s) => s.sourceId === params.id);
        return source ? HttpResponse.json(sourceDetail(source)) : HttpResponse.json({ error: { code: 'not_found', message: 'No such source.' } }, { status: 404 });
      }),
    ),
    http.patch(
      `${BASE}/sources/:id`,
      guard(({ params }) => {
        if (options.updateError) return HttpResponse.json(options.updateError.body, { status: options.updateError.status });
        return HttpResponse.json(sources.find((s) => s.sourceId === params.id));
      }),
    ),
    http.post(
      `${BASE}/onboardings/:key/resume`,
      guard(async ({ request, params }) => {
        const source = sources.find((s) => s.setup?.onboardingKey === params.key);
        if (!source) return HttpResponse.json({ error: { code: 'not_found', message: 'There is no unfinished setup with this key.' } }, { status: 404 });
        if (options.resumeError) return HttpResponse.json(options.resumeError.body, { status: options.resumeError.status });
        const body = (await request.json().catch(() => ({}))) as { streams?: unknown[] };
        const { setup: _setup, ...rest } = source;
        if (source.setup?.state === 'needs_streams' && !body.streams) {
          return HttpResponse.json({ status: 'needs_streams', onboardingKey: String(params.key), source: rest, streams: storyStreams }, { status: 202 });
        }
        const result = onboardingResult(source.templateId, source.name);
        const connection = { ...result.connections[0]!.connection, sourceId: source.sourceId, connectionId: `${source.sourceId.slice(0, -4)}c0nn` };
        const firstJob = job('running', 0, { jobId: 200, agoMs: 0 });
        sources = sources.map((s) => (s.sourceId === source.sourceId ? { ...rest, connections: [{ connection, lastJob: firstJob }] } : s));
        return HttpResponse.json({ source: { sourceId: source.sourceId, name: source.name, templateId: source.templateId, createdAt: source.createdAt }, connections: [{ connection, firstJob }] });
      }),
    ),
    http.delete(
      `${BASE}/onboardings/:key`,
      guard(({ params }) => {
        sources = sources.filter((s) => s.setup?.onboardingKey !== params.key);
        return HttpResponse.json({ deleted: true });
      }),
    ),
    http.delete(
      `${BASE}/sources/:id`,
      guard(({ params }) => {
        sources = sources.filter((s) => s.sourceId !== params.id);
        return HttpResponse.json({ deleted: true });
      }),
    ),
  ];
}
