/** msw handlers standing in for the kit's proxy in stories, one factory per scenario. */
import { delay, http, HttpResponse } from 'msw';
import type { ConnectionStatus, ErrorBody } from '../src/shared/contract.ts';
import { connectionStatus, onboardingResult, templateDetail, templateSummaries } from '../test/fixtures/proxyFixtures.ts';

export const BASE = '/api/embed';

export interface ScenarioOptions {
  templates?: typeof templateSummaries;
  templatesDelay?: number | 'infinite';
  templatesError?: ErrorBody;
  createError?: { status: number; body: ErrorBody };
  createDelay?: number | 'infinite';
  /** Successive answers of GET /connections/:id; the last one repeats. */
  connection?: ConnectionStatus[];
}

export function proxyHandlers(options: ScenarioOptions = {}) {
  let polls = 0;
  return [
    http.get(`${BASE}/templates`, async () => {
      if (options.templatesDelay !== undefined) await delay(options.templatesDelay);
      if (options.templatesError) return HttpResponse.json(options.templatesError, { status: 503 });
      return HttpResponse.json({ data: options.templates ?? templateSummaries });
    }),
    http.get(`${BASE}/templates/:id`, ({ params }) => HttpResponse.json(templateDetail(String(params.id)))),
    http.post(`${BASE}/sources`, async ({ request }) => {
      const body = (await request.json()) as { templateId: string };
      if (options.createDelay !== undefined) await delay(options.createDelay);
      if (options.createError) return HttpResponse.json(options.createError.body, { status: options.createError.status });
      return HttpResponse.json(onboardingResult(body.templateId), { status: 201 });
    }),
    http.get(`${BASE}/connections/:id`, () => {
      const answers = options.connection ?? [connectionStatus('running', 1200), connectionStatus('succeeded', 5000)];
      const answer = answers[Math.min(polls++, answers.length - 1)]!;
      return HttpResponse.json(answer);
    }),
  ];
}
