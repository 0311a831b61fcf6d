import type { JsonSchema } from '../contract.ts';
import { UNRESOLVED_REF } from './resolveRefs.ts';

/** The first non-null type of a node (`["string","null"]` → `string`). */
export function mainType(node: JsonSchema): string | undefined {
  const t = node.type;
  if (Array.isArray(t)) return (t as string[]).find((x) => x !== 'null');
  return typeof t === 'string' ? t : undefined;
}

/** The discriminator of a cleaned oneOf (see toFormSchema), or undefined for any other node. */
export function discriminatorOf(node: JsonSchema): string | undefined {
  const d = node.discriminator as { propertyName?: unknown } | undefined;
  return Array.isArray(node.oneOf) && typeof d?.propertyName === 'string' ? d.propertyName : undefined;
}

/** Whether the form writes this node's value itself: a `const` (after cleaning, one-value enums are consts). */
export function isFixed(node: JsonSchema): boolean {
  return 'const' in node;
}

/** Whether the form never shows this node: `airbyte_hidden`, a value it writes itself, or a `$ref` it could not follow. */
export function isHidden(node: JsonSchema): boolean {
  return node.airbyte_hidden === true || isFixed(node) || UNRESOLVED_REF in node;
}

/** Whether a node is an object the form lays out field by field (not a choice, not a list). */
export function isObjectNode(node: JsonSchema): boolean {
  return !Array.isArray(node.oneOf) && (mainType(node) === 'object' || (typeof node.properties === 'object' && node.properties !== null));
}

/** The properties of a node (own keys only), or an empty map. */
export function propertiesOf(node: JsonSchema): Record<string, JsonSchema> {
  const p = node.properties;
  return typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as Record<string, JsonSchema>) : {};
}

/**
 * Whether `value` has the type `node` declares (its first non-null type; `null` where the type
 * list allows it). Says nothing of enums, patterns or bounds.
 */
export function hasDeclaredType(node: JsonSchema, value: unknown): boolean {
  if (value === null) return Array.isArray(node.type) && (node.type as string[]).includes('null');
  switch (mainType(node)) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}
