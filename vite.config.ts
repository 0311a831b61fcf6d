/// <reference types="vitest/config" />
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

const dirname = path.dirname(fileURLToPath(import.meta.url));
/** React 18.3 for the dom-react18 project: its own react + react-dom pair (test/react18/package.json). */
const react18 = path.join(dirname, 'test/react18/node_modules');

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
    include: ['msw-storybook-addon/csf3', 'msw', 'msw/browser', 'react-dom/client', '@tanstack/react-query', '@rjsf/core', '@rjsf/utils', '@cfworker/json-schema', 'markdown-to-jsx'],
  },
  test: {
    projects: [
      {
        extends: true,
        // Generous timeouts: under `npm test` these share two cores with the Chromium projects.
        test: { name: 'node', environment: 'node', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/reliability/**'], testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: { name: 'dom', environment: 'jsdom', include: ['test/**/*.test.tsx'], exclude: ['test/**/*.browser.test.tsx'], setupFiles: ['test/setup/dom.ts'], testTimeout: 20_000 },
      },
      {
        // The component tests again on React 18.3 (the peer range is ^18.2 || ^19): react and
        // react-dom (every subpath: /client, /server, /jsx-runtime…) resolve to test/react18/. Deps
        // that import React are inlined, or Node would load them with the root's React 19; the
        // setup file fails the run if React is not 18.
        extends: true,
        resolve: {
          alias: [
            { find: /^react(\/.*)?$/, replacement: `${react18}/react$1` },
            { find: /^react-dom(\/.*)?$/, replacement: `${react18}/react-dom$1` },
            // Its package.json has no `exports`: Vite would take `main` (CommonJS, whose require()
            // Node resolves to React 19); its ESM build goes through the aliases above.
            { find: /^@testing-library\/react$/, replacement: path.join(dirname, 'node_modules/@testing-library/react/dist/@testing-library/react.esm.js') },
          ],
        },
        test: {
          name: 'dom-react18',
          environment: 'jsdom',
          include: ['test/react/**/*.test.tsx'],
          exclude: ['test/**/*.browser.test.tsx'],
          setupFiles: ['test/setup/react18.ts', 'test/setup/dom.ts'],
          server: { deps: { inline: [/@rjsf\//, /@tanstack\//, /@testing-library\/react/, /markdown-to-jsx/] } },
          testTimeout: 20_000,
        },
      },
      {
        // Component tests in real Chromium (a person-like user through Playwright's events).
        extends: true,
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.tsx'],
          browser: browser(),
          testTimeout: 120_000,
          // The person-like corpus: a seeded sample in `npm test`, every spec in `npm run test:corpus`.
          provide: { corpusSeed: Number(process.env.CORPUS_SEED ?? 20261201), corpusSample: Number(process.env.CORPUS_SAMPLE ?? 90), corpusOnly: process.env.CORPUS_ONLY ?? '' },
        },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir: path.join(dirname, '.storybook') })],
        test: { name: 'storybook', browser: browser(), testTimeout: 60_000 },
      },
      {
        // Every story again in the dark theme (play functions and axe included).
        extends: true,
        plugins: [storybookTest({ configDir: path.join(dirname, '.storybook'), initialGlobals: { theme: 'dark' } })],
        test: { name: 'storybook-dark', browser: browser(), testTimeout: 60_000 },
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
