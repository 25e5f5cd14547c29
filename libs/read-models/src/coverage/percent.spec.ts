import { percent } from './percent';

describe('percent', () => {
  it('rounds to two decimals', () => {
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(50, 100)).toBe(50);
  });

  it('never shows 100 while a seat is free, nor 0 once one is taken', () => {
    expect(percent(19_999, 20_000)).toBe(99.99);
    expect(percent(99_999, 100_000)).toBe(99.99);
    expect(percent(999_999, 1_000_000)).toBe(99.99);
    expect(percent(1, 1_000_000)).toBe(0.01);
  });

  it('is 100 and 0 exactly at the bounds, above 100 past them, null without a denominator', () => {
    expect(percent(20_000, 20_000)).toBe(100);
    expect(percent(0, 20_000)).toBe(0);
    expect(percent(3, 2)).toBe(150);
    expect(percent(5, 0)).toBeNull();
    expect(percent(5, null)).toBeNull();
  });
});
