import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ConnectorConfig, FieldError, JsonSchema } from './contract.ts';
import { chosenOptionErrors } from './chosenOptionErrors.ts';
import { ajvPatternEngine } from './pattern/linearPattern.ts';
import { messageFor, schemaAt } from './validationMessages.ts';

// ajv-formats ships CJS with `exports.default`; under some bundlers the namespace is the function.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

/**
 * Validates connector configs against Airbyte connector specs on the server (and in the emulator).
 * Real specs carry quirks that break a strict Ajv: an `https` `$schema` URL, unknown keywords
 * (`airbyte_secret`, `order`, …), patterns that are invalid with the `u` flag. This validator
 * tolerates all of them and caches one compiled function per spec object. Patterns run in linear
 * time (see linearPattern), so a hostile value cannot freeze the process.
 */
export class ConfigValidator {
  private readonly ajv: Ajv;
  private readonly cache = new WeakMap<JsonSchema, ValidateFunction>();

  constructor() {
    // Every `pattern` runs in linear time (RE2), or bounded: no value can stall the proxy.
    this.ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateSchema: false, code: { regExp: ajvPatternEngine } });
    addFormats(this.ajv);
  }

  /** Returns the per-field errors of `config` against `spec`; an empty array means valid. */
  validate(spec: JsonSchema, config: ConnectorConfig): FieldError[] {
    const fn = this.compile(spec);
    if (fn(config)) return [];
    const errors = chosenOptionErrors(fn.errors ?? [], (e) => ({ schemaPath: e.schemaPath, path: e.instancePath.split('/').slice(1) }), spec, config);
    return toFieldErrors(errors, spec);
  }

  private compile(spec: JsonSchema): ValidateFunction {
    let fn = this.cache.get(spec);
    if (!fn) {
      const { $schema: _ignored, $id: _id, ...schema } = spec;
      fn = this.ajv.compile(patternOverFormat(schema) as JsonSchema);
      this.cache.set(spec, fn);
    }
    return fn;
  }
}

/**
 * Where a node has both `pattern` and `format`, the pattern is the contract (coingecko's
 * `format: date` with a DD-MM-YYYY pattern can satisfy nothing else), as in Airbyte's form.
 */
export function patternOverFormat(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(patternOverFormat);
  if (!node || typeof node !== 'object') return node;
  // Entries, not assignment: a property named `__proto__` stays a property.
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'format' && typeof v === 'string' && typeof (node as Record<string, unknown>).pattern === 'string'))
      .map(([k, v]) => [k, k === 'default' || k === 'examples' || k === 'enum' || k === 'const' ? v : patternOverFormat(v)]),
  );
}

function toFieldErrors(errors: ErrorObject[], spec: JsonSchema): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const path = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (error.keyword === 'required') path.push(String((error.params as { missingProperty: string }).missingProperty));
    // oneOf/anyOf/if summaries repeat what the branch errors already say.
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
    const message = messageFor(error, schemaAt(spec, path));
    const key = `${path.join('\u0000')}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The rule lets a client word the message in its own language; a regex is never shown to anyone.
    const { pattern: _regex, ...params } = error.params as Record<string, unknown>;
    out.push({ path, message, rule: { keyword: error.keyword, params } });
  }
  return out;
}
