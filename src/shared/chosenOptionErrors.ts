import type { JsonSchema } from './contract.ts';
import { findDiscriminator } from './discriminator.ts';

/** Where a validation error is: in the schema (Ajv's `schemaPath`) and in the data (keys and indexes). */
export interface ErrorLocation {
  schemaPath?: string | undefined;
  path: string[];
}

/**
 * Drops the errors of oneOf options the data did not choose. Ajv reports every option's errors
 * when a oneOf fails, and options often share field names (Facebook Marketing's OAuth and
 * service-account options both have `access_token` and `auth_type`), so without this a user who
 * chose OAuth is told "Access Token is required" and "must be one of: Service". The choice is the
 * option whose discriminator (`const` or one-value `enum`) the data holds; where there is none,
 * every option's errors stay. Shared by the form and the proxy, so both say the same.
 */
export function chosenOptionErrors<E>(errors: E[], locate: (error: E) => ErrorLocation, schema: JsonSchema, data: unknown): E[] {
  return errors.filter((error) => {
    const { schemaPath, path } = locate(error);
    return schemaPath === undefined || inChosenOptions(schemaPath, path, schema, data);
  });
}

function inChosenOptions(schemaPath: string, path: string[], schema: JsonSchema, data: unknown): boolean {
  const steps = schemaPath.replace(/^#\/?/, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: JsonSchema | undefined = schema;
  let value: unknown = data;
  let depth = 0;
  for (let i = 0; i < steps.length && node; i++) {
    const step = steps[i]!;
    if (step === 'properties' && i + 1 < steps.length) {
      const key = steps[++i]!;
      node = (node.properties as Record<string, JsonSchema> | undefined)?.[key];
      value = isObject(value) ? value[key] : undefined;
      depth++;
    } else if (step === 'items') {
      node = node.items as JsonSchema | undefined;
      value = Array.isArray(value) ? value[Number(path[depth])] : undefined;
      depth++;
    } else if ((step === 'oneOf' || step === 'anyOf') && i + 1 < steps.length) {
      const options = node[step] as JsonSchema[] | undefined;
      const index = Number(steps[++i]);
      const chosen = chosenIndex(options ?? [], value);
      if (chosen !== undefined && chosen !== index) return false;
      node = options?.[index];
    } else {
      return true; // a keyword (required, enum, type…): the error is about this node
    }
  }
  return true;
}

function chosenIndex(options: JsonSchema[], value: unknown): number | undefined {
  if (!isObject(value)) return undefined;
  const discriminator = findDiscriminator(options);
  if (!discriminator || !(discriminator.key in value)) return undefined;
  const held = JSON.stringify(value[discriminator.key]);
  const index = discriminator.values.findIndex((v) => JSON.stringify(v) === held);
  return index >= 0 ? index : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
