import { ruleOf } from '../dues.examples';
import { decideSetNonWorkingDays } from './set-non-working-days.decider';

describe("setting a year's non-working days", () => {
  it('records the days of the year, in order', () =>
    expect(
      decideSetNonWorkingDays({
        type: 'SetNonWorkingDays',
        year: 2025,
        days: ['2025-12-25', '2025-08-17'],
        note: null,
      }),
    ).toEqual([
      { type: 'NonWorkingDaysSet', data: { year: 2025, days: ['2025-08-17', '2025-12-25'], note: null } },
    ]));

  it('refuses a day of another year, a day twice, a year out of range', () => {
    const set = (year: number, days: string[]) => () =>
      decideSetNonWorkingDays({ type: 'SetNonWorkingDays', year, days, note: null });
    expect(ruleOf(set(2025, ['2026-01-01']))).toBe('calendar.days.year');
    expect(ruleOf(set(2025, ['2025-02-30']))).toBe('calendar.days.year');
    expect(ruleOf(set(2025, ['2025-12-25', '2025-12-25']))).toBe('calendar.days.unique');
    expect(ruleOf(set(1999, []))).toBe('calendar.year');
  });
});
