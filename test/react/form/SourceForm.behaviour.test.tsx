/** The form's Airbyte semantics, each on a small hand-written spec. */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SourceForm } from '../../../src/form.ts'; // the eager entry, as a host rendering the form alone imports it
import { openOptionalFields } from '../../fixtures/openOptionalFields.ts';

afterEach(cleanup);

function renderForm(spec: Record<string, unknown>, formData?: Record<string, unknown>) {
  const onSubmit = vi.fn();
  const view = render(<SourceForm spec={spec} formData={formData} onSubmit={onSubmit} />);
  // These tests are about what each field does: open the folded optional ones first.
  openOptionalFields(view.container);
  const submit = () => fireEvent.submit(view.container.querySelector('form')!);
  return { ...view, onSubmit, submit };
}

const credentialsOneOf = {
  type: 'object',
  title: 'Authentication',
  description: 'How to sign in.',
  oneOf: [
    { type: 'object', title: 'OAuth', description: 'Sign in with your account.', required: ['client_id'], properties: { option_title: { type: 'string', const: 'OAuth Credentials' }, client_id: { type: 'string', title: 'Client ID' } } },
    { type: 'object', title: 'Token', description: 'Paste a personal token.', required: ['token'], properties: { option_title: { type: 'string', const: 'PAT Credentials' }, token: { type: 'string', title: 'Token', airbyte_secret: true } } },
  ],
};

describe('secrets', () => {
  it('are password inputs with a show/hide toggle; multiline secrets are masked textareas', async () => {
    renderForm({ type: 'object', properties: { key: { type: 'string', title: 'Key', airbyte_secret: true }, pem: { type: 'string', title: 'PEM', airbyte_secret: true, multiline: true } } });
    const key = screen.getByLabelText('Key') as HTMLInputElement;
    expect(key.type).toBe('password');
    await userEvent.click(screen.getAllByRole('button', { name: 'Show' })[0]!);
    expect(key.type).toBe('text');
    const pem = screen.getByLabelText('PEM');
    expect(pem.tagName).toBe('TEXTAREA');
    expect(pem.closest('.aek-secret--multiline')?.hasAttribute('data-shown')).toBe(false);
  });

  it('in edit mode keeps a stored secret as the mask unless the user replaces it', async () => {
    const spec = { type: 'object', required: ['token'], properties: { token: { type: 'string', title: 'Token', airbyte_secret: true, minLength: 20 }, user: { type: 'string', title: 'User' } } };
    const a = renderForm(spec, { token: '**********', user: 'me' });
    a.submit();
    expect(a.onSubmit).toHaveBeenCalledWith({ token: '**********', user: 'me' });
    cleanup();
    const b = renderForm(spec, { token: '**********' });
    await userEvent.click(screen.getByRole('button', { name: 'Replace' }));
    await userEvent.type(screen.getByLabelText('Token*'), 'a-brand-new-token-value-123');
    b.submit();
    expect(b.onSubmit).toHaveBeenCalledWith({ token: 'a-brand-new-token-value-123' });
  });
});

