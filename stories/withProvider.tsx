import type { Decorator } from '@storybook/react-vite';
import { AirbyteEmbedProvider } from '../src/react/EmbedProvider.tsx';
import type { Theme } from '../src/react/WidgetRoot.tsx';
import { BASE } from './proxyHandlers.ts';

/**
 * A fresh provider (and query cache) per story, so states never leak between stories, with the
 * toolbar's theme and the `locale` global when one is set (the layout check runs every story in
 * several languages this way). A story can pass its own `getSessionToken` in `parameters`.
 */
export const withProvider: Decorator = (Story, { globals, parameters }) => (
  <AirbyteEmbedProvider
    baseUrl={BASE}
    getSessionToken={(parameters.getSessionToken as (() => string) | undefined) ?? (() => 'story-session-token')}
    theme={(globals.theme as Theme | undefined) ?? 'light'}
    locale={globals.locale as string | undefined}
  >
    <Story />
  </AirbyteEmbedProvider>
);
