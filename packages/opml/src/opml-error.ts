import { NewsfoldError } from '@newsfold/errors';

/**
 * The document is not OPML newsfold can import (malformed XML, no `<opml>` root, entity
 * declarations). Permanent: the same document will fail the same way every time.
 */
export class OpmlError extends NewsfoldError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('invalid_opml', message, { ...options, permanent: true });
  }
}
