import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigValidator } from '../../src/shared/configValidator.ts';
import { fakerSpec, stripeSpec } from '../fixtures/proxyFixtures.ts';
import { SHARED_SPECS, specsMissingMessage } from '../fixtures/sharedSpecs.ts';

const validator = new ConfigValidator();

describe('ConfigValidator', () => {
  it('accepts a valid config', () => {
    expect(validator.validate(stripeSpec, { account_id: 'acct_1', client_secret: 'sk', start_date: '2020-01-01T00:00:00Z' })).toEqual([]);
  });

  it('reports each bad field with a readable message, not a regex', () => {
    const errors = validator.validate(stripeSpec, { account_id: 'acct_1', start_date: '2020-01-01T00:00:00.000Z' });
    expect(errors).toContainEqual(expect.objectContaining({ path: ['client_secret'], message: 'is required' }));
    expect(errors).toContainEqual(expect.objectContaining({ path: ['start_date'], message: 'must be in the format YYYY-MM-DDTHH:mm:ssZ' }));
    expect(JSON.stringify(errors)).not.toContain('[0-9]');
  });

  it('explains numeric limits', () => {
    // The rule lets a client word the message in its own language.
    expect(validator.validate(fakerSpec, { count: 0 })).toEqual([{ path: ['count'], message: 'must be at least 1', rule: { keyword: 'minimum', params: { comparison: '>=', limit: 1 } } }]);
    expect(validator.validate(fakerSpec, { count: 'ten' })).toEqual([expect.objectContaining({ path: ['count'], message: 'must be a whole number' })]);
  });

  it('tolerates real-world spec quirks: https $schema, non-u regexes, duplicate required, nullable types', () => {
    const spec = {
      $schema: 'https://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['key', 'key'],
      properties: {
        key: { type: 'string', pattern: '^[\\w\\-]+$', airbyte_secret: true, order: 0 },
        note: { type: ['string', 'null'] },
      },
    };
    expect(validator.validate(spec, { key: 'a-b', note: null })).toEqual([]);
    expect(validator.validate(spec, { key: 'a b' })).toEqual([expect.objectContaining({ path: ['key'], message: 'is not in the expected format' })]);
  });

  it('never echoes the submitted value in messages (secrets stay out of errors)', () => {
    const spec = { type: 'object', properties: { token: { type: 'string', airbyte_secret: true, minLength: 40 } } };
    const errors = validator.validate(spec, { token: 'super-secret-canary' });
    expect(JSON.stringify(errors)).not.toContain('super-secret-canary');
  });

  it.skipIf(!SHARED_SPECS)(`compiles every real connector spec (${specsMissingMessage})`, () => {
    const dir = path.join(SHARED_SPECS!, 'sources');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    let compiled = 0;
    for (const file of files) {
      const spec = JSON.parse(readFileSync(path.join(dir, file), 'utf8')).connectionSpecification;
      expect(() => validator.validate(spec, {}), file).not.toThrow();
      compiled++;
    }
    console.info(`compiled ${compiled} of ${files.length} real connector specs`);
    expect(compiled).toBe(files.length);
    expect(existsSync(dir)).toBe(true);
  });
});
