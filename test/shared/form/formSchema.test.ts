import { describe, expect, it } from 'vitest';
import { toFormSchema } from '../../../src/shared/form/formSchema.ts';
import { orderKeys } from '../../../src/shared/form/uiSchema.ts';
import { stripeSpec } from '../../fixtures/proxyFixtures.ts';

describe('toFormSchema', () => {
  it('renders airbyte_secret fields as password inputs, multiline as textareas and hides airbyte_hidden', () => {
    const { uiSchema } = toFormSchema({
      type: 'object',
      properties: {
        key: { type: 'string', airbyte_secret: true },
        cert: { type: 'string', multiline: true },
        pem: { type: 'string', multiline: true, airbyte_secret: true },
        internal: { type: 'string', airbyte_hidden: true, default: 'x' },
      },
    });
    expect(uiSchema.key).toMatchObject({ 'ui:widget': 'password' });
    expect(uiSchema.cert).toMatchObject({ 'ui:widget': 'textarea' });
    expect(uiSchema.pem).toMatchObject({ 'ui:widget': 'AirbyteSecretTextarea' });
    expect(uiSchema.internal).toMatchObject({ 'ui:field': 'AirbyteHidden' });
  });

  it('drops root additionalProperties so RJSF shows no "Add" button, and $schema that breaks Ajv', () => {
    const { schema } = toFormSchema({ $schema: 'https://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: true, properties: {} });
    expect(schema).not.toHaveProperty('additionalProperties');
    expect(schema).not.toHaveProperty('$schema');
  });

  it('uses the date-time widget and the first example as an example placeholder', () => {
    const { uiSchema } = toFormSchema(stripeSpec);
    expect(uiSchema.start_date).toMatchObject({ 'ui:widget': 'AirbyteDateTime', 'ui:placeholder': 'e.g. 2017-01-25T00:00:00Z' });
  });
});

describe('orderKeys (Airbyte field order)', () => {
  it('puts ordered fields first (stable for duplicates), then required, then optional, each alphabetical', () => {
    const props = { z: {}, b: { order: 1 }, a: { order: 1 }, first: { order: 0 }, req: {}, opt: {} };
    expect(orderKeys(props, ['req', 'z'])).toEqual(['first', 'b', 'a', 'req', 'z', 'opt']);
  });
});
