#!/usr/bin/env node
/** `airbyte-emulator [--port 8001] [--job-duration 4000]`: runs the Airbyte API emulator until Ctrl-C. */
import { parseArgs } from 'node:util';
import { startAirbyteEmulator } from './testing/emulator.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8001' },
    host: { type: 'string', default: '127.0.0.1' },
    'job-duration': { type: 'string', default: '4000' },
  },
});
const port = Number(values.port);
const jobDurationMs = Number(values['job-duration']);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
if (!Number.isFinite(jobDurationMs) || jobDurationMs < 0) throw new Error(`--job-duration must be milliseconds, got "${values['job-duration']}"`);
const emulator = await startAirbyteEmulator({ port, host: values.host, jobDurationMs });
console.log(`Airbyte API emulator listening at ${emulator.url}`);
console.log(`client_id=${emulator.clientId} client_secret=${emulator.clientSecret}`);
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)));
