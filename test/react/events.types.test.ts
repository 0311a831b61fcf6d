/**
 * `EmbedEvent` is a union discriminated by `type`: a host's `if (e.type === 'source_created')`
 * makes `e.sourceId` a string, and an event carries only its own type's fields (checked by `tsc`
 * in `npm run typecheck`; the runtime part only proves the file runs).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { EmbedEvent, EmbedEventOf, EmbedEventType } from '../../src/index.ts';
import type { ErrorCode, JobStatus } from '../../src/shared/contract.ts';
import type { Emit } from '../../src/react/events.ts';

describe('EmbedEvent', () => {
  it('narrows on `type` to that event’s fields', () => {
    const read = (e: EmbedEvent) => {
      if (e.type === 'source_created') {
        expectTypeOf(e.sourceId).toEqualTypeOf<string>();
        expectTypeOf(e.templateId).toEqualTypeOf<string>();
        expectTypeOf(e.connectionId).toEqualTypeOf<string | undefined>();
      }
      if (e.type === 'sync_finished') {
        expectTypeOf(e.status).toEqualTypeOf<JobStatus>();
        expectTypeOf(e.jobId).toEqualTypeOf<number>();
        expectTypeOf(e.sourceId).toEqualTypeOf<string>();
      }
      if (e.type === 'submit_error') {
        expectTypeOf(e.errorCode).toEqualTypeOf<ErrorCode>();
        expectTypeOf(e.requestId).toEqualTypeOf<string | undefined>();
      }
      if (e.type === 'oauth_failed') expectTypeOf(e.reason).toEqualTypeOf<'popup_blocked' | 'closed' | 'denied' | 'expired' | 'provider_error'>();
      if (e.type === 'exit') expectTypeOf(e.reason).toEqualTypeOf<'close' | 'escape' | 'done'>();
      if (e.type === 'search') expectTypeOf(e.queryLength).toEqualTypeOf<number>();
    };
    expectTypeOf(read).toBeFunction();
  });

  it('an event has no field of another type', () => {
    expectTypeOf<EmbedEventOf<'open'>>().not.toHaveProperty('sourceId');
    expectTypeOf<EmbedEventOf<'exit'>>().not.toHaveProperty('templateId');
    expectTypeOf<EmbedEventOf<'search'>>().not.toHaveProperty('reason');
    // Common to all: ids, time and view.
    expectTypeOf<EmbedEvent['eventId']>().toEqualTypeOf<string>();
    expectTypeOf<EmbedEvent['type']>().toEqualTypeOf<EmbedEventType>();
  });

  it('the widget’s emit takes exactly each type’s details', () => {
    const emit = (() => undefined) as unknown as Emit;
    const valid = () => {
      emit('open');
      emit('source_created', { sourceId: 's', templateId: 't' });
      emit('sync_finished', { sourceId: 's', connectionId: 'c', jobId: 1, status: 'succeeded' });
      // @ts-expect-error a source_created without its sourceId
      emit('source_created', { templateId: 't' });
      // @ts-expect-error exit's reason is one of three
      emit('exit', { reason: 'denied' });
      // @ts-expect-error search needs its counts
      emit('search');
    };
    expectTypeOf(valid).toBeFunction();
  });
});
