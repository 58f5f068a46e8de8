-- Stories an editor made (split or merged): the settle pass leaves their articles where the
-- editor put them. Recorded on the story rather than read from its articles' match reasons, which
-- later folds and passes rewrite; a story folded into another passes the mark on.
ALTER TABLE stories ADD COLUMN edited boolean NOT NULL DEFAULT false;
UPDATE stories SET edited = true
WHERE id IN (SELECT story_a FROM story_separations UNION SELECT story_b FROM story_separations)
   OR id IN (SELECT story_id FROM articles WHERE match_reason IN ('manual-split', 'manual-merge') AND story_id IS NOT NULL);
