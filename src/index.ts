/**
 * `airbyte-embed-kit`: React components and hooks for data-source onboarding through the
 * kit's proxy. Browser-safe: nothing here touches Airbyte credentials.
 */
export { AirbyteEmbedProvider, useProxyClient, type AirbyteEmbedProviderProps } from './react/EmbedProvider.tsx';
export { ConnectWidget, type ConnectWidgetProps } from './react/ConnectWidget.tsx';
export { SourceForm, type SourceFormProps } from './react/SourceForm.tsx';
export { ConnectionStatusView } from './react/ConnectionStatusView.tsx';
export { airbyteTheme } from './react/form/theme.ts';
export { useTemplates, useTemplate, useCreateSource, useConnectionStatus, type HookOptions } from './react/hooks.ts';
export { ProxyClient, type ProxyClientOptions } from './client/proxyClient.ts';
export { embedKeys } from './client/queryKeys.ts';
export { toFormSchema, orderKeys, findDiscriminator, SUPPORTED_EXTENSIONS } from './shared/formSchema.ts';
export { EmbedError } from './shared/errors.ts';
export { SECRET_MASK, isTerminalJobStatus } from './shared/contract.ts';
export type * from './shared/contract.ts';
