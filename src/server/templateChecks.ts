import type { FieldError, JsonSchema } from '../shared/contract.ts';
import { ConfigValidator } from '../shared/configValidator.ts';
import { UNRESOLVED_REF } from '../shared/form/resolveRefs.ts';
import { linearPattern } from '../shared/pattern/linearPattern.ts';
import { resolvedSpec } from '../shared/secrets.ts';
import { childSchema, everyChildSchema, leafPaths } from '../shared/specPaths.ts';

/** The largest form spec a template may carry (the largest real connector spec is 32 KB). */
export const MAX_SPEC_BYTES = 512 * 1024;
/** How deeply a template's spec may nest (real specs reach 12 levels of JSON). */
export const MAX_SPEC_DEPTH = 64;

const SPEC_PATH = ['partialUserConfigSpec', 'connectionSpecification'];
const compiler = new ConfigValidator();

/**
 * Everything wrong with a template's form spec that would otherwise fail at a customer's submit
 * (every one a 500 before): too large or too deep; a `$ref` that is remote (the proxy never
 * fetches schemas), points nowhere, or loops; a `pattern` no engine can compile; a schema Ajv
 * cannot compile. Returns the problems as field errors naming the place in the spec.
 */
export function specProblems(spec: JsonSchema): FieldError[] {
  const problems: FieldError[] = [];
  const at = (path: string[], message: string) => problems.push({ path: [...SPEC_PATH, ...path], message });
  const size = new TextEncoder().encode(JSON.stringify(spec)).length;
  if (size > MAX_SPEC_BYTES) return [{ path: SPEC_PATH, message: `is ${size} bytes; at most ${MAX_SPEC_BYTES} are accepted` }];
  let tooDeep = false;
  const walk = (node: unknown, path: string[], depth: number) => {
    if (depth > MAX_SPEC_DEPTH) {
      if (!tooDeep) at(path.slice(0, 8), `nests more than ${MAX_SPEC_DEPTH} levels deep`);
      tooDeep = true;
      return;
    }
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, [...path, String(i)], depth + 1));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      // Values are data, not schema: a default may hold anything.
      if (key === 'default' || key === 'examples' || key === 'enum' || key === 'const') continue;
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) at([...path, key], `is a remote reference (${value.slice(0, 80)}); the proxy never fetches schemas: inline it under "definitions"`);
      if ((key === 'pattern' && typeof value === 'string') || key === 'patternProperties') {
        for (const pattern of key === 'pattern' ? [value as string] : Object.keys((value as object | null) ?? {})) {
          try {
            linearPattern(pattern);
          } catch (error) {
            at([...path, key], `is not a valid regular expression (${(error as Error).message.slice(0, 80)})`);
          }
        }
      }
      walk(value, [...path, key], depth + 1);
    }
  };
  walk(spec, [], 0);
  if (problems.length) return problems;
  // Local refs that point nowhere or loop are left in place by resolveRefs, marked.
  const unresolved: string[] = [];
  const find = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(find);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === UNRESOLVED_REF && typeof value === 'string') unresolved.push(value);
      else if (key !== 'default' && key !== 'examples' && key !== 'enum' && key !== 'const') find(value);
    }
  };
  find(resolvedSpec(spec));
  for (const ref of [...new Set(unresolved)]) at([], `has a $ref that points nowhere or refers to itself (${ref.slice(0, 80)}); point it at a schema under "definitions", without loops`);
  if (problems.length) return problems;
  try {
    compiler.validate(spec, {});
  } catch (error) {
    at([], `cannot be compiled as a JSON Schema (${(error as Error).message.slice(0, 160)})`);
  }
  return problems;
}

/**
 * Values the operator fixes in `partialDefaultConfig` that the form also asks the customer for:
 * the customer could never change them (a fixed path is the operator's), so the template is
 * refused until one side drops the field.
 */
