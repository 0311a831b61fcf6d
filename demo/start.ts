/** `npm start`: the demo stack on http://localhost:4321 (PORT overrides). */
import { startDemo } from './server.ts';

const port = Number(process.env.PORT ?? 4321);
const demo = await startDemo({ port, host: 'localhost' === process.env.HOST ? 'localhost' : '127.0.0.1', quiet: true });
console.log(`\n  Airbyte API emulator: ${demo.emulator.url}`);
console.log(`  Demo host app with the widget: ${demo.url}\n`);
console.log('  Open the demo URL in your browser. Ctrl-C stops everything.\n');
process.on('SIGINT', () => void demo.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void demo.close().then(() => process.exit(0)));
