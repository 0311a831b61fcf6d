/**
 * The form benchmark page (production build): mounts the kit's SourceForm or plain RJSF <Form>
 * with validator-ajv8 on a spec, and times input to the next paint. Driven by ../formSpeed.ts.
 */
import Form from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { SourceForm } from 'airbyte-embed-kit/form';
import 'airbyte-embed-kit/styles.css';

type Kind = 'kit' | 'plain';

/** Resolves just after the next frame is painted: a rAF callback runs before paint, a message posted from it runs after. */
function afterPaint(): Promise<number> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(null);
    }),
  );
}

const samples: number[] = [];
const busy: number[] = [];
let keyAt: number | undefined;
/**
 * Every click and key press from now on is timed from the event to the frame that shows its
 * result ("paint"), and a key press also to the end of its own work ("work": the key and input
 * events' handlers, React's render and commit of what they changed; not the wait for the next
 * frame, which even a bare <input> pays, nor work deferred to a later task).
 */
function timeInputs() {
  for (const type of ['keydown', 'click'] as const) {
    document.addEventListener(
      type,
      (e) => {
        void afterPaint().then((t) => samples.push(t - e.timeStamp));
        if (type === 'keydown') keyAt = e.timeStamp;
      },
      true,
    );
  }
  // A document listener in the bubble phase runs after React's (on its root) has rendered and
  // committed the update, synchronously, as React does for input; the microtask waits for any
  // work queued as microtasks by those handlers.
  document.addEventListener('input', () => {
    const from = keyAt;
    keyAt = undefined;
    if (from !== undefined) queueMicrotask(() => busy.push(performance.now() - from));
  });
}

const bench = {
  /** Mounts a form (synchronously, as React would on navigation) and returns mount → first paint in ms. */
  async mount(kind: Kind, spec: Record<string, unknown>, liveValidate = false): Promise<number> {
    const root = createRoot(document.getElementById('app')!);
    const t0 = performance.now();
    flushSync(() =>
      root.render(
        kind === 'kit' ? (
          <SourceForm spec={spec} onSubmit={() => undefined} liveValidate={liveValidate} />
        ) : (
          <Form schema={spec as RJSFSchema} validator={validator} liveValidate={liveValidate} noHtml5Validate onSubmit={() => undefined} onError={() => undefined} />
        ),
      ),
    );
    const t1 = await afterPaint();
    timeInputs();
    return t1 - t0;
  },
  /** The id of an input at `path` (property names), in either form, or null. */
  inputFor(path: string[]): string | null {
    const suffix = `_${path.join('_')}`;
    const el = [...document.querySelectorAll<HTMLInputElement>('input[type="text"], input:not([type])')].find((i) => i.id.endsWith(suffix) && i.getClientRects().length > 0);
    return el ? `#${CSS.escape(el.id)}` : null;
  },
  /** Opens every folded section (the kit folds optional fields), so deep fields can be reached. */
  openAll() {
    for (const d of document.querySelectorAll('details')) d.open = true;
  },
  takeSamples(): number[] {
    return samples.splice(0);
  },
  takeBusy(): number[] {
    return busy.splice(0);
  },
  /** A bare <input> on this page (no React): the harness's floor for a key press. */
  mountBareInput() {
    const input = document.createElement('input');
    input.id = 'bare';
    document.getElementById('app')!.append(input);
    timeInputs();
  },
  /** Waits for pending timers and idle work, as a user reading the form would. */
  settle(ms: number) {
    return new Promise((r) => setTimeout(r, ms)).then(afterPaint);
  },
};

(window as unknown as { bench: typeof bench }).bench = bench;
