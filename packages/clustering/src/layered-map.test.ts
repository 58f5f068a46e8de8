import { describe, expect, it } from 'vitest';
import { LayeredMap } from './layered-map.js';

describe('LayeredMap', () => {
  it('behaves as a plain Map per copy, whatever is set, deleted and copied in between', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    // Each copy beside a plain Map that is copied whole: they must always agree.
    const copies: { map: LayeredMap<number, number>; model: Map<number, number> }[] = [{ map: new LayeredMap(), model: new Map() }];
    for (let step = 0; step < 20_000; step++) {
      const at = Math.floor(random() * copies.length);
      const { map, model } = copies[at] as (typeof copies)[number];
      // Keys from a small range, so sets overwrite and deletes hit keys held in lower layers.
      const key = Math.floor(random() * 200);
      const roll = random();
      if (roll < 0.5) {
        map.set(key, step);
        model.set(key, step);
      } else if (roll < 0.8) {
        expect(map.delete(key)).toBe(model.delete(key));
      } else if (roll < 0.995) {
        expect(map.get(key)).toBe(model.get(key));
        expect(map.has(key)).toBe(model.has(key));
      } else if (copies.length < 40) {
        copies.push({ map: map.clone(), model: new Map(model) });
      } else {
        copies.splice(at, 1);
      }
      if (step % 500 === 0) {
        for (const c of copies) {
          expect(c.map.size).toBe(c.model.size);
          expect(new Map(c.map.entries())).toEqual(c.model);
          expect([...c.map.keys()].sort((a, b) => a - b)).toEqual([...c.model.keys()].sort((a, b) => a - b));
        }
      }
    }
  });

  it('keeps every copy right through many copies of a large map, each after a few changes', () => {
    const map = new LayeredMap(Array.from({ length: 200_000 }, (_, i) => [i, i] as const));
    const copies = [map.clone()];
    map.set(1, -1);
    copies.push(map.clone());
    // Upper layers are merged as copies pile up: what each copy reads must not move.
    for (let round = 0; round < 100; round++) {
      map.set(round, round * 10);
      map.delete(100_000 + round);
      copies.push(map.clone());
    }
    expect(map.get(1)).toBe(10);
    expect(map.get(100_050)).toBeUndefined();
    expect(map.size).toBe(200_000 - 100);
    expect(copies[0]?.get(1)).toBe(1);
    expect(copies[1]?.get(1)).toBe(-1);
    expect(copies[1]?.get(100_050)).toBe(100_050);
    expect(copies[51]?.get(100_050)).toBe(100_050);
    expect(copies[52]?.get(100_050)).toBeUndefined();
  });

  it('lets an entry be set and deleted while its entries are walked', () => {
    const map = new LayeredMap<number, number>([[1, 1], [2, 2], [3, 3]]);
    const copy = map.clone();
    for (const [key] of copy.entries()) {
      if (key === 2) copy.delete(key);
      else copy.set(key, key * 10);
    }
    expect(new Map(copy.entries())).toEqual(new Map([[1, 10], [3, 30]]));
    expect(new Map(map.entries())).toEqual(new Map([[1, 1], [2, 2], [3, 3]]));
  });
});
