import { describe, expect, it } from 'vitest';
import { articleFeatures } from './features.js';
import { planStoryIds } from './plan-story-ids.js';
import { RESUME_LAG_MS, settleGroups, type SettleArticle, type SettledGroup, type SettleInput } from './settle-groups.js';

const group = (articleIds: string[], fixedId: string | null = null): SettledGroup => ({ fixedId, articleIds, centroid: () => ({}), lastEventAt: new Date(0), signatures: [], titleKeys: [] });

describe('planStoryIds', () => {
  it('each group keeps the stored story it overlaps most; a part that leaves gets a new id', () => {
    const current = new Map([
      ['1', '10'],
      ['2', '10'],
      ['3', '10'],
      ['4', '11'],
    ]);
    const plan = planStoryIds([group(['1', '2']), group(['3', '4'])], current);
    // Group 0 holds two of 10's articles; group 1 one of 10's and one of 11's: 10 goes to group 0, 11 to group 1.
    expect(plan.ids).toEqual(['10', '11']);
    expect(plan.leaving.size).toBe(0);
    expect(planStoryIds([group(['1', '2']), group(['3'])], current).ids).toEqual(['10', null]);
  });

  it('ties go to the older story, and a story its articles all left leads to the group holding most of them', () => {
    const current = new Map([
      ['1', '12'],
      ['2', '7'],
      ['3', '7'],
      ['4', '12'],
      ['5', '12'],
    ]);
    // One group holds one article of each: it keeps 7 (older); 12's other two went elsewhere.
    const plan = planStoryIds([group(['1', '2']), group(['3']), group(['4', '5'])], current);
    expect(plan.ids).toEqual(['7', null, '12']);
    const merged = planStoryIds([group(['1', '2', '3', '4', '5'])], current);
    expect(merged.ids).toEqual(['12']);
    expect(merged.leaving).toEqual(new Map([['7', 0]]));
  });

  it('a fixed story keeps its id, and no other group takes it', () => {
    const current = new Map([
      ['1', '5'],
      ['2', '5'],
      ['3', '5'],
    ]);
    const plan = planStoryIds([group(['1', '2']), group(['3'], '5')], current);
    expect(plan.ids).toEqual([null, '5']);
  });
});