describe('layout', () => {
  const spec = {
    type: 'object',
    required: ['b', 'a'],
    properties: {
      z_optional: { type: 'string', title: 'Z optional', order: 0 },
      b: { type: 'string', title: 'B', order: 2 },
      a: { type: 'string', title: 'A', order: 1 },
      shown: { type: 'string', title: 'Shown', order: 3, always_show: true },
      later: { type: 'string', title: 'Later' },
    },
  };

  it('orders fields by `order`, required first, and folds optional ones under "Optional fields" (except always_show)', () => {
    const { container } = renderForm(spec);
    const labels = Array.from(container.querySelectorAll('label.control-label')).map((l) => l.textContent?.replace('*', ''));
    expect(labels).toEqual(['A', 'B', 'Shown', 'Z optional', 'Later']);
    const optional = container.querySelector('details.aek-optional')!;
    expect(within(optional as HTMLElement).getByText('Optional fields (2)')).toBeTruthy();
    expect(within(optional as HTMLElement).getByLabelText('Z optional')).toBeTruthy();
    expect(optional.contains(screen.getByLabelText('Shown'))).toBe(false);
  });

  it('renders folded optional fields only once opened, keeps their values, and opens them for an error', async () => {
    const onSubmit = vi.fn();
    const spec = { type: 'object', required: ['a'], properties: { a: { type: 'string', title: 'A' }, port: { type: 'integer', title: 'Port', minimum: 1 } } };
    const { container } = render(<SourceForm spec={spec} formData={{ a: 'x', port: 0 }} onSubmit={onSubmit} />);
    const details = container.querySelector('details.aek-optional') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(screen.queryByLabelText('Port')).toBeNull();
    // Its value is still part of the form: submitting validates it and opens the section to show why.
    fireEvent.submit(container.querySelector('form')!);
    expect(await screen.findByText('must be at least 1')).toBeTruthy();
    expect(details.open).toBe(true);
    await userEvent.clear(screen.getByLabelText('Port'));
    await userEvent.type(screen.getByLabelText('Port'), '5432');
    fireEvent.submit(container.querySelector('form')!);
    expect(onSubmit).toHaveBeenCalledWith({ a: 'x', port: 5432 });
  });

  it('makes one section per group, in the order of `groups`; a group without a title gets no heading', () => {
    const { container } = renderForm({
      type: 'object',
      groups: [{ id: 'db', title: 'Database' }, { id: 'auth', title: 'Sign-in' }],
      required: ['host', 'user'],
      properties: { user: { type: 'string', title: 'User', group: 'auth' }, host: { type: 'string', title: 'Host', group: 'db' }, extra: { type: 'string', title: 'Extra', group: 'advanced' } },
    });
    expect(Array.from(container.querySelectorAll('.aek-group')).map((g) => g.getAttribute('data-group'))).toEqual(['db', 'auth', 'advanced']);
    expect(Array.from(container.querySelectorAll('.aek-group-title')).map((h) => h.textContent)).toEqual(['Database', 'Sign-in']);
    expect(container.textContent).not.toMatch(/Advanced|advanced/);
  });

  it('keeps airbyte_hidden objects out of sight but in the submitted config', () => {
    const f = renderForm({ type: 'object', properties: { format: { type: 'object', airbyte_hidden: true, default: { filetype: 'csv' }, properties: { filetype: { type: 'string' } } }, name: { type: 'string', title: 'Name' } } }, { format: { filetype: 'jsonl' } });
    expect(screen.queryByText(/filetype/i)).toBeNull();
    f.submit();
    expect(f.onSubmit).toHaveBeenCalledWith({ format: { filetype: 'jsonl' } });
  });

  it('offers no "Add" button for additionalProperties', () => {
    const { container } = renderForm({ type: 'object', additionalProperties: true, properties: { nested: { type: 'object', title: 'Nested', additionalProperties: true, properties: { a: { type: 'string' } } } } });
    expect(container.querySelector('.rjsf-object-property-expand')).toBeNull();
  });

  it('ties every input to a visible label and its description', () => {
    renderForm({ type: 'object', properties: { host: { type: 'string', title: 'Host', description: 'Where the database runs.' } } });
    const input = screen.getByLabelText('Host');
    const described = input.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)?.textContent).join(' ');
    expect(described).toContain('Where the database runs.');
  });
});

