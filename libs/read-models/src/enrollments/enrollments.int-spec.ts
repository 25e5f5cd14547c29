import { loadPrograms } from '../programs/programs.query';
import { programsProjection } from '../programs/programs.projection';
import { describeReadModel } from '../testing/given-events';
import {
  approved,
  deregistered,
  enrollment,
  OTHER_VILLAGE,
  person,
  PROGRAM,
  programEstablished,
  proposed,
  rejected,
  VILLAGE,
} from '../testing/ledger-events';
import { enrollmentsProjection } from './enrollments.projection';
import { enrollmentById, enrollmentsOf, programSummary } from './enrollments.query';

/** Four workers: one covered from April, one rejected, one deregistered in May, one still proposed. */
const history = [
  programEstablished(),
  proposed(1),
  approved(1, '2026-04-01'),
  proposed(2),
  rejected(2, '2026-03-05'),
  proposed(3, { villageCode: OTHER_VILLAGE }),
  approved(3, '2026-04-01', OTHER_VILLAGE),
  deregistered(3, '2026-04-01', '2026-05-15', 'deceased', OTHER_VILLAGE),
  proposed(4, { proposedOn: '2026-03-10' }),
];

describeReadModel('enrollments read model', [programsProjection, enrollmentsProjection], ({ given }) => {
  it('one row per enrollment, its coverage a period', async () => {
    const read = await given(...history);
    expect(await enrollmentById(read, enrollment(3))).toEqual({
      id: enrollment(3),
      programId: PROGRAM,
      programName: 'Program 1603',
      participantId: person(3),
      villageCode: OTHER_VILLAGE,
      occupation: 'petani',
      status: 'deregistered',
      proposedOn: '2026-03-02',
      coverage: { from: '2026-04-01', to: '2026-05-15' },
      endReason: 'deceased',
      rejectionReason: null,
      importId: null,
    });
    expect(await enrollmentById(read, enrollment(1))).toMatchObject({
      status: 'approved',
      coverage: { from: '2026-04-01', to: '2026-12-31' },
    });
    expect(await enrollmentById(read, enrollment(2))).toMatchObject({ status: 'rejected', coverage: null });
    expect(await enrollmentsOf(read, person(1))).toEqual([
      expect.objectContaining({ id: enrollment(1), village_code: VILLAGE, status: 'approved' }),
    ]);
  });

  it("a program's summary counts each enrollment by where it stood on the day", async () => {
    const read = await given(...history);
    const program = (await loadPrograms(read)).get(PROGRAM)!;
    const { summary, deregistrations } = await programSummary(read, program, '2026-06-01', null);
    expect(summary).toMatchObject({
      proposed: 4,
      pending: 1,
      approved: 2,
      rejected: 1,
      notYetStarted: 0,
      active: 1,
      ended: 1,
      quotaUse: { seats: 2, percent: 2 },
      deregistrationsByReason: { deceased: 1 },
      monthlyLiability: 16_800,
    });
    expect(deregistrations).toEqual([['deceased', 1]]);
    const march = await programSummary(read, program, '2026-03-06', null);
    expect(march.summary).toMatchObject({ proposed: 3, pending: 2, rejected: 1, approved: 0 });
    const scoped = await programSummary(read, program, '2026-06-01', [VILLAGE]);
    expect(scoped.summary).toMatchObject({ countsScope: [VILLAGE], proposed: 3, active: 1, ended: 0 });
  });

  it('a coverage backfilled from before its proposal counts on its days, proposed or not by then', async () => {
    // Proposed on March 2 (the fixtures' day), approved with coverage from February 1.
    const read = await given(programEstablished(), proposed(5), approved(5, '2026-02-01'));
    const program = (await loadPrograms(read)).get(PROGRAM)!;
    const on = async (date: string) => (await programSummary(read, program, date, null)).summary;
    expect(await on('2026-01-31')).toMatchObject({ proposed: 0, active: 0 });
    expect(await on('2026-02-15')).toMatchObject({ proposed: 1, approved: 1, active: 1, pending: 0 });
    expect(await on('2026-03-02')).toMatchObject({ proposed: 1, active: 1 });
  });
});
