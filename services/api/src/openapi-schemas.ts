/** Component schemas of the OpenAPI document (see openapi-document.ts). Limits match the zod schemas in routes/. */

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });
export const numericId = { type: 'string', pattern: '^\\d{1,18}$', description: 'A numeric id, as a string.' } as const;
export const tag = { type: 'string', minLength: 1, maxLength: 64, description: 'Stored trimmed and lower-cased.' } as const;

export const schemas = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', description: 'Stable machine-readable code, e.g. `invalid_parameter`, `feed_not_found`.' },
          message: { type: 'string' },
        },
      },
    },
  },
  Source: {
    type: 'object',
    description: "One outlet's article in a story.",
    required: ['outlet', 'feedId', 'title', 'url', 'publishedAt'],
    properties: {
      outlet: { type: 'string' },
      feedId: numericId,
      title: { type: 'string' },
      url: nullable('string', { format: 'uri', description: 'The article link; null when it has none over http(s).' }),
      publishedAt: nullable('string', { format: 'date-time' }),
      articleId: { ...numericId, description: 'Single-story view only.' },
      match: {
        type: 'object',
        description: 'Single-story view only: why this source joined the story.',
        required: ['score', 'reason'],
        properties: { score: nullable('number'), reason: nullable('string') },
      },
    },
  },
  Story: {
    type: 'object',
    required: ['id', 'title', 'summary', 'firstSeenAt', 'updatedAt', 'sourceCount', 'sources'],
    properties: {
      id: numericId,
      title: { type: 'string', description: 'The lead headline.' },
      summary: nullable('string'),
      firstSeenAt: dateTime,
      updatedAt: { ...dateTime, description: 'When the story last gained a source.' },
      sourceCount: { type: 'integer', minimum: 1 },
      sources: { type: 'array', items: { $ref: '#/components/schemas/Source' } },
    },
  },
  StoryPage: {
    type: 'object',
    required: ['stories', 'nextCursor'],
    properties: {
      stories: { type: 'array', items: { $ref: '#/components/schemas/Story' } },
      nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
    },
  },
  Topic: {
    type: 'object',
    required: ['slug', 'title', 'description', 'query', 'tags', 'minSources', 'feeds'],
    properties: {
      slug: { type: 'string' },
      title: { type: 'string' },
      description: nullable('string'),
      query: nullable('string', { description: 'Web-search syntax: words, "quoted phrases", OR, -excluded.' }),
      tags: { type: 'array', items: { type: 'string' } },
      minSources: { type: 'integer', minimum: 1 },
      feeds: {
        type: 'object',
        required: ['rss', 'atom', 'json'],
        properties: { rss: { type: 'string', format: 'uri' }, atom: { type: 'string', format: 'uri' }, json: { type: 'string', format: 'uri' } },
      },
    },
  },
  TopicInput: {
    type: 'object',
    required: ['title'],
    properties: {
      title: { type: 'string', minLength: 1, maxLength: 200 },
      description: nullable('string', { maxLength: 2000 }),
      query: nullable('string', { maxLength: 500, description: 'Web-search syntax; null or empty for every story (restricted by tags).' }),
      tags: { type: 'array', items: tag, maxItems: 50, default: [] },
      minSources: { type: 'integer', minimum: 1, maximum: 1000, default: 1 },
    },
  },
  Feed: {
    type: 'object',
    required: ['id', 'url', 'title', 'siteUrl', 'tags', 'enabled', 'disabledReason', 'state', 'createdAt'],
    properties: {
      id: numericId,
      url: { type: 'string', format: 'uri' },
      title: nullable('string'),
      siteUrl: nullable('string'),
      tags: { type: 'array', items: { type: 'string' } },
      enabled: { type: 'boolean' },
      disabledReason: nullable('string'),
      state: {
        type: 'object',
        required: ['lastStatus', 'lastErrorCode', 'lastError', 'errorCount', 'lastFetchedAt', 'lastSuccessAt', 'nextFetchAt'],
        properties: {
          lastStatus: nullable('integer'),
          lastErrorCode: nullable('string'),
          lastError: nullable('string'),
          errorCount: { type: 'integer', minimum: 0 },
          lastFetchedAt: nullable('string', { format: 'date-time' }),
          lastSuccessAt: nullable('string', { format: 'date-time' }),
          nextFetchAt: dateTime,
        },
      },
      createdAt: dateTime,
    },
  },
  NewFeed: {
    type: 'object',
    required: ['url'],
    properties: {
      url: { type: 'string', format: 'uri', maxLength: 2048, description: 'An http(s) feed URL, or a web page that links to its feed.' },
      tags: { type: 'array', items: tag, maxItems: 50, default: [] },
    },
  },
  FeedPatch: {
    type: 'object',
    description: 'Fields to change (at least one); those left out stay as they are. Other properties are ignored.',
    anyOf: [{ required: ['title'] }, { required: ['tags'] }, { required: ['enabled'] }],
    properties: {
      title: nullable('string', {
        maxLength: 300,
        description: "The feed's display title; null or an empty string clears it, and the feed's own title is filled in again at its next fetch.",
      }),
      tags: { type: 'array', items: tag, maxItems: 50, description: "Replaces the feed's tags; its stories' topic membership follows." },
      enabled: {
        type: 'boolean',
        description:
          "false stops fetching it (disabledReason 'disabled by an admin'); true re-enables a disabled feed, clearing disabledReason and the error count, and makes it due now.",
      },
    },
  },
  OpmlImportResult: {
    type: 'object',
    required: ['imported', 'created', 'existing', 'invalid'],
    properties: {
      imported: { type: 'integer', description: 'Feed outlines now subscribed (created + existing).' },
      created: { type: 'integer' },
      existing: { type: 'integer', description: 'Already subscribed; left as they were.' },
      invalid: {
        type: 'array',
        items: { type: 'object', required: ['xmlUrl', 'reason'], properties: { xmlUrl: { type: 'string' }, reason: { type: 'string' } } },
      },
    },
  },
  Health: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['ok', 'unavailable'] },
      checks: { type: 'object', properties: { postgres: { type: 'string' }, redis: { type: 'string' } } },
    },
  },
} as const;
