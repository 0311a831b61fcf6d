/** The baseline host page: one plain RJSF form (validator-ajv8) with React Query, built the same way. */
import Form from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';

const queryClient = new QueryClient();

function Page() {
  const spec = useQuery({ queryKey: ['spec'], queryFn: async () => (await (await fetch('/spec')).json()) as RJSFSchema });
  if (!spec.data) return <p>Loading…</p>;
  return <Form schema={spec.data} validator={validator} onSubmit={({ formData }) => void fetch('/sources', { method: 'POST', body: JSON.stringify(formData) })} />;
}

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={queryClient}>
    <Page />
  </QueryClientProvider>,
);
