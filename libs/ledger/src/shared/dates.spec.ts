import {
  completedYears as ageOn,
  daysInMonth,
  formatIsoDate,
  fromEpochDay,
  isLeapYear,
  parseIsoDate,
  toEpochDay,
  yearsBefore,
} from './dates';

describe('calendar', () => {
  it('knows the Gregorian leap years', () => {
    expect([1900, 1996, 2000, 2001, 2024, 2100].map(isLeapYear)).toEqual([
      false,
      true,
      true,
      false,
      true,
      false,
    ]);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2025, 4)).toBe(30);
    expect(daysInMonth(2025, 13)).toBe(0);
  });

  it('parses only real ISO dates', () => {
    expect(parseIsoDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29 });
    for (const text of ['1900-02-29', '2025-04-31', '2025-00-10', '2025-1-01', '01-01-2025', '']) {
      expect([text, parseIsoDate(text)]).toEqual([text, undefined]);
    }
  });

  it('counts days from 1970-01-01 the same way Date does, both ways', () => {
    for (let epochDay = -40_000; epochDay <= 40_000; epochDay += 37) {
      const expected = new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
      const date = fromEpochDay(epochDay);
      if (formatIsoDate(date) !== expected || toEpochDay(date) !== epochDay) {
        throw new Error(`epoch day ${epochDay}: ${formatIsoDate(date)} ≠ ${expected}`);
      }
    }
    expect(toEpochDay({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(formatIsoDate(fromEpochDay(toEpochDay({ year: 2000, month: 2, day: 29 }) + 1))).toBe('2000-03-01');
  });

  it('moves back whole years, turning 29 February into 28 February in common years', () => {
    expect(yearsBefore({ year: 2024, month: 2, day: 29 }, 18)).toEqual({ year: 2006, month: 2, day: 28 });
    expect(yearsBefore({ year: 2024, month: 2, day: 29 }, 4)).toEqual({ year: 2020, month: 2, day: 29 });
  });

  it('counts completed years of age, the birthday included', () => {
    const born = { year: 1990, month: 5, day: 15 };
    expect(ageOn(born, { year: 2025, month: 5, day: 14 })).toBe(34);
    expect(ageOn(born, { year: 2025, month: 5, day: 15 })).toBe(35);
    expect(ageOn({ year: 2004, month: 2, day: 29 }, { year: 2022, month: 2, day: 28 })).toBe(17);
    expect(ageOn({ year: 2004, month: 2, day: 29 }, { year: 2022, month: 3, day: 1 })).toBe(18);
  });
});
