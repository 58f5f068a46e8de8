/** `GET /stories/:id`: one story, every source, and why each one joined. */
import { html } from 'hono/html';
import type { StorySource, StoryWithSources, TopicRow } from '@newsfold/db';
import { sharedWords } from '@newsfold/clustering';
import { safeHttpUrl } from '@newsfold/render';
import { externalLink, feedLinks, layout, paths, plural, timeTag, topicAlternates, utcLabel, type Html, type Site } from './layout.js';

/** The reasons clustering records (packages/clustering), in words; anything else is shown as stored. */
const REASONS: Record<string, string> = {
  // The first article newsfold fetched, not necessarily the first published ("reported first").
  'new-story': 'the first fetched',
  'same-title': 'same headline',
  'near-copy': 'near-identical text',
  'too-short': 'headline too short to compare',
  'manual-split': 'split out by an editor',
  'manual-merge': 'merged by an editor',
  // Moved by the settle pass (by its split or join steps, its score is its agreement with the others).
  settled: 'regrouped by the settle pass',
};

export function matchReason(reason: string | null): string | null {
  const text = reason?.trim() ?? '';
  if (text === '') return null;
  if (text.startsWith('similar')) return 'similar wording';
  return REASONS[text.toLowerCase().replace(/[\s_]+/g, '-')] ?? text;
}

export function storyPage(site: Site, story: StoryWithSources, all: Pick<TopicRow, 'slug' | 'title'>): Html {
  const articles = story.sources.length;
  const shared = sharedWords(story.sources.map((s) => s.title));
  const body = html`<article class="story">
<h1>${story.title}</h1>
${story.summary ? html`<p class="lede">${story.summary}</p>` : ''}
<p class="meta"><span class="count">${plural(story.sourceCount, 'outlet')}</span>${
    articles > story.sourceCount ? ` · ${plural(articles, 'article')}` : ''
  } · first seen ${timeTag(story.firstSeenAt, site.now)} (${utcLabel(story.firstSeenAt)}) · updated ${timeTag(story.updatedAt, site.now)}</p>
<h2>Coverage, earliest first</h2>
<ol class="sources">${story.sources.map((s, i) => sourceItem(site, s, i === 0 && articles > 1, shared[i] ?? []))}</ol>
</article>
<p class="feeds">Every story as a feed: ${feedLinks(site, all.slug)} · <a href="${paths.topic(site, all.slug)}">${all.title}</a></p>`;
  return layout(site, {
    title: story.title,
    description: story.summary ?? `${story.title}: coverage from ${plural(story.sourceCount, 'outlet')}`,
    canonical: `${site.base}/stories/${encodeURIComponent(story.id)}`,
    alternates: topicAlternates(site, all),
    body,
  });
}

/** `shared`: the headline's words other sources' headlines use too (sharedWords), evidence a reader can check. */
function sourceItem(site: Site, source: StorySource, first: boolean, shared: readonly string[]): Html {
  const reason = matchReason(source.matchReason);
  const score = source.matchScore === null ? null : `score ${source.matchScore.toFixed(2)}`;
  const why = [reason, score].filter((p) => p !== null).join(', ');
  return html`<li>
<div><span class="outlet">${source.outlet}</span>${first ? html` <span class="first">reported first</span>` : ''}</div>
<div>${externalLink(source.url, source.title, 'headline')}${safeHttpUrl(source.url) === null ? html` <span class="meta">(no link)</span>` : ''}</div>
<div class="meta">${timeTag(source.publishedAt ?? source.eventAt, site.now)}${why === '' ? '' : html` · <span class="why">joined: ${why}</span>`}${
    shared.length === 0 ? '' : html` · <span class="shared">shares ${shared.join(', ')}</span>`
  }</div>
</li>`;
}
