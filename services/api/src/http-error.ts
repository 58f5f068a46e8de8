import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { NewsfoldError } from '@newsfold/errors';
import type { Logger } from '@newsfold/logging';

/** An error that becomes `{ error: { code, message } }` with its status. */
export class HttpError extends NewsfoldError {
  readonly status: ContentfulStatusCode;
  readonly extra: Record<string, unknown> | undefined;
  constructor(status: ContentfulStatusCode, code: string, message: string, extra?: Record<string, unknown>) {
    super(code, message, { permanent: true });
    this.status = status;
    this.extra = extra;
  }
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** The one error handler: known errors keep their status and code; anything else is a 500 without a stack trace. */
export function handleError(log: Logger) {
  return (error: Error, c: Context) => {
    // A route may have set the validators and caching of the answer it meant to give: an error
    // must not carry them, or a client or shared cache keeps the error as that answer.
    c.header('ETag', undefined);
    c.header('Last-Modified', undefined);
    c.header('Cache-Control', 'no-store');
    if (error instanceof HttpError) {
      return c.json({ ...errorBody(error.code, error.message), ...error.extra }, error.status);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      const code = status === 413 ? 'payload_too_large' : status === 400 ? 'bad_request' : `http_${status}`;
      return c.json(errorBody(code, error.message || 'request refused'), status);
    }
    log.error({ err: error, path: c.req.path }, 'unhandled API error');
    return c.json(errorBody('internal_error', 'something went wrong on our side'), 500);
  };
}
