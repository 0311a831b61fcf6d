/**
 * Copied into each Vite host's folder by `npm run test:hosts` (see server.ts). Starts the host's
 * backend on an ephemeral port, opens its page in Chromium, walks the connect flow, and fails on
 * any console error, page error or HTTP error; `before` prepares the page before it opens, `more`
 * runs the host's own checks on the same page afterwards; `front` serves the page from another
 * server (a dev server) proxying to the backend; `failOnWarnings` counts console warnings too.
 */
import type express from 'express';
import { chromium, type Page } from 'playwright-core';
import { connectSampleSource } from '../_shared/flow.ts';
import { startBackend } from './server.ts';

/**
 * A server in front of the backend that serves the page itself (Vite's dev server proxying the
 * backend's routes): started once the backend listens, closed after the check.
 */
export interface Front {
  url: string;
  close(): Promise<void>;
}

export async function checkConnectFlow(options: { extend?: (app: express.Express) => void; templatesFile?: string; before?: (page: Page) => Promise<void>; more?: (page: Page) => Promise<string>; front?: (backendUrl: string) => Promise<Front>; failOnWarnings?: boolean } = {}): Promise<void> {
  let front: Front | undefined;
  const backend = await startBackend(0, options.extend, options.templatesFile, options.front ? () => new URL(front!.url).origin : undefined);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: JSON.parse(process.env.CHROMIUM_ARGS ?? '["--headless","--no-sandbox","--disable-gpu","--disable-dev-shm-usage"]') as string[] });
  try {
    front = options.front ? await options.front(backend.url) : undefined;
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || (options.failOnWarnings && m.type() === 'warning')) problems.push(`console.${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`); });
    await options.before?.(page);
    // A step that times out says what the page logged meanwhile (an origin refused, a 403…).
    const logged = (error: unknown) => new Error(`${error instanceof Error ? error.message : String(error)}${problems.length ? `\nthe page logged meanwhile:\n${problems.join('\n')}` : ''}`);
    const sourceId = await connectSampleSource(page, front?.url ?? backend.url).catch((error: unknown) => Promise.reject(logged(error)));
    const extra = options.more ? await options.more(page).catch((error: unknown) => Promise.reject(logged(error))) : '';
    if (problems.length) throw new Error(`the page logged errors:\n${problems.join('\n')}`);
    console.log(`connected source ${sourceId}${extra ? `; ${extra}` : ''}`);
  } finally {
    await browser.close();
    await front?.close();
    await backend.close();
  }
}
