-- Change notifications for in-memory validators: the API keeps topic rows and the latest story
-- revision in memory and drops them when a `newsfold_changes` notification arrives, so a
-- conditional GET of a topic feed needs no query (services/api/src/topic-state.ts).
-- Statement-level triggers: one notification per statement, not per row, and Postgres folds
-- identical notifications within a transaction into one, delivered at commit.
CREATE FUNCTION newsfold_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('newsfold_changes', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER topics_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topics
  FOR EACH STATEMENT EXECUTE FUNCTION newsfold_notify_change();
CREATE TRIGGER stories_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stories
  FOR EACH STATEMENT EXECUTE FUNCTION newsfold_notify_change();
