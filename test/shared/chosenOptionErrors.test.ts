import { describe, expect, it } from 'vitest';
import { ConfigValidator } from '../../src/shared/configValidator.ts';

/** Shaped like source-facebook-marketing: two auth options sharing `access_token` and `auth_type`. */
const spec = {
  type: 'object',
  required: ['credentials', 'streams'],
  properties: {
    credentials: {
      type: 'object',
      oneOf: [
        {
          title: 'OAuth',
          type: 'object',
          required: ['client_id', 'client_secret', 'auth_type'],
          properties: { auth_type: { type: 'string', const: 'Client', enum: ['Client'] }, client_id: { type: 'string' }, client_secret: { type: 'string' }, access_token: { type: 'string' } },
        },
        {
          title: 'Service account',
          type: 'object',
          required: ['access_token', 'auth_type'],
          properties: { auth_type: { type: 'string', const: 'Service', enum: ['Service'] }, access_token: { type: 'string' } },
        },
      ],
    },
    streams: {
      type: 'array',
      items: {
        type: 'object',
        required: ['format'],
        properties: {
          format: {
            type: 'object',
            oneOf: [
              { type: 'object', required: ['filetype', 'delimiter'], properties: { filetype: { const: 'csv' }, delimiter: { type: 'string', minLength: 1 } } },
              { type: 'object', required: ['filetype', 'block_size'], properties: { filetype: { const: 'parquet' }, block_size: { type: 'integer' } } },
            ],
          },
        },
      },
    },
  },
};

const validator = new ConfigValidator();
const paths = (config: Record<string, unknown>) => validator.validate(spec, config).map((e) => `${e.path.join('.')}: ${e.message}`);

describe('errors of oneOf options', () => {
  it('names only what the chosen option lacks, even where options share field names', () => {
    expect(paths({ credentials: { auth_type: 'Client', client_id: 'id' }, streams: [] })).toEqual(['credentials.client_secret: is required']);
    expect(paths({ credentials: { auth_type: 'Service' }, streams: [] })).toEqual(['credentials.access_token: is required']);
  });

  it('follows each array item to its own choice', () => {
    const errors = paths({ credentials: { auth_type: 'Service', access_token: 't' }, streams: [{ format: { filetype: 'csv', delimiter: '' } }, { format: { filetype: 'parquet' } }] });
    expect(errors).toEqual(['streams.0.format.delimiter: must be at least 1 character', 'streams.1.format.block_size: is required']);
  });

  it('keeps every option’s errors when the data names no option', () => {
    const errors = paths({ credentials: {}, streams: [] });
    expect(errors).toEqual(expect.arrayContaining(['credentials.client_secret: is required', 'credentials.access_token: is required']));
  });
});
