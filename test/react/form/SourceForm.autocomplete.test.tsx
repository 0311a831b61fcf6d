/**
 * Password managers leave a connector's form alone: its keys and passwords are the connector's,
 * not the customer's login for this site. Secrets (`airbyte_secret`) say `new-password` (browsers
 * ignore `off` on password fields and would fill the customer's saved password into an API key);
 * every other text input (host, username, account id, e-mail, URL, port, list entry) says `off`.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceForm } from '../../../src/form.ts'; // the eager entry, as a host rendering the form alone imports it
import { SECRET_MASK, type JsonSchema } from '../../../src/shared/contract.ts';

afterEach(cleanup);

const spec: JsonSchema = {
  type: 'object',
  required: ['host', 'port', 'username', 'password', 'private_key', 'email', 'url', 'schemas'],
  properties: {
    host: { type: 'string', title: 'Host', order: 0 },
    port: { type: 'integer', title: 'Port', default: 5432, order: 1 },
    username: { type: 'string', title: 'Username', order: 2 },
    password: { type: 'string', title: 'Password', airbyte_secret: true, order: 3 },
    private_key: { type: 'string', title: 'Private key', airbyte_secret: true, multiline: true, order: 4 },
    email: { type: 'string', title: 'Login e-mail', format: 'email', order: 5 },
    url: { type: 'string', title: 'Instance URL', format: 'uri', order: 6 },
    schemas: { type: 'array', title: 'Schemas', items: { type: 'string' }, order: 7 },
  },
};

const input = (label: RegExp) => screen.getByLabelText(label) as HTMLInputElement | HTMLTextAreaElement;

describe('autocomplete in the connector form', () => {
  it('secrets are new-password, so no saved password is filled into them or saved from them', () => {
    render(<SourceForm spec={spec} onSubmit={() => undefined} />);
    expect(input(/^Password/).getAttribute('type')).toBe('password');
    expect(input(/^Password/).getAttribute('autocomplete')).toBe('new-password');
    expect(input(/^Private key/).getAttribute('autocomplete')).toBe('new-password');
  });

  it('a stored secret shown as saved is new-password too', () => {
    render(<SourceForm spec={spec} formData={{ host: 'db', username: 'u', password: SECRET_MASK }} onSubmit={() => undefined} />);
    expect(input(/^Password/).getAttribute('autocomplete')).toBe('new-password');
  });

  it('every other text input is off: host, port, username, e-mail, URL and list entries', () => {
    render(<SourceForm spec={spec} onSubmit={() => undefined} />);
    for (const label of [/^Host/, /^Port/, /^Username/, /^Login e-mail/, /^Instance URL/, /^Schemas/]) {
      expect(input(label).getAttribute('autocomplete'), String(label)).toBe('off');
    }
  });
});
