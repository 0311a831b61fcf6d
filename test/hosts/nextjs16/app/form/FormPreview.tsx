'use client';
import { useState } from 'react';
import { SourceForm } from 'airbyte-embed-kit/form';
import type { JsonSchema } from 'airbyte-embed-kit';

export function FormPreview({ spec }: { spec: JsonSchema }) {
  const [sent, setSent] = useState<string>();
  return (
    <>
      <SourceForm spec={spec} onSubmit={(config) => setSent(Object.keys(config).join(','))} />
      {sent ? <p data-testid="form-sent">Sent {sent}</p> : null}
    </>
  );
}
