/** A host page showing the kit's connect widget (from the built package), as a customer would. */
import { createRoot } from 'react-dom/client';
import { AirbyteEmbedProvider, ConnectWidget } from 'airbyte-embed-kit';
import 'airbyte-embed-kit/styles.css';

createRoot(document.getElementById('root')!).render(
  <AirbyteEmbedProvider baseUrl="/api/embed" getSessionToken={async () => (await (await fetch('/session')).json()).token}>
    <ConnectWidget />
  </AirbyteEmbedProvider>,
);
