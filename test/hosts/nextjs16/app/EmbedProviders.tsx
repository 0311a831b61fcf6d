'use client';
import type { ReactNode } from 'react';
import { AirbyteEmbedProvider } from 'airbyte-embed-kit';

// A function cannot cross from a Server Component, so the provider (with getSessionToken) lives here.
async function getSessionToken(): Promise<string> {
  const res = await fetch('/api/session', { method: 'POST' });
  if (!res.ok) throw new Error(`POST /api/session answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export function EmbedProviders({ children }: { children: ReactNode }) {
  return (
    <AirbyteEmbedProvider baseUrl="/api/embed" getSessionToken={getSessionToken}>
      {children}
    </AirbyteEmbedProvider>
  );
}
