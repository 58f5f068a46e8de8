import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { openApiDocument } from './openapi-document.js';
import { metricsRoutes } from './routes/metrics.js';
import { openApiRoutes } from './routes/openapi.js';
import { opmlRoutes } from './routes/opml.js';
import { createHarness, type Harness } from './testdata/harness.js';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; security?: unknown[]; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

/** Every method + path an app registers (middleware, registered as ALL, left out), as OpenAPI paths. */
function registeredOperations(apps: Hono[]): string[] {
  const operations = new Set<string>();
  for (const app of apps) {
    for (const route of app.routes) {
      if (route.method === 'ALL') continue;
      operations.add(`${route.method.toLowerCase()} ${route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`);
    }
  }
  return [...operations].sort();
}

/** Every `$ref` in the document, recursively. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

describe('OpenAPI document', () => {
  let h: Harness;
  let doc: Document;
  beforeAll(async () => {
    h = await createHarness();
    const app = new Hono().route('/', openApiRoutes());
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = JSON.parse(await res.text()) as Document;
  });
  afterAll(async () => h?.close());

  it('is OpenAPI 3.1.0 JSON with the bearer scheme and the core schemas', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes['adminToken']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    for (const name of ['Story', 'Source', 'Feed', 'Topic', 'Error']) expect(doc.components.schemas[name]).toBeDefined();
    expect(doc.components.schemas['Error']).toMatchObject({ properties: { error: { required: ['code', 'message'] } } });
    for (const ref of refs(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
  });

  it('documents every route the app registers', () => {
    const app = createApp(h.deps);
    const operations = registeredOperations([app, opmlRoutes(h.deps), metricsRoutes(h.deps), openApiRoutes()]);
    expect(operations.length).toBeGreaterThan(15);
    const missing = operations.filter((op) => {
      const [method = '', path = ''] = op.split(' ');
      return doc.paths[path]?.[method] === undefined;
    });
    expect(missing).toEqual([]);
  });

  it('declares every path parameter, and admin security exactly on admin operations', () => {
    const adminPaths = ['/api/v1/feeds', '/api/v1/opml', '/api/v1/stories/merge'];
    for (const [path, operations] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(operations)) {
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort(), `${method} ${path}`).toEqual([...names].sort());
        const isAdmin =
          adminPaths.some((p) => path === p || path.startsWith('/api/v1/feeds/')) ||
          path.endsWith('/split') ||
          (path === '/api/v1/topics/{slug}' && method !== 'get');
        expect(operation.security !== undefined, `${method} ${path}`).toBe(isAdmin);
        if (isAdmin) expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });

  it('states the same limits as the zod schemas', () => {
    const params = (path: string) => Object.fromEntries((doc.paths[path]?.['get']?.parameters ?? []).map((p) => [p.name, p]));
    expect(params('/api/v1/stories')['limit']).toMatchObject({ schema: { minimum: 1, maximum: 200, default: 50 } });
    expect(params('/api/v1/stories')['q']).toMatchObject({ schema: { maxLength: 500 } });
    expect(params('/api/v1/stories')['cursor']).toMatchObject({ schema: { maxLength: 200 } });
    expect(params('/topics/{slug}/rss.xml')['min_sources']).toMatchObject({ schema: { minimum: 1, maximum: 1000 } });
    expect(doc.paths['/api/v1/stories/merge']?.['post']).toMatchObject({
      requestBody: { content: { 'application/json': { schema: { properties: { storyIds: { minItems: 2, maxItems: 100 } } } } } },
    });
    expect(doc.paths['/api/v1/stories/{id}/split']?.['post']).toMatchObject({
      requestBody: { content: { 'application/json': { schema: { properties: { articleIds: { minItems: 1, maxItems: 1000 } } } } } },
    });
    expect(doc.paths['/api/v1/feeds']?.['post']).toMatchObject({ requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewFeed' } } } } });
    expect(openApiDocument.components.schemas.NewFeed.properties.tags).toMatchObject({ maxItems: 50, items: { maxLength: 64 } });
  });
});
