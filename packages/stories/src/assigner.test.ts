import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { articleFeatures } from '@newsfold/clustering';
import { ensureOutlet, insertFeed, upsertArticles } from '@newsfold/db';
import { articleInput, captureLog, createTestDatabase, resetClustering, until, type TestDatabase } from '@newsfold/testing';
import { startAssigner, type Assigner } from './assigner.js';

const WINDOW = 72 * 3_600_000;

describe('startAssigner', () => {
  let db: TestDatabase;
  let origin: { feedId: string; outletId: string };
  const running: Assigner[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await resetClustering(db.pool);
    const outletId = await ensureOutlet(db.pool, { siteKey: 'outlet.example', name: 'Outlet', siteUrl: null });
    origin = { feedId: (await insertFeed(db.pool, { url: 'https://outlet.example/feed.xml' })).feed.id, outletId };
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((a) => a.stop()));
  });

  const start = (log = captureLog().log, settleIntervalMs?: number) => {
    const assigner = startAssigner({ pool: db.pool, log, windowMs: WINDOW, idleMs: 20, electionMs: 100, ...(settleIntervalMs ? { settleIntervalMs } : {}) });
    running.push(assigner);
    return assigner;
  };

  const store = (guids: string[]) =>
    upsertArticles(
      db.pool,
      origin,
      guids.map((guid, i) => {
        const title = `Harbour strike in Port ${guid} enters day ${i + 2}`;
        const f = articleFeatures({ title, language: 'en' });
        return articleInput(guid, { title, titleKey: title.toLowerCase(), language: f.language, features: f.terms, signature: f.signature });
      }),
    );

  const pending = async () => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE story_id IS NULL')).rows[0]?.n ?? -1;

  it('is one process at a time: one steps down when its session is lost, another takes over when it stops', async () => {
    const logs = [captureLog(), captureLog()];
    const [a, b] = logs.map((c) => start(c.log)) as [Assigner, Assigner];
    const leaders = () => [a, b].filter((x) => x.isLeader());
    await until('an assigner', () => leaders().length > 0);
    await sleep(300);
    expect(leaders()).toHaveLength(1);
    await store(['one', 'two', 'three']);
    await until('the articles placed', async () => (await pending()) === 0);

    // The leader's session is cut, as when its connection dies: it says it stepped down, and one
    // of the two (whichever asks first) is the assigner again.
    const first = leaders()[0];
    await db.pool.query(
      `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND s.datname = current_database()`,
    );
    const firstLog = logs[first === a ? 0 : 1] as ReturnType<typeof captureLog>;
    await until('the step down said', () => firstLog.lines.some((l) => l.msg === 'no longer the story assigner'));
    await until('an assigner again', () => leaders().length > 0);
    await sleep(300);
    expect(leaders()).toHaveLength(1);
    await store(['four', 'five']);
    await until('the new articles placed', async () => (await pending()) === 0);

    // The assigner stops (its process ends): the other takes over.
    const [leader, other] = a.isLeader() ? [a, b] : [b, a];
    await leader.stop();
    await until('the other to take over', () => other.isLeader());
    await store(['six']);
    await until('the last article placed', async () => (await pending()) === 0);
  });

  it('sets aside an article it cannot place, places the others, and says so once', async () => {
    await db.pool.query(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.guid = 'poison' AND NEW.story_id IS NOT NULL THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_poison BEFORE UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION refuse_poison()`);
    try {
      const { lines, log } = captureLog();
      const assigner = start(log);
      await store(['a', 'b', 'poison', 'c', 'd', 'e', 'f']);
      await until('all but one placed', async () => (await pending()) === 1);
      const { rows } = await db.pool.query<{ guid: string; id: string }>('SELECT guid, id::text FROM articles WHERE story_id IS NULL');
      expect(rows.map((r) => r.guid)).toEqual(['poison']);
      // Later articles are not held up behind it.
      await store(['g', 'h']);
      await until('the later ones placed', async () => (await pending()) === 1);
      await sleep(300);
      const said = lines.filter((l) => l.msg.startsWith('could not place an article'));
      expect(said).toHaveLength(1);
      expect(said[0]?.articleId).toBe(rows[0]?.id);
      expect(assigner.status()).toBe('ok');
    } finally {
      await db.pool.query('DROP TRIGGER refuse_poison ON articles; DROP FUNCTION refuse_poison()');
    }
  });

  it('settles when nothing is pending: a story broken in two is made whole again, and says so', async () => {
    const { log, lines } = captureLog();
    start(log, 300);
    await store(['s1', 's2', 's3', 's4']);
    await until('the articles placed', async () => (await pending()) === 0);
    const stories = async () => (await db.pool.query<{ n: number }>('SELECT count(DISTINCT story_id)::int AS n FROM articles')).rows[0]?.n;
    expect(await stories()).toBe(1);
    // Two of its articles moved to a story of their own, as an online decision might have left them.
    const { rows } = await db.pool.query<{ id: string }>(`INSERT INTO stories (title, first_seen_at, updated_at) VALUES ('part', now(), now()) RETURNING id::text`);
    await db.pool.query("UPDATE articles SET story_id = $1 WHERE guid IN ('s3', 's4')", [rows[0]?.id]);
    await db.pool.query('UPDATE story_engine SET revision = revision + 1');
    await until('the pass made the story whole', async () => (await stories()) === 1);
    expect(lines.some((l) => l.msg === 'settled the recent stories' && l.moved === 2)).toBe(true);
  });
});
