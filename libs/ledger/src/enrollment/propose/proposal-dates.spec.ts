import { createPeopleGenerator } from '../../participants/synthetic-people';
import { regions } from '../../regions/region-directory';
import { program, rule } from '../enrollment.examples';
import { checkNomination } from './check-row';
import { proposalDates } from './proposal-dates';

describe("a proposal's effective dates", () => {
  // A program of October–December 2025, proposed to in December 2026.
  const past = program({ period: { from: '2025-10-01', to: '2025-12-31' } });
  const today = '2026-12-01';
  const admin = 'program_admin';
  const migration = { reason: 'migration' as const, note: null };

  it('defaults to the program start or today, and to today for the proposal day', () => {
    const running = program({ period: { from: '2026-01-01', to: '2026-12-31' } });
    expect(proposalDates({}, running, today, admin)).toEqual({
      coverageFrom: today,
      proposedOn: today,
      backfill: undefined,
    });
    const coming = program({ period: { from: '2027-01-01', to: '2027-12-31' } });
    expect(proposalDates({}, coming, today, admin).coverageFrom).toBe('2027-01-01');
  });

  it('a past coverage start or proposal day is a backfill: reason and role', () => {
    expect(rule(() => proposalDates({ coverageFrom: '2025-10-01' }, past, today, admin))).toBe(
      'backfill.reasonRequired',
    );
    expect(
      rule(() =>
        proposalDates({ coverageFrom: '2025-10-01', backfill: migration }, past, today, 'village_operator'),
      ),
    ).toBe('backfill.forbidden');
    expect(
      proposalDates(
        { coverageFrom: '2025-10-01', proposedOn: '2025-09-20', backfill: migration },
        past,
        today,
        admin,
      ),
    ).toEqual({ coverageFrom: '2025-10-01', proposedOn: '2025-09-20', backfill: migration });
  });

  it('a coverage start given must lie in the period; a proposal day cannot be after today', () => {
    expect(
      rule(() => proposalDates({ coverageFrom: '2025-09-30', backfill: migration }, past, today, admin)),
    ).toBe('coverage.outsidePeriod');
    expect(
      rule(() => proposalDates({ coverageFrom: '2026-01-01', backfill: migration }, past, today, admin)),
    ).toBe('coverage.outsidePeriod');
    expect(rule(() => proposalDates({ proposedOn: '2026-12-02' }, past, today, admin))).toBe(
      'proposedOn.future',
    );
  });

  it('each row is checked at the coverage start: the program end and the age cap, never today', () => {
    const people = createPeopleGenerator({ seed: 3, today: '2025-10-01' });
    const person = people.next({ villageCode: '1303032001' });
    const at = (coverageFrom: string) => ({ program: past, today, coverageFrom, regions: regions() });
    // By default (today) the program has ended, as before.
    expect(checkNomination(person, at(proposalDates({}, past, today, admin).coverageFrom))).toMatchObject({
      ok: false,
      reasons: [{ rule: 'program.ended' }],
    });
    expect(checkNomination(person, at('2025-10-01')).ok).toBe(true);
    // 65 on the coverage start passes; the same person is 66 by today.
    const sixtyFive = { ...person, birthDate: '1960-01-15', nik: undefined };
    const reasons = (coverageFrom: string) => {
      const checked = checkNomination(sixtyFive, at(coverageFrom));
      return checked.ok ? [] : checked.reasons.map((r) => r.rule);
    };
    expect(reasons('2025-10-01')).toEqual(['nik.required']);
    expect(reasons('2026-01-16')).toEqual(['nik.required', 'program.ended', 'enrollment.ageCap']);
  });
});
