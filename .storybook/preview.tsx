import type { Preview } from '@storybook/react-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';
import '../src/react/styles.css';

const preview: Preview = {
  loaders: [mswLoader()],
  // Every story runs twice in `npm test`: light, and dark (the `storybook-dark` Vitest project).
  initialGlobals: { theme: 'light' },
  globalTypes: {
    theme: { description: 'Widget theme', toolbar: { title: 'Theme', icon: 'mirror', items: ['light', 'dark', 'system'], dynamicTitle: true } },
  },
  decorators: [
    (Story, { globals }) => {
      // The page around the widget, as a host's page would be in that theme.
      document.body.style.background = globals.theme === 'dark' ? '#0b0d11' : '';
      document.body.style.color = globals.theme === 'dark' ? '#e8eaed' : '';
      return <Story />;
    },
  ],
  parameters: {
    layout: 'padded',
    // axe-core after each story's play function; any WCAG 2.0–2.2 A/AA violation fails the test.
    a11y: {
      test: 'error',
      options: { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } },
    },
  },
};
export default preview;
