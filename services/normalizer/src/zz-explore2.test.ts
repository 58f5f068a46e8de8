import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ensureOutlet, insertFeed, loadCandidateStories, recordTermStats, termStats, unassignedArticles, upsertArticles, candidateStoryIds } from '@newsfold/db';
import { articleFeatures, cosine, idfFromCounts, scoreCandidate, weightedVector, CENTROID_TERMS } from '@newsfold/clustering';
import { createTestDatabase } from '@newsfold/testing';
import { toArticle } from './to-article.js';
import { assignStory, QUERY_TERMS, STORIES_PER_TERM } from './assign-story.js';

const fx = JSON.parse(readFileSync(new URL('./testdata/jeddah.json', import.meta.url), 'utf8'));
const W = 72 * 3600000;
it('explore2', { timeout: 600_000 }, async () => {
  const db = await createTestDatabase();
  if (process.env.HISTORY) {
    const lines = readFileSync('/work/shared/corpora/stsb-headlines/pairs.tsv', 'utf8').split('\n').slice(1).map((l) => l.split('\t')).filter((c) => c.length >= 5);
    const hist = [...new Set(lines.flatMap((c) => [c[3]!, c[4]!]))];
    const { feed: past } = await insertFeed(db.pool, { url: 'https://history.invalid/feed' });
    const { normalizeEntries } = await import('./normalize-entries.js');
    const { createLogger } = await import('@newsfold/logging');
    for (let i = 0; i < hist.length; i += 250) {
      await normalizeEntries({ pool: db.pool, log: createLogger({ level: 'silent' }), storyWindowMs: W }, { feedId: past.id, feedUrl: past.url, fetchedAt: '2025-01-01T00:00:00Z', feed: { title: 'History', siteUrl: null, language: 'en' },
        entries: hist.slice(i, i + 250).map((t, k) => ({ guid: `h${i + k}`, url: null, title: t, summary: null, contentHtml: null, author: null, publishedAt: '2025-01-10T00:00:00Z', categories: [], imageUrl: null })) });
    }
    console.log('history', hist.length);
  }
  for (const o of fx.outlets) {
    const { feed } = await insertFeed(db.pool, { url: `https://${o.site}/feed.xml` });
    const outletId = await ensureOutlet(db.pool, { siteKey: o.site, name: o.name, siteUrl: `https://${o.site}/` });
    const arts = o.entries.map((e: any) => toArticle({ guid: e.guid, url: e.url, title: e.title, summary: e.summary, contentHtml: null, author: null, publishedAt: e.publishedAt, categories: [], imageUrl: null }, feed.url, o.language));
    const up = await upsertArticles(db.pool, { feedId: feed.id, outletId }, arts);
    for (const a of await unassignedArticles(db.pool, up.map((u) => u.id))) {
      const c = await db.pool.connect();
      await c.query('BEGIN');
      const f = articleFeatures({ title: a.title, summary: a.summary, language: a.language });
      const terms = Object.keys(a.features!);
      await recordTermStats(c, terms);
      const own = await termStats(c, terms);
      const ownIdf = idfFromCounts(own.df, own.documents);
      const q = terms.map((t) => [t, (a.features![t] ?? 0) * ownIdf(t)] as const).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, QUERY_TERMS).map(([t]) => t);
      const retrieved = new Set(await candidateStoryIds(c, q, new Date(a.eventAt.getTime() - W), STORIES_PER_TERM));
      const { rows } = await c.query("SELECT id::text FROM stories WHERE last_event_at > '2025-03-01'");
      const cands = await loadCandidateStories(c, rows.map((r: any) => r.id));
      const stats = await termStats(c, [...new Set([...terms, ...cands.flatMap((x) => Object.keys(x.centroid))])]);
      const idf = idfFromCounts(stats.df, stats.documents);
      await c.query('ROLLBACK'); c.release();
      const vec = weightedVector(a.features!, idf);
      console.log(`\n#${a.id} ${a.title}\n   terms: ${[...vec].sort((x,y)=>y[1]-x[1]).map(([t,w])=>`${t}:${w.toFixed(2)}`).join(' ')}\n   query terms: ${q.join(',')}`);
      for (const s of cands) {
        const r = scoreCandidate({ features: { terms: a.features!, language: a.language ?? 'en', signature: a.signature ?? [] }, titleKey: a.titleKey, eventAt: a.eventAt }, vec, s, idf, W);
        const cv = weightedVector(s.centroid, idf, CENTROID_TERMS);
        const shared = [...vec.keys()].filter((t) => cv.has(t));
        console.log(`   vs story ${s.storyId}${retrieved.has(s.storyId) ? '' : ' (not retrieved)'}: ${r.reason}  shared=[${shared.join(',')}]`);
      }
      const res = await assignStory(db.pool, a, { windowMs: W });
      console.log(`   => story ${res?.storyId} ${res?.decision.reason} merges=${JSON.stringify(res?.decision.merges)}`);
    }
  }
  await db.drop();
});
