/** Query-key factory: every key the kit's queries use, so hosts can invalidate precisely. */
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
