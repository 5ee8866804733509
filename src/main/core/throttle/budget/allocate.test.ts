// Water-filling of the global budget: equal shares, own budgets and unusable shares handed on.
import { describe, expect, it } from 'vitest';
import { allocateBudget } from './allocate';

describe('allocateBudget', () => {
  it('splits the global budget equally among miners that could use more', () => {
    const r = allocateBudget(
      [
        { id: 'a', ownPercent: null, maxUsePercent: 100 },
        { id: 'b', ownPercent: null, maxUsePercent: 100 },
      ],
      50,
    );
    expect([...r]).toEqual([
      ['a', 25],
      ['b', 25],
    ]);
  });

  it('hands on what a small miner cannot use, and leaves it unlimited', () => {
    const r = allocateBudget(
      [
        { id: 'small', ownPercent: null, maxUsePercent: 10 },
        { id: 'big', ownPercent: null, maxUsePercent: 100 },
      ],
      60,
    );
    expect(r.get('small')).toBeNull();
    expect(r.get('big')).toBe(50);
  });

  it('an own budget caps its miner and the rest goes to the others; uncontrolled use comes off first', () => {
    const r = allocateBudget(
      [
        { id: 'a', ownPercent: 5, maxUsePercent: 100 },
        { id: 'b', ownPercent: null, maxUsePercent: 100 },
      ],
      50,
      20,
    );
    expect(r.get('a')).toBe(5);
    expect(r.get('b')).toBe(25);
    expect(allocateBudget([{ id: 'a', ownPercent: null, maxUsePercent: 100 }], 30, 45).get('a')).toBe(0);
  });

  it('without a global budget only own budgets apply', () => {
    const r = allocateBudget(
      [
        { id: 'a', ownPercent: 30, maxUsePercent: 100 },
        { id: 'b', ownPercent: null, maxUsePercent: 100 },
      ],
      null,
    );
    expect([...r]).toEqual([
      ['a', 30],
      ['b', null],
    ]);
  });

  it('hands on what small miners cannot use whatever order the miners come in', () => {
    const claims = [
      { id: 'big', ownPercent: null, maxUsePercent: 100 },
      { id: 'own', ownPercent: 15, maxUsePercent: 100 },
      { id: 'mid', ownPercent: null, maxUsePercent: 20 },
      { id: 'small', ownPercent: null, maxUsePercent: 5 },
    ];
    // 80: small 5 (not limited), own 15, mid 20 (not limited), big the remaining 40
    const expected = { big: 40, own: 15, mid: null, small: null };
    expect(Object.fromEntries(allocateBudget(claims, 80))).toEqual(expected);
    expect(Object.fromEntries(allocateBudget([...claims].reverse(), 80))).toEqual(expected);
  });
});
