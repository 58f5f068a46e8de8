-- The few stories an editor made, found without reading the others: a batch's folds ask whether
-- any story folded away was one (and pass the mark on), and each settle pass asks which of its
-- stories are. Read by id through the primary key instead, every such question was a random
-- read of a story row, most of them out of cache with a large window (bench cluster --scale,
-- 1M articles: 91 ms of each batch of 1,000).
CREATE INDEX stories_edited_idx ON stories (id) WHERE edited;
