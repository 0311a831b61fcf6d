/** `npm start`: the demo stack on http://127.0.0.1:4321 (PORT overrides); state kept in .demo-data/. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './server.ts';

const port = Number(process.env.PORT ?? 4321);
const dataDir = process.env.DEMO_DATA_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../.demo-data');
const operatorKey = process.env.OPERATOR_KEY ?? `demo-operator-${crypto.randomUUID()}`;
// The demo's webhook receiver prints each verified event (README "Webhooks").
const demo = await startDemo({ port, quiet: true, dataDir, operatorKey, onWebhook: (e) => console.log(`  webhook ${e.type} for ${e.customerId}: ${JSON.stringify(e.data)}`) });
console.log(`\n  Airbyte API emulator: ${demo.emulator.url} (state in ${dataDir}; delete it to start over)`);
console.log(`  Demo host app with the widget: ${demo.url}\n`);
console.log(`  Operator API: ${demo.url}api/embed/operator (OPERATOR_KEY=${operatorKey})`);
console.log(`  Webhooks: signed events go to ${demo.url}demo/webhooks and are printed here.`);
console.log('  Open the demo URL in your browser. Ctrl-C stops everything.\n');
process.on('SIGINT', () => void demo.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void demo.close().then(() => process.exit(0)));
