import type { RecordedEvent } from '@ledger/event-store';
import { enrollmentsProjection, type EnrollmentRow } from '../enrollments/enrollments.projection';
import { coverageProjection } from './coverage.projection';

const attributes = { villageCode: '1603012011', occupation: 'petani', sex: 'L', birthYear: 1980 };
const ids = { enrollmentId: 'e1', programId: 'p1', participantId: 'u1' };
const recorded = (type: string, data: Record<string, unknown>, position = 10) =>
  ({
    type,
    data,
    position,
    metadata: { occurredAt: '2026-12-01T03:00:00.000Z' },
  }) as unknown as RecordedEvent;

/** The deltas of one event on the village's total, by day. */
function totals(event: RecordedEvent): Record<string, number> {
  const out: Record<string, number> = {};
  coverageProjection.deltas(event, (key, delta) => {
    const [region, dim, , , day] = key as string[];
    if (region === attributes.villageCode && dim === 'total') out[day] = (out[day] ?? 0) + delta;
  });
  return out;
}

describe('a coverage correction in the read models', () => {
  const corrected = recorded('EnrollmentCorrected', {
    ...ids,
    previous: { coverageFrom: '2025-10-01', endedOn: '2025-11-15' },
    coverageFrom: '2025-10-15',
    endedOn: '2025-11-20',
    reason: 'correction',
    note: 'salah ketik',
    correctedOn: '2026-12-01',
    ...attributes,
  });

  it('coverage: undoes the previous period and applies the new one', () => {
    expect(coverageProjection.handles).toContain('EnrollmentCorrected');
    expect(totals(corrected)).toEqual({
      '2025-10-01': -1,
      '2025-11-16': 1,
      '2025-10-15': 1,
      '2025-11-21': -1,
    });
    // Approval, deregistration and correction sum to the corrected period alone.
    const sum: Record<string, number> = {};
    for (const event of [
      recorded('EnrollmentApproved', {
        ...ids,
        coverageFrom: '2025-10-01',
        approvedOn: '2025-09-28',
        ...attributes,
      }),
      recorded('EnrollmentDeregistered', {
        ...ids,
        reason: 'deceased',
        note: null,
        coverageFrom: '2025-10-01',
        effectiveDate: '2025-11-15',
        ...attributes,
      }),
      corrected,
    ])
      for (const [day, delta] of Object.entries(totals(event))) sum[day] = (sum[day] ?? 0) + delta;
    expect(Object.fromEntries(Object.entries(sum).filter(([, d]) => d !== 0))).toEqual({
      '2025-10-15': 1,
      '2025-11-21': -1,
    });
  });

  it('an open coverage corrected stays open', () => {
    const open = recorded('EnrollmentCorrected', {
      ...ids,
      previous: { coverageFrom: '2025-10-01', endedOn: null },
      coverageFrom: '2025-10-15',
      endedOn: null,
      reason: 'correction',
      note: 'x',
      correctedOn: '2026-12-01',
      ...attributes,
    });
    expect(totals(open)).toEqual({ '2025-10-01': -1, '2025-10-15': 1 });
  });

  it('enrollments: the row shows the corrected period, its status and end reason stay', () => {
    const row = {
      id: 'e1',
      status: 'deregistered',
      coverage_from: '2025-10-01',
      ended_on: '2025-11-15',
      end_reason: 'deceased',
      updated_position: 5,
    } as EnrollmentRow;
    expect(enrollmentsProjection.handles).toContain('EnrollmentCorrected');
    expect(enrollmentsProjection.evolve(row, corrected)).toEqual({
      ...row,
      coverage_from: '2025-10-15',
      ended_on: '2025-11-20',
      updated_position: 10,
    });
  });
});
