import { NewsfoldError } from '@newsfold/errors';

export type FetchErrorCode =
  | 'unsupported_scheme'
  | 'invalid_url'
  | 'blocked_address'
  | 'dns_error'
  | 'network_error'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'gone'
  | 'rate_limited'
  | 'http_error'
  /** An HTML page where a feed was expected, with no `<link rel="alternate">` feed to follow. */
  | 'not_a_feed';

/** A fetch that did not yield a usable body. `status` is the HTTP status when there was one. */
export class FetchError extends NewsfoldError {
  override readonly code: FetchErrorCode;
  readonly status: number | null;
  /** From Retry-After on 429/503, in milliseconds, when the server sent one. */
  readonly retryAfterMs: number | null;

  constructor(
    code: FetchErrorCode,
    message: string,
    options: { status?: number | null; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause, permanent: code === 'gone' || code === 'unsupported_scheme' || code === 'invalid_url' });
    this.code = code;
    this.status = options.status ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}
