/**
 * Base class for every error newsfold raises on purpose. `code` is stable and machine-readable
 * (it reaches API clients, `feeds list` and logs); `permanent` tells a queue worker that retrying
 * the same job cannot succeed, so BullMQ should not try again.
 */
export class NewsfoldError extends Error {
  readonly code: string;
  readonly permanent: boolean;

  constructor(code: string, message: string, options: { cause?: unknown; permanent?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.permanent = options.permanent ?? false;
  }
}

export function isPermanent(error: unknown): boolean {
  return error instanceof NewsfoldError && error.permanent;
}
