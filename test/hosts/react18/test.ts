/**
 * React 18.3 under StrictMode, on React Query 5.0.0 (the floor of the kit's peer range): one
 * React Query is installed, the host's 5.0.0, and the widget connects a source in Chromium
 * (onSuccess once); fails on any console error.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { checkConnectFlow } from './check.ts';

const copies = execFileSync('npm', ['ls', '@tanstack/react-query', '@tanstack/query-core', '--all', '--parseable'], { encoding: 'utf8' }).split('\n').filter(Boolean);
const versions = [...new Set(copies)].map((dir) => `${JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).name}@${JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).version}`).sort();
if (versions.join(' ') !== '@tanstack/query-core@5.0.0 @tanstack/react-query@5.0.0') throw new Error(`expected the host's React Query 5.0.0 alone, found: ${versions.join(', ')}`);

await checkConnectFlow({ more: async () => `React Query: ${versions.join(', ')}` });
