import { numericId, schemas } from './openapi-schemas.js';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const err = (description: string) => json(ref('Error'), description);
const body = (schema: Json, type = 'application/json') => ({ required: true, content: { [type]: { schema } } });
const query = (name: string, schema: Json, description?: string) => ({ name, in: 'query', required: false, schema, ...(description ? { description } : {}) });
const path = (name: string, schema: Json = { type: 'string' }) => ({ name, in: 'path', required: true, schema });

const ADMIN = [{ adminToken: [] }];
/** Every admin operation may answer these. */
const adminErrors = {
  '401': err('No bearer token.'),
  '403': err('Wrong token.'),
  '503': err('Admin API disabled: ADMIN_TOKEN is not set.'),
};
const badRequest = { '400': err('Malformed JSON or a bad parameter.') };
const invalidBody = { '422': err('JSON of the wrong shape, or a request that cannot be carried out.') };
const tooLarge = { '413': err('Body over the limit (1 MB; OPML 5 MB).') };
const rateLimited = { '429': err('Too many uncached reads from this address (API_READ_RATE per second, bursts of ten seconds of it); see Retry-After. Cached answers and 304s are never limited.') };

const admin = (operation: Json) => ({ ...operation, security: ADMIN, responses: { ...(operation['responses'] as Json), ...adminErrors } });

const limit = query('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 });
const minSources = query('min_sources', { type: 'integer', minimum: 1, maximum: 1000 }, 'Hide stories with fewer outlets (default: the topic\'s minSources).');
const conditional = [
  { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
  { name: 'If-Modified-Since', in: 'header', required: false, schema: { type: 'string' } },
];

function topicFeed(format: string, type: string) {
  return {
    get: {
      tags: ['topic feeds'],
      summary: `A topic as ${format}: one entry per story, newest activity first. The slug \`all\` holds every story.`,
      parameters: [path('slug'), limit, minSources, ...conditional],
      responses: {
        '200': { description: `The ${format} document (ETag, Last-Modified, Cache-Control).`, content: { [type]: { schema: { type: 'string' } } } },
        '304': { description: 'Not modified since the validator sent.' },
        ...badRequest,
        '404': err('No such topic.'),
        ...rateLimited,
      },
    },
  };
}

const opml = { 'application/xml': { schema: { type: 'string' } } };

/** A web page (HTML) at `/`. */
function page(summary: string, param?: string) {
  return {
    get: {
      tags: ['web'],
      summary,
      ...(param ? { parameters: [path(param)] } : {}),
      responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } }, '404': { description: 'Not found (HTML).' } },
    },
  };
}

