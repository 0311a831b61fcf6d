/**
 * `airbyte-embed-kit`: React components and hooks for data-source onboarding through the
 * kit's proxy. Browser-safe: nothing here touches Airbyte credentials, and importing it touches
 * no browser global (safe in server-rendered apps). The form (RJSF, its validator) and every
 * language but English load on first use; `airbyte-embed-kit/form` is the form, eagerly.
 */
export { AirbyteEmbedProvider, useProxyClient, type AirbyteEmbedProviderProps } from './react/EmbedProvider.tsx';
export { ConnectWidget, type ConnectWidgetProps, type ExitDetails } from './react/ConnectWidget.tsx';
export { SourceManager, type SourceManagerProps } from './react/SourceManager.tsx';
export { LazySourceForm as SourceForm, type LazySourceFormProps as SourceFormProps } from './react/form/LazySourceForm.tsx';
export { ConnectionStatusView } from './react/ConnectionStatusView.tsx';
export type { AppearanceProps, Theme } from './react/WidgetRoot.tsx';
export type { LocaleProps } from './react/i18n.tsx';
export type { EmbedEvent, EmbedEventCommon, EmbedEventFields, EmbedEventOf, EmbedEventType, OAuthFailureReason, WidgetView } from './react/events.ts';
export type { ErrorContext, EventProps } from './react/session.tsx';
export {
  useTemplates,
  useTemplate,
  useCreateSource,
  useOnboardingProgress,
  useConnectionStatus,
  useSources,
  useSource,
  useUpdateSource,
  useDeleteSource,
  useStartSync,
  useJobs,
  useResumeOnboarding,
  useRemoveOnboarding,
  type HookOptions,
} from './react/hooks.ts';
export { ProxyClient, type ProxyClientOptions } from './client/proxyClient.ts';
export { embedKeys } from './client/queryKeys.ts';
export { en as englishMessages } from './shared/i18n/en.ts';
export { SUPPORTED_LOCALES, type LocaleCode } from './shared/i18n/locales.ts';
export { createTranslator, type Messages, type MessageKey, type MessageOverrides, type PluralForms, type Translator } from './shared/i18n/translator.ts';
export { scheduleText, nextRunText } from './shared/i18n/scheduleText.ts';
export { EmbedError } from './shared/errors.ts';
// The contract's values (its types come with `export type *`): the dts bundler drops `type` from
// names re-exported that way, so each value the declarations name must exist at runtime too.
export { SECRET_MASK, IDEMPOTENCY_HEADER, routes, buildPath, isTerminalJobStatus, isOnboardingPending } from './shared/contract.ts';
export type * from './shared/contract.ts';
