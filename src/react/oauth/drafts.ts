import type { ConnectorConfig, JsonSchema, TemplateSummary } from '../../shared/contract.ts';
import { SECRET_MASK } from '../../shared/contract.ts';

/**
 * Form drafts in `sessionStorage` (this tab only), so a reload, a session refresh or the
 * sign-in's full-page redirect never loses what the customer typed. Trap: secrets are never
 * written: every `airbyte_secret` value is dropped before saving. Storage that is full or
 * blocked (private modes) is ignored: a draft is a convenience, never required.
 */
const PREFIX = 'aek-draft:';
const FLOW = 'aek-oauth-flow:';

function store(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

function withoutSecrets(value: unknown): unknown {
  if (value === SECRET_MASK) return undefined;
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = withoutSecrets(v);
      if (kept !== undefined) Object.defineProperty(out, k, { value: kept, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/**
 * The values without any secret (masked by the spec, `$ref`s followed, then dropped). The secret
 * walker (with a JSON Schema merger) loads on first use, beside the form, not with the widget.
 */
export async function draftOf(spec: JsonSchema, values: ConnectorConfig): Promise<ConnectorConfig> {
  const { maskSecrets } = await import('../../shared/secrets.ts');
  return withoutSecrets(maskSecrets(spec, values)) as ConnectorConfig;
}

/** Saves the form's non-secret values for one template (`scope`: the proxy, so two sites in a tab never mix); `stillWanted` is asked just before writing (the values are computed asynchronously). */
export async function saveDraft(scope: string, templateId: string, spec: JsonSchema, values: ConnectorConfig, stillWanted: () => boolean = () => true): Promise<void> {
  try {
    const draft = await draftOf(spec, values);
    // The form may have gone meanwhile (connected, or unmounted): then nothing is written.
    if (!stillWanted()) return;
    store()?.setItem(`${PREFIX}${scope}:${templateId}`, JSON.stringify(draft));
  } catch {
    // Full or blocked storage: no draft.
  }
}

export function loadDraft(scope: string, templateId: string): ConnectorConfig | undefined {
  try {
    const text = store()?.getItem(`${PREFIX}${scope}:${templateId}`);
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ConnectorConfig) : undefined;
  } catch {
    return undefined;
  }
}

export function clearDraft(scope: string, templateId: string): void {
  try {
    store()?.removeItem(`${PREFIX}${scope}:${templateId}`);
  } catch {
    // Nothing to clear.
  }
}

/** A sign-in that left the page (popup blocked): which template to reopen when the browser comes back. */
export function rememberFlow(flowId: string, template: TemplateSummary): void {
  try {
    store()?.setItem(`${FLOW}${flowId}`, JSON.stringify({ id: template.id, name: template.name, ...(template.icon ? { icon: template.icon } : {}) }));
  } catch {
    // No storage: the customer opens the connector again.
  }
}

/**
 * The sign-in the page came back from, when its address carries the callback's `#aek-oauth=…`:
 * the template to reopen and the outcome. The fragment is removed from the address bar.
 */
export function returnedFlow(): { template: TemplateSummary; outcome: { flowId: string; grantId?: string; error?: string; reason?: string } } | undefined {
  const hash = globalThis.location?.hash ?? '';
  const m = /(?:^#|&)aek-oauth=([^&]+)/.exec(hash);
  if (!m) return undefined;
  try {
    const outcome = JSON.parse(decodeURIComponent(m[1]!)) as { type?: string; flowId?: string; grantId?: string; error?: string; reason?: string };
    if (outcome.type !== 'aek-oauth' || typeof outcome.flowId !== 'string') return undefined;
    const text = store()?.getItem(`${FLOW}${outcome.flowId}`);
    if (!text) return undefined;
    store()?.removeItem(`${FLOW}${outcome.flowId}`);
    globalThis.history?.replaceState(globalThis.history.state, '', `${location.pathname}${location.search}`);
    return { template: JSON.parse(text) as TemplateSummary, outcome: outcome as { flowId: string } };
  } catch {
    return undefined;
  }
}
