import { regions } from '@ledger/ledger/regions/region-directory';
import { baselinesProjection } from '../baselines/baselines.projection';
import { outsideParticipantsProjection } from '../baselines/outside-participants.projection';
import { loadPrograms } from '../programs/programs.query';
import { programsProjection } from '../programs/programs.projection';
import { describeReadModel } from '../testing/given-events';
import {
  approved,
  baselineSet,
  deregistered,
  PROGRAM,
  programChanged,
  programEstablished,
  VILLAGE,
} from '../testing/ledger-events';
import { coverageProjection } from './coverage.projection';
import { activeOn, coverageReport, coverageSeries } from './coverage.query';

const directory = regions();
const MUARA_ENIM = { code: '1603', name: directory.get('1603')!.name, level: 'regency' as const };
const DISTRICT = VILLAGE.slice(0, 6);

describeReadModel(
  'coverage read model',
  [programsProjection, baselinesProjection, outsideParticipantsProjection, coverageProjection],
  ({ given }) => {
    it('+1 from the first covered day and −1 from the day after the last, at every region level', async () => {
      const read = await given(
        programEstablished(),
        approved(1, '2026-04-01'),
        deregistered(1, '2026-04-01', '2026-05-15'),
      );
      const totals = await read
        .selectFrom('coverage_deltas')
        .select(['region_code', 'day', 'delta'])
        .where('dim', '=', 'total')
        .orderBy('region_code')
        .orderBy('day')
        .execute();
      expect(totals.map((r) => [r.region_code, r.day, Number(r.delta)])).toEqual(
        ['1603', DISTRICT, VILLAGE, '16', 'ID'].sort().flatMap((code) => [
          [code, '2026-04-01', 1],
          [code, '2026-05-16', -1],
        ]),
      );
      const programs = await loadPrograms(read);
      const active = async (date: string) =>
        (await activeOn(read, programs, ['1603'], date)).reduce((n, r) => n + r.active, 0);
      expect([
        await active('2026-03-31'),
        await active('2026-04-01'),
        await active('2026-05-15'),
        await active('2026-05-16'),
      ]).toEqual([0, 1, 1, 0]);
    });

    it('a coverage report: totals, breakdowns, the regions below and coverage of the baseline', async () => {
      const read = await given(
        programEstablished(),
        baselineSet('1603', 2026, 400),
        approved(1, '2026-04-01'),
        approved(2, '2026-04-01'),
        approved(3, '2026-05-01'),
      );
      const report = await coverageReport(read, directory, MUARA_ENIM, '2026-04-15');
      expect(report).toMatchObject({
        active: 2,
        coverage: { ofWorkingPopulation: 0.5, ofVulnerableWorkers: 1, denominator: 400, note: null },
        byProgram: [expect.objectContaining({ programId: PROGRAM, active: 2, quota: 100, quotaUse: 2 })],
        byPayer: [{ key: 'regency', active: 2 }],
        bySex: [{ key: 'P', active: 2 }],
        byAgeBand: expect.arrayContaining([{ key: '45-54', active: 2 }]),
      });
      expect(report.below.find((b) => b.code === DISTRICT)).toMatchObject({
        active: 2,
        workingPopulation: null,
      });
      expect(report.below.filter((b) => b.active > 0)).toHaveLength(1);
    });

    it("a program's end stops its coverage, and the series reads it month by month", async () => {
      const read = await given(
        programEstablished(),
        approved(1, '2026-04-01'),
        programChanged('ProgramClosed', { closedOn: '2026-05-31' }),
      );
      const series = await coverageSeries(read, {
        region: MUARA_ENIM,
        from: '2026-03-01',
        to: '2026-06-15',
        months: ['2026-03-31', '2026-04-30', '2026-05-31', '2026-06-15'],
      });
      expect(series.points.map((p) => p.active)).toEqual([0, 1, 1, 0]);
    });
  },
);
