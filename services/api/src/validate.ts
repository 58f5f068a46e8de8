import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { HttpError } from './http-error.js';

/*
 * Every value a request carries passes here before any route uses it, and what Postgres would
 * refuse is refused here, as the client's mistake (a 4xx), never as a database error (a 500 and an
 * error in the log). Postgres refuses U+0000 in text ("invalid byte sequence for encoding UTF8:
 * 0x00") and dates before 4714 BC; a lone UTF-16 surrogate it would store as U+FFFD, not as sent.
 * Path and query reach every route through `storableRequest`, which the app runs before any route,
 * so a new route cannot forget it; JSON bodies through parseJsonBody, OPML documents through
 * parseOpml (@newsfold/opml), which refuses characters XML forbids. No header is used in a query.
 */

/** U+0000, or a lone UTF-16 surrogate (a high one not followed by a low one, or a low one alone). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether Postgres stores `text` as it is. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The earliest instant a Postgres timestamptz holds (4714-11-24 BC); its latest is beyond JavaScript's. */
const EARLIEST_STORABLE = Date.UTC(-4713, 10, 24);

/** Whether `date` is a date Postgres can compare with a timestamptz. */
export function isStorableDate(date: Date): boolean {
  const ms = date.getTime();
  return !Number.isNaN(ms) && ms >= EARLIEST_STORABLE;
}

/** A query parameter holding a date in any form Date.parse reads (ISO 8601 meant), as a Date. */
export const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date')
  .transform((s) => new Date(s))
  .refine(isStorableDate, 'expected a date after 4714 BC');

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** A name from the request, for a message: without what made it unstorable, and short. */
function shown(name: string): string {
  return name.replace(UNSTORABLE_ALL, '').slice(0, 40);
}

/**
 * Refuses a request whose path or query holds U+0000 (the only way text from a URL can be
 * unstorable: a lone surrogate does not survive URL decoding). It can only come percent-encoded,
 * so the URL as sent says whether to look further; the answer names the parameter.
 */
export const storableRequest: MiddlewareHandler = async (c, next) => {
  if (!/%00/i.test(c.req.url)) return next();
  if (!isStorableText(c.req.path)) throw new HttpError(400, 'invalid_path', 'the path holds U+0000, which no name here can contain');
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (!isStorableText(name) || values.some((value) => !isStorableText(value))) {
      throw new HttpError(400, 'invalid_parameter', `${shown(name) || 'a parameter'}: holds U+0000, which no value here can contain`);
    }
  }
  return next();
};

/** The path (`tags.0`, `title`) of the first string in a JSON value, key or value, that Postgres would not store as it is. */
function unstorableIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path || 'the body';
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${shown(key)}` : shown(key);
    if (!isStorableText(key)) return at || 'a key';
    const found = unstorableIn(item, at);
    if (found !== null) return found;
  }
  return null;
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Query parameters through a zod schema; a bad one is a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new HttpError(400, 'invalid_parameter', describe(parsed.error));
  return parsed.data;
}

/**
 * A JSON body through a zod schema: malformed JSON is a 400, JSON of the wrong shape a 422, and so
 * is text that cannot be stored as sent, anywhere in the body (in a field no schema names too, so
 * that no schema has to remember it).
 */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  const unstorable = unstorableIn(body, '');
  if (unstorable !== null) {
    throw new HttpError(422, 'invalid_body', `${unstorable}: holds U+0000 or a lone surrogate, which no text here can contain`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(422, 'invalid_body', describe(parsed.error));
  return parsed.data;
}
