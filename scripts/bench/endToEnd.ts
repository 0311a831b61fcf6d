/**
 * End to end: from the click on "Connect" to "connected" on screen, in Chromium against the demo
 * stack (emulator + proxy + host page), with every Airbyte call given a simulated network and
 * server latency. Reports how much of the wait is that simulated latency (the floor no proxy can
 * beat with sequential calls) and how much is the kit (browser, proxy, store).
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts';
import { startDemo } from '../../demo/server.ts';
import { median, type Row } from './report.ts';

export async function measureEndToEnd(options: { latencyMs: number; runs: number; log: (line: string) => void }): Promise<Row[]> {
  const demo = await startDemo({ jobDurationMs: 60_000, quiet: true, customerId: `bench-${Date.now()}` });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const results: Record<'new' | 'returning', Array<{ total: number; simulated: number; calls: number }>> = { new: [], returning: [] };
  try {
    // One untimed onboarding of another customer first: the first in a process pays for compiling
    // code and validators (in the emulator too) and for the store's one-time workspace snapshot.
    const origin = new URL(demo.url).origin;
    const warm = await fetch(`${origin}/api/embed/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await demo.sessionToken('bench-warm-up')}`, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ templateId: 'faker', config: { count: 10 } }),
    });
    if (warm.status !== 201) throw new Error(`warm-up onboarding failed: ${warm.status} ${await warm.text()}`);
    demo.emulator.faults.set([{ kind: 'latency', latencyMs: options.latencyMs }]);
    const page = await browser.newPage();
    await page.goto(demo.url);
    for (let run = 0; run < options.runs + 1; run++) {
      await page.getByRole('button', { name: /Sample data \(Faker\)/ }).click();
      await page.getByLabel(/Count/).waitFor();
      // Times, in the page, from the click on Connect to the frame that shows "connected".
      await page.evaluate(() => {
        const w = window as unknown as { e2e?: Promise<number> };
        w.e2e = new Promise<number>((resolve) => {
          document.addEventListener(
            'click',
            (e) => {
              const start = e.timeStamp;
              const observer = new MutationObserver(() => {
                if (!document.querySelector('.aek-success')) return;
                observer.disconnect();
                requestAnimationFrame(() => resolve(performance.now() - start));
              });
              observer.observe(document.body, { childList: true, subtree: true });
            },
            { capture: true, once: true },
          );
        });
      });
      const callsBefore = demo.emulator.calls.length;
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const total = await page.evaluate(() => (window as unknown as { e2e: Promise<number> }).e2e);
      // Calls made for the onboarding (the progress polls and token are the proxy's own; the
      // first sync's status polls start after "connected").
      const calls = demo.emulator.calls.slice(callsBefore).filter((c) => c.method !== 'GET' || /workspaces|destinations/.test(c.path)).length;
      const kind = run === 0 ? 'new' : 'returning';
      results[kind].push({ total, simulated: calls * options.latencyMs, calls });
      options.log(`  ${kind}: ${total.toFixed(0)} ms (${calls} Airbyte calls × ${options.latencyMs} ms)`);
      await page.getByRole('button', { name: 'Connect another source' }).click();
    }
  } finally {
    await browser.close();
    await demo.close();
  }
  return (['new', 'returning'] as const).map((kind) => {
    const total = median(results[kind].map((r) => r.total));
    const simulated = median(results[kind].map((r) => r.simulated));
    return {
      section: 'e2e',
      name: `submit → "connected" on screen, ${kind} customer`,
      kit: total,
      baseline: simulated,
      unit: 'ms',
      ratio: total / simulated,
      goal: '',
      met: true,
      note: `${results[kind][0]!.calls} sequential Airbyte calls × ${options.latencyMs} ms simulated latency = ${simulated} ms; the rest (${(total - simulated).toFixed(0)} ms) is the browser, the proxy, its store and the emulator's own work${kind === 'new' ? ' (one run)' : ` (median of ${results[kind].length})`}`,
    };
  });
}