/**
 * The OpenAPI 3.1 description of every route the API serves, served at /api/v1/openapi.json.
 * openapi.test.ts checks that each route registered in the app appears here.
 */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'newsfold API',
    version: '1.0.0',
    description:
      'Topic feeds, the story API and the admin API of a newsfold instance. Errors are `{ "error": { "code", "message" } }`. Admin operations need `Authorization: Bearer $ADMIN_TOKEN`.',
  },
  servers: [{ url: '/' }],
  tags: [{ name: 'topic feeds' }, { name: 'stories' }, { name: 'admin' }, { name: 'operations' }, { name: 'web' }],
  paths: {
    '/': page('The front page: every topic.'),
    '/topics/{slug}': page("A topic's stories with their coverage.", 'slug'),
    '/topics/{slug}/': page("A topic's stories with their coverage.", 'slug'),
    '/stories/{id}': page('One story with every outlet that covered it.', 'id'),
    '/stories/{id}/': page('One story with every outlet that covered it.', 'id'),
    '/healthz': { get: { tags: ['operations'], summary: 'The process is up.', responses: { '200': json(ref('Health')) } } },
    '/readyz': {
      get: {
        tags: ['operations'],
        summary: 'Postgres and Redis are reachable.',
        responses: { '200': json(ref('Health')), '503': json(ref('Health'), 'Postgres or Redis unreachable.') },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format 0.0.4), summed over every replica.',
        responses: {
          '200': { description: 'Metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
          '503': err('Metrics could not be gathered in time.'),
        },
      },
    },
    '/topics/{slug}/rss.xml': topicFeed('RSS 2.0', 'application/rss+xml'),
    '/topics/{slug}/atom.xml': topicFeed('Atom 1.0', 'application/atom+xml'),
    '/topics/{slug}/feed.json': topicFeed('JSON Feed 1.1', 'application/feed+json'),
    '/topics.opml': {
      get: { tags: ['topic feeds'], summary: "Every topic's RSS feed as OPML 2.0, for one-click subscription.", responses: { '200': { description: 'OPML.', content: opml } } },
    },
    '/api/v1/openapi.json': {
      get: { tags: ['operations'], summary: 'This document.', responses: { '200': json({ type: 'object' }) } },
    },
    '/api/v1/topics': {
      get: { tags: ['stories'], summary: 'Every topic with its feed URLs.', responses: { '200': json({ type: 'object', required: ['topics'], properties: { topics: { type: 'array', items: ref('Topic') } } }) } },
    },
    '/api/v1/topics/{slug}': {
      get: {
        tags: ['stories'],
        summary: 'One topic with its feed URLs.',
        parameters: [path('slug')],
        responses: { '200': json(ref('Topic')), '404': err('No such topic.') },
      },
      put: admin({
        tags: ['admin'],
        summary: 'Creates (201) or replaces (200) a topic; its membership is recomputed in the background.',
        parameters: [path('slug', { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })],
        requestBody: body(ref('TopicInput')),
        responses: {
          '200': json(ref('Topic'), 'Replaced.'),
          '201': json(ref('Topic'), 'Created.'),
          '400': err('Malformed JSON or an invalid slug.'),
          '409': err('The built-in topic `all` cannot be changed.'),
          ...tooLarge,
          '422': err('A body of the wrong shape, or a query with no words to search for.'),
        },
      }),
      delete: admin({
        tags: ['admin'],
        summary: 'Deletes a topic.',
        parameters: [path('slug')],
        responses: { '204': { description: 'Deleted.' }, '404': err('No such topic.'), '409': err('The built-in topic `all` cannot be deleted.') },
      }),
    },
    '/api/v1/stories': {
      get: {
        tags: ['stories'],
        summary: 'Stories, newest activity first, with keyset pagination.',
        parameters: [
          query('topic', { type: 'string', minLength: 1, maxLength: 63 }, 'A topic slug; `all` (or none) for every story.'),
          query('q', { type: 'string', minLength: 1, maxLength: 500 }, 'Full-text search in web-search syntax.'),
          query('since', { type: 'string', format: 'date-time' }, 'Stories whose last activity (`updatedAt`) is at or after this instant.'),
          query('until', { type: 'string', format: 'date-time' }, 'Stories whose last activity (`updatedAt`) is before this instant.'),
          minSources,
          limit,
          query('cursor', { type: 'string', maxLength: 200 }, 'The `nextCursor` of the previous page.'),
        ],
        responses: { '200': json(ref('StoryPage')), ...badRequest, '404': err('No such topic.'), ...rateLimited },
      },
    },
    '/api/v1/stories/{id}': {
      get: {
        tags: ['stories'],
        summary: 'One story, with why each source joined it.',
        parameters: [path('id')],
        responses: {
          '200': json(ref('Story')),
          '301': { description: 'The story was merged into another: `Location` names it.', headers: { Location: { schema: { type: 'string', format: 'uri' } } } },
          '404': err('No such story.'),
        },
      },
    },
    '/api/v1/stories/merge': {
      post: admin({
        tags: ['admin'],
        summary: 'Merges stories into the oldest; later clustering keeps them together.',
        requestBody: body({ type: 'object', required: ['storyIds'], properties: { storyIds: { type: 'array', items: numericId, minItems: 2, maxItems: 100 } } }),
        responses: {
          '200': json({ type: 'object', required: ['story', 'merged'], properties: { story: ref('Story'), merged: { type: 'array', items: numericId } } }),
          ...badRequest,
          '404': err('No such story.'),
          ...tooLarge,
          ...invalidBody,
        },
      }),
    },
    '/api/v1/stories/{id}/split': {
      post: admin({
        tags: ['admin'],
        summary: 'Moves articles out of a story into a new one; later clustering keeps them apart.',
        parameters: [path('id', numericId)],
        requestBody: body({ type: 'object', required: ['articleIds'], properties: { articleIds: { type: 'array', items: numericId, minItems: 1, maxItems: 1000 } } }),
        responses: {
          '201': json({ type: 'object', required: ['original', 'created'], properties: { original: ref('Story'), created: ref('Story') } }, 'Split.'),
          ...badRequest,
          '404': err('No such story.'),
          ...tooLarge,
          ...invalidBody,
        },
      }),
    },
    '/api/v1/feeds': {
      get: admin({ tags: ['admin'], summary: 'Every subscription with its fetch state.', responses: { '200': json({ type: 'object', required: ['feeds'], properties: { feeds: { type: 'array', items: ref('Feed') } } }) } }),
      post: admin({
        tags: ['admin'],
        summary: 'Subscribes to a feed (a web page is followed to its feed) and fetches it at once.',
        requestBody: body(ref('NewFeed')),
        responses: { '201': json(ref('Feed'), 'Subscribed.'), ...badRequest, '409': err('Already subscribed.'), ...tooLarge, ...invalidBody },
      }),
    },
    '/api/v1/feeds/{id}': {
      get: admin({ tags: ['admin'], summary: 'One subscription.', parameters: [path('id')], responses: { '200': json(ref('Feed')), '404': err('No such feed.') } }),
      patch: admin({
        tags: ['admin'],
        summary: "Changes a subscription's title, tags or enabled flag.",
        parameters: [path('id')],
        requestBody: body(ref('FeedPatch')),
        responses: { '200': json(ref('Feed')), ...badRequest, '404': err('No such feed.'), ...tooLarge, ...invalidBody },
      }),
      delete: admin({ tags: ['admin'], summary: 'Unsubscribes; its articles leave their stories.', parameters: [path('id')], responses: { '204': { description: 'Deleted.' }, '404': err('No such feed.') } }),
    },
    '/api/v1/feeds/{id}/refresh': {
      post: admin({
        tags: ['admin'],
        summary: 'Queues a fetch now.',
        parameters: [path('id')],
        responses: { '202': json({ type: 'object', properties: { status: { const: 'queued' }, feed: ref('Feed') } }, 'Queued.'), '404': err('No such feed.'), '409': err('The feed is disabled.') },
      }),
    },
    '/api/v1/opml': {
      get: admin({ tags: ['admin'], summary: 'Every subscription as OPML 2.0 (folders and categories = tags).', responses: { '200': { description: 'newsfold.opml', content: opml } } }),
      post: admin({
        tags: ['admin'],
        summary: 'Imports an OPML 1.0/2.0 subscription list: folders and categories become tags; at most 10,000 feeds and 5 MB; entity declarations are refused.',
        requestBody: {
          required: true,
          description: 'The document itself (any content type but JSON), or a multipart form whose first file is the document.',
          content: {
            'application/xml': { schema: { type: 'string' } },
            'text/x-opml': { schema: { type: 'string' } },
            'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
            'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } },
          },
        },
        responses: {
          '200': json(ref('OpmlImportResult')),
          '413': err('Body over 5 MB.'),
          '400': err('A multipart body that cannot be read.'),
          '415': err('A JSON body.'),
          '422': err('Not OPML, malformed, declares entities, over 10,000 feeds, or a form without a file.'),
        },
      }),
    },
  },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN of the instance.' } },
    schemas,
  },
} as const;
