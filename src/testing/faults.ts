import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { JobFailureRecord } from './emulatorState.ts';
import { DEFAULT_JOB_FAILURE } from './jobs.ts';
import { problem } from './problems.ts';

/**
 * One fault to inject. `match` selects requests: `*` (default), an operationId (`createSource`),
 * or `METHOD /path` where `*` in the path matches one segment (`POST /sources`, `GET /jobs/*`).
 * `rate` (0–1, seeded) or `times` (the next N matching calls) limit how often it fires.
 */
export interface FaultRule {
  match?: string | undefined;
  kind: 'latency' | 'status' | 'drop' | 'hang';
  /** For `status`: 429, 500, 502 or 503 (any status works). */
  status?: number | undefined;
  /** For `latency`: added milliseconds before the real answer. */
  latencyMs?: number | undefined;
  rate?: number | undefined;
  times?: number | undefined;
}

/** What the fault layer decided for one request. */
export type FaultDecision = { kind: 'none' } | { kind: 'latency'; ms: number } | { kind: 'status'; status: number } | { kind: 'drop' } | { kind: 'hang' };

function matches(rule: FaultRule, method: string, path: string, operationId: string | undefined): boolean {
  const m = rule.match ?? '*';
  if (m === '*') return true;
  if (!m.includes(' ')) return m === operationId;
  const [wantMethod, wantPath] = m.split(/\s+/, 2) as [string, string];
  if (wantMethod.toUpperCase() !== method.toUpperCase()) return false;
  const re = new RegExp(`^${wantPath.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
  return re.test(path);
}

/**
 * Forces sync jobs to fail: those of `connectionId` (default every connection), the next `times`
 * (default all), each with `failure` (default Airbyte's generic source failure; pass
 * `{ failureType: 'config_error', failureOrigin: 'source', externalMessage }` for credentials the
 * source refuses). Repeated failures lead to the disable warning (10) and the disable (20).
 */
export interface JobFailureRule {
  connectionId?: string | undefined;
  failure?: JobFailureRecord | undefined;
  times?: number | undefined;
}

/** The fault rules in force and their seeded dice. */
export class FaultInjector {
  private rules: Array<FaultRule & { remaining?: number }> = [];
  private jobRules: Array<JobFailureRule & { remaining?: number }> = [];
  private rng: RandomGenerator;
  /** Faults fired so far, by kind (tests and reports read it). */
  readonly fired: Record<string, number> = {};

  constructor(rules: FaultRule[] = [], seed = 42) {
    this.rng = xoroshiro128plus(seed);
    this.set(rules);
  }

  /** Replaces every rule. */
  set(rules: FaultRule[]): void {
    for (const r of rules) {
      if (r.rate !== undefined && !(r.rate >= 0 && r.rate <= 1)) throw new Error(`fault rate must be between 0 and 1, got ${r.rate}`);
      if (r.kind === 'status' && !r.status) throw new Error('a status fault needs "status" (e.g. 503)');
    }
    this.rules = rules.map((r) => ({ ...r, remaining: r.times }));
  }

  /** Removes every rule, the job failures too. */
  clear(): void {
    this.rules = [];
    this.jobRules = [];
  }

  /** Adds a rule that makes sync jobs fail (see {@link JobFailureRule}); `clearJobFailures()` ends them. */
  failJobs(rule: JobFailureRule = {}): void {
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) throw new Error(`failJobs: times must be a positive whole number, got ${rule.times}`);
    this.jobRules.push({ ...rule, remaining: rule.times });
  }

  clearJobFailures(): void {
    this.jobRules = [];
  }

  /** The failure a new job of this connection is forced to end with, if a rule says so (consumes one of its `times`). */
  jobFailure(connectionId: string, jobType: string): JobFailureRecord | undefined {
    if (jobType !== 'sync') return undefined;
    const rule = this.jobRules.find((r) => (r.connectionId === undefined || r.connectionId === connectionId) && (r.remaining === undefined || r.remaining > 0));
    if (!rule) return undefined;
    if (rule.remaining !== undefined) rule.remaining--;
    this.fired.jobFailure = (this.fired.jobFailure ?? 0) + 1;
    return rule.failure ?? DEFAULT_JOB_FAILURE;
  }

  /** Decides the fault for one request; the first matching rule that fires wins. */
  decide(method: string, path: string, operationId?: string): FaultDecision {
    for (const rule of this.rules) {
      if (!matches(rule, method, path, operationId)) continue;
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      if (rule.rate !== undefined && uniformInt(this.rng, 0, 9999) >= rule.rate * 10000) continue;
      if (rule.remaining !== undefined) rule.remaining--;
      this.fired[rule.kind] = (this.fired[rule.kind] ?? 0) + 1;
      switch (rule.kind) {
        case 'latency':
          return { kind: 'latency', ms: rule.latencyMs ?? 1000 };
        case 'status':
          return { kind: 'status', status: rule.status! };
        default:
          return { kind: rule.kind };
      }
    }
    return { kind: 'none' };
  }
}

/** What Airbyte (or the gateway in front of it) answers for an injected status. */
export function faultResponse(status: number): Response {
  if (status === 429) return Response.json({ message: 'You are being rate limited.' }, { status });
  if (status === 502 || status === 503 || status === 504) {
    return new Response(`<html><body><h1>${status} ${status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Gateway Timeout'}</h1></body></html>`, {
      status,
      headers: { 'content-type': 'text/html' },
    });
  }
  // api-problems.yaml's UnexpectedProblemResponse: its type URL has no `#…` fragment.
  return problem(status, 'unexpected-problem');
}
