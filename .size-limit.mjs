/**
 * Size budgets, checked by `npm test` (after the build) with size-limit: what a host page loads
 * for each way of using the kit, brotli-compressed, React not counted (a peer dependency). Code
 * behind import() (the form, other languages) is left out where the page does not need it yet.
 * `npm run bench` puts the same page beside its baseline (plain RJSF + validator-ajv8 + React Query).
 * Raised for "every onboarding finishes or says why" (measured: +2.09 kB ConnectWidget, +0.88 kB
 * SourceManager, +2.88 kB form, mostly the new English messages every entry carries, icons and
 * their letter fallback, and direction isolation); the unfinished-setup panel loads on demand.
 */
const staticOnly = (config) => ({
  ...config,
  plugins: [
    ...(config.plugins ?? []),
    {
      name: 'leave-lazy-chunks-out',
      setup: (build) => build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined)),
    },
  ],
});

export default [
  { name: 'ConnectWidget until a form opens', path: 'dist/index.js', import: '{ AirbyteEmbedProvider, ConnectWidget }', modifyEsbuildConfig: staticOnly, limit: '26.5 kB' },
  { name: 'SourceManager (manage view only)', path: 'dist/index.js', import: '{ AirbyteEmbedProvider, SourceManager }', modifyEsbuildConfig: staticOnly, limit: '23 kB' },
  { name: 'headless: hooks and ProxyClient', path: 'dist/index.js', import: '{ AirbyteEmbedProvider, useTemplates, useCreateSource, useSources, ProxyClient }', modifyEsbuildConfig: staticOnly, limit: '13 kB' },
  { name: 'the form, loaded when one opens (RJSF, validator, widgets)', path: 'dist/form.js', import: '{ SourceForm }', limit: '175 kB' },
];
