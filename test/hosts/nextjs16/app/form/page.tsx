// A Server Component rendering the config form on the server (through a client wrapper, as its
// onSubmit is a function): the rich-text descriptions must hydrate without a mismatch.
import { FormPreview } from './FormPreview';

const spec = {
  type: 'object',
  required: ['api_key'],
  properties: {
    api_key: { type: 'string', title: 'API key', airbyte_secret: true, description: 'From **Settings → API**, see <a href="https://example.com/docs">the docs</a>.' },
    start_date: { type: 'string', title: 'Start date', format: 'date', description: 'Only data after this `YYYY-MM-DD` date.' },
  },
} as const;

export default function FormPage() {
  return (
    <main>
      <h1>Server-rendered form</h1>
      <FormPreview spec={spec} />
    </main>
  );
}
