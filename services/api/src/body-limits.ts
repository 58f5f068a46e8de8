import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from './http-error.js';
import { OPML_PATH } from './routes/opml.js';

const oneMegabyte = bodyLimit({
  maxSize: 1024 * 1024,
  onError: () => {
    throw new HttpError(413, 'payload_too_large', 'request body over 1 MB');
  },
});

/**
 * The request body limit for `/api/*`: 1 MB, except the OPML import, whose route applies its own
 * 5 MB limit (a subscription list of 10,000 feeds is about 2 MB).
 */
export const apiBodyLimit: MiddlewareHandler = (c, next) => (c.req.path === OPML_PATH ? next() : oneMegabyte(c, next));
