import { describeReadModel } from '../testing/given-events';
import { baselineSet } from '../testing/ledger-events';
import { baselinesProjection } from './baselines.projection';
import { baselinesFor, baselinesOf } from './baselines.query';

describeReadModel('baselines read model', [baselinesProjection], ({ given }) => {
  it("a region's baseline per year, the last one set winning", async () => {
    const read = await given(
      baselineSet('1603', 2026, 300_000),
      baselineSet('1603', 2025, 280_000),
      baselineSet('1603', 2026, 310_000),
      baselineSet('1501', 2026, 90_000),
    );
    expect(await baselinesOf(read, '1603')).toEqual([
      expect.objectContaining({ regionCode: '1603', year: 2025, workingPopulation: 280_000 }),
      {
        regionCode: '1603',
        year: 2026,
        workingPopulation: 310_000,
        informalWorkers: null,
        vulnerableWorkers: 155_000,
        source: 'BPS Sakernas',
        setBy: 'admin-muara-enim',
        setAt: '2026-03-02T03:00:00.000Z',
      },
    ]);
    const of2026 = await baselinesFor(read, ['1603', '1501', '1602'], 2026);
    expect([...of2026.keys()].sort()).toEqual(['1501', '1603']);
    expect(of2026.get('1501')).toMatchObject({ year: 2026, workingPopulation: 90_000 });
  });
});
