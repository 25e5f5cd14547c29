import { coverageTo, statusOn, type EnrollmentDates } from './status-on';

const END = '2026-12-31';
const proposal: EnrollmentDates = {
  proposed_on: '2026-03-01',
  approved_on: null,
  rejected_on: null,
  coverage_from: null,
  ended_on: null,
};
const covered: EnrollmentDates = { ...proposal, approved_on: '2026-03-03', coverage_from: '2026-04-01' };

describe('where an enrollment stood on a day, by effective dates', () => {
  it('a proposal: not known before its day, pending from it, rejected from the rejection', () => {
    expect(statusOn(proposal, '2026-02-28', END)).toBe('unknown');
    expect(statusOn(proposal, '2026-03-01', END)).toBe('pending');
    const rejected = { ...proposal, rejected_on: '2026-03-05' };
    expect(statusOn(rejected, '2026-03-04', END)).toBe('pending');
    expect(statusOn(rejected, '2026-03-05', END)).toBe('rejected');
  });

  it('a coverage: pending until approved, then not yet started, active on both ends, then ended', () => {
    expect(statusOn(covered, '2026-02-28', END)).toBe('unknown');
    expect(statusOn(covered, '2026-03-02', END)).toBe('pending');
    expect(statusOn(covered, '2026-03-03', END)).toBe('notStarted');
    expect(statusOn(covered, '2026-04-01', END)).toBe('active');
    expect(statusOn(covered, END, END)).toBe('active');
    expect(statusOn(covered, '2027-01-01', END)).toBe('ended');
  });

  it('a deregistration ends it after its last day; the program end bounds a later one', () => {
    const dead = { ...covered, ended_on: '2026-11-15' };
    expect(statusOn(dead, '2026-11-15', END)).toBe('active');
    expect(statusOn(dead, '2026-11-16', END)).toBe('ended');
    expect(coverageTo(dead, END)).toBe('2026-11-15');
    expect(coverageTo({ ended_on: '2027-03-01' }, END)).toBe(END);
    // Approved to start after the program closed early: over once the program is, never active.
    const late = { ...covered, coverage_from: '2026-11-01' };
    expect(statusOn(late, '2026-10-15', '2026-09-30')).toBe('ended');
    expect(statusOn(late, '2026-09-30', '2026-09-30')).toBe('notStarted');
  });

  it('a backfilled coverage counts by its period, whenever it was proposed and approved', () => {
    // Recorded in December 2026 with coverage from October 2025: active on its days.
    const backfilled = {
      proposed_on: '2026-12-01',
      approved_on: '2026-12-01',
      rejected_on: null,
      coverage_from: '2025-10-01',
      ended_on: '2025-11-15',
    };
    expect(statusOn(backfilled, '2025-09-30', '2025-12-31')).toBe('unknown');
    expect(statusOn(backfilled, '2025-10-01', '2025-12-31')).toBe('active');
    expect(statusOn(backfilled, '2025-11-15', '2025-12-31')).toBe('active');
    expect(statusOn(backfilled, '2025-11-16', '2025-12-31')).toBe('ended');
    expect(statusOn(backfilled, '2026-12-05', '2025-12-31')).toBe('ended');
  });
});
