import { enrollmentsProjection } from '../enrollments/enrollments.projection';
import { describeReadModel } from '../testing/given-events';
import {
  OTHER_VILLAGE,
  PROGRAM,
  programChanged,
  programEstablished,
  proposed,
  seats,
} from '../testing/ledger-events';
import { programsProjection } from './programs.projection';
import { loadPrograms, programRows, programsAsSeen } from './programs.query';

describeReadModel('programs read model', [programsProjection, enrollmentsProjection], ({ given }) => {
  it('a program with its amended terms, its closure and the seats its seats stream last counted', async () => {
    const read = await given(
      programEstablished(),
      seats('SeatsTaken', 3),
      programChanged('ProgramQuotaAmended', { quota: 80 }),
      programChanged('ProgramPeriodAmended', { period: { from: '2026-02-01', to: '2026-11-30' } }),
      seats('SeatsReleased', 2),
      programChanged('ProgramClosed', { closedOn: '2026-10-31' }),
    );
    const [row] = await programRows(read);
    expect(row).toMatchObject({
      id: PROGRAM,
      quota: 80,
      period_from: '2026-02-01',
      period_to: '2026-11-30',
      status: 'closed',
      closed_on: '2026-10-31',
      seats_in_use: 2,
      monthly_contribution: 16_800,
    });
    expect(JSON.parse(row.contribution)).toEqual({ jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 });
    expect((await loadPrograms(read)).get(PROGRAM)).toMatchObject({ from: '2026-02-01', end: '2026-10-31' });
  });

  it('an amendment of a program never established makes no row', async () => {
    const read = await given(programChanged('ProgramQuotaAmended', { quota: 80 }));
    expect(await programRows(read)).toEqual([]);
  });

  it('a viewer inside a wider program sees its terms and only the seats of its own regions', async () => {
    const read = await given(
      programEstablished(),
      seats('SeatsTaken', 2),
      proposed(1),
      proposed(2, { villageCode: OTHER_VILLAGE }),
    );
    const rows = await programRows(read, PROGRAM);
    const covering = await programsAsSeen(read, rows, { prefixes: ['1603'], covers: () => true });
    expect(covering[0]).toMatchObject({ seatsInUse: 2, quota: 100 });
    expect(covering[0]).not.toHaveProperty('countsScope');
    const inside = await programsAsSeen(read, rows, { prefixes: [OTHER_VILLAGE], covers: () => false });
    expect(inside[0]).toMatchObject({ seatsInUse: 1, countsScope: [OTHER_VILLAGE], quota: 100 });
  });
});
