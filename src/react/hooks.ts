import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import type { ProxyClient } from '../client/proxyClient.ts';
import { embedKeys } from '../client/queryKeys.ts';
import { isTerminalJobStatus, type CreateSourceRequest, type OnboardingResult } from '../shared/contract.ts';
import type { EmbedError } from '../shared/errors.ts';
import { useProxyClient } from './EmbedProvider.tsx';

/** Options every hook takes: an explicit client overrides the provider's. */
export interface HookOptions {
  client?: ProxyClient;
}

/** The customer's catalog of source templates. */
export function useTemplates(options: HookOptions = {}) {
  const client = useProxyClient(options.client);
  return useQuery({ queryKey: embedKeys.templates(), queryFn: () => client.listTemplates(), select: (r) => r.data, staleTime: 60_000 });
}

/** One template with its form spec and what its connection templates will do. */
export function useTemplate(templateId: string | undefined, options: HookOptions = {}) {
  const client = useProxyClient(options.client);
  return useQuery({
    queryKey: embedKeys.template(templateId ?? ''),
    queryFn: () => client.getTemplate(templateId!),
    enabled: Boolean(templateId),
    staleTime: 60_000,
  });
}

/**
 * Creates a source from a template (onboarding). Errors are {@link EmbedError}s; a
 * `invalid_config` one carries `fieldErrors` for the form. Never retried automatically.
 */
export function useCreateSource(options: HookOptions & { onSuccess?: (result: OnboardingResult) => void } = {}) {
  const client = useProxyClient(options.client);
  const queryClient = useQueryClient();
  // One idempotency key per submission: resubmitting the same values (a retry after an error, a
  // double click) reuses it, so the proxy resumes instead of creating a second source.
  const submission = useRef<{ body: string; key: string } | undefined>(undefined);
  return useMutation<OnboardingResult, EmbedError, CreateSourceRequest>({
    mutationFn: (body) => {
      const text = JSON.stringify(body);
      if (submission.current?.body !== text) submission.current = { body: text, key: crypto.randomUUID() };
      return client.createSource(body, { idempotencyKey: submission.current.key });
    },
    onSuccess: (result) => {
      for (const { connection, firstJob } of result.connections) {
        queryClient.setQueryData(embedKeys.connection(connection.connectionId), { connection, latestJob: firstJob });
      }
      options.onSuccess?.(result);
    },
  });
}

/** A connection with its latest job, polled every `pollMs` (default 2 s) while a job runs. */
export function useConnectionStatus(connectionId: string | undefined, options: HookOptions & { pollMs?: number } = {}) {
  const client = useProxyClient(options.client);
  return useQuery({
    queryKey: embedKeys.connection(connectionId ?? ''),
    queryFn: () => client.getConnection(connectionId!),
    enabled: Boolean(connectionId),
    refetchInterval: (query) => {
      const job = query.state.data?.latestJob;
      return job && !isTerminalJobStatus(job.status) ? (options.pollMs ?? 2000) : false;
    },
  });
}
