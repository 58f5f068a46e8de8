import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForChanges, upsertTopic, type ChangeListener, type Queryable } from '@newsfold/db';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { TopicState } from './topic-state.js';

describe('TopicState (validators in memory, dropped on change notifications)', () => {
  let db: TestDatabase;
  let changes: ChangeListener;
  let queries = 0;
  // The real pool; only counted, so the tests can tell a read from a hit.
  let counted: Queryable;

  beforeAll(async () => {
    db = await createTestDatabase();
    changes = await listenForChanges(db.pool);
    counted = {
      query: ((...args: Parameters<Queryable['query']>) => {
        queries += 1;
        return (db.pool.query as (...a: unknown[]) => unknown)(...args);
      }) as Queryable['query'],
    };
    await upsertTopic(db.pool, { slug: 'world', title: 'World', query: 'ukraine' });
    await changes.sync();
  });
  afterAll(async () => {
    await changes.close();
    await db.drop();
  });

  it('reads a topic and the story revision once, then answers from memory', async () => {
    const state = new TopicState(counted, changes);
    queries = 0;
    const [a, b] = await Promise.all([state.topic('world'), state.topic('world')]);
    expect(a?.title).toBe('World');
    expect(b).toBe(a);
    await state.topic('world');
    await state.stories();
    await state.stories();
    expect(queries).toBe(2);
    state.close();
  });

  it('drops what it holds when another connection commits a change, and reads the new row', async () => {
    const state = new TopicState(counted, changes);
    const before = await state.topic('world');
    await upsertTopic(db.pool, { slug: 'world', title: 'World news', query: 'ukraine' });
    await changes.sync();
    queries = 0;
    const after = await state.topic('world');
    expect(queries).toBe(1);
    expect(after?.title).toBe('World news');
    expect((await state.validator(after!, 1)).revision).not.toBe((await state.validator(before!, 1)).revision);
    state.close();
  });

  it('does not keep a read that a change overtook while it was in flight', async () => {
    const state = new TopicState(counted, changes);
    queries = 0;
    const inFlight = state.topic('world');
    state.invalidate(); // as a notification arriving before the read's answer would
    await inFlight;
    await state.topic('world');
    expect(queries).toBe(2);
    await state.topic('world');
    expect(queries).toBe(2);
    state.close();
  });

  it('never holds a missing topic, so made-up slugs cannot grow it', async () => {
    const state = new TopicState(counted, changes);
    queries = 0;
    expect(await state.topic('nope')).toBeNull();
    expect(await state.topic('nope')).toBeNull();
    expect(queries).toBe(2);
    state.close();
  });

  it('reads through on every call while the listener is not live', async () => {
    const dead = await listenForChanges(db.pool);
    await dead.close();
    const state = new TopicState(counted, dead);
    queries = 0;
    await state.topic('world');
    await state.topic('world');
    await state.stories();
    await state.stories();
    expect(queries).toBe(4);
    const none = new TopicState(counted);
    await none.topic('world');
    expect(queries).toBe(5);
  });
});
