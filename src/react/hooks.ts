import { useMutation, useQuery, useQueryClient, type QueryKey, type UseQueryOptions, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { newId } from '../shared/newId.ts';
import type { ProxyClient } from '../client/proxyClient.ts';
import { clientScope, embedKeys } from '../client/queryKeys.ts';
import { isOnboardingPending, isTerminalJobStatus, type ConnectionStreams, type CreateSourceRequest, type JobSummary, type OnboardingPending, type OnboardingResult, type SourceOverview, type StreamRef, type UpdateSourceRequest } from '../shared/contract.ts';
import type { EmbedError } from '../shared/errors.ts';
import { useProxyClient } from './EmbedProvider.tsx';

/** Options every hook takes: an explicit client overrides the provider's. */
export interface HookOptions {
  client?: ProxyClient | undefined;
}

/**
 * `useQuery` whose error is typed as what the kit throws: an {@link EmbedError} (code, message,
 * field errors), not a plain `Error`, so `query.error.code` needs no cast.
 */
const useEmbedQuery = useQuery as <TQueryFnData, TData = TQueryFnData, TQueryKey extends QueryKey = QueryKey>(
  options: UseQueryOptions<TQueryFnData, EmbedError, TData, TQueryKey>,
) => UseQueryResult<TData, EmbedError>;

const running = (job: JobSummary | null | undefined) => Boolean(job && !isTerminalJobStatus(job.status));

/** The customer's catalog of source templates. */
export function useTemplates(options: HookOptions = {}) {
  const client = useProxyClient(options.client);
  return useEmbedQuery({ queryKey: [...embedKeys.templates(), clientScope(client)], queryFn: () => client.listTemplates(), select: (r) => r.data, staleTime: 60_000 });
}

/** One template with its form spec and what its connection templates will do. */
export function useTemplate(templateId: string | undefined, options: HookOptions = {}) {
  const client = useProxyClient(options.client);
  return useEmbedQuery({
    queryKey: [...embedKeys.template(templateId ?? ''), clientScope(client)],
    queryFn: () => client.getTemplate(templateId!),
    enabled: Boolean(templateId),
    staleTime: 60_000,
  });
}

/**
 * Creates a source from a template (onboarding). Errors are {@link EmbedError}s; an
 * `invalid_config` one carries `fieldErrors` for the form, a `check_failed` one the connector's
 * words. Never retried automatically. The outcome (`data`) is the result, or a `needs_streams`
 * answer: send the same request again with `streams` (the idempotency key is kept, so the source
 * already made and checked is reused). `submissionKey` is the latest submission's idempotency key:
 * poll its progress with {@link useOnboardingProgress}. A slow check (202) is waited for here.
 */
export function useCreateSource(options: HookOptions & { onSuccess?: (result: OnboardingResult) => void } = {}) {
  const client = useProxyClient(options.client);
  const queryClient = useQueryClient();
  // One idempotency key per submission: resubmitting the same values (a retry after an error, a
  // double click, the stream choice that follows) reuses it, so the proxy resumes instead of
  // creating a second source.
  const submission = useRef<{ body: string; key: string } | undefined>(undefined);
  const [submissionKey, setSubmissionKey] = useState<string | undefined>(undefined);
  const mutation = useMutation<OnboardingResult | OnboardingPending, EmbedError, CreateSourceRequest>({
    mutationFn: (body) => {
      const { streams: _streams, ...same } = body;
      const text = JSON.stringify(same);
      if (submission.current?.body !== text) submission.current = { body: text, key: newId() };
      setSubmissionKey(submission.current.key);
      return client.connectSource(body, { idempotencyKey: submission.current.key });
    },
    onSuccess: (outcome) => {
      if (isOnboardingPending(outcome)) return;
      for (const { connection, firstJob } of outcome.connections) {
        queryClient.setQueryData([...embedKeys.connection(connection.connectionId), clientScope(client)], { connection, latestJob: firstJob });
      }
      void queryClient.invalidateQueries({ queryKey: [...embedKeys.sources(), clientScope(client)] });
      options.onSuccess?.(outcome);
    },
  });
  return Object.assign(mutation, { submissionKey });
}

/** A connection's discovered streams with what it syncs now, and a mutation that changes the selection. */
export function useConnectionStreams(connectionId: string | undefined, options: HookOptions & { enabled?: boolean } = {}) {
  const client = useProxyClient(options.client);
  const queryClient = useQueryClient();
  const key = [...embedKeys.connection(connectionId ?? ''), 'streams', clientScope(client)];
  const query = useEmbedQuery({ queryKey: key, queryFn: () => client.getConnectionStreams(connectionId!), enabled: Boolean(connectionId) && options.enabled !== false, staleTime: 0 });
  const update = useMutation<ConnectionStreams, EmbedError, StreamRef[]>({
    mutationFn: (streams) => client.updateConnectionStreams(connectionId!, { streams }),
    onSuccess: (data) => {
      queryClient.setQueryData(key, data);
      void queryClient.invalidateQueries({ queryKey: [...embedKeys.sources(), clientScope(client)] });
    },
  });
  return { query, update };
}

/** Progress of a running onboarding (by its idempotency key), polled every `pollMs` (default 400 ms) while `enabled`. */
export function useOnboardingProgress(submissionKey: string | undefined, options: HookOptions & { enabled?: boolean; pollMs?: number } = {}) {
  const client = useProxyClient(options.client);
  const queryClient = useQueryClient();
  const enabled = Boolean(submissionKey) && options.enabled !== false;
  // Once the onboarding has answered, a poll still waiting for it is abandoned.
  useEffect(() => {
    if (!enabled && submissionKey) void queryClient.cancelQueries({ queryKey: [...embedKeys.onboarding(submissionKey), clientScope(client)] });
  }, [enabled, submissionKey, queryClient]);
  return useEmbedQuery({
    queryKey: [...embedKeys.onboarding(submissionKey ?? ''), clientScope(client)],
    queryFn: ({ signal }) => client.getOnboarding(submissionKey!, { signal }),
    enabled,
    refetchInterval: enabled ? (options.pollMs ?? 400) : false,
    retry: false,
  });
}

/** A connection with its latest job, polled every `pollMs` (default 2 s) while a job runs. */
export function useConnectionStatus(connectionId: string | undefined, options: HookOptions & { pollMs?: number } = {}) {
  const client = useProxyClient(options.client);
  return useEmbedQuery({
    queryKey: [...embedKeys.connection(connectionId ?? ''), clientScope(client)],
    queryFn: () => client.getConnection(connectionId!),
    enabled: Boolean(connectionId),
    refetchInterval: (query) => (running(query.state.data?.latestJob) ? (options.pollMs ?? 2000) : false),
  });
}

/** The customer's sources with their connections and last syncs (the manage view), polled while a sync runs. */
export function useSources(options: HookOptions & { pollMs?: number } = {}) {
  const client = useProxyClient(options.client);
  return useEmbedQuery({
    queryKey: [...embedKeys.sources(), clientScope(client)],
    queryFn: () => client.listSources(),
    select: (r): SourceOverview[] => r.data,
    refetchInterval: (query) => (query.state.data?.data.some((s) => s.setup?.state === 'running' || s.connections.some((c) => running(c.lastJob))) ? (options.pollMs ?? 2000) : false),
  });
}

/** One source opened for editing: its form spec and values, secrets masked. Never cached between openings. */
export function useSource(sourceId: string | undefined, options: HookOptions = {}) {
  const client = useProxyClient(options.client);
  return useEmbedQuery({ queryKey: [...embedKeys.source(sourceId ?? ''), clientScope(client)], queryFn: () => client.getSource(sourceId!), enabled: Boolean(sourceId), gcTime: 0, staleTime: 0 });
}

/** Saves a source's new values (a secret left as the mask keeps its stored value) or name. */
export function useUpdateSource(options: HookOptions = {}) {
  const client = useProxyClient(options.client);
  const queryClient = useQueryClient();
  return useMutation<SourceOverview, EmbedError, { sourceId: string } & UpdateSourceRequest>({
    mutationFn: ({ sourceId, ...body }) => client.updateSource(sourceId, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...embedKeys.sources(), clientScope(client)] }),
  });
}

