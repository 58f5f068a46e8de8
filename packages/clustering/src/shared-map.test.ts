import { describe, expect, it } from 'vitest';
import { SharedMap } from './shared-map.js';

const lists = () => new SharedMap<string, number[]>((list) => [...list]);

describe('SharedMap', () => {
  it('lets a copy and its original change shared values without either seeing the other', () => {
    const a = lists();
    a.set('x', [1]);
    a.set('y', [2]);
    const b = a.clone();
    b.mutable('x')?.push(10);
    a.mutable('x')?.push(20);
    a.mutable('y')?.push(30);
    expect(a.get('x')).toEqual([1, 20]);
    expect(b.get('x')).toEqual([1, 10]);
    expect(a.get('y')).toEqual([2, 30]);
    expect(b.get('y')).toEqual([2]);
  });

  it('copies a value once per copy, then changes its own in place', () => {
    const a = lists();
    a.set('x', [1]);
    const b = a.clone();
    const own = b.mutable('x');
    expect(own).not.toBe(a.get('x'));
    expect(b.mutable('x')).toBe(own);
    // A value set after the copy is the setter's own.
    const fresh = [5];
    a.set('z', fresh);
    expect(a.mutable('z')).toBe(fresh);
    expect(b.has('z')).toBe(false);
  });

  it('keeps copies of copies apart, and deletes and clears in one copy only', () => {
    const a = lists();
    a.set('x', [1]);
    const b = a.clone();
    const c = b.clone();
    c.mutable('x')?.push(3);
    b.delete('x');
    expect(a.get('x')).toEqual([1]);
    expect(b.get('x')).toBeUndefined();
    expect(c.get('x')).toEqual([1, 3]);
    a.clear();
    expect([a.size, c.size]).toEqual([0, 1]);
  });
});