describe('oneOf', () => {
  it('hides the discriminator, shows the choice with title and descriptions, and sets the discriminator itself', async () => {
    const f = renderForm({ type: 'object', required: ['credentials'], properties: { credentials: credentialsOneOf } });
    expect(screen.getByText('Authentication')).toBeTruthy();
    expect(screen.getByText('How to sign in.')).toBeTruthy();
    expect(screen.queryByLabelText(/option_title/)).toBeNull();
    const select = screen.getByLabelText('Authentication') as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.text)).toEqual(['OAuth', 'Token']);
    expect(screen.getByText('Sign in with your account.')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Client ID*'), 'abc');
    await userEvent.selectOptions(select, 'Token');
    expect(screen.getByText('Paste a personal token.')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Token*'), 't0ken');
    f.submit();
    // Switching kept only the chosen option's data.
    expect(f.onSubmit).toHaveBeenCalledWith({ credentials: { option_title: 'PAT Credentials', token: 't0ken' } });
  });

  it('shows errors from the chosen option only', () => {
    const f = renderForm({ type: 'object', required: ['credentials'], properties: { credentials: credentialsOneOf } });
    f.submit();
    expect(f.onSubmit).not.toHaveBeenCalled();
    expect(screen.getAllByText('is required')).toHaveLength(1);
    expect(screen.queryByText(/constant|exactly one/)).toBeNull();
  });

  it('preselects the option a string default names; renders radio cards for display_type: radio', () => {
    renderForm({ type: 'object', required: ['mode'], properties: { mode: { ...credentialsOneOf, title: 'Mode', default: 'PAT Credentials', display_type: 'radio' } } });
    const token = screen.getByRole('radio', { name: /Token/ }) as HTMLInputElement;
    expect(token.checked).toBe(true);
    expect(screen.getByText('Paste a personal token.', { selector: '.aek-option-card-description p' })).toBeTruthy();
    expect(document.getElementById(token.getAttribute('aria-describedby')!)?.textContent).toBe('Paste a personal token.');
    // Said once, on its card: not again above the chosen option's fields.
    expect(screen.getAllByText('Paste a personal token.')).toHaveLength(1);
  });

  it('shows rich text on radio cards (real specs put <a> and <i> there) and picks a card clicked anywhere but its links', async () => {
    const cdc = { type: 'object', title: 'Read Changes using Write-Ahead Log (CDC)', description: '<i>Recommended</i> - reads the <a href="https://docs.airbyte.com/cdc">write-ahead log</a>.', required: ['method'], properties: { method: { type: 'string', const: 'CDC' } } };
    const xmin = { type: 'object', title: 'Detect Changes with Xmin System Column', description: 'Uses the xmin column.', required: ['method'], properties: { method: { type: 'string', const: 'Xmin' } } };
    const f = renderForm({ type: 'object', required: ['replication_method'], properties: { replication_method: { type: 'object', title: 'Update Method', display_type: 'radio', oneOf: [cdc, xmin] } } });
    const link = screen.getByRole('link', { name: 'write-ahead log' });
    expect(link.getAttribute('target')).toBe('_blank');
    expect(screen.queryByText(/<i>|<a /)).toBeNull();
    await userEvent.click(screen.getByText('Uses the xmin column.'));
    expect((screen.getByRole('radio', { name: /Xmin/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(link); // reading the CDC docs does not switch to CDC
    expect((screen.getByRole('radio', { name: /Xmin/ }) as HTMLInputElement).checked).toBe(true);
    f.submit();
    expect(f.onSubmit).toHaveBeenCalledWith({ replication_method: { method: 'Xmin' } });
  });

  it('does not blame the chosen option for what another option needs, where both share field names', () => {
    const shared = {
      type: 'object',
      title: 'Authentication',
      oneOf: [
        { type: 'object', title: 'OAuth', required: ['client_id', 'auth_type'], properties: { auth_type: { type: 'string', const: 'Client', enum: ['Client'] }, client_id: { type: 'string', title: 'Client ID' }, access_token: { type: 'string', title: 'Access Token' } } },
        { type: 'object', title: 'Service account', required: ['access_token', 'auth_type'], properties: { auth_type: { type: 'string', const: 'Service', enum: ['Service'] }, access_token: { type: 'string', title: 'Access Token' } } },
      ],
    };
    const f = renderForm({ type: 'object', required: ['credentials'], properties: { credentials: shared } });
    f.submit();
    expect(f.onSubmit).not.toHaveBeenCalled();
    expect(screen.getAllByText('is required')).toHaveLength(1);
    expect(screen.getByText('is required').closest('.form-group')?.contains(screen.getByLabelText(/Client ID/))).toBe(true);
    expect(screen.queryByText(/must be one of|must be equal/)).toBeNull();
  });

  it('writes a missing discriminator from the option the data fits', () => {
    const f = renderForm({ type: 'object', required: ['credentials'], properties: { credentials: credentialsOneOf } }, { credentials: { token: 'x' } });
    f.submit();
    expect(f.onSubmit).toHaveBeenCalledWith({ credentials: { option_title: 'PAT Credentials', token: 'x' } });
  });

  it('works inside array items, each item with its own choice', async () => {
    const f = renderForm(
      { type: 'object', properties: { streams: { type: 'array', title: 'Streams', items: { type: 'object', required: ['format'], properties: { format: { ...credentialsOneOf, title: 'Format' } } } } } },
      { streams: [{ format: { option_title: 'OAuth Credentials', client_id: 'a' } }, { format: { option_title: 'PAT Credentials', token: 'b' } }] },
    );
    const selects = screen.getAllByLabelText('Format') as HTMLSelectElement[];
    expect(selects.map((s) => s.selectedOptions[0]!.text)).toEqual(['OAuth', 'Token']);
    f.submit();
    expect(f.onSubmit).toHaveBeenCalledWith({ streams: [{ format: { option_title: 'OAuth Credentials', client_id: 'a' } }, { format: { option_title: 'PAT Credentials', token: 'b' } }] });
  });
});

describe('dates and patterns', () => {
  it('shows pattern_descriptor as the format and in the error; a pattern without one gets a readable message', () => {
    const f = renderForm({
      type: 'object',
      properties: {
        day: { type: 'string', title: 'Day', pattern: '^[0-9]{2}-[0-9]{2}-[0-9]{4}$', pattern_descriptor: 'DD-MM-YYYY', format: 'date' },
        code: { type: 'string', title: 'Code', pattern: '^[A-Z]{3}$' },
      },
    }, { day: '2024-01-31', code: 'abc' });
    expect(screen.getByText('Format: DD-MM-YYYY')).toBeTruthy();
    expect((screen.getByLabelText('Day') as HTMLInputElement).type).toBe('text');
    f.submit();
    expect(screen.getByText('must be in the format DD-MM-YYYY')).toBeTruthy();
    expect(screen.getByText('is not in the expected format')).toBeTruthy();
    expect(document.body.textContent).not.toContain('[A-Z]');
  });

  it('uses a native date picker for YYYY-MM-DD and a month picker for YYYY-MM', () => {
    renderForm({ type: 'object', properties: { d: { type: 'string', title: 'D', format: 'date' }, m: { type: 'string', title: 'M', pattern: '^[0-9]{4}-[0-9]{2}$' } } });
    expect((screen.getByLabelText('D') as HTMLInputElement).type).toBe('date');
    expect((screen.getByLabelText('M') as HTMLInputElement).type).toBe('month');
  });

  it('keeps microseconds where the pattern asks for them', () => {
    const f = renderForm({ type: 'object', properties: { at: { type: 'string', title: 'At', format: 'date-time', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}.[0-9]{6}Z$' } } });
    fireEvent.change(screen.getByLabelText(/At/), { target: { value: '2024-05-01T12:00' } });
    f.submit();
    expect(f.onSubmit).toHaveBeenCalledWith({ at: '2024-05-01T12:00:00.000000Z' });
  });
});

describe('arrays and enums', () => {
  it('edits string lists as tags, also without `items`, and does not prefill minItems with null', async () => {
    const f = renderForm({ type: 'object', properties: { repos: { type: 'array', title: 'Repositories', minItems: 1, items: { type: 'string' } }, subs: { type: 'array', title: 'Subreddits' } } });
    const repos = screen.getByLabelText('Repositories');
    await userEvent.type(repos, 'airbytehq/airbyte{Enter}org/*,');
    expect(screen.getAllByRole('button', { name: /^Remove/ })).toHaveLength(2);
    await userEvent.type(screen.getByLabelText('Subreddits'), 'r/funny{Enter}');
    f.submit();
    expect(f.onSubmit).toHaveBeenCalledWith({ repos: ['airbytehq/airbyte', 'org/*'], subs: ['r/funny'] });
    cleanup();
    const empty = renderForm({ type: 'object', required: ['repos'], properties: { repos: { type: 'array', title: 'Repositories', minItems: 1, items: { type: 'string' } } } });
    empty.submit();
    expect(empty.onSubmit).not.toHaveBeenCalled();
    expect(screen.queryByText(/must be string/)).toBeNull();
    expect(screen.getByText('must have at least 1 item')).toBeTruthy();
  });

  it('adds, removes and reorders objects in a list with buttons named in words, each item numbered', async () => {
    const f = renderForm({ type: 'object', properties: { queries: { type: 'array', title: 'Queries', items: { type: 'object', title: 'Query', properties: { name: { type: 'string', title: 'Name' } } } } } }, { queries: [{ name: 'first' }, { name: 'second' }] });
    const list = screen.getByRole('group', { name: 'Queries' });
    expect(within(list).getByText('Item 1')).toBeTruthy();
    expect(within(list).getAllByRole('button', { name: 'Move up' })[0]).toHaveProperty('disabled', true);
    await userEvent.click(within(list).getAllByRole('button', { name: 'Move down' })[0]!);
    const add = within(list).getByRole('button', { name: 'Add item' });
    expect(add.textContent).toBe('+ Add item');
    await userEvent.click(add);
    f.submit();
    expect(f.onSubmit.mock.calls[0]![0].queries.slice(0, 2)).toEqual([{ name: 'second' }, { name: 'first' }]);
    expect(f.onSubmit.mock.calls[0]![0].queries).toHaveLength(3);
    expect(within(list).getByText('Item 3')).toBeTruthy();
    await userEvent.click(within(list).getAllByRole('button', { name: 'Remove' })[2]!);
    f.submit();
    expect(f.onSubmit.mock.calls[1]![0].queries).toHaveLength(2);
  });

  it('says a required list is empty and names its buttons in the form language', async () => {
    const spec = { type: 'object', required: ['streams'], properties: { streams: { type: 'array', title: 'Streams', items: { type: 'object', properties: { name: { type: 'string', title: 'Name' } } } } } };
    const onSubmit = vi.fn();
    render(<SourceForm spec={spec} locale="de" onSubmit={onSubmit} />);
    const list = await screen.findByRole('group', { name: /^Streams/ });
    expect(within(list).getByText(/Noch keine Einträge/)).toBeTruthy();
    await userEvent.click(within(list).getByRole('button', { name: 'Eintrag hinzufügen' }));
    expect(within(list).getByText('Eintrag 1')).toBeTruthy();
    expect(within(list).getByRole('button', { name: 'Entfernen' })).toBeTruthy();
  });

  it('makes long enums searchable and arrays of enums a filterable multi-select', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `pokemon-${i}`);
    const f = renderForm({ type: 'object', properties: { p: { type: 'string', title: 'Pokemon', enum: names }, fields: { type: 'array', title: 'Fields', items: { type: 'string', enum: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] } } } });
    const combo = screen.getByRole('combobox', { name: 'Pokemon' });
    expect(document.querySelectorAll(`#${combo.getAttribute('list')} option`)).toHaveLength(300);
    await userEvent.type(combo, 'pokemon-42');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter options' }), 'c');
    expect(screen.getAllByRole('checkbox')).toHaveLength(1);
    await userEvent.click(screen.getByRole('checkbox', { name: 'c' }));
    f.submit();
    expect(f.onSubmit).toHaveBeenCalledWith({ p: 'pokemon-42', fields: ['c'] });
  });

  it('shows the first example as a placeholder without copying it into the value', () => {
    const f = renderForm({ type: 'object', properties: { port: { type: 'integer', title: 'Port', examples: ['5432'] } } });
    expect(screen.getByLabelText('Port').getAttribute('placeholder')).toBe('e.g. 5432');
    f.submit();
    expect(f.onSubmit).toHaveBeenCalledWith({});
  });
});

describe('descriptions', () => {
  it('render HTML and Markdown as sanitized rich text; links open in a new tab', () => {
    const { container } = renderForm({
      type: 'object',
      properties: { key: { type: 'string', title: 'Key', description: 'Find it <a href="https://example.com/keys">here</a>, use `sk_live` keys. <b>Never</b> share it.<script>alert(1)</script><img src=x onerror=alert(1)>' } },
    });
    const description = container.querySelector('.aek-description')!;
    const link = description.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://example.com/keys');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(description.querySelector('code')?.textContent).toBe('sk_live');
    expect(description.querySelector('b')?.textContent).toBe('Never');
    expect(description.querySelector('script, img')).toBeNull();
    expect(description.textContent).not.toContain('<a');
  });
});

describe('a press on Connect right after typing', () => {
  // The form takes typed text after a pause (TYPING_PAUSE_MS); a press that starts before then must
  // not be met by that hand-over mid-press: with live validation, the field's error vanishing
  // would move the button from under the pointer, and the release would miss it (no submit).
  it('holds the live error where it is until the press ends, then submits what was typed', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    render(<SourceForm liveValidate onSubmit={onSubmit} spec={{ type: 'object', required: ['code'], properties: { code: { type: 'string', title: 'Code', pattern: '^[A-Z]{3}$' }, note: { type: 'string', title: 'Note', always_show: true } } }} />);
    const code = screen.getByLabelText('Code*');
    await user.type(code, 'abc');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('is not in the expected format')).toBeTruthy();
    // The new text and the press in one go, with nothing between them (as a quick person's press
    // lands inside the typing pause, however slow this machine is): the press moves focus to
    // Connect, as a mouse press does.
    const connect = screen.getByRole('button', { name: 'Connect' });
    act(() => {
      fireEvent.change(code, { target: { value: 'ABC' } });
      fireEvent.pointerDown(connect);
      fireEvent.mouseDown(connect);
      connect.focus();
    });
    // A slow press: longer than the typing pause.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(screen.queryByText('is not in the expected format')).not.toBeNull();
    expect(onSubmit).not.toHaveBeenCalled();
    act(() => {
      fireEvent.pointerUp(connect);
      fireEvent.mouseUp(connect);
      fireEvent.click(connect);
    });
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({ code: 'ABC' });
  });
});
