/** `GET /`: every topic, with its page and its feeds. */
import { html } from 'hono/html';
import type { TopicRow } from '@newsfold/db';
import { PAGE_COUNT_LIMIT } from './data.js';
import { feedLinks, layout, paths, plural, topicAlternates, type Html, type Site } from './layout.js';

export interface TopicSummary {
  topic: TopicRow;
  /** null when counting would cost too much. */
  storyCount: number | null;
}

export function topicsPage(site: Site, topics: TopicSummary[]): Html {
  const body = html`<h1>Topics</h1>
<p class="lede">Each topic folds the same news from many outlets into one story. Read it here or subscribe in your feed reader.</p>
${topics.length === 0 ? html`<p>No topics yet.</p>` : html`<ul class="list topics">${topics.map((t) => topicItem(site, t))}</ul>`}
<p class="meta">Subscribe to every topic at once: <a href="${paths.opml(site)}" type="text/x-opml">topics.opml</a></p>`;
  return layout(site, {
    title: 'newsfold',
    description: 'Topics: the same news story from many outlets, folded into one.',
    canonical: `${site.base}/`,
    alternates: topics.flatMap((t) => topicAlternates(site, t.topic)),
    body,
  });
}

function topicItem(site: Site, { topic, storyCount }: TopicSummary): Html {
  return html`<li>
<h2><a href="${paths.topic(site, topic.slug)}">${topic.title}</a></h2>
${topic.description ? html`<p class="summary">${topic.description}</p>` : ''}
<p class="meta">${storyCount === null ? '' : html`<span class="count">${storyCountText(storyCount)}</span> · `}${
    topic.minSources > 1 ? `${topic.minSources}+ outlets per story · ` : ''
  }${feedLinks(site, topic.slug)}</p>
</li>`;
}

function storyCountText(n: number): string {
  return n > PAGE_COUNT_LIMIT ? `${PAGE_COUNT_LIMIT}+ stories` : plural(n, 'story', 'stories');
}
