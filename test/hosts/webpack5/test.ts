/** Starts the backend on an ephemeral port and connects a source in Chromium; fails on any console error. */
import { checkConnectFlow } from './check.ts';

await checkConnectFlow();
