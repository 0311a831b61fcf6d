/**
 * Checks emulator responses against the official OpenAPI spec (`../shared/airbyte-api/api.yaml`):
 * the response schema of the operation (path template + method + status) is compiled from the
 * spec's own components with Ajv's JSON Schema 2020-12 dialect (OpenAPI 3.1's).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

type Spec = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>; components: unknown };

export function loadContract(file: string) {
  const spec = parse(readFileSync(file, 'utf8')) as Spec;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'api', components: spec.components });
  const templates = Object.keys(spec.paths).map((template) => ({
    template,
    re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  /** Errors of `body` against the spec's response schema for `method path → status`; throws when the spec has no such response. */
  function check(method: string, path: string, status: number, body: unknown): string[] {
    const match = templates.find((t) => t.template === path) ?? templates.find((t) => t.re.test(path));
    if (!match) throw new Error(`api.yaml has no path matching ${path}`);
    const op = spec.paths[match.template]![method.toLowerCase()];
    if (!op) throw new Error(`api.yaml has no ${method} ${match.template}`);
    let response = op.responses?.[String(status)] as { $ref?: string; content?: Record<string, { schema?: unknown }> } | undefined;
    if (!response) throw new Error(`api.yaml documents no ${status} for ${method} ${match.template}`);
    if (response.$ref) response = (spec.components as { responses: Record<string, typeof response> }).responses[response.$ref.split('/').pop()!];
    const json = response?.content?.['application/json'];
    const schema = json?.schema;
    // No JSON schema: a JSON body is fine only where the spec declares JSON content; otherwise text or nothing.
    if (!schema) return json || typeof body === 'string' || body === undefined ? [] : [`${method} ${match.template} ${status} has no JSON body in the spec`];
    const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"api#/components'));
    const validate = ajv.compile(rewritten);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }
  return { check };
}
