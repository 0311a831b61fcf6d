/**
 * Generates src/testing/generated/airbyteApi.ts from the official Airbyte OpenAPI spec
 * (../shared/airbyte-api/api.yaml): the operations the emulator implements, with only the
 * structural parts of their schemas (no descriptions, examples or vendor extensions).
 *
 *   npm run generate:api            # writes the file
 *   (test/testing/generatedApi.test.ts checks it is up to date when ../shared exists)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Every operation the emulator serves, by the spec's operationId. */
export const EMULATED_OPERATIONS = [
  'getHealthCheck',
  'createAccessToken',
  'listWorkspaces', 'createWorkspace', 'getWorkspace', 'updateWorkspace', 'deleteWorkspace',
  'createOrUpdateWorkspaceOAuthCredentials', 'deleteWorkspaceOAuthCredentials',
  'createOrUpdateOrganizationOAuthCredentials', 'deleteOrganizationOAuthCredentials',
  'listSources', 'createSource', 'getSource', 'patchSource', 'putSource', 'deleteSource', 'initiateOAuth', 'oauthCallback',
  'listDestinations', 'createDestination', 'getDestination', 'patchDestination', 'putDestination', 'deleteDestination',
  'listConnections', 'createConnection', 'getConnection', 'patchConnection', 'deleteConnection',
  'listJobs', 'createJob', 'getJob', 'cancelJob',
  'getStreamProperties',
  'listConnectorDefinitions', 'listSourceDefinitions', 'getSourceDefinition', 'listDestinationDefinitions', 'getDestinationDefinition',
] as const;

const DROP_KEYS = new Set(['description', 'summary', 'example', 'examples', 'title', 'tags', 'externalDocs', 'deprecated']);

type Json = unknown;

/** Drops prose and vendor extensions; keys of a `properties` map are property names and always kept. */
function strip(node: Json, isNameMap = false): Json {
  if (Array.isArray(node)) return node.map((n) => strip(n));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) {
    if (!isNameMap && (k.startsWith('x-') || DROP_KEYS.has(k))) continue;
    out[k] = strip(v, !isNameMap && k === 'properties');
  }
  return out;
}

function refs(node: Json, found: Set<string>) {
  if (Array.isArray(node)) node.forEach((n) => refs(n, found));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') found.add(v);
      else refs(v, found);
    }
  }
}

export function generate(specText: string): string {
  const spec = parse(specText) as { openapi: string; paths: Record<string, Record<string, { operationId?: string }>>; components: Record<string, Record<string, Json>> };
  const paths: Record<string, Record<string, Json>> = {};
  const wanted = new Set<string>(EMULATED_OPERATIONS);
  for (const [p, item] of Object.entries(spec.paths)) {
    const shared = (item as { parameters?: Json }).parameters;
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === 'object' && op.operationId && wanted.has(op.operationId)) {
        (paths[p] ??= shared ? { parameters: strip(shared) } : {})[method] = strip({ ...op, security: undefined });
        wanted.delete(op.operationId);
      }
    }
  }
  if (wanted.size) throw new Error(`api.yaml lacks operations: ${[...wanted].join(', ')}`);
  // Copy the components the operations reach, transitively.
  const components: Record<string, Record<string, Json>> = {};
  const pending = new Set<string>();
  refs(paths, pending);
  const done = new Set<string>();
  while (pending.size) {
    const ref = pending.values().next().value as string;
    pending.delete(ref);
    if (done.has(ref)) continue;
    done.add(ref);
    const [, , kind, name] = ref.split('/') as [string, string, string, string];
    const value = strip(spec.components[kind]?.[name]);
    if (value === undefined) throw new Error(`unresolved ${ref}`);
    (components[kind] ??= {})[name] = value;
    const more = new Set<string>();
    refs(value, more);
    for (const r of more) if (!done.has(r)) pending.add(r);
  }
  // A component that is only `{ $ref }` (e.g. OAuthInputConfiguration) is an alias: point its
  // users at the target, since openapi-backend's validator cannot follow a ref to a ref.
  const aliases = new Map<string, string>();
  for (const [kind, entries] of Object.entries(components)) {
    for (const [name, value] of Object.entries(entries)) {
      const keys = Object.keys(value as object);
      if (keys.length === 1 && keys[0] === '$ref') aliases.set(`#/components/${kind}/${name}`, (value as { $ref: string }).$ref);
    }
  }
  const resolveAlias = (ref: string): string => (aliases.has(ref) ? resolveAlias(aliases.get(ref)!) : ref);
  const rewrite = (node: Json): Json =>
    Array.isArray(node)
      ? node.map(rewrite)
      : node && typeof node === 'object'
        ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? resolveAlias(v) : rewrite(v)]))
        : node;
  for (const [p, item] of Object.entries(paths)) paths[p] = rewrite(item) as Record<string, Json>;
  for (const kind of Object.keys(components)) components[kind] = rewrite(components[kind]) as Record<string, Json>;
  for (const kind of Object.keys(components)) components[kind] = Object.fromEntries(Object.entries(components[kind]!).sort(([a], [b]) => a.localeCompare(b)));
  const doc = { openapi: spec.openapi, info: { title: 'airbyte-api (emulated subset)', version: '1.0.0' }, paths, components };
  return `// Generated by scripts/generate-airbyte-openapi.ts from the official Airbyte public API spec
// (airbytehq/airbyte-platform, airbyte-api/server-api/src/main/openapi/api.yaml, ELv2): the
// operations the emulator serves, structural schema parts only. Do not edit; run \`npm run generate:api\`.
/* eslint-disable */
export const airbyteApiDocument = ${JSON.stringify(doc, null, 1)} as const;
`;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const GENERATED_FILE = path.join(here, '../src/testing/generated/airbyteApi.ts');
export const SPEC_FILE = path.join(here, '../../shared/airbyte-api/api.yaml');

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writeFileSync(GENERATED_FILE, generate(readFileSync(SPEC_FILE, 'utf8')));
  console.log(`wrote ${path.relative(process.cwd(), GENERATED_FILE)}`);
}
