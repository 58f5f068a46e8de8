import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { listFeeds, listTopics } from '@newsfold/db';
import { decodeBody } from '@newsfold/feed-parser';
import { OpmlError, parseOpml, writeOpml, type OpmlOutline } from '@newsfold/opml';
import { baseUrl, topicFeedUrl, topicUrl } from '@newsfold/render';
import { adminAuth } from '../admin-auth.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { importOutlines } from '../opml-import.js';

export const OPML_PATH = '/api/v1/opml';
export const OPML_MAX_BYTES = 5 * 1024 * 1024;
export const OPML_MAX_OUTLINES = 10_000;
const OPML_CONTENT_TYPE = 'application/xml; charset=utf-8';

/**
 * The uploaded document's bytes and the content type to decode them by: the raw body whatever
 * its type (`curl --data-binary @subs.opml` sends it as a form, other clients as octet-stream or
 * text/plain; parseOpml judges the bytes), or the first file of a multipart form (`curl -F
 * file=@subs.opml`). JSON is refused: that client has mistaken the endpoint for the feeds one.
 */
async function uploadedDocument(c: Context): Promise<{ bytes: Uint8Array; contentType: string | undefined }> {
  const contentType = c.req.header('content-type');
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) {
    throw new HttpError(415, 'unsupported_media_type', 'send the OPML document itself (application/xml, text/x-opml) or as a multipart file');
  }
  if (type !== 'multipart/form-data') return { bytes: new Uint8Array(await c.req.arrayBuffer()), contentType };
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new HttpError(400, 'malformed_form', 'the multipart body could not be read');
  }
  for (const value of form.values()) {
    if (typeof value !== 'string') return { bytes: new Uint8Array(await value.arrayBuffer()), contentType: value.type || undefined };
  }
  throw new HttpError(422, 'no_file', 'the form holds no file: send the OPML document as a file field (curl -F file=@subs.opml)');
}

async function handleImport(c: Context, deps: ApiDeps) {
  const { bytes, contentType } = await uploadedDocument(c);
  // As feeds are read: a byte order mark, the charset sent or the XML declaration, else UTF-8 (or
  // windows-1252 when the bytes are not UTF-8).
  const text = decodeBody(bytes, contentType);
  let outlines: OpmlOutline[];
  try {
    outlines = parseOpml(text);
  } catch (error) {
    if (error instanceof OpmlError) throw new HttpError(422, error.code, error.message);
    throw error;
  }
  if (outlines.length > OPML_MAX_OUTLINES) {
    throw new HttpError(422, 'too_many_outlines', `${outlines.length} feed outlines: at most ${OPML_MAX_OUTLINES} per import`);
  }
  const result = await importOutlines(deps, outlines);
  deps.log.info({ created: result.created, existing: result.existing, invalid: result.invalid.length }, 'imported OPML');
  return c.json(result);
}

/**
 * OPML in and out. `POST/GET /api/v1/opml` carry admin auth and the 5 MB body limit themselves
 * (the app's 1 MB limit must skip this path); `GET /topics.opml` is public.
 */
export function opmlRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const auth = adminAuth(deps.config.adminToken);
  const limit = bodyLimit({
    maxSize: OPML_MAX_BYTES,
    onError: () => {
      throw new HttpError(413, 'payload_too_large', 'OPML body over 5 MB');
    },
  });

  app.post(OPML_PATH, auth, limit, (c) => handleImport(c, deps));

  app.get(OPML_PATH, auth, async (c) => {
    const feeds = await listFeeds(deps.pool);
    const xml = writeOpml(
      feeds.map((f) => ({ xmlUrl: f.url, title: f.title, htmlUrl: f.siteUrl, tags: f.tags })),
      { title: 'newsfold subscriptions', dateCreated: new Date() },
    );
    return c.body(xml, 200, { 'Content-Type': OPML_CONTENT_TYPE, 'Content-Disposition': 'attachment; filename="newsfold.opml"' });
  });

  app.get('/topics.opml', async (c) => {
    const base = baseUrl(deps.config.publicUrl);
    const topics = await listTopics(deps.pool);
    const xml = writeOpml(
      topics.map((t) => ({ xmlUrl: topicFeedUrl(base, t.slug, 'rss'), title: t.title, htmlUrl: topicUrl(base, t.slug), tags: [] })),
      { title: 'newsfold topics', dateCreated: new Date() },
    );
    return c.body(xml, 200, { 'Content-Type': OPML_CONTENT_TYPE, 'Cache-Control': 'public, max-age=300' });
  });

  return app;
}
