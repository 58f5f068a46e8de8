/** `GET /topics/:slug`: a topic's stories, newest activity first, with their coverage. */
import { html } from 'hono/html';
import type { StorySource, StoryWithSources, TopicRow } from '@newsfold/db';
import { truncateAtWord as truncate } from '@newsfold/text';
import { externalLink, feedLinks, layout, paths, plural, timeTag, topicAlternates, type Html, type Site } from './layout.js';

export const DEFAULT_PAGE_SIZE = 30;
const FILTERS = [1, 2, 3];
const SUMMARY_CHARS = 240;

export interface TopicPageInput {
  topic: TopicRow;
  /** This page's stories, newest activity first. */
  stories: StoryWithSources[];
  /** The filter in force (the request's, else the topic's own). */
  minSources: number;
  /** The `min_sources` the request named, kept in the pagination links. */
  requestedMinSources: number | undefined;
  limit: number;
  /** Set when an older page exists. */
  nextCursor: string | null;
  /** True when this page was reached through a cursor. */
  paged: boolean;
}

/** `?min_sources=2&limit=10&cursor=…`: only the parameters that differ from the defaults. */
export function topicQuery(p: { minSources?: number | undefined; limit?: number; cursor?: string | null }): string {
  const q = new URLSearchParams();
  if (p.minSources !== undefined) q.set('min_sources', String(p.minSources));
  if (p.limit !== undefined && p.limit !== DEFAULT_PAGE_SIZE) q.set('limit', String(p.limit));
  if (p.cursor) q.set('cursor', p.cursor);
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}

export function topicPage(site: Site, input: TopicPageInput): Html {
  const { topic, stories } = input;
  const body = html`<h1>${topic.title}</h1>
${topic.description ? html`<p class="lede">${topic.description}</p>` : ''}
<p class="feeds">Subscribe: ${feedLinks(site, topic.slug)}</p>
${filters(site, input)}
${
  stories.length === 0
    ? html`<p class="empty">${input.paged ? 'No older stories.' : 'No stories with this much coverage yet.'}</p>`
    : html`<ol class="list stories">${stories.map((s) => storyItem(site, s))}</ol>`
}
${pager(site, input)}`;
  return layout(site, {
    title: topic.title,
    description: topic.description ?? `Stories about ${topic.title}, folded across outlets`,
    canonical: `${site.base}/topics/${encodeURIComponent(topic.slug)}`,
    alternates: topicAlternates(site, topic),
    body,
  });
}

function filters(site: Site, input: TopicPageInput): Html {
  const values = FILTERS.includes(input.minSources) ? FILTERS : [...FILTERS, input.minSources].sort((a, b) => a - b);
  const label = (n: number) => (n === 1 ? 'Any coverage' : `${n}+ outlets`);
  return html`<nav class="filters" aria-label="Coverage filter">${values.map((n) =>
    n === input.minSources
      ? html`<strong aria-current="page">${label(n)}</strong>`
      : html`<a href="${paths.topic(site, input.topic.slug, topicQuery({ minSources: n, limit: input.limit }))}">${label(n)}</a>`,
  )}</nav>`;
}

function pager(site: Site, input: TopicPageInput): Html {
  if (!input.paged && input.nextCursor === null) return html``;
  const keep = { minSources: input.requestedMinSources, limit: input.limit };
  return html`<nav class="pager" aria-label="Pages">${
    input.paged ? html`<a rel="first" href="${paths.topic(site, input.topic.slug, topicQuery(keep))}">← Newest</a>` : html`<span></span>`
  }${
    input.nextCursor === null
      ? ''
      : html`<a rel="next" href="${paths.topic(site, input.topic.slug, topicQuery({ ...keep, cursor: input.nextCursor }))}">Older stories →</a>`
  }</nav>`;
}

function storyItem(site: Site, story: StoryWithSources): Html {
  const first = story.sources[0];
  const outlets = firstPerOutlet(story.sources);
  return html`<li>
<h2><a href="${paths.story(site, story.id)}">${story.title}</a></h2>
<p class="meta"><span class="count">${plural(story.sourceCount, 'outlet')}</span>${
    story.sourceCount > 1 && first
      ? html` · first: <span class="first">${first.outlet}</span> ${timeTag(first.publishedAt ?? first.eventAt, site.now)} · updated ${timeTag(story.updatedAt, site.now)}`
      : html` · ${timeTag(story.updatedAt, site.now)}`
  }</p>
${story.summary ? html`<p class="summary">${truncate(story.summary, SUMMARY_CHARS)}</p>` : ''}
<p class="outlets">${outlets.map((s) => html`${externalLink(s.url, s.outlet)} `)}</p>
</li>`;
}

/** Each outlet once, with its earliest article (sources arrive earliest first). */
export function firstPerOutlet(sources: StorySource[]): StorySource[] {
  const seen = new Set<string>();
  return sources.filter((s) => !seen.has(s.outletId) && seen.add(s.outletId));
}