/**
 * "Finish setup" of an unfinished onboarding (`SourceOverview.setup`): resumes it server side and
 * resolves with the result, or `needs_streams` (mutate again with `streams`). The sources list
 * is refreshed either way, so the card shows what is true now.
 */
export function useResumeOnboarding(options: HookOptions = {}) {
  const client = useProxyClient(options.client);
  const queryClient = useQueryClient();
  return useMutation<OnboardingResult | OnboardingPending, EmbedError, { onboardingKey: string; streams?: StreamRef[] }>({
    mutationFn: ({ onboardingKey, streams }) => client.resumeOnboarding(onboardingKey, streams ? { streams } : {}),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [...embedKeys.sources(), clientScope(client)] }),
  });
}

/** "Remove" of an unfinished onboarding: deletes what it made in Airbyte. */
export function useRemoveOnboarding(options: HookOptions = {}) {
  const client = useProxyClient(options.client);
  const queryClient = useQueryClient();
  return useMutation<{ deleted: true }, EmbedError, { onboardingKey: string; sourceId: string }>({
    mutationFn: ({ onboardingKey }) => client.removeOnboarding(onboardingKey),
    onSuccess: (_r, { sourceId }) => {
      queryClient.setQueryData<{ data: SourceOverview[] }>([...embedKeys.sources(), clientScope(client)], (old) => old && { data: old.data.filter((s) => s.sourceId !== sourceId) });
      void queryClient.invalidateQueries({ queryKey: [...embedKeys.sources(), clientScope(client)] });
    },
  });
}

