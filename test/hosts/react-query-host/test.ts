/**
 * One React Query for host and kit: the installed tree and the built bundle hold one query-core,
 * the host's own query works, and the kit's widget connects a source with its queries in the
 * host's QueryClient.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { checkConnectFlow } from './check.ts';

const installed = new Set(
  execFileSync('npm', ['ls', '@tanstack/query-core', '--all', '--parseable'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('query-core')),
);
if (installed.size !== 1) throw new Error(`expected one installed @tanstack/query-core, found ${installed.size}:\n${[...installed].join('\n')}`);
// "Missing queryFn" is a query-core message: it appears once per copy bundled.
const bundled = readdirSync('dist/assets').filter((f) => f.endsWith('.js')).reduce((n, f) => n + (readFileSync(`dist/assets/${f}`, 'utf8').match(/Missing queryFn/g)?.length ?? 0), 0);
if (bundled !== 1) throw new Error(`expected query-core bundled once, found "Missing queryFn" ${bundled} times in dist/assets`);

await checkConnectFlow({
  extend: (app) => app.get('/my-backend/me', (_req, res) => { res.json({ name: 'Host Customer' }); }),
  more: async (page) => {
    await page.getByText('Signed in as Host Customer').waitFor({ timeout: 10_000 });
    const kitKeys = await page.evaluate(() => window.hostQueryClient.getQueryCache().findAll({ queryKey: ['airbyte-embed-kit'] }).map((q) => q.queryKey[1]));
    if (!kitKeys.includes('templates')) throw new Error(`the kit's queries are not in the host's QueryClient (kit keys there: ${JSON.stringify(kitKeys)})`);
    return `one query-core (${[...installed][0]}); kit queries in the host's cache: ${kitKeys.join(', ')}`;
  },
});
