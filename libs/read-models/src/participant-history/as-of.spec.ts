import { dayOf } from '../calendar';
import { coverageOn } from './as-of';

const dates = {
  proposed_on: '2026-01-20',
  approved_on: '2026-01-25',
  rejected_on: null,
  coverage_from: '2026-02-01',
  ended_on: null,
};

describe('participant history as of a day', () => {
  it('the day of an instant is its calendar day in WIB (UTC+7)', () => {
    expect(dayOf('2026-03-31T16:59:59.999Z')).toBe('2026-03-31');
    expect(dayOf('2026-03-31T17:00:00.000Z')).toBe('2026-04-01');
  });

  it('coverage: not yet started, active on both ends, ended; the program end bounds an open coverage', () => {
    expect(coverageOn(dates, '2026-12-31', '2026-01-31')).toEqual({
      status: 'approved-not-yet-started',
      coverage: { from: '2026-02-01', to: '2026-12-31' },
    });
    expect(coverageOn(dates, '2026-12-31', '2026-02-01').status).toBe('active');
    expect(coverageOn(dates, '2026-12-31', '2026-12-31').status).toBe('active');
    expect(coverageOn(dates, '2026-12-31', '2027-01-01').status).toBe('ended');
    const ended = { ...dates, ended_on: '2026-06-30' };
    expect(coverageOn(ended, '2026-12-31', '2026-06-30')).toEqual({
      status: 'active',
      coverage: { from: '2026-02-01', to: '2026-06-30' },
    });
    expect(coverageOn(ended, '2026-12-31', '2026-07-01').status).toBe('ended');
    expect(coverageOn(ended, null, '2027-07-01').status).toBe('ended');
    expect(coverageOn(dates, null, '2099-07-01')).toEqual({
      status: 'active',
      coverage: { from: '2026-02-01', to: '9999-12-31' },
    });
  });

  it('before the approval takes effect no coverage is shown: none, proposed, rejected', () => {
    expect(coverageOn(dates, '2026-12-31', '2026-01-19')).toEqual({ status: 'none', coverage: null });
    expect(coverageOn(dates, '2026-12-31', '2026-01-24')).toEqual({ status: 'proposed', coverage: null });
    const rejected = { ...dates, approved_on: null, coverage_from: null, rejected_on: '2026-01-22' };
    expect(coverageOn(rejected, '2026-12-31', '2026-01-21')).toEqual({ status: 'proposed', coverage: null });
    expect(coverageOn(rejected, '2026-12-31', '2026-01-22')).toEqual({ status: 'rejected', coverage: null });
  });
});
