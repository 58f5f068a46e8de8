-- Articles placed in a story whose terms are not in story_terms and term_stats yet. Writing a
-- batch's postings and document counts was most of what placing it cost in storage (bench cluster
-- --scale, 10k: 160 of 400 ms a batch, about 8,500 posting rows for 1,000 articles). Both are
-- what an assigner holds in memory anyway; storage needs them only when an assigner starts or
-- takes over, or reads what it does not hold. So the assigner notes here what it placed, in the
-- batch's transaction, and writes the postings and counts later, coalesced: when nothing is
-- pending, before it reads postings from storage, when this grows past a bound, and (catching up
-- what a predecessor left) when it loads the window. One row per article, so that deleting an
-- article (or truncating articles) takes its row with it. A story folded into another leaves its
-- postings to be deleted with it and its articles noted here, their terms counted already.
CREATE TABLE unposted_articles (
  article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
  counted    boolean NOT NULL DEFAULT false
);
