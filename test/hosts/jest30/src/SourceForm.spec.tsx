import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SourceForm } from 'airbyte-embed-kit/form';

const spec = {
  type: 'object',
  required: ['api_key', 'count'],
  properties: {
    api_key: { type: 'string', title: 'API key', airbyte_secret: true, description: 'From **Settings → API**.' },
    count: { type: 'integer', title: 'Count', default: 5 },
  },
};

test('the kit renders a connector form that a person fills and submits', async () => {
  const onSubmit = jest.fn();
  render(<SourceForm spec={spec} onSubmit={onSubmit} submitLabel="Save" />);
  await userEvent.type(screen.getByLabelText(/API key/), 'fake-key');
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
  expect(await screen.findByLabelText(/API key/)).toHaveProperty('type', 'password');
  await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ api_key: 'fake-key', count: 5 }));
});
