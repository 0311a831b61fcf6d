import type { FieldError, JsonSchema } from '../shared/contract.ts';
import { schemaAt } from '../shared/validationMessages.ts';

/**
 * Airbyte's wording of a configuration that fails its connector spec. The server validates with
 * airbyte-json-validation/src/main/kotlin/io/airbyte/validation/json/JsonSchemaValidator.kt
 * (`ensure`: networknt json-schema-validator 1.5.2, draft 7 unless `$schema` says otherwise, legacy
 * `$.a.b` paths) and throws a JsonValidationException whose message is
 * `json schema validation failed when comparing the data to the json schema. \nErrors: <m1>, <m2> \nSchema: \n<the spec>`,
 * each message worded as networknt's `jsv-messages.properties` (1.5.2) says, e.g.
 * `$: required property 's3_bucket_name' not found`, `$.port: string found, integer expected`.
 * The emulator validates with Ajv; this maps Ajv's keywords onto those messages.
 */
export function jsonSchemaValidationMessage(errors: FieldError[], spec: JsonSchema, config: unknown): string {
  return `json schema validation failed when comparing the data to the json schema. \nErrors: ${errors.map((e) => networkntMessage(e, spec, config)).join(', ')} \nSchema: \n${jacksonPretty(spec)}`;
}

/**
 * The part of {@link jsonSchemaValidationMessage} the public API keeps: its
 * airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/errorHandlers/ConfigClientErrorHandler.kt
 * answers a JsonValidationException with 422 `unprocessable-entity` and `data.message` =
 * `message.substringBefore("\nSchema:")` (so it ends with a space).
 */
export function publicApiValidationMessage(errors: FieldError[], spec: JsonSchema, config: unknown): string {
  return jsonSchemaValidationMessage(errors, spec, config).split('\nSchema:')[0]!;
}

/** networknt's legacy instance location: `$`, `$.a.b`, `$.list[0]`. */
function location(path: string[], config: unknown): string {
  let out = '$';
  let value: unknown = config;
  for (const key of path) {
    out += Array.isArray(value) && /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

function valueAt(config: unknown, path: string[]): unknown {
  let value = config;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** networknt's JsonType names: an integral number is `integer`. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

const list = (values: unknown[]) => `[${values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]`;

/** `format.<name>` messages of jsv-messages.properties 1.5.2. */
const FORMAT_RULES: Record<string, string> = {
  date: 'must be a valid RFC 3339 full-date',
  'date-time': 'must be a valid RFC 3339 date-time',
  time: 'must be a valid RFC 3339 time',
  email: 'must be a valid RFC 5321 Mailbox',
  uri: 'must be a valid RFC 3986 URI',
  'uri-reference': 'must be a valid RFC 3986 URI-reference',
  uuid: 'must be a valid RFC 4122 UUID',
  ipv4: 'must be a valid RFC 2673 IP address',
  ipv6: 'must be a valid RFC 4291 IP address',
  hostname: 'must be a valid RFC 1123 host name',
  regex: 'must be a valid ECMA-262 regular expression',
};

function networkntMessage(error: FieldError, spec: JsonSchema, config: unknown): string {
  const keyword = error.rule?.keyword ?? '';
  const params = error.rule?.params ?? {};
  if (keyword === 'required') {
    return `${location(error.path.slice(0, -1), config)}: required property '${error.path[error.path.length - 1]}' not found`;
  }
  const at = location(error.path, config);
  const schema = schemaAt(spec, error.path);
  switch (keyword) {
    case 'type': {
      const expected = Array.isArray(params.type) ? list(params.type) : String(params.type).includes(',') ? list(String(params.type).split(',')) : String(params.type);
      return `${at}: ${jsonType(valueAt(config, error.path))} found, ${expected} expected`;
    }
    case 'enum':
      return `${at}: does not have a value in the enumeration ${list((params.allowedValues as unknown[] | undefined) ?? (schema?.enum as unknown[] | undefined) ?? [])}`;
    case 'const':
      return `${at}: must be the constant value '${String(params.allowedValue ?? schema?.const)}'`;
    case 'minimum':
    case 'maximum':
      return `${at}: must have a ${keyword} value of ${String(params.limit)}`;
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${at}: must have an exclusive ${keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum'} value of ${String(params.limit)}`;
    case 'minLength':
      return `${at}: must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `${at}: must be at most ${String(params.limit)} characters long`;
    case 'pattern':
      return `${at}: does not match the regex pattern ${String(schema?.pattern ?? '')}`;
    case 'format': {
      const format = String(params.format);
      return `${at}: does not match the ${format} pattern ${FORMAT_RULES[format] ?? `${format}`}`;
    }
    case 'additionalProperties':
      return `${at}: property '${String(params.additionalProperty)}' is not defined in the schema and the schema does not allow additional properties`;
    case 'minItems':
    case 'maxItems': {
      const n = (valueAt(config, error.path) as unknown[] | undefined)?.length ?? 0;
      return `${at}: must have ${keyword === 'minItems' ? 'at least' : 'at most'} ${String(params.limit)} items but found ${n}`;
    }
    case 'uniqueItems':
      return `${at}: must have only unique items in the array`;
    case 'multipleOf':
      return `${at}: must be multiple of ${String(params.multipleOf)}`;
    default:
      return `${at}: ${error.message}`;
  }
}

/**
 * `JsonNode.toPrettyString()` (Jackson's DefaultPrettyPrinter): two-space indents, `"key" : value`,
 * arrays on one line as `[ a, b ]`, empty containers as `{ }` and `[ ]`.
 */
export function jacksonPretty(value: unknown, indent = ''): string {
  if (Array.isArray(value)) return value.length ? `[ ${value.map((v) => jacksonPretty(v, indent)).join(', ')} ]` : '[ ]';
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (!entries.length) return '{ }';
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${jacksonPretty(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
