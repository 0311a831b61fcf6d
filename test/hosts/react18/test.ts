/** Starts the backend on an ephemeral port and connects a source in Chromium; fails on any console error. */
import { chromium } from 'playwright-core';
import { connectSampleSource } from '../_shared/flow.ts';
import { startBackend } from './server.ts';

const backend = await startBackend(0);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: JSON.parse(process.env.CHROMIUM_ARGS ?? '["--headless","--no-sandbox","--disable-gpu","--disable-dev-shm-usage"]') as string[] });
try {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`); });
  const sourceId = await connectSampleSource(page, backend.url);
  if (problems.length) throw new Error(`the page logged errors:\n${problems.join('\n')}`);
  console.log(`connected source ${sourceId}`);
} finally {
  await browser.close();
  await backend.close();
}
