/**
 * What a person meets on the form, one trap at a time, each on a small hand-written spec shaped
 * like the real ones that had it (named in each test), in Chromium on a phone-sized screen,
 * typing and clicking through Playwright. Every test here failed on the form before the fix it
 * names.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cdp, page, userEvent } from 'vitest/browser';
import 'airbyte-embed-kit/styles.css';
import { SourceForm } from '../../../src/form.ts'; // the eager entry, as a host rendering the form alone imports it
import type { JsonSchema } from '../../../src/shared/contract.ts';
import { optionalCredentialsSpec, pydanticStyleSpec } from '../../fixtures/formTraps.ts';

beforeEach(() => page.viewport(375, 740));
afterEach(cleanup);

function renderForm(spec: JsonSchema, formData?: Record<string, unknown>) {
  const onSubmit = vi.fn();
  const errors: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...a) => void errors.push(a.map(String).join(' ')));
  const view = render(<SourceForm spec={spec} formData={formData} onSubmit={onSubmit} />);
  const submit = async () => userEvent.click(screen.getByRole('button', { name: 'Connect' }));
  const sent = () => onSubmit.mock.calls.at(-1)?.[0] as Record<string, unknown> | undefined;
  return { ...view, onSubmit, submit, sent, errors, restore: () => spy.mockRestore() };
}


describe('1. an optional choice can be submitted, for every option', () => {
  it('picking "API Key" on Mailchimp-like credentials and typing the key submits it, with its discriminator', async () => {
    const f = renderForm(optionalCredentialsSpec);
    await userEvent.selectOptions(screen.getByLabelText('Authentication'), 'API Key');
    await userEvent.type(screen.getByLabelText('API Key*'), 'abc-us6');
    await f.submit();
    expect(f.sent()).toEqual({ credentials: { auth_type: 'apikey', apikey: 'abc-us6' } });
    expect(screen.queryByText('is required')).toBeNull();
  });

  it('the first option, shown chosen from the start, submits with its discriminator too', async () => {
    const f = renderForm(optionalCredentialsSpec);
    expect((screen.getByLabelText('Authentication') as HTMLSelectElement).selectedOptions[0]!.text).toBe('OAuth2.0');
    await userEvent.type(screen.getByLabelText('Access Token*'), 'token-1');
    await f.submit();
    expect(f.sent()).toEqual({ credentials: { auth_type: 'oauth2.0', access_token: 'token-1' } });
  });
});

describe('2. what is shown is what is sent', () => {
  it('Postgres: the update method its default names (CDC) is shown chosen and sent, with its required fields asked for', async () => {
    const f = renderForm({
      type: 'object',
      properties: {
        replication_method: {
          type: 'object',
          title: 'Update Method',
          default: 'CDC',
          display_type: 'radio',
          oneOf: [
            { type: 'object', title: 'Xmin', required: ['method'], properties: { method: { type: 'string', const: 'Xmin' } } },
            { type: 'object', title: 'Read Changes using Write-Ahead Log (CDC)', required: ['method', 'replication_slot'], properties: { method: { type: 'string', const: 'CDC' }, replication_slot: { type: 'string', title: 'Replication Slot' } } },
          ],
        },
      },
    });
    expect((screen.getByRole('radio', { name: /CDC/ }) as HTMLInputElement).checked).toBe(true);
    await f.submit();
    expect(f.onSubmit).not.toHaveBeenCalled();
    await userEvent.type(screen.getByLabelText('Replication Slot*'), 'airbyte_slot');
    await f.submit();
    expect(f.sent()).toEqual({ replication_method: { method: 'CDC', replication_slot: 'airbyte_slot' } });
  });

  it('MongoDB: an optional checkbox defaulting to true shows checked and sends true; unchecked sends false', async () => {
    const f = renderForm({ type: 'object', properties: { schema_enforced: { type: 'boolean', title: 'Schema Enforced', default: true }, other: { type: 'boolean', title: 'Other', always_show: true } } });
    await userEvent.click(screen.getByText(/^Optional fields? \(1\)$/));
    expect((screen.getByLabelText('Schema Enforced') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Other') as HTMLInputElement).checked).toBe(false);
    await f.submit();
    expect(f.sent()).toEqual({ schema_enforced: true, other: false });
  });

  it('Facebook Marketing: default action breakdowns show checked and are sent', async () => {
    const f = renderForm({ type: 'object', properties: { breakdowns: { type: 'array', title: 'Action Breakdowns', always_show: true, default: ['action_type', 'action_destination'], items: { title: 'ValidActionBreakdowns', enum: ['action_canvas_component_name', 'action_destination', 'action_type'] } } } });
    const group = screen.getByRole('group', { name: 'Action Breakdowns' });
    expect(within(group).getAllByRole('checkbox').filter((c) => (c as HTMLInputElement).checked).map((c) => c.closest('label')!.textContent)).toEqual(['action_destination', 'action_type']);
    await f.submit();
    expect(new Set(f.sent()!.breakdowns as string[])).toEqual(new Set(['action_type', 'action_destination']));
  });

  it('Chargebee: an optional enum whose default is not its first value shows that default and sends it', async () => {
    const f = renderForm({ type: 'object', properties: { product_catalog: { type: 'string', title: 'Product Catalog', enum: ['1.0', '2.0'], default: '2.0', always_show: true } } });
    expect((screen.getByLabelText('Product Catalog') as HTMLSelectElement).selectedOptions[0]!.text).toBe('2.0');
    await f.submit();
    expect(f.sent()).toEqual({ product_catalog: '2.0' });
  });

  it('an object default naming the second option chooses it (file sources\' header definition)', async () => {
    const f = renderForm({
      type: 'object',
      properties: {
        header: {
          type: 'object',
          title: 'CSV Header Definition',
          default: { header_definition_type: 'Autogenerated' },
          oneOf: [
            { title: 'From CSV', type: 'object', properties: { header_definition_type: { type: 'string', const: 'From CSV' } } },
            { title: 'Autogenerated', type: 'object', properties: { header_definition_type: { type: 'string', const: 'Autogenerated' } } },
          ],
        },
      },
    });
    expect((screen.getByLabelText('CSV Header Definition') as HTMLSelectElement).selectedOptions[0]!.text).toBe('Autogenerated');
    await f.submit();
    expect(f.sent()).toEqual({ header: { header_definition_type: 'Autogenerated' } });
  });
});

describe('submitting right after typing', () => {
  it('sends what was typed even while the form is still taking the text in (a pause, then Connect)', async () => {
    // A large form, so taking the text in (a React transition after a 120 ms pause) is still
    // running when the click comes: found on Postgres by the corpus test.
    const properties: Record<string, JsonSchema> = { name: { type: 'string', title: 'Name', order: 0 } };
    for (let i = 0; i < 300; i++) properties[`f${i}`] = { type: 'string', title: `Field ${i}`, default: `v${i}`, always_show: true, order: i + 1 };
    const f = renderForm({ type: 'object', required: ['name'], properties });
    // A slow phone: the CPU throttled, so that render outlasts the gap between the pause and the click.
    const session = cdp();
    await session.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    try {
      for (let attempt = 0; attempt < 4; attempt++) {
        await userEvent.fill(screen.getByLabelText('Name*'), `n${attempt}`);
        await new Promise((r) => setTimeout(r, 130));
        await f.submit();
        expect(f.sent()?.name, `attempt ${attempt + 1}`).toBe(`n${attempt}`);
      }
    } finally {
      await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    }
  });
});

describe('submitting with live validation', () => {
  it('fixing the last error and clicking Connect submits at the first click (the error used to vanish on blur and move the button from under the pointer)', async () => {
    const onSubmit = vi.fn();
    render(<SourceForm liveValidate onSubmit={onSubmit} spec={{ type: 'object', required: ['code'], properties: { code: { type: 'string', title: 'Code', pattern: '^[A-Z]{3}$' }, note: { type: 'string', title: 'Note', always_show: true } } }} />);
    await userEvent.fill(screen.getByLabelText('Code*'), 'abc');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('is not in the expected format')).toBeTruthy();
    await userEvent.fill(screen.getByLabelText('Code*'), 'ABC');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit).toHaveBeenCalledWith({ code: 'ABC' });
  });
});

describe('2b. editing an existing config shows what it holds', () => {
  it('an optional choice the config leaves out shows none chosen, and the config submits unchanged until one is picked', async () => {
    const f = renderForm(optionalCredentialsSpec, { start: 'x' });
    const picker = screen.getByLabelText('Authentication') as HTMLSelectElement;
    expect(picker.selectedOptions[0]!.text).toBe('Choose…');
    expect(screen.queryByLabelText(/Access Token/)).toBeNull();
    await f.submit();
    expect(f.sent()).toEqual({ start: 'x' });
    await userEvent.selectOptions(picker, 'API Key');
    await userEvent.type(screen.getByLabelText('API Key*'), 'k');
    await f.submit();
    expect(f.sent()).toEqual({ start: 'x', credentials: { auth_type: 'apikey', apikey: 'k' } });
  });

  it('a field the config lacks shows its default, which is then sent', async () => {
    const f = renderForm({ type: 'object', required: ['site'], properties: { site: { type: 'string', title: 'Site' }, product_catalog: { type: 'string', title: 'Product Catalog', enum: ['1.0', '2.0'], default: '2.0', always_show: true } } }, { site: 'acme' });
    expect((screen.getByLabelText('Product Catalog') as HTMLSelectElement).selectedOptions[0]!.text).toBe('2.0');
    await f.submit();
    expect(f.sent()).toEqual({ site: 'acme', product_catalog: '2.0' });
  });
});

describe('3. internal fields stay internal', () => {
  it('Salesforce: a root const is not an input, and is sent', async () => {
    const f = renderForm({ type: 'object', required: ['client_id'], properties: { auth_type: { type: 'string', const: 'Client' }, client_id: { type: 'string', title: 'Client ID' } } });
    // Not even folded away under "Optional fields": there is nothing for a person to do with it.
    expect(f.container.querySelector('details')).toBeNull();
    expect(f.container.querySelectorAll('input')).toHaveLength(1);
    expect(screen.queryByText(/auth.?type/i)).toBeNull();
    await userEvent.type(screen.getByLabelText('Client ID*'), 'id');
    await f.submit();
    expect(f.sent()).toEqual({ auth_type: 'Client', client_id: 'id' });
  });

  it('S3: an airbyte_hidden field inside an option is not shown; "Optional fields (N)" counts only what it shows', async () => {
    const f = renderForm({
      type: 'object',
      required: ['provider'],
      properties: {
        provider: {
          type: 'object',
          title: 'Provider',
          oneOf: [
            {
              type: 'object',
              title: 'S3',
              properties: {
                storage: { type: 'string', const: 'S3' },
                format: { type: 'object', title: 'File Format', airbyte_hidden: true, default: { filetype: 'csv' }, properties: { filetype: { type: 'string' } } },
                legacy: { type: 'string', title: 'Legacy', airbyte_hidden: true, default: 'x' },
                region: { type: 'string', title: 'Region' },
              },
            },
          ],
        },
        internal: { type: 'string', title: 'Internal', airbyte_hidden: true, default: 'i' },
      },
    });
    expect(screen.queryByText('File Format')).toBeNull();
    expect(screen.queryByText('Legacy')).toBeNull();
    expect(screen.getByText(/^Optional fields? \(1\)$/)).toBeTruthy();
    await f.submit();
    expect(f.sent()).toEqual({ provider: { storage: 'S3', format: { filetype: 'csv' }, legacy: 'x' }, internal: 'i' });
  });

  it('an object whose fields are all hidden leaves no empty fold behind', () => {
    const f = renderForm({ type: 'object', properties: { a: { type: 'string', airbyte_hidden: true, default: 'a' }, b: { type: 'string', const: 'b' } } });
    expect(f.container.querySelector('details')).toBeNull();
  });
});

describe('4. items added with "+ Add item" carry their hidden defaults', () => {
  it('a new stream of a file source gets its hidden legacy prefix and its defaults', async () => {
    const f = renderForm({
      type: 'object',
      required: ['streams'],
      properties: {
        streams: {
          type: 'array',
          title: 'Streams',
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string', title: 'Name' },
              legacy_prefix: { type: 'string', airbyte_hidden: true, default: '' },
              primary_key: { type: 'string', airbyte_hidden: true, default: 'id' },
              days: { type: 'integer', title: 'Days', default: 3 },
            },
          },
        },
      },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Add item' }));
    await userEvent.type(screen.getByLabelText('Name*'), 'orders');
    await f.submit();
    expect(f.sent()).toEqual({ streams: [{ name: 'orders', legacy_prefix: '', primary_key: 'id', days: 3 }] });
  });
});

describe('5. $ref, definitions, allOf and anyOf get every Airbyte treatment', () => {

  it('a secret behind $ref is a password; discriminators behind $ref are hidden; an enum in allOf can be changed; anyOf [string, null] is one input titled once', async () => {
    const f = renderForm(pydanticStyleSpec);
    expect((screen.getByLabelText('API Token*') as HTMLInputElement).type).toBe('password');
    expect(screen.queryByText(/auth.?type/i)).toBeNull();
    expect(f.container.querySelectorAll('select[id$="__oneof_select"]')).toHaveLength(1);
    await userEvent.selectOptions(screen.getByLabelText('Mode*'), 'fast');
    await userEvent.type(screen.getByLabelText('API Token*'), 's3cret');
    await userEvent.click(screen.getByText(/^Optional fields? \(1\)$/));
    expect(screen.getAllByText('Note')).toHaveLength(1);
    expect(f.container.querySelector('[id$="note__anyof_select"]')).toBeNull();
    await userEvent.type(screen.getByLabelText('Note'), 'hello');
    await f.submit();
    expect(f.sent()).toEqual({ credentials: { auth_type: 'token', token: 's3cret' }, mode: 'fast', note: 'hello' });
  });
});

describe('6. any property name works', () => {
  it('properties named constructor, toString, valueOf, hasOwnProperty and __proto__ render, take typing and are sent', async () => {
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];
    const spec = JSON.parse(`{"type":"object","required":${JSON.stringify(names)},"properties":{${names.map((n) => `"${n}":{"type":"string","title":"Field ${n}"}`).join(',')}}}`) as JsonSchema;
    const f = renderForm(spec);
    for (const n of names) await userEvent.type(screen.getByLabelText(`Field ${n}*`), `v-${n}`);
    await f.submit();
    const sent = f.sent()!;
    for (const n of names) expect(Object.getOwnPropertyDescriptor(sent, n)?.value).toBe(`v-${n}`);
    expect(Object.getPrototypeOf(sent)).toBe(Object.prototype);
    expect(f.errors).toEqual([]);
    f.restore();
  });
});

describe('7. credentials are up front', () => {
  it('GA4/Shopify: optional credentials (Airbyte fills them by OAuth) are not folded under "Optional fields"', () => {
    const f = renderForm({
      type: 'object',
      required: ['property_id'],
      properties: {
        property_id: { type: 'string', title: 'Property ID' },
        credentials: {
          type: 'object',
          title: 'Credentials',
          oneOf: [
            { type: 'object', title: 'Authenticate via Google (OAuth)', required: ['auth_type', 'client_id'], properties: { auth_type: { type: 'string', const: 'Client' }, client_id: { type: 'string', title: 'Client ID' } } },
            { type: 'object', title: 'Service Account', required: ['auth_type', 'json'], properties: { auth_type: { type: 'string', const: 'Service' }, json: { type: 'string', title: 'Service Account JSON Key', airbyte_secret: true } } },
          ],
        },
        window: { type: 'integer', title: 'Window' },
      },
    });
    const fold = f.container.querySelector('details.aek-optional')!;
    expect(fold.contains(screen.getByLabelText('Credentials'))).toBe(false);
    expect(screen.getByLabelText('Client ID*')).toBeTruthy();
    expect(screen.getByText(/^Optional fields? \(1\)$/)).toBeTruthy();
  });
});

describe('8. text reads right', () => {
  it('examples read as examples and are not offered as values', () => {
    renderForm({ type: 'object', required: ['account'], properties: { account: { type: 'string', title: 'Account ID', examples: ['123456789000'] } } });
    const input = screen.getByLabelText('Account ID*') as HTMLInputElement;
    expect(input.placeholder).toBe('e.g. 123456789000');
    expect(input.getAttribute('list')).toBeNull();
    expect(document.querySelector('datalist')).toBeNull();
  });

  it('Markdown tables stay tables; HTML in titles and format hints is formatted, not literal; backticks in labels are code', () => {
    const f = renderForm({
      type: 'object',
      required: ['a', 'b'],
      properties: {
        a: { type: 'string', title: 'Add `user_id` to <b>Transactions</b>', description: '| Region | Host |\n|---|---|\n| EU | eu.example.com |' },
        b: { type: 'string', title: 'Query', pattern: '^a.*$', pattern_descriptor: '<code>a</code> then anything' },
      },
    });
    expect(f.container.querySelector('.aek-description table td')?.textContent).toBe('EU');
    const label = f.container.querySelector('label[for$="_a"]')!;
    expect(label.querySelector('code')?.textContent).toBe('user_id');
    expect(label.querySelector('b')?.textContent).toBe('Transactions');
    expect(f.container.textContent).not.toMatch(/<b>|<code>|`/);
    expect(f.container.querySelector('.aek-help code')?.textContent).toBe('a');
  });

  it('a link whose address was removed is plain text, not a dead link', () => {
    const f = renderForm({ type: 'object', properties: { a: { type: 'string', title: 'A', always_show: true, description: 'See <a href="javascript:alert(1)">this</a> or <a href="/docs">docs</a> or <a href="https://docs.airbyte.com">Airbyte</a>.' } } });
    const links = [...f.container.querySelectorAll('.aek-description a')];
    expect(links.map((a) => a.textContent)).toEqual(['Airbyte']);
    expect(f.container.querySelector('.aek-description')!.textContent).toContain('See this or docs or Airbyte.');
  });

  it('a group without a title shows no raw id', () => {
    const f = renderForm({ type: 'object', required: ['host', 'user'], properties: { host: { type: 'string', title: 'Host', group: 'db' }, user: { type: 'string', title: 'User', group: 'auth' } } });
    expect(f.container.querySelectorAll('section.aek-group')).toHaveLength(2);
    expect(f.container.querySelectorAll('.aek-group-title')).toHaveLength(0);
    expect([...f.container.querySelectorAll('*')].filter((el) => /^(db|auth)$/i.test(el.textContent ?? ''))).toEqual([]);
  });

  it('a required checkbox has its asterisk, and its description under it', () => {
    const f = renderForm({ type: 'object', required: ['agree'], properties: { agree: { type: 'boolean', title: 'Include deleted', description: 'Also read deleted rows.' } } });
    const box = screen.getByLabelText(/Include deleted/);
    const label = box.closest('label')!;
    expect(label.querySelector('.required')?.textContent).toBe('*');
    const description = screen.getByText('Also read deleted rows.');
    expect(label.compareDocumentPosition(description) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('option labels wrap between words, not inside them', async () => {
    const f = renderForm({ type: 'object', properties: { fields: { type: 'array', title: 'Fields', always_show: true, items: { type: 'string', enum: ['conversion_rate_ranking', 'engagement_rate_ranking_by_region', 'quality_ranking'] } } } });
    const label = within(f.container.querySelector('.aek-multiselect') as HTMLElement).getByText('engagement_rate_ranking_by_region').closest('label')!;
    expect(getComputedStyle(label).overflowWrap).not.toBe('anywhere');
    expect(getComputedStyle(label).wordBreak).not.toBe('break-all');
  });
});
