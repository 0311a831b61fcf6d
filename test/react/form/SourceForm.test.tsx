import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SourceForm } from '../../../src/form.ts'; // the eager entry, as a host rendering the form alone imports it
import { dateTimePrecision, fromInputValue } from '../../../src/react/form/widgets.tsx';
import { openOptionalFields } from '../../fixtures/openOptionalFields.ts';
import { stripeSpec } from '../../fixtures/proxyFixtures.ts';

afterEach(cleanup);

describe('SourceForm', () => {
  it('emits date-times in the shape the field pattern accepts (no milliseconds)', async () => {
    const onSubmit = vi.fn();
    const { container } = render(<SourceForm spec={stripeSpec} formData={{ account_id: 'acct_1', client_secret: 'sk' }} onSubmit={onSubmit} />);
    openOptionalFields(container);
    fireEvent.change(screen.getByLabelText(/Replication start date/), { target: { value: '2024-03-01T10:30' } });
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(onSubmit).toHaveBeenCalledWith({ account_id: 'acct_1', client_secret: 'sk', start_date: '2024-03-01T10:30:00Z' });
  });

  it('keeps the values after server errors and clears an error once its field changes', async () => {
    const { rerender } = render(<SourceForm spec={stripeSpec} formData={{ account_id: 'acct_1', client_secret: 'sk' }} onSubmit={() => undefined} />);
    rerender(
      <SourceForm spec={stripeSpec} onSubmit={() => undefined} fieldErrors={[{ path: ['account_id'], message: 'is not a known account' }]} />,
    );
    expect(screen.getByText('is not a known account')).toBeTruthy();
    expect((screen.getByLabelText(/Account ID/) as HTMLInputElement).value).toBe('acct_1');
    await userEvent.type(screen.getByLabelText(/Account ID/), '2');
    // The form takes typed text once typing pauses.
    await waitFor(() => expect(screen.queryByText('is not a known account')).toBeNull());
  });

  it('hands typed text to the form after a pause in typing, and before any submit', async () => {
    const onChange = vi.fn();
    const onSubmit = vi.fn();
    const { container } = render(<SourceForm spec={stripeSpec} onSubmit={onSubmit} onChange={onChange} />);
    const account = screen.getByLabelText(/Account ID/) as HTMLInputElement;
    await userEvent.type(account, 'acct_9', { delay: null });
    // The keystrokes show at once; the form (and its validation) has not been asked yet.
    expect(account.value).toBe('acct_9');
    expect(onChange).not.toHaveBeenCalledWith(expect.objectContaining({ account_id: 'acct_9' }));
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ account_id: 'acct_9' })));
    // Typed and submitted at once: the submit still carries it.
    await userEvent.type(screen.getByLabelText(/Secret Key/), 'sk_x', { delay: null });
    await userEvent.type(account, '9', { delay: null });
    fireEvent.submit(container.querySelector('form')!);
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ account_id: 'acct_99', client_secret: 'sk_x' }));
  });

  it('keeps airbyte_hidden values in the submitted config without showing them', async () => {
    const onSubmit = vi.fn();
    const spec = { type: 'object', properties: { visible: { type: 'string', title: 'Visible' }, internal: { type: 'string', airbyte_hidden: true, default: 'keep-me' } } };
    render(<SourceForm spec={spec} onSubmit={onSubmit} />);
    expect(screen.queryByLabelText(/internal/i)).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(onSubmit).toHaveBeenCalledWith({ internal: 'keep-me' });
  });
});

describe('date-time precision', () => {
  it('follows the pattern: seconds, milliseconds or microseconds', () => {
    expect(dateTimePrecision('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$')).toBe('seconds');
    expect(dateTimePrecision('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}.[0-9]{3}Z$')).toBe('millis');
    expect(dateTimePrecision('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}.[0-9]{6}Z$')).toBe('micros');
    expect(fromInputValue('2024-01-01T00:00', 'millis')).toBe('2024-01-01T00:00:00.000Z');
  });
});
