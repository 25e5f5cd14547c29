import {
  addMonths,
  arrearsAgeMonths,
  dueDateOf,
  graceEndOf,
  monthsOwed,
  owesMonth,
  type MonthRule,
} from './obligation';

const none = new Set<string>();

describe('months owed', () => {
  const midOctToMidDec = { from: '2025-10-10', to: '2025-12-20' };

  it.each<[MonthRule, string[]]>([
    ['any_day', ['2025-10', '2025-11', '2025-12']],
    ['first_day', ['2025-11', '2025-12']],
    ['whole_month', ['2025-11']],
  ])('a coverage from the 10th of October to the 20th of December under %s owes %j', (rule, months) => {
    expect(monthsOwed(midOctToMidDec, rule)).toEqual(months);
  });

  it('a coverage of whole months owes the same under every rule', () => {
    const whole = { from: '2025-10-01', to: '2025-12-31' };
    for (const rule of ['any_day', 'first_day', 'whole_month'] as const) {
      expect(monthsOwed(whole, rule)).toEqual(['2025-10', '2025-11', '2025-12']);
    }
  });

  it('a coverage that never ran owes nothing', () => {
    expect(monthsOwed({ from: '2025-12-01', to: '2025-11-30' }, 'any_day')).toEqual([]);
    expect(owesMonth({ from: '2025-12-01', to: '2025-11-30' }, '2025-11', 'any_day')).toBe(false);
  });

  it('a death on the 1st still owes that month under any_day, not under whole_month', () => {
    const toFirst = { from: '2025-10-01', to: '2025-11-01' };
    expect(owesMonth(toFirst, '2025-11', 'any_day')).toBe(true);
    expect(owesMonth(toFirst, '2025-11', 'first_day')).toBe(true);
    expect(owesMonth(toFirst, '2025-11', 'whole_month')).toBe(false);
  });

  it('counts months across a year end and in February of a leap year', () => {
    expect(monthsOwed({ from: '2023-12-31', to: '2024-02-29' }, 'whole_month')).toEqual([
      '2024-01',
      '2024-02',
    ]);
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2025-01', -1)).toBe('2024-12');
  });
});

describe('due dates', () => {
  it('is the 15th, moved past a weekend and past a non-working day', () => {
    expect(dueDateOf('2025-10', none)).toBe('2025-10-15'); // a Wednesday
    expect(dueDateOf('2025-11', none)).toBe('2025-11-17'); // the 15th is a Saturday
    expect(dueDateOf('2025-10', new Set(['2025-10-15', '2025-10-16']))).toBe('2025-10-17');
  });

  it('ends the grace on the due date three months later', () => {
    expect(graceEndOf('2026-01', none)).toBe('2026-04-15');
    expect(graceEndOf('2025-10', none)).toBe('2026-01-15');
  });

  it('ages arrears by months past the due date', () => {
    expect(arrearsAgeMonths('2025-10-15', '2025-10-15')).toBe(0);
    expect(arrearsAgeMonths('2025-10-15', '2025-10-16')).toBe(1);
    expect(arrearsAgeMonths('2025-10-15', '2025-11-15')).toBe(1);
    expect(arrearsAgeMonths('2025-10-15', '2025-11-16')).toBe(2);
    expect(arrearsAgeMonths('2025-10-15', '2026-01-16')).toBe(4);
  });
});
