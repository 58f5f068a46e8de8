import { NewsfoldError } from '@newsfold/errors';

export type FeedParseErrorCode = 'not_a_feed' | 'invalid_feed';

/**
 * The body could not be read as a feed. `not_a_feed`: an HTML page or something unrecognisable
 * (the fetcher may try feed autodiscovery); `invalid_feed`: malformed XML or JSON. Both are
 * permanent for this body: parsing it again cannot succeed.
 */
export class FeedParseError extends NewsfoldError {
  declare readonly code: FeedParseErrorCode;

  constructor(code: FeedParseErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, permanent: true });
  }
}
