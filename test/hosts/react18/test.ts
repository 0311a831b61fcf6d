/** React 18.3 under StrictMode: connects a source in Chromium (onSuccess once); fails on any console error. */
import { checkConnectFlow } from './check.ts';

await checkConnectFlow();
