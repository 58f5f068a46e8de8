import type { StoryCursor } from '@newsfold/db';
import { HttpError } from './http-error.js';
import { isStorableDate } from './validate.js';

/** Opaque keyset cursor: the (updatedAt, id) of the last story on the page. */
export function encodeCursor(cursor: StoryCursor): string {
  return Buffer.from(`${cursor.updatedAt.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(text: string): StoryCursor {
  const [iso, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const updatedAt = new Date(iso ?? '');
  if (!id || !/^\d{1,18}$/.test(id) || !isStorableDate(updatedAt)) {
    throw new HttpError(400, 'invalid_parameter', 'cursor: not a cursor this API issued');
  }
  return { updatedAt, id };
}
