/**
 * The hooks' errors are typed as what the kit throws (checked by `tsc` in `npm run typecheck`; the
 * runtime part only proves the file runs): a host reads `error.code` without a cast.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { useConnectionStatus, useJobs, useSource, useSources, useTemplate, useTemplates } from '../../src/react/hooks.ts';
import type { EmbedError } from '../../src/shared/errors.ts';

describe('hook error types', () => {
  it('query hooks type their error as EmbedError | null', () => {
    expectTypeOf<ReturnType<typeof useTemplates>['error']>().toEqualTypeOf<EmbedError | null>();
    expectTypeOf<ReturnType<typeof useTemplate>['error']>().toEqualTypeOf<EmbedError | null>();
    expectTypeOf<ReturnType<typeof useSources>['error']>().toEqualTypeOf<EmbedError | null>();
    expectTypeOf<ReturnType<typeof useSource>['error']>().toEqualTypeOf<EmbedError | null>();
    expectTypeOf<ReturnType<typeof useConnectionStatus>['error']>().toEqualTypeOf<EmbedError | null>();
    expectTypeOf<ReturnType<typeof useJobs>['error']>().toEqualTypeOf<EmbedError | null>();
  });
});
