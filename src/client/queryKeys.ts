/**
 * Query-key factory: every key the kit's queries use, so hosts can invalidate precisely
 * (`queryClient.invalidateQueries({ queryKey: embedKeys.sources() })`). The hooks append the
 * proxy client's scope (see {@link clientScope}) so widgets with different clients (customers)
 * on one query cache never share data; a key without it matches every client's by prefix.
 */
export const embedKeys = {
  all: ['airbyte-embed-kit'] as const,
  templates: () => [...embedKeys.all, 'templates'] as const,
  template: (templateId: string) => [...embedKeys.all, 'template', templateId] as const,
  connection: (connectionId: string) => [...embedKeys.all, 'connection', connectionId] as const,
  jobs: (connectionId: string) => [...embedKeys.all, 'jobs', connectionId] as const,
  sources: () => [...embedKeys.all, 'sources'] as const,
  source: (sourceId: string) => [...embedKeys.all, 'source', sourceId] as const,
  onboarding: (idempotencyKey: string) => [...embedKeys.all, 'onboarding', idempotencyKey] as const,
};

const scopes = new WeakMap<object, string>();
let nextScope = 0;

/** A stable id for one client object, for the end of its query keys. */
export function clientScope(client: object): string {
  let scope = scopes.get(client);
  if (!scope) {
    scope = `client-${++nextScope}`;
    scopes.set(client, scope);
  }
  return scope;
}
