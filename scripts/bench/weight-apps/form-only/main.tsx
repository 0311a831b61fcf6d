/** The baseline page with the kit's form in place of plain RJSF: one SourceForm with React Query, built the same way. */
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { SourceForm, type SourceFormProps } from 'airbyte-embed-kit/form';
import 'airbyte-embed-kit/styles.css';
import { createRoot } from 'react-dom/client';

const queryClient = new QueryClient();

function Page() {
  const spec = useQuery({ queryKey: ['spec'], queryFn: async () => (await (await fetch('/spec')).json()) as SourceFormProps['spec'] });
  if (!spec.data) return <p>Loading…</p>;
  return <SourceForm spec={spec.data} onSubmit={(config) => void fetch('/sources', { method: 'POST', body: JSON.stringify(config) })} />;
}

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={queryClient}>
    <Page />
  </QueryClientProvider>,
);
