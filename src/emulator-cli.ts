#!/usr/bin/env node
/**
 * `airbyte-emulator`: runs the Airbyte API emulator until Ctrl-C.
 *   --port 8001  --host 127.0.0.1  --base-path /v1  --data-dir ./emulator-data
 *   --job-duration 4000  --discover-ms 2000  --connector-specs ../shared/connector-specs
 *   --fault '{"kind":"status","status":503,"rate":0.2}' (repeatable)  --seed 42
 */
import { parseArgs } from 'node:util';
import { startAirbyteEmulator } from './testing/emulator.ts';
import type { FaultRule } from './testing/faults.ts';

function fail(message: string): never {
  console.error(`airbyte-emulator: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8001' },
    host: { type: 'string', default: '127.0.0.1' },
    'base-path': { type: 'string', default: '/v1' },
    'data-dir': { type: 'string' },
    'job-duration': { type: 'string', default: '4000' },
    'discover-ms': { type: 'string', default: '2000' },
    'connector-specs': { type: 'string' },
    fault: { type: 'string', multiple: true, default: [] },
    seed: { type: 'string', default: '42' },
  },
});
const port = Number(values.port);
const jobDurationMs = Number(values['job-duration']);
const discoverMs = Number(values['discover-ms']);
const seed = Number(values.seed);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got "${values.port}"`);
if (!Number.isFinite(jobDurationMs) || jobDurationMs < 0) fail(`--job-duration must be milliseconds, got "${values['job-duration']}"`);
if (!Number.isFinite(discoverMs) || discoverMs < 0) fail(`--discover-ms must be milliseconds, got "${values['discover-ms']}"`);
if (!Number.isInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
const faults = values.fault.map((text): FaultRule => {
  try {
    return JSON.parse(text) as FaultRule;
  } catch {
    return fail(`--fault takes JSON such as '{"kind":"status","status":503,"rate":0.2,"match":"POST /sources"}', got ${text}`);
  }
});
const emulator = await startAirbyteEmulator({
  port,
  host: values.host,
  basePath: values['base-path'],
  dataDir: values['data-dir'],
  jobDurationMs,
  discoverMs,
  connectorSpecsDir: values['connector-specs'],
  faults,
  seed,
}).catch((error: Error) => fail(error.message));
console.log(`Airbyte API emulator listening at ${emulator.url}`);
console.log(`client_id=${emulator.clientId} client_secret=${emulator.clientSecret}`);
if (faults.length) console.log(`injecting faults: ${JSON.stringify(faults)}`);
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