describe('settleGroups', () => {
  const article = (id: string, title: string, minutes: number, tieBreak = `https://example.com/${id}`): SettleArticle => ({
    id,
    features: articleFeatures({ title, language: 'en' }),
    titleKey: title.toLowerCase(),
    eventAt: new Date(Date.UTC(2026, 10, 1) + minutes * 60_000),
    tieBreak,
  });
  const items = [
    article('a', 'Volcano erupts near Reykjavik, flights grounded', 0),
    article('b', 'Flights grounded as Icelandic volcano erupts near Reykjavik', 10),
    article('c', 'Central bank raises interest rates to record high', 5),
    article('d', 'Interest rates raised to record high by central bank', 20),
    article('e', 'Volcano near Reykjavik erupts again', 30),
  ];
  const input = (articles: SettleArticle[]) => ({ articles, fixed: [], separations: [], df: new Map<string, number>(), documents: 100, windowMs: 72 * 3_600_000 });
  const groups = async (articles: SettleArticle[]) => (await settleGroups(input(articles)))?.groups.map((g) => g.articleIds);

  it('depends on the set, not the order given or the ids the articles carry', async () => {
    const expected = (await groups(items)) ?? [];
    expect(expected).toEqual([['a', 'b', 'e'], ['c', 'd']]);
    expect(await groups([...items].reverse())).toEqual(expected);
    const renamed = items.map((a, i) => ({ ...a, id: String(90 - i) }));
    expect(await groups(renamed.reverse())).toEqual(expected.map((g) => g.map((id) => String(90 - items.findIndex((a) => a.id === id)))));
  });

  it('stops when told to between steps', async () => {
    const many = Array.from({ length: 600 }, (_, i) => article(`m${i}`, `Report number ${i} on harbour ferry timetables`, i));
    let asked = 0;
    expect(await settleGroups(input(many), async () => ++asked < 2)).toBeNull();
    expect(asked).toBe(2);
    expect((await settleGroups(input(many), async () => true))?.groups.flatMap((g) => g.articleIds)).toHaveLength(600);
  });

  it('a fixed story keeps its articles; others join it, and separated stories stay apart', async () => {
    const result = await settleGroups({
      ...input(items.slice(1)),
      fixed: [{ storyId: '40', articles: [items[0] as SettleArticle] }, { storyId: '41', articles: [article('x', 'Volcano erupts near Reykjavik', 1)] }],
      separations: [['40', '41']],
    });
    const byFixed = new Map(result?.groups.map((g) => [g.fixedId, g.articleIds]));
    expect(byFixed.get('40')).toContain('a');
    expect(byFixed.get('41')).toContain('x');
    expect(byFixed.get('41')).not.toContain('a');
    expect([...(byFixed.get('40') ?? []), ...(byFixed.get('41') ?? [])]).toEqual(expect.arrayContaining(['b', 'e']));
  });

  it('never merges two fixed stories: an article bridging them joins one', async () => {
    const zelmar = article('z', 'Zelmar talks open in Jeddah', 0);
    zelmar.features = articleFeatures({ title: 'Zelmar talks open in Jeddah', summary: 'Rubio and Yermak met in Jeddah for Zelmar talks.', language: 'en' });
    const delegations = article('d', 'Rubio Yermak delegations meet', 60);
    delegations.features = articleFeatures({ title: 'Rubio Yermak delegations meet', summary: 'Delegations led by Rubio and Yermak met on Tuesday.', language: 'en' });
    const bridge = article('b', 'Jeddah talks: Rubio and Yermak delegations meet for Zelmar talks', 120);
    bridge.features = articleFeatures({ title: bridge.titleKey, summary: 'Rubio Yermak Jeddah Zelmar delegations talks.', language: 'en' });
    // Free, the bridge folds the two together (as StoryIndex does online).
    const free = await settleGroups(input([zelmar, delegations, bridge]));
    expect(free?.groups.map((g) => g.articleIds)).toEqual([['z', 'd', 'b']]);
    // Fixed (an editor's, or from before the window), they stay two.
    const result = await settleGroups({ ...input([bridge]), fixed: [{ storyId: '40', articles: [zelmar] }, { storyId: '41', articles: [delegations] }] });
    const byFixed = new Map(result?.groups.map((g) => [g.fixedId, g.articleIds]));
    expect([...byFixed.keys()].sort()).toEqual(['40', '41']);
    expect([...(byFixed.get('40') ?? []), ...(byFixed.get('41') ?? [])].sort()).toEqual(['b', 'd', 'z']);
  });

  describe('resuming from what the previous pass kept', () => {
    // Six hours of reports of 40 events told with overlapping words: joins, new stories and merges.
    const T = Date.UTC(2026, 10, 1);
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const pool = Array.from({ length: 120 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`);
    const events = Array.from({ length: 40 }, () => Array.from({ length: 6 }, () => pool[Math.floor(random() * pool.length)] as string));
    const report = (id: string, minutes: number, extra: string[] = []): SettleArticle => {
      const words = events[Math.floor(random() * events.length)] as string[];
      const title = [...words.slice(0, 4), pool[Math.floor(random() * pool.length)], pool[Math.floor(random() * pool.length)], ...extra].join(' ');
      return { id, features: articleFeatures({ title, language: 'en' }), titleKey: title, eventAt: new Date(T + minutes * 60_000), tieBreak: id };
    };
    const earlier = Array.from({ length: 400 }, (_, i) => report(`e${i}`, random() * 360));
    // In the last half hour before the newest of the earlier ones, and after.
    // Some with a word no earlier report used.
    const newer = Array.from({ length: 60 }, (_, i) => report(`n${i}`, 330 + random() * 60, i % 3 === 0 ? [`fresh${i % 5}`] : []));
    const fixedStory = { storyId: '9', articles: [report('f1', -30), report('f2', -20)] };
    // As the settle pass reads them: the counts of the terms its articles hold (the same for a term whoever asks).
    const dfOf = (term: string) => 5 + ([...term].reduce((h, c) => h * 31 + c.charCodeAt(0), 7) % 400);
    const over = (articles: SettleArticle[], fixed = [fixedStory]): SettleInput => ({
      articles,
      fixed,
      separations: [],
      df: new Map([...articles, ...fixed.flatMap((f) => f.articles)].flatMap((a) => Object.keys(a.features.terms)).map((t) => [t, dfOf(t)])),
      documents: 5_000,
      windowMs: 72 * 3_600_000,
    });
    const shape = (r: Awaited<ReturnType<typeof settleGroups>>) => r?.groups.map((g) => [g.fixedId, ...g.articleIds].join(' '));

    it('decides what a pass from scratch decides, from where the previous one stood', async () => {
      const first = await settleGroups(over(earlier));
      if (!first) return expect.fail('the pass stopped');
      expect(first.resumedAt).toBe(0);
      const all = [...earlier, ...newer];
      const scratch = await settleGroups(over(all));
      const resumed = await settleGroups(over(all), undefined, first.memory);
      expect(resumed?.resumedAt, 'it resumed').toBeGreaterThan(300);
      expect(shape(resumed)).toEqual(shape(scratch));
      expect(resumed?.decisions).toEqual(scratch?.decisions);
      // Folding happened in both parts: the comparison is not between two lists of singletons.
      expect(scratch?.groups.length).toBeLessThan(200);
      expect(resumed?.groups.some((g) => g.articleIds.some((id) => id.startsWith('e')) && g.articleIds.some((id) => id.startsWith('n')))).toBe(true);
    });

    it('resumes from the point nearest the newest when every new article is newer than those before', async () => {
      const first = await settleGroups(over(earlier));
      if (!first) return expect.fail('the pass stopped');
      const [lag, late, soon] = first.memory.points;
      expect(lag && late && soon && lag.at < late.at && late.at < soon.at, 'three points kept').toBe(true);
      const ahead = Array.from({ length: 40 }, (_, i) => report(`a${i}`, 361 + random() * 30));
      const resumed = await settleGroups(over([...earlier, ...ahead]), undefined, first.memory);
      expect(resumed?.resumedAt).toBe(soon?.at);
      expect(shape(resumed)).toEqual(shape(await settleGroups(over([...earlier, ...ahead]))));
      // And the point it kept in turn serves the pass after it.
      const more = Array.from({ length: 20 }, (_, i) => report(`b${i}`, 392 + random() * 5));
      const again = await settleGroups(over([...earlier, ...ahead, ...more]), undefined, resumed?.memory);
      expect(again?.resumedAt).toBeGreaterThan(soon?.at ?? 0);
      expect(shape(again)).toEqual(shape(await settleGroups(over([...earlier, ...ahead, ...more]))));
    });

    it('resumes from half an hour back when new articles are up to half an hour older than the newest before them', async () => {
      const first = await settleGroups(over(earlier));
      if (!first) return expect.fail('the pass stopped');
      const [lag, late] = first.memory.points;
      const newest = (first.memory.articles.at(-1)?.eventAt.getTime() ?? T) / 60_000 - T / 60_000;
      // From 25 minutes behind the newest to 5 ahead of it: past the five-minute point, not the half-hour one.
      const polled = Array.from({ length: 40 }, (_, i) => report(`p${i}`, newest - 25 + random() * 30));
      const resumed = await settleGroups(over([...earlier, ...polled]), undefined, first.memory);
      expect(resumed?.resumedAt).toBe(late?.at);
      expect(resumed?.resumedAt).toBeGreaterThan(lag?.at ?? Infinity);
      expect(shape(resumed)).toEqual(shape(await settleGroups(over([...earlier, ...polled]))));
    });

    it('starts from scratch when an article comes in before where the previous pass stood, or what it took as given changed', async () => {
      const first = await settleGroups(over(earlier));
      if (!first) return expect.fail('the pass stopped');
      const earliest = first.memory.points[0]?.at ?? 0;
      const late = report('late', (first.memory.articles[earliest - 1]?.eventAt.getTime() ?? T) / 60_000 - T / 60_000 - RESUME_LAG_MS / 60_000);
      const withLate = [...earlier, late, ...newer];
      const resumed = await settleGroups(over(withLate), undefined, first.memory);
      expect(resumed?.resumedAt).toBe(0);
      expect(shape(resumed)).toEqual(shape(await settleGroups(over(withLate))));

      const changed = { ...fixedStory, articles: [fixedStory.articles[0] as SettleArticle] };
      const refixed = await settleGroups(over([...earlier, ...newer], [changed]), undefined, first.memory);
      expect(refixed?.resumedAt).toBe(0);
      const counted = await settleGroups({ ...over([...earlier, ...newer]), documents: 6_000 }, undefined, first.memory);
      expect(counted?.resumedAt).toBe(0);
    });

    it('a pass that stops leaves what the previous one kept as it was', async () => {
      const first = await settleGroups(over(earlier));
      if (!first) return expect.fail('the pass stopped');
      const all = [...earlier, ...newer, ...Array.from({ length: 300 }, (_, i) => report(`m${i}`, 355 + random() * 30))];
      expect(await settleGroups(over(all), async () => false, first.memory)).toBeNull();
      const again = await settleGroups(over(all), undefined, first.memory);
      expect(again?.resumedAt).toBeGreaterThan(0);
      expect(first.memory.points.map((p) => p.at)).toContain(again?.resumedAt);
      expect(shape(again)).toEqual(shape(await settleGroups(over(all))));
    });
  });
});

describe('settleGroups, article by article', () => {
  const T = Date.UTC(2027, 0, 5);
  // Two events about one president, each told three times with a lede, all within the hour.
  const texts: [string, string, string][] = [
    ['budget', 'Ekdahl signs 2027 budget into law after late-night vote', 'President Tomas Ekdahl signed the 412 billion krona budget shortly after parliament passed it in a late-night vote, including the contested fuel-tax rise.'],
    ['sacking', 'Ekdahl sacks defence minister over radar scandal', 'President Tomas Ekdahl dismissed Defence Minister Jonas Rask on Thursday over the Holmvik Systems coastal radar procurement scandal.'],
    ['budget', 'Budget with fuel-tax rise becomes law', 'The 412 billion krona budget, with its fuel-tax rise, was signed into law by President Ekdahl hours after the late-night parliament vote.'],
    ['sacking', "'I have lost confidence in him': Ekdahl drops defence chief", 'Jonas Rask was dismissed as defence minister after auditors found the coastal radar contract with Holmvik Systems was awarded without tender.'],
    ['budget', 'President approves spending plan after marathon session', 'Ekdahl put his signature to the budget after a late-night vote in parliament, ending weeks of dispute over the fuel-tax rise.'],
    ['sacking', 'Defence minister Rask fired as radar contract row deepens', 'President Ekdahl fired Jonas Rask, saying the Holmvik Systems radar procurement had broken the rules on tender.'],
  ];
  // One headline key for all (as a live page's "President Ekdahl: live updates" would have):
  // placing puts them in one story by it, and only their texts tell the two events apart.
  const articles: SettleArticle[] = texts.map(([, title, summary], i) => ({
    id: String(i + 1),
    features: articleFeatures({ title, summary, language: 'en' }),
    titleKey: 'president ekdahl live updates',
    eventAt: new Date(T + i * 60_000),
    tieBreak: `https://example.com/${i}`,
  }));
  const eventOf = (id: string) => texts[Number(id) - 1]?.[0];
  const df = new Map<string, number>();
  for (const a of articles) for (const t of Object.keys(a.features.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const input = (over: Partial<SettleInput>): SettleInput => ({ articles, fixed: [], separations: [], df, documents: 2_000, windowMs: 72 * 3_600_000, ...over });

  it('splits what placing put together when its articles do not agree, scoring each by its agreement', async () => {
    const settled = await settleGroups(input({}));
    if (!settled) return expect.fail('the pass stopped');
    for (const g of settled.groups) expect(new Set(g.articleIds.map(eventOf)).size, g.articleIds.join(',')).toBe(1);
    expect(settled.groups.map((g) => g.articleIds.length).sort()).toEqual([3, 3]);
    for (const g of settled.groups) expect(Object.keys(g.centroid())).toContain('ekdahl');
    expect(Object.keys(settled.groups.find((g) => g.articleIds.includes('2'))?.centroid() ?? {})).toContain('rask');
    for (const [, decision] of settled.decisions) expect(decision.reason).toBe('settled');
  });

  it('lets its caller in while it scores a large story, and stops when told to', async () => {
    // 402 reports under one headline key: one story placed, some 80,000 pairs to score.
    const many = Array.from({ length: 402 }, (_, i) => ({ ...(articles[i % 6] as SettleArticle), id: String(100 + i), eventAt: new Date(T + i * 1_000), tieBreak: `https://example.com/m${i}` }));
    let calls = 0;
    const settled = await settleGroups(input({ articles: many }), async () => (++calls, true));
    expect(settled?.groups).toHaveLength(2);
    // Placing asks once (every 256 articles); the split step every 20,000 pairs.
    expect(calls).toBeGreaterThanOrEqual(1 + 4);
    let allowed = 3;
    expect(await settleGroups(input({ articles: many }), async () => --allowed > 0)).toBeNull();
  });

  it("leaves an editor's story whole, whatever its articles score, and splits off only what joined it", async () => {
    const story = { storyId: '42', articles: articles.slice(0, 2) };
    const settled = await settleGroups(input({ articles: articles.slice(2), fixed: [story] }));
    if (!settled) return expect.fail('the pass stopped');
    const edited = settled.groups.find((g) => g.fixedId === '42');
    expect(edited?.articleIds.slice(0, 2).sort()).toEqual(['1', '2']);
    expect(settled.groups.flatMap((g) => g.articleIds).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    // The two fixed articles are not the pass's to score.
    expect(settled.decisions.has('1')).toBe(false);
  });
});
