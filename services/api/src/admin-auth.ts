import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from './http-error.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Admin endpoints need `Authorization: Bearer $ADMIN_TOKEN`. Without a configured token they
 * answer 503: an unconfigured install is closed, never open. The comparison is constant-time
 * (over digests, so the token's length does not leak either).
 */
export function adminAuth(token: string | undefined): MiddlewareHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (c, next) => {
    if (expected === undefined) {
      throw new HttpError(503, 'admin_disabled', 'the admin API is disabled: set ADMIN_TOKEN to enable it');
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match?.[1]) {
      c.header('WWW-Authenticate', 'Bearer realm="newsfold admin"');
      throw new HttpError(401, 'unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>');
    }
    if (!timingSafeEqual(digest(match[1]), expected)) throw new HttpError(403, 'forbidden', 'the admin token is not valid');
    await next();
  };
}
