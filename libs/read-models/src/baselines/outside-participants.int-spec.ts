import { regions } from '@ledger/ledger/regions/region-directory';
import { coverageProjection } from '../coverage/coverage.projection';
import { coverageReport } from '../coverage/coverage.query';
import { programsProjection } from '../programs/programs.projection';
import { describeReadModel, type GivenEvent } from '../testing/given-events';
import { approved, baselineSet, programEstablished, VILLAGE } from '../testing/ledger-events';
import { baselinesProjection } from './baselines.projection';
import { outsideParticipantsProjection } from './outside-participants.projection';
import { outsideParticipantsFor, outsideParticipantsOf } from './outside-participants.query';

const outsideSet = (regionCode: string, asOf: string, participants: number, at?: string): GivenEvent => ({
  stream: `baseline-${regionCode}_${asOf.slice(0, 4)}`,
  type: 'OutsideParticipantsSet',
  data: { regionCode, asOf, participants, source: `BPJS Ketenagakerjaan, laporan ${asOf}` },
  ...(at ? { at } : {}),
});

const directory = regions();
const MUARA_ENIM = { code: '1603', name: directory.get('1603')!.name, level: 'regency' as const };
const DISTRICT = VILLAGE.slice(0, 6);

describeReadModel(
  'outside participants read model',
  [programsProjection, baselinesProjection, outsideParticipantsProjection, coverageProjection],
  ({ given }) => {
    it('the figure in force on a day: the latest day on or before it, as last set; knownAt reads an earlier setting', async () => {
      const read = await given(
        outsideSet('1603', '2025-08-31', 60_000, '2025-09-05T02:00:00.000Z'),
        outsideSet('1603', '2025-11-30', 67_000, '2025-12-03T02:00:00.000Z'),
        outsideSet('1501', '2025-11-30', 5_000),
        // A correction of the November count, recorded later: it replaces it from now on.
        outsideSet('1603', '2025-11-30', 66_225, '2025-12-10T02:00:00.000Z'),
      );
      const on = async (date: string, knownAt?: number) =>
        Object.fromEntries(
          [...(await outsideParticipantsFor(read, ['1603', '1501', '1612'], date, knownAt))].map(
            ([code, f]) => [code, [f.participants, f.asOf]],
          ),
        );
      expect(await on('2025-08-30')).toEqual({});
      expect(await on('2025-08-31')).toEqual({ '1603': [60_000, '2025-08-31'] });
      expect(await on('2025-11-29')).toEqual({ '1603': [60_000, '2025-08-31'] });
      expect(await on('2025-11-30')).toEqual({
        '1603': [66_225, '2025-11-30'],
        '1501': [5_000, '2025-11-30'],
      });
      expect(await on('2026-06-30')).toEqual({
        '1603': [66_225, '2025-11-30'],
        '1501': [5_000, '2025-11-30'],
      });

      // Up to the log position of the first November setting, the correction is not known yet.
      const positions = (
        await read.selectFrom('outside_participants').select('position').orderBy('position').execute()
      ).map((r) => Number(r.position));
      expect(positions).toHaveLength(4);
      expect(await on('2025-12-31', positions[1])).toEqual({ '1603': [67_000, '2025-11-30'] });
      expect(await on('2025-12-31', positions[0])).toEqual({ '1603': [60_000, '2025-08-31'] });
      expect(await on('2025-12-31', positions[3])).toEqual(await on('2025-12-31'));

      expect(await outsideParticipantsOf(read, '1603')).toEqual([
        {
          participants: 60_000,
          asOf: '2025-08-31',
          source: 'BPJS Ketenagakerjaan, laporan 2025-08-31',
          setBy: 'admin-muara-enim',
          setAt: '2025-09-05T02:00:00.000Z',
          settings: 1,
        },
        {
          participants: 66_225,
          asOf: '2025-11-30',
          source: 'BPJS Ketenagakerjaan, laporan 2025-11-30',
          setBy: 'admin-muara-enim',
          setAt: '2025-12-10T02:00:00.000Z',
          settings: 2,
        },
      ]);
    });

    it('the coverage report adds them to the ledger’s own: UCJ = (funded + outside) ÷ working population', async () => {
      const read = await given(
        programEstablished(),
        baselineSet('1603', 2026, 400),
        approved(1, '2026-04-01'),
        approved(2, '2026-04-01'),
        outsideSet('1603', '2026-03-31', 198),
        outsideSet(DISTRICT, '2026-03-31', 48),
      );
      const report = await coverageReport(read, directory, MUARA_ENIM, '2026-04-15');
      // (2 + 198) ÷ 400 = 50%; the district has no baseline of its own: no percent.
      expect(report.ucj).toEqual({
        percent: 50,
        participants: 200,
        funded: {
          participants: 2,
          date: '2026-04-15',
          source: 'Ledger ini: peserta aktif program daerah per 2026-04-15',
        },
        outside: {
          participants: 198,
          asOf: '2026-03-31',
          source: 'BPJS Ketenagakerjaan, laporan 2026-03-31',
          setBy: 'admin-muara-enim',
          setAt: '2026-03-02T03:00:00.000Z',
        },
        workingPopulation: { count: 400, year: 2026, source: 'BPS Sakernas' },
        missing: [],
        note: null,
      });
      expect(report.coverage.ofWorkingPopulation).toBe(0.5);
      expect(report.below.find((b) => b.code === DISTRICT)).toMatchObject({
        active: 2,
        outsideParticipants: 48,
        outsideAsOf: '2026-03-31',
        workingPopulation: null,
        ucj: null,
      });

      // Before the figure's day: no outside figure, no UCJ, and the answer says why.
      const before = await coverageReport(read, directory, MUARA_ENIM, '2026-03-30');
      expect(before.ucj).toMatchObject({
        percent: null,
        participants: null,
        funded: { participants: 0 },
        outside: null,
        missing: ['outsideParticipants'],
        note: `Belum ada data peserta BPJS Ketenagakerjaan di luar program untuk ${MUARA_ENIM.name} per 2026-03-30; UCJ tidak dihitung`,
      });
      // A year without a baseline: the denominator is missing, the outside figure still shown.
      const next = await coverageReport(read, directory, MUARA_ENIM, '2027-01-10');
      expect(next.ucj).toMatchObject({ percent: null, participants: 198, missing: ['workingPopulation'] });
    });

    it('more participants than workers is flagged as a likely double count', async () => {
      const read = await given(
        programEstablished(),
        baselineSet('1603', 2026, 400),
        approved(1, '2026-04-01'),
        outsideSet('1603', '2026-03-31', 400),
      );
      const report = await coverageReport(read, directory, MUARA_ENIM, '2026-04-15');
      expect(report.ucj.percent).toBe(100.25);
      expect(report.ucj.missing).toEqual([]);
      expect(report.ucj.note).toMatch(/melebihi penduduk bekerja.*terhitung dua kali/);
    });
  },
);