/** Deletes a source and its connections. */
export function useDeleteSource(options: HookOptions = {}) {
  const client = useProxyClient(options.client);
  const queryClient = useQueryClient();
  return useMutation<{ deleted: true }, EmbedError, string>({
    mutationFn: (sourceId) => client.deleteSource(sourceId),
    onSuccess: (_result, sourceId) => {
      queryClient.setQueryData<{ data: SourceOverview[] }>([...embedKeys.sources(), clientScope(client)], (old) => old && { data: old.data.filter((s) => s.sourceId !== sourceId) });
      void queryClient.invalidateQueries({ queryKey: [...embedKeys.sources(), clientScope(client)] });
    },
  });
}

/**
 * Starts a sync of a connection now ("Sync now"); `sync_running` when one already runs. The new
 * job becomes the connection's last job in the sources list at once. `onStarted` runs even if
 * the calling component has unmounted meanwhile.
 */
export function useStartSync(options: HookOptions & { onStarted?: (job: JobSummary, connectionId: string) => void } = {}) {
  const client = useProxyClient(options.client);
  const queryClient = useQueryClient();
  return useMutation<JobSummary, EmbedError, string>({
    mutationFn: (connectionId) => client.startSync(connectionId),
    onSuccess: (job, connectionId) => {
      queryClient.setQueryData<{ data: SourceOverview[] }>([...embedKeys.sources(), clientScope(client)], (old) =>
        old && { data: old.data.map((s) => ({ ...s, connections: s.connections.map((c) => (c.connection.connectionId === connectionId ? { ...c, lastJob: job } : c)) })) },
      );
      options.onStarted?.(job, connectionId);
    },
    onSettled: (_job, _error, connectionId) => {
      void queryClient.invalidateQueries({ queryKey: [...embedKeys.sources(), clientScope(client)] });
      void queryClient.invalidateQueries({ queryKey: [...embedKeys.jobs(connectionId), clientScope(client)] });
      void queryClient.invalidateQueries({ queryKey: [...embedKeys.connection(connectionId), clientScope(client)] });
    },
  });
}

/** A connection's sync history, newest first, polled while its newest job runs. */
export function useJobs(connectionId: string | undefined, options: HookOptions & { pollMs?: number; enabled?: boolean } = {}) {
  const client = useProxyClient(options.client);
  return useEmbedQuery({
    queryKey: [...embedKeys.jobs(connectionId ?? ''), clientScope(client)],
    queryFn: () => client.listJobs(connectionId!),
    select: (r) => r.data,
    enabled: Boolean(connectionId) && options.enabled !== false,
    refetchInterval: (query) => (running(query.state.data?.data[0]) ? (options.pollMs ?? 2000) : false),
  });
}
