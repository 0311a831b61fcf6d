/**
 * Copied into each Vite host's folder by `npm run test:hosts` (see server.ts). Starts the host's
 * backend on an ephemeral port, opens its page in Chromium, walks the connect flow, and fails on
 * any console error, page error or HTTP error; `before` prepares the page before it opens, `more`
 * runs the host's own checks on the same page afterwards.
 */
import type express from 'express';
import { chromium, type Page } from 'playwright-core';
import { connectSampleSource } from '../_shared/flow.ts';
import { startBackend } from './server.ts';

export async function checkConnectFlow(options: { extend?: (app: express.Express) => void; templatesFile?: string; before?: (page: Page) => Promise<void>; more?: (page: Page) => Promise<string> } = {}): Promise<void> {
  const backend = await startBackend(0, options.extend, options.templatesFile);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: JSON.parse(process.env.CHROMIUM_ARGS ?? '["--headless","--no-sandbox","--disable-gpu","--disable-dev-shm-usage"]') as string[] });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`); });
    await options.before?.(page);
    const sourceId = await connectSampleSource(page, backend.url);
    const extra = options.more ? await options.more(page) : '';
    if (problems.length) throw new Error(`the page logged errors:\n${problems.join('\n')}`);
    console.log(`connected source ${sourceId}${extra ? `; ${extra}` : ''}`);
  } finally {
    await browser.close();
    await backend.close();
  }
}
