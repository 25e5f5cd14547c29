import { decideBackfill, type BackfillQuestion } from './backfill';

describe('backfill', () => {
  const ask = (over: Partial<BackfillQuestion>): BackfillQuestion => ({
    effectiveDates: ['2026-11-24'],
    today: '2026-12-01',
    toleranceDays: 7,
    request: undefined,
    role: 'program_admin',
    ...over,
  });
  const ruleOf = (question: BackfillQuestion) => {
    try {
      decideBackfill(question);
    } catch (error) {
      return (error as { rule: string; kind: string }).rule + '/' + (error as { kind: string }).kind;
    }
    return 'none';
  };

  it('a date within the tolerance is no backfill, and a reason given then is not recorded', () => {
    expect(decideBackfill(ask({}))).toBeUndefined();
    expect(decideBackfill(ask({ request: { reason: 'migration', note: null } }))).toBeUndefined();
    expect(decideBackfill(ask({ effectiveDates: [null, undefined, '2027-01-01'] }))).toBeUndefined();
  });

  it('a date before today − tolerance needs a reason (422) and a program admin (403)', () => {
    const past = ask({ effectiveDates: ['2026-12-01', '2026-11-23'] });
    expect(ruleOf(past)).toBe('backfill.reasonRequired/unprocessable');
    expect(ruleOf({ ...past, role: 'village_operator' })).toBe('backfill.forbidden/forbidden');
    expect(ruleOf({ ...past, role: 'finance', request: { reason: 'late_report', note: null } })).toBe(
      'backfill.forbidden/forbidden',
    );
    expect(decideBackfill({ ...past, request: { reason: 'late_report', note: 'laporan desa' } })).toEqual({
      reason: 'late_report',
      note: 'laporan desa',
    });
  });

  it("the program's tolerance decides: 0 makes yesterday a backfill, 500 days keeps October 2025 in", () => {
    expect(ruleOf(ask({ effectiveDates: ['2026-11-30'], toleranceDays: 0 }))).toBe(
      'backfill.reasonRequired/unprocessable',
    );
    expect(decideBackfill(ask({ effectiveDates: ['2025-10-01'], toleranceDays: 500 }))).toBeUndefined();
  });
});
