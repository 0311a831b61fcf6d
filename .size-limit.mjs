/**
 * Size budgets, checked by `npm test` (after the build) with size-limit: what a host page loads
 * for each way of using the kit, brotli-compressed, React not counted (the host's), React Query
 * counted (a peer too since issue 18, but a host without it gets it with the kit). Code
 * behind import() (the form, other languages) is left out where the page does not need it yet.
 * `npm run bench` puts the same page beside its baseline (plain RJSF + validator-ajv8 + React Query).
 * Raised for "every onboarding finishes or says why" (measured: +1.9 kB SourceManager, +2.88 kB
 * form, mostly the new English messages every entry carries, icons and their letter fallback, and
 * direction isolation). The manage view's code (and the unfinished-setup panel) load on demand;
 * the widget fetches the manage view in idle time. The form's budget follows the eval-free
 * validator and markdown-to-jsx descriptions (measured 125.9 kB, was 175 kB with ajv + marked +
 * DOMPurify). SourceManager 24 → 24.5 kB for the broken-credentials state (measured 24.23 kB:
 * its badge, hint and messages, +0.4 kB).
 */
/**
 * React Query is a peer dependency (one copy, the host's), which size-limit leaves out like React;
 * it is counted here, as before it became one: a host without it gets it with the kit.
 */
const countReactQuery = (config) => ({ ...config, external: (config.external ?? []).filter((name) => !name.startsWith('@tanstack/')) });
const staticOnly = (config, keep = /^$/) => ({
  ...countReactQuery(config),
  plugins: [
    ...(config.plugins ?? []),
    {
      name: 'leave-lazy-chunks-out',
      setup: (build) => build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' && !keep.test(args.path) ? { path: args.path, external: true } : undefined)),
    },
  ],
});
/** The manage view counts its list's code (loaded on mount), not the edit form's. */
const withManageView = (config) => staticOnly(config, /ManagerBody/);

export default [
  { name: 'ConnectWidget until a form opens', path: 'dist/index.js', import: '{ AirbyteEmbedProvider, ConnectWidget }', modifyEsbuildConfig: staticOnly, limit: '25 kB' },
  { name: 'SourceManager (manage view only)', path: 'dist/index.js', import: '{ AirbyteEmbedProvider, SourceManager }', modifyEsbuildConfig: withManageView, limit: '24.5 kB' },
  { name: 'headless: hooks and ProxyClient', path: 'dist/index.js', import: '{ AirbyteEmbedProvider, useTemplates, useCreateSource, useSources, ProxyClient }', modifyEsbuildConfig: staticOnly, limit: '13 kB' },
  { name: 'the form, loaded when one opens (RJSF, validator, widgets)', path: 'dist/form.js', import: '{ SourceForm }', modifyEsbuildConfig: countReactQuery, limit: '135 kB' },
];
