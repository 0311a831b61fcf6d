/// <reference types="vitest/config" />
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

const dirname = path.dirname(fileURLToPath(import.meta.url));

// A fresh object per project: Vitest mutates `instances`.
const browser = () => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } }),
  instances: [{ browser: 'chromium' as const }],
});

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^airbyte-embed-kit\/styles\.css$/, replacement: path.join(dirname, 'src/react/styles.css') },
      { find: /^airbyte-embed-kit$/, replacement: path.join(dirname, 'src/index.ts') },
      { find: /^airbyte-embed-kit\/form$/, replacement: path.join(dirname, 'src/form.ts') },
      { find: /^airbyte-embed-kit\/server$/, replacement: path.join(dirname, 'src/server.ts') },
      { find: /^airbyte-embed-kit\/testing$/, replacement: path.join(dirname, 'src/testing.ts') },
    ],
  },
  // Stories load real connector specs from ../shared when it is there.
  server: { fs: { allow: [dirname, path.resolve(dirname, '../shared')] } },
  optimizeDeps: {
    include: ['msw-storybook-addon/csf3', 'msw', 'msw/browser', 'react-dom/client', '@tanstack/react-query', '@rjsf/core', '@rjsf/utils', '@rjsf/validator-ajv8', 'dompurify', 'marked'],
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/reliability/**'] },
      },
      {
        extends: true,
        test: { name: 'dom', environment: 'jsdom', include: ['test/**/*.test.tsx'], setupFiles: ['test/setup/dom.ts'], testTimeout: 20_000 },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir: path.join(dirname, '.storybook') })],
        test: { name: 'storybook', browser: browser(), testTimeout: 30_000 },
      },
      {
        // Every story again in the dark theme (play functions and axe included).
        extends: true,
        plugins: [storybookTest({ configDir: path.join(dirname, '.storybook'), initialGlobals: { theme: 'dark' } })],
        test: { name: 'storybook-dark', browser: browser(), testTimeout: 30_000 },
      },
      {
        extends: true,
        // Short counts in `npm test`; `npm run test:reliability` sets RELIABILITY=full.
        test: { name: 'reliability', environment: 'node', include: ['test/reliability/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: { name: 'e2e', environment: 'node', include: ['test/e2e/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 90_000 },
      },
    ],
  },
});
