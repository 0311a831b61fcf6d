import { format as cfworkerFormats, validate, dereference, type OutputUnit, type Schema } from '@cfworker/json-schema';
import {
  ANY_OF_KEY,
  createErrorHandler,
  getByPath,
  getDefaultFormState,
  getUiOptions,
  ONE_OF_KEY,
  toErrorSchema,
  toPath,
  unwrapErrorHandler,
  validationDataMerge,
  type CustomValidator,
  type ErrorTransformer,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
  type ValidationData,
  type ValidatorType,
} from '@rjsf/utils';
import type { JsonSchema } from '../../shared/contract.ts';
import { SCHEMA_ARRAYS, SCHEMA_KEYWORDS, SCHEMA_MAPS } from '../../shared/form/schemaKeywords.ts';
import { browserPattern, PATTERN_SAFE } from '../../shared/pattern/browserPattern.ts';

/**
 * One validation error in Ajv's shape (`keyword`, `instancePath`, `schemaPath`, `params`): what
 * the kit's downstream code (chosenOptionErrors, messageFor, the form's error mapping) and RJSF's
 * error processing read, whichever engine found it.
 */
export interface AjvShapedError {
  keyword: string;
  /** JSON pointer into the data, `''` for the root (`/credentials/client_id`). */
  instancePath: string;
  /** JSON pointer into the schema, from `#` (`#/properties/port/maximum`). */
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
  /** The schema node holding the keyword (the spec's own, patterns and formats untouched). */
  parentSchema?: JsonSchema | undefined;
}

/** Keywords the validator acts on (with the schema-holding ones); every other key of a spec (airbyte_secret, order, title…) is left out of its copy. */
const VALUE_KEYWORDS = new Set(['$ref', 'type', 'const', 'enum', 'required', 'minProperties', 'maxProperties', 'dependentRequired', 'minContains', 'maxContains', 'minItems', 'maxItems', 'uniqueItems', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength']);

/**
 * The formats real specs use (date-time, date, uri) and the other common ones, checked as
 * ajv-formats' full mode does (cfworker's checks are the same rules). Any other format passes:
 * the proxy, which validates with Ajv, is the authority.
 */
const KNOWN_FORMATS = ['date', 'date-time', 'time', 'duration', 'uri', 'uri-reference', 'uri-template', 'url', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid', 'json-pointer', 'relative-json-pointer'];

// cfworker looks formats up in this table; the kit's entries are prefixed, so none replaces or
// shadows one of cfworker's (or an Object.prototype name a spec might use as a format).
const PATTERN_FORMAT = 'aek-pattern:';
const KNOWN_FORMAT = 'aek-format:';
for (const name of KNOWN_FORMATS) cfworkerFormats[KNOWN_FORMAT + name] = cfworkerFormats[name]!;

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The copy of a schema cfworker validates: only validation keywords; `pattern` turned into a kit
 * format that runs browserPattern (cfworker would compile it with `new RegExp(p, 'u')`, which
 * rejects many real patterns, and with no guard against backtracking), so a pattern still counts
 * when cfworker picks a oneOf/anyOf option; where a node has both, the pattern wins over the
 * format (patternOverFormat, as on the server); unknown formats dropped; `patternProperties`
 * left to the proxy (cfworker would compile each key with no guard against backtracking).
 */
function toValidationSchema(node: unknown): unknown {
  if (!isPlainObject(node)) return node;
  const out: [string, unknown][] = [];
  const hasPattern = typeof node.pattern === 'string';
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string') {
      // One format per pattern and mark (a mark decides for its own node only); judged on each
      // check, so a pattern whose judge was still loading is judged once it is there.
      const mark = node[PATTERN_SAFE];
      const name = `${PATTERN_FORMAT}${mark === value ? 'marked' : mark === false ? 'unsafe' : 'unmarked'}:${value}`;
      cfworkerFormats[name] ??= (text: string) => browserPattern(value, mark).test(text);
      out.push(['format', name]);
    } else if (key === 'format' && typeof value === 'string') {
      if (!hasPattern && KNOWN_FORMATS.includes(value)) out.push(['format', KNOWN_FORMAT + value]);
    } else if (SCHEMA_ARRAYS.has(key) && Array.isArray(value)) {
      out.push([key, value.map(toValidationSchema)]);
    } else if (key === 'patternProperties') {
      // Left to the proxy: cfworker would run each key as a RegExp, unguarded.
    } else if (SCHEMA_MAPS.has(key) && isPlainObject(value)) {
      out.push([key, Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : toValidationSchema(v)]))]);
    } else if (SCHEMA_KEYWORDS.has(key)) {
      out.push([key, toValidationSchema(value)]);
    } else if (VALUE_KEYWORDS.has(key)) {
      out.push([key, value]);
    }
  }
  // Entries, not assignment: a property named `__proto__` stays a property.
  return Object.fromEntries(out);
}

