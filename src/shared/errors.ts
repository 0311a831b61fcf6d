import type { ErrorBody, ErrorCode, FieldError } from './contract.ts';

/** HTTP status for each error code: one table, used by the proxy's `onError`. */
export const statusForCode: Record<ErrorCode, number> = {
  unauthorized: 401,
  session_expired: 401,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  invalid_request: 400,
  invalid_config: 400,
  payload_too_large: 413,
  request_timeout: 408,
  source_limit_reached: 409,
  check_failed: 400,
  no_streams: 400,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  sync_running: 409,
  rate_limited: 429,
  upstream_error: 502,
  misconfigured: 502,
  // Found in the browser, before or instead of a proxy answer (status 0).
  session_unavailable: 0,
  host_misconfigured: 0,
  upstream_unavailable: 503,
  internal_error: 500,
};

/**
 * The one error type of the kit. The proxy throws it and turns it into an {@link ErrorBody};
 * the client rebuilds it from that body, so `instanceof EmbedError` works on both sides.
 * Trap: `message` is shown to end users — say what to fix, and never include secrets.
 */
export class EmbedError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | undefined;

  constructor(code: ErrorCode, message: string, options: { fieldErrors?: FieldError[]; status?: number; requestId?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EmbedError';
    this.code = code;
    this.status = options.status ?? statusForCode[code];
    this.fieldErrors = options.fieldErrors ?? [];
    this.requestId = options.requestId;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fieldErrors.length ? { fieldErrors: this.fieldErrors } : {}),
        ...(this.requestId ? { requestId: this.requestId } : {}),
      },
    };
  }

  /** Whether `body` is the proxy's own error answer (`{ error: { code, message } }`), not a host's or a gateway's. */
  static isBody(body: unknown): body is ErrorBody {
    const err = (body as Partial<ErrorBody> | null)?.error;
    return typeof err === 'object' && err !== null && typeof err.code === 'string' && typeof err.message === 'string';
  }

  /** Rebuilds an error from a proxy response body; tolerant of bodies that are not ours. */
  static fromBody(status: number, body: unknown): EmbedError {
    if (EmbedError.isBody(body)) {
      const err = body.error;
      return new EmbedError(err.code, err.message, { status, fieldErrors: err.fieldErrors ?? [], requestId: err.requestId });
    }
    const code: ErrorCode = status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : status >= 500 ? 'upstream_unavailable' : 'invalid_request';
    return new EmbedError(code, `The connection service answered ${status} without an explanation. Check that the proxy URL is right and the proxy is running.`, { status });
  }
}
