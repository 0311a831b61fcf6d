import type { JsonSchema } from './contract.ts';

/**
 * What a connector's `advancedAuth` means for the form, read once: which option the sign-in
 * belongs to (`predicate_key`/`predicate_value`, matched exactly: real values are inconsistent),
 * which config paths the flow fills (hidden: the button stands in their place), and which the
 * provider needs first (sent as `oAuthInputConfiguration`). Framework-free: the proxy and the form
 * both use it.
 */
export interface OAuthPlan {
  /** Path of the property whose value picks the OAuth option, e.g. ["credentials", "credentials_title"]; [] when the whole form is OAuth. */
  predicateKey: string[];
  /** Its value in the OAuth option, e.g. "OAuth Credentials"; undefined when any value will do. */
  predicateValue?: string | undefined;
  /** Config paths the flow fills (tokens and the server's client id/secret) inside the OAuth option: not shown, not sent. */
  outputPaths: string[][];
  /** Config paths the provider needs before consent (subdomain, region, is_sandbox…). */
  inputPaths: string[][];
  /**
   * The input properties' names, one per `inputPaths` entry: `oAuthInputConfiguration` is keyed by
   * them (GitLab's `domain` lives at `api_url`, Microsoft's `tenant_id` at `credentials.tenant_id`).
   * Without it, the last segment of each path.
   */
  inputNames?: string[] | undefined;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const startsWith = (path: string[], prefix: string[]) => prefix.every((p, i) => path[i] === p);

function namedPathsOf(spec: unknown): Array<[string, string[]]> {
  const props = isObject(spec) && isObject(spec.properties) ? spec.properties : {};
  return Object.entries(props)
    .map(([name, p]): [string, string[]] => [name, isObject(p) && Array.isArray(p.path_in_connector_config) ? (p.path_in_connector_config as unknown[]).filter((x): x is string => typeof x === 'string') : []])
    .filter(([, p]) => p.length > 0);
}
const pathsOf = (spec: unknown): string[][] => namedPathsOf(spec).map(([, p]) => p);
const samePath = (a: string[], b: string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

/** The plan of a template's `advancedAuth`, or undefined when it has none that the kit can run. */
export function oauthPlan(advancedAuth: JsonSchema | undefined): OAuthPlan | undefined {
  if (!isObject(advancedAuth)) return undefined;
  const config = advancedAuth.oauth_config_specification;
  if (!isObject(config) || !isObject(config.complete_oauth_output_specification)) return undefined;
  const predicateKey = Array.isArray(advancedAuth.predicate_key) ? (advancedAuth.predicate_key as unknown[]).filter((k): k is string => typeof k === 'string') : [];
  const parent = predicateKey.slice(0, -1);
  // Only what lies in the option's own object is the flow's: Shopify's `shop` (an output at the
  // root) is also typed by the customer and stays.
  const inputs = namedPathsOf(config.oauth_user_input_from_connector_config_specification);
  // A path the provider needs before consent is typed by the customer even when the flow also
  // writes it (Snapchat's client_id/client_secret are inputs and server outputs): it stays.
  const outputPaths = [...pathsOf(config.complete_oauth_output_specification), ...pathsOf(config.complete_oauth_server_output_specification)].filter(
    (p, i, all) => startsWith(p, parent) && p.length > parent.length && !inputs.some(([, q]) => samePath(p, q)) && all.findIndex((o) => samePath(o, p)) === i,
  );
  return {
    predicateKey,
    ...(typeof advancedAuth.predicate_value === 'string' ? { predicateValue: advancedAuth.predicate_value } : {}),
    outputPaths,
    inputPaths: inputs.map(([, p]) => p),
    inputNames: inputs.map(([name]) => name),
  };
}

function valueAtPath(data: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isObject(node) && Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined), data);
}

/** Whether these form values have the OAuth option chosen (always, when the plan has no predicate). */
export function oauthChosen(plan: OAuthPlan, values: unknown): boolean {
  if (!plan.predicateKey.length || plan.predicateValue === undefined) return true;
  return valueAtPath(values, plan.predicateKey) === plan.predicateValue;
}

/**
 * `oAuthInputConfiguration`: the input paths' values, keyed by the input properties' names, as
 * Airbyte validates it against `oauth_user_input_from_connector_config_specification` (a flat
 * object, often `additionalProperties: false`) and as its web app builds it.
 */
export function oauthInputs(plan: OAuthPlan, values: unknown): Json {
  const out: Json = {};
  plan.inputPaths.forEach((path, i) => {
    const v = valueAtPath(values, path);
    const name = plan.inputNames?.[i] ?? path[path.length - 1];
    if (v === undefined || name === undefined) return;
    Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
  });
  return out;
}

/** The object schemas at `parent` in which the OAuth option lives: the node itself, or its oneOf option whose predicate const matches. */
function optionNodes(spec: JsonSchema, plan: OAuthPlan): Json[] {
  const parent = plan.predicateKey.slice(0, -1);
  const key = plan.predicateKey[plan.predicateKey.length - 1];
  let node: unknown = spec;
  for (const k of parent) node = isObject(node) && isObject(node.properties) ? node.properties[k] : undefined;
  if (!isObject(node)) return [];
  const candidates = Array.isArray(node.oneOf) ? (node.oneOf as unknown[]).filter(isObject) : [node];
  return candidates.filter((o) => {
    if (!key || plan.predicateValue === undefined) return true;
    const p = isObject(o.properties) ? o.properties[key] : undefined;
    if (!isObject(p)) return false;
    return p.const === plan.predicateValue || (Array.isArray(p.enum) && p.enum.length === 1 && p.enum[0] === plan.predicateValue) || p.default === plan.predicateValue;
  });
}

/**
 * The spec the customer fills in for an OAuth template: in the OAuth option, the fields the flow
 * fills are gone (so neither the form nor the proxy asks for them). Returns a copy.
 */
export function withoutOAuthOutputs(spec: JsonSchema, plan: OAuthPlan): JsonSchema {
  const copy = structuredClone(spec);
  const parentLength = plan.predicateKey.length - 1;
  for (const option of optionNodes(copy, plan)) {
    for (const path of plan.outputPaths) removeAt(option, path.slice(Math.max(parentLength, 0)));
  }
  return copy;
}

/** Removes the property at `rel` (and its `required` entry), through nested objects and their oneOf options (RD Station's tokens sit in its only `authorization` option). */
function removeAt(node: unknown, rel: string[]): void {
  if (!isObject(node) || !rel.length) return;
  if (Array.isArray(node.oneOf)) for (const option of node.oneOf) removeAt(option, rel);
  if (!isObject(node.properties) || !Object.prototype.hasOwnProperty.call(node.properties, rel[0]!)) return;
  const [key, ...rest] = rel as [string, ...string[]];
  if (rest.length) return removeAt(node.properties[key], rest);
  delete node.properties[key];
  if (Array.isArray(node.required)) node.required = (node.required as unknown[]).filter((r) => r !== key);
}