interface Compiled {
  schema: Schema;
  lookup: Record<string, Schema | boolean>;
}

/**
 * Form data as JSON Schema sees it: properties holding `undefined` (a cleared field) are absent,
 * as for Ajv; an `undefined` list item is `null` (cfworker throws on undefined).
 */
function toJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toJson(v)));
  if (!isPlainObject(value)) return value;
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== 'function') out.push([k, toJson(v)]);
  return Object.fromEntries(out);
}

/** The value at a cfworker location (`#/a/0`) in the data, and its Ajv instancePath (`/a/0`). */
function decodeLocation(location: string): string[] {
  return location.replace(/^#/, '').split('/').slice(1).map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

const pointer = (steps: string[]) => steps.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function walk(root: unknown, steps: string[]): unknown {
  let node = root;
  for (const step of steps) {
    if (Array.isArray(node)) node = node[Number(step)];
    else if (isPlainObject(node) && hasOwn(node, step)) node = node[step];
    else return undefined;
  }
  return node;
}

/** The English text Ajv gives each keyword; the kit shows its own (messageFor), RJSF's `stack` shows these. */
function ajvMessage(keyword: string, p: Record<string, unknown>): string {
  switch (keyword) {
    case 'required':
      return `must have required property '${String(p.missingProperty)}'`;
    case 'type':
      return `must be ${Array.isArray(p.type) ? p.type.join(',') : String(p.type)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'minLength':
      return `must NOT have fewer than ${String(p.limit)} characters`;
    case 'maxLength':
      return `must NOT have more than ${String(p.limit)} characters`;
    case 'minItems':
      return `must NOT have fewer than ${String(p.limit)} items`;
    case 'maxItems':
      return `must NOT have more than ${String(p.limit)} items`;
    case 'minProperties':
      return `must NOT have fewer than ${String(p.limit)} properties`;
    case 'maxProperties':
      return `must NOT have more than ${String(p.limit)} properties`;
    case 'pattern':
      return `must match pattern "${String(p.pattern)}"`;
    case 'format':
      return `must match format "${String(p.format)}"`;
    case 'enum':
      return 'must be equal to one of the allowed values';
    case 'const':
      return 'must be equal to constant';
    case 'multipleOf':
      return `must be multiple of ${String(p.multipleOf)}`;
    case 'uniqueItems':
      return `must NOT have duplicate items (items ## ${String(p.j)} and ${String(p.i)} are identical)`;
    case 'additionalProperties':
      return 'must NOT have additional properties';
    case 'oneOf':
      return 'must match exactly one schema in oneOf';
    case 'anyOf':
      return 'must match a schema in anyOf';
    case 'not':
      return 'must NOT be valid';
    case 'if':
      return `must match "${String(p.failingKeyword)}" schema`;
    case 'contains':
      return 'must contain at least 1 valid item(s)';
    case 'dependencies':
    case 'dependentRequired':
      return `must have property ${String(p.deps)} when property ${String(p.property)} is present`;
    case 'propertyNames':
      return 'property name must be valid';
    default:
      return 'must be valid';
  }
}

const COMPARISON: Record<string, string> = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' };
/** cfworker's units that only say "a subschema had errors": the errors under them say which. */
const WRAPPERS = new Set(['properties', 'items', 'prefixItems', 'additionalItems', 'patternProperties', '$ref', '$recursiveRef', 'allOf', 'dependentSchemas', 'unevaluatedProperties', 'unevaluatedItems', 'false']);

/** Ajv's pair for duplicate items: the last item that repeats an earlier one, and that earlier one. */
function duplicatePair(items: unknown[]): { i: number; j: number } | undefined {
  const keys = items.map((v) => JSON.stringify(v));
  for (let i = keys.length - 1; i > 0; i--) {
    const j = keys.lastIndexOf(keys[i]!, i - 1);
    if (j >= 0) return { i, j };
  }
  return undefined;
}

/**
 * cfworker's output units as Ajv's errors: params derived from the spec's node at the keyword's
 * location and from the value, so every message the kit words stays as it was with Ajv.
 */
function toAjvErrors(units: OutputUnit[], spec: JsonSchema, data: unknown): AjvShapedError[] {
  const errors: AjvShapedError[] = [];
  // Which missing property (or dependency) the next error at a location is about: cfworker
  // reports them in the order the schema lists them, one unit each.
  const taken = new Map<string, number>();
  let skipUnder: string | undefined;
  for (let u = 0; u < units.length; u++) {
    const unit = units[u]!;
    if (skipUnder && unit.keywordLocation.startsWith(skipUnder)) continue;
    skipUnder = undefined;
    const schemaSteps = decodeLocation(unit.keywordLocation.replace('/dependantRequired', '/dependentRequired'));
    const dataSteps = decodeLocation(unit.instanceLocation);
    const next = units[u + 1];
    let keyword = unit.keyword;
    if (WRAPPERS.has(keyword)) continue;
    const parentSteps = schemaSteps.slice(0, -1);
    const parent = walk(spec, parentSteps) as JsonSchema | undefined;
    const value = walk(data, dataSteps);
    const schemaValue = parent?.[keyword];
    let params: Record<string, unknown> = {};
    let schemaPath = unit.keywordLocation === '#' ? '#' : `#${pointer(schemaSteps)}`;
    const at = `${unit.keywordLocation}|${unit.instanceLocation}`;
    const nth = taken.get(at) ?? 0;
    taken.set(at, nth + 1);
    switch (keyword) {
      case 'additionalProperties': {
        // A value under `additionalProperties: false` (cfworker follows it with a "false" unit
        // whose instance location names the key); under a schema, the errors inside say it all.
        if (parent?.additionalProperties !== false || next?.keyword !== 'false') continue;
        params = { additionalProperty: decodeLocation(next.instanceLocation).at(-1) };
        break;
      }
      case 'required': {
        const missing = ((schemaValue as string[] | undefined) ?? []).filter((k) => !(isPlainObject(value) && hasOwn(value, k)));
        params = { missingProperty: missing[nth] };
        break;
      }
      case 'dependencies':
      case 'dependentRequired': {
        // A dependency schema's unit only wraps the errors under it.
        if (next && next.keywordLocation.startsWith(`${unit.keywordLocation}/`)) continue;
        const pairs: { property: string; deps: string[]; missingProperty: string }[] = [];
        for (const [property, deps] of Object.entries((schemaValue as Record<string, unknown>) ?? {})) {
          if (!Array.isArray(deps) || !isPlainObject(value) || !hasOwn(value, property)) continue;
          for (const dep of deps as string[]) if (!hasOwn(value, dep)) pairs.push({ property, deps, missingProperty: dep });
        }
        const pair = pairs[nth];
        params = pair ? { property: pair.property, missingProperty: pair.missingProperty, depsCount: pair.deps.length, deps: pair.deps.join(', ') } : {};
        break;
      }
      case 'type':
        params = { type: schemaValue };
        break;
      case 'const':
        params = { allowedValue: schemaValue };
        break;
      case 'enum':
        params = { allowedValues: schemaValue };
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        params = { comparison: COMPARISON[keyword], limit: schemaValue };
        break;
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
      case 'minProperties':
      case 'maxProperties':
        params = { limit: schemaValue };
        break;
      case 'multipleOf':
        params = { multipleOf: schemaValue };
        break;
      case 'uniqueItems':
        params = (Array.isArray(value) && duplicatePair(value)) || {};
        break;
      case 'format': {
        // The kit's pattern format: the spec's `pattern` failed.
        if (typeof parent?.pattern === 'string') {
          keyword = 'pattern';
          schemaPath = `#${pointer([...parentSteps, 'pattern'])}`;
          params = { pattern: parent.pattern };
        } else {
          params = { format: parent?.format };
        }
        break;
      }
      case 'oneOf':
        params = { passingSchemas: null };
        break;
      case 'if':
        params = { failingKeyword: next?.keywordLocation.startsWith(`${pointerFrom(parentSteps)}/else`) ? 'else' : 'then' };
        break;
      case 'contains':
        params = { minContains: parent?.minContains ?? 1 };
        break;
      case 'propertyNames': {
        // Ajv reports the name once; the errors under it are about the name, not a value.
        params = { propertyName: next ? decodeLocation(next.instanceLocation).at(-1) : undefined };
        skipUnder = `${unit.keywordLocation}/`;
        break;
      }
      default:
        break;
    }
    errors.push({ keyword, instancePath: pointer(dataSteps), schemaPath, params, message: ajvMessage(keyword, params), parentSchema: parent });
  }
  return errors;
}

const pointerFrom = (steps: string[]) => `#${pointer(steps)}`;

/**
 * Ajv's errors as RJSF's (as validator-ajv8 turns them): the property path in dots, a
 * missing property appended to it, the field's title in the message. Duplicate messages of
 * oneOf/anyOf options under one prefix are dropped, as there.
 */
function toRjsfErrors(errors: AjvShapedError[], uiSchema: UiSchema | undefined): RJSFValidationError[] {
  const list = errors.map((e): RJSFValidationError => {
    let property = e.instancePath.replace(/\//g, '.');
    let message = e.message;
    let stack = `${property} ${message}`.trim();
    let title = '';
    const named = [e.params.missingProperty, e.params.property].filter((p): p is string => typeof p === 'string' && p !== '');
    if (named.length) {
      for (const name of named) {
        const uiTitle = getUiOptions(getByPath<UiSchema | undefined>(uiSchema, toPath(property ? `${property}.${name}` : name))).title;
        const fieldTitle = uiTitle ?? ((e.parentSchema?.properties as Record<string, JsonSchema> | undefined)?.[name]?.title as string | undefined);
        if (fieldTitle) {
          message = message.replace(`'${name}'`, `'${fieldTitle}'`);
          title = fieldTitle;
        }
      }
      stack = message;
    } else {
      const fieldTitle = getUiOptions(getByPath<UiSchema | undefined>(uiSchema, toPath(property))).title ?? (e.parentSchema?.title as string | undefined);
      if (fieldTitle) {
        stack = `'${fieldTitle}' ${message}`.trim();
        title = fieldTitle;
      }
    }
    if ('missingProperty' in e.params) property = property ? `${property}.${String(e.params.missingProperty)}` : String(e.params.missingProperty);
    return { name: e.keyword, property, message, params: e.params, stack, schemaPath: e.schemaPath, title };
  });
  return list.reduce<RJSFValidationError[]>((kept, error) => {
    const { message, schemaPath = '' } = error;
    const anyOf = schemaPath.indexOf(`/${ANY_OF_KEY}/`);
    const oneOf = schemaPath.indexOf(`/${ONE_OF_KEY}/`);
    const prefix = anyOf >= 0 ? schemaPath.slice(0, anyOf) : oneOf >= 0 ? schemaPath.slice(0, oneOf) : undefined;
    if (!(prefix && kept.some((e) => e.message === message && e.schemaPath?.startsWith(prefix)))) kept.push(error);
    return kept;
  }, []);
}

/**
 * RJSF's validator for the kit's form, with no generated code: `@cfworker/json-schema`
 * interprets the spec, so the form works under a Content-Security-Policy without
 * `'unsafe-eval'` (Ajv compiles each schema into JavaScript at run time). Errors come out in Ajv's shape,
 * so messages are the ones the proxy's Ajv gives. Tolerates real specs' quirks (unknown keywords,
 * `https` `$schema`, patterns invalid with the `u` flag); patterns go through browserPattern (no
 * pattern can freeze the tab; the proxy checks the rest); known formats as ajv-formats checks them,
 * others pass. Caches its schema copy per schema object.
 *
 * Trap: `$ref` resolves only inside the schema validated (the kit's form schemas have none:
 * toFormSchema inlines them); a `$ref` it cannot resolve makes the data invalid, with the reason
 * as `validationError`.
 */
export class FormValidator implements ValidatorType<unknown, RJSFSchema> {
  private cache = new WeakMap<object, Compiled>();

  private compile(schema: RJSFSchema): Compiled {
    let compiled = this.cache.get(schema);
    if (!compiled) {
      const copy = toValidationSchema(schema) as Schema;
      compiled = { schema: copy, lookup: dereference(copy) };
      this.cache.set(schema, compiled);
    }
    return compiled;
  }

  /** `data` already through toJson. */
  private run(schema: RJSFSchema, data: unknown, allErrors: boolean) {
    const { schema: copy, lookup } = this.compile(schema);
    return validate(data ?? null, copy, '2019-09', lookup, !allErrors);
  }

  /** The schema's errors for `formData`, in Ajv's shape; `validationError` when the schema could not be used. */
  rawValidation<Result = AjvShapedError>(schema: RJSFSchema, formData?: unknown): { errors?: Result[]; validationError?: Error } {
    try {
      const data = toJson(formData);
      const result = this.run(schema, data, true);
      return { errors: result.valid ? undefined : (toAjvErrors(result.errors, schema as JsonSchema, data) as Result[]) };
    } catch (error) {
      return { validationError: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  /** What RJSF calls on submit (and on every change with liveValidate): errors, error schema, custom validation merged. */
  validateFormData(formData: unknown, schema: RJSFSchema, customValidate?: CustomValidator, transformErrors?: ErrorTransformer, uiSchema?: UiSchema): ValidationData<unknown> {
    const { errors: raw, validationError } = this.rawValidation<AjvShapedError>(schema, formData);
    let errors = toRjsfErrors(raw ?? [], uiSchema);
    if (validationError) errors = [...errors, { stack: validationError.message }];
    if (typeof transformErrors === 'function') errors = transformErrors(errors, uiSchema);
    let errorSchema = toErrorSchema(errors);
    if (validationError) errorSchema = { ...errorSchema, $schema: { __errors: [validationError.message] } } as unknown as typeof errorSchema;
    if (typeof customValidate !== 'function') return { errors, errorSchema };
    const withUndefined = getDefaultFormState(this, schema, formData, schema, true);
    const handler = customValidate(withUndefined, createErrorHandler(withUndefined), uiSchema, errorSchema);
    return validationDataMerge({ errors, errorSchema }, unwrapErrorHandler(handler));
  }

  /**
   * Whether `formData` satisfies `schema`: how RJSF picks the oneOf option that existing data
   * (an edit form) is on. A schema it cannot use counts as not matching.
   */
  isValid(schema: RJSFSchema, formData: unknown, _rootSchema: RJSFSchema): boolean {
    try {
      return this.run(schema, toJson(formData), false).valid;
    } catch {
      return false;
    }
  }

  /** Forgets every schema copy (tests). */
  reset(): void {
    this.cache = new WeakMap();
  }
}

/** The validator the kit's form uses; pass it to your own `<Form validator>` with `airbyteTheme`. */
export const formValidator = new FormValidator();
