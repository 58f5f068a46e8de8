import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './http-error.js';

function describe(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Query parameters through a zod schema; a bad one is a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new HttpError(400, 'invalid_parameter', describe(parsed.error));
  return parsed.data;
}

/** A JSON body through a zod schema: malformed JSON is a 400, JSON of the wrong shape a 422. */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(422, 'invalid_body', describe(parsed.error));
  return parsed.data;
}
