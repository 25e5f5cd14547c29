import { dayOf } from '../calendar';
import { coverageOn } from './as-of';

describe('participant history as of a day', () => {
  it('the day of an instant is its calendar day in WIB (UTC+7)', () => {
    expect(dayOf('2026-03-31T16:59:59.999Z')).toBe('2026-03-31');
    expect(dayOf('2026-03-31T17:00:00.000Z')).toBe('2026-04-01');
  });

  it('coverage: not yet started, active on both ends, ended; the program end bounds an open coverage', () => {
    const approved = { status: 'approved' as const, coverageFrom: '2026-02-01', endedOn: null };
    expect(coverageOn(approved, '2026-12-31', '2026-01-31')).toEqual({
      status: 'approved-not-yet-started',
      coverage: { from: '2026-02-01', to: '2026-12-31' },
    });
    expect(coverageOn(approved, '2026-12-31', '2026-02-01').status).toBe('active');
    expect(coverageOn(approved, '2026-12-31', '2026-12-31').status).toBe('active');
    expect(coverageOn(approved, '2026-12-31', '2027-01-01').status).toBe('ended');
    const ended = { status: 'deregistered' as const, coverageFrom: '2026-02-01', endedOn: '2026-06-30' };
    expect(coverageOn(ended, '2026-12-31', '2026-06-30')).toEqual({
      status: 'active',
      coverage: { from: '2026-02-01', to: '2026-06-30' },
    });
    expect(coverageOn(ended, '2026-12-31', '2026-07-01').status).toBe('ended');
    for (const status of ['none', 'proposed', 'rejected'] as const) {
      expect(coverageOn({ status, coverageFrom: null, endedOn: null }, '2026-12-31', '2026-05-01')).toEqual({
        status,
        coverage: null,
      });
    }
  });
});