export function overlapProblems(spec: JsonSchema, partialDefaultConfig: Record<string, unknown>): FieldError[] {
  const resolved = resolvedSpec(spec);
  const problems: FieldError[] = [];
  for (const path of leafPaths(partialDefaultConfig)) {
    let node: JsonSchema | undefined = resolved;
    let value: unknown = partialDefaultConfig;
    let defined = true;
    for (const key of path) {
      // Only a field the form names counts; an open object (no properties) asks for nothing in particular.
      const child: JsonSchema | undefined = node && everyChildSchema(node, key).length ? childSchema(node, value, key) : undefined;
      if (!child) {
        defined = false;
        break;
      }
      node = child;
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (defined) problems.push({ path: ['partialDefaultConfig', ...path], message: 'is also a field of the customer form; a value the operator fixes cannot be the customer\'s too: remove it from one of them' });
  }
  return problems;
}

/** A template icon the catalog may show: an `https:` URL or a relative one, never `javascript:` or `data:`. */
export function iconProblem(icon: string): string | undefined {
  const trimmed = icon.trim();
  if (!trimmed || trimmed.length > 2048) return 'must be an https: URL or a relative path of at most 2048 characters';
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^https:\/\//i.test(trimmed)) return `must be an https: URL or a relative path, not ${trimmed.split(':')[0]}:`;
  if (trimmed.startsWith('//')) return 'must be an https: URL or a relative path (a protocol-relative URL is neither)';
  if (/[\u0000-\u001f\u007f\s]/.test(trimmed)) return 'must not contain spaces or control characters';
  return undefined;
}

/**
 * `required` names a form cannot satisfy: a property the same object does not define (within a
 * `oneOf`/`anyOf`/`allOf` branch, nor its parent). The form shows nothing to fill for it, so
 * "Connect" could never succeed. None of Airbyte's 577 published source specs has one; a
 * hand-written template (a copied `required` list, a renamed field) easily does.
 */
export function requiredProblems(spec: JsonSchema): FieldError[] {
  const problems: FieldError[] = [];
  const keysOf = (node: Record<string, unknown>) => (node.properties && typeof node.properties === 'object' ? Object.keys(node.properties) : []);
  const walk = (node: unknown, path: string[], inherited: string[], depth: number): void => {
    if (depth > MAX_SPEC_DEPTH || !node || typeof node !== 'object' || Array.isArray(node)) return;
    const n = node as Record<string, unknown>;
    const own = keysOf(n);
    const known = new Set([...own, ...inherited]);
    if (Array.isArray(n.required)) {
      const missing = n.required.filter((name): name is string => typeof name === 'string' && !known.has(name));
      if (missing.length && !n.additionalProperties && !n.patternProperties) {
        problems.push({
          path: [...SPEC_PATH, ...path, 'required'],
          message: `names ${missing.map((m) => `"${m}"`).join(', ')}, which ${missing.length > 1 ? 'are not properties' : 'is not a property'} of this object; the form would show nothing to fill for ${missing.length > 1 ? 'them' : 'it'}: add ${missing.length > 1 ? 'them' : 'it'} under "properties" or remove ${missing.length > 1 ? 'them' : 'it'} from "required"`,
        });
      }
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'properties' && value && typeof value === 'object') {
        for (const [name, child] of Object.entries(value as Record<string, unknown>)) walk(child, [...path, 'properties', name], [], depth + 1);
      } else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(value)) {
        value.forEach((branch, i) => walk(branch, [...path, key, String(i)], [...known], depth + 1));
      } else if (key === 'items' || key === 'definitions' || key === '$defs') {
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, key, String(i)], [], depth + 1));
        else if (key === 'items') walk(value, [...path, key], [], depth + 1);
        else if (value && typeof value === 'object') for (const [name, child] of Object.entries(value as Record<string, unknown>)) walk(child, [...path, key, name], [], depth + 1);
      }
    }
  };
  walk(spec, [], [], 0);
  return problems;
}
