import type { Preview } from '@storybook/react-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';
import '../src/react/styles.css';

const preview: Preview = {
  loaders: [mswLoader()],
  parameters: { layout: 'padded' },
};
export default preview;
