import { Hono } from 'hono';
import { openApiDocument } from '../openapi-document.js';
import { sendText } from '../send-cached.js';

export const OPENAPI_PATH = '/api/v1/openapi.json';

/** `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, public. */
export function openApiRoutes(): Hono {
  const app = new Hono();
  const text = JSON.stringify(openApiDocument);
  app.get(OPENAPI_PATH, (c) => sendText(c, text, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  return app;
}
