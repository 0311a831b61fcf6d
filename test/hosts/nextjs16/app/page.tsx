// A Server Component: it imports the kit's widget (which ships "use client") and renders it.
import { ConnectWidget } from 'airbyte-embed-kit';
import { EmbedProviders } from './EmbedProviders';
import { HostConnectedNote } from './HostConnectedNote';

export default function Page() {
  return (
    <main>
      <h1>Host: Next.js 16</h1>
      <EmbedProviders>
        <ConnectWidget locale="en" theme="light" />
        <HostConnectedNote />
      </EmbedProviders>
    </main>
  );
}
