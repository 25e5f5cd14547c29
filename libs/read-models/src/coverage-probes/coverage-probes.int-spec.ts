import { describeReadModel, type GivenEvent } from '../testing/given-events';
import { PROGRAM } from '../testing/ledger-events';
import { coverageProbesProjection } from './coverage-probes.projection';
import { coverageProbes } from './coverage-probes.query';

const OPERATOR = { id: 'operator-embawang', role: 'village_operator', region: '1603012011' };
const OTHER = { id: 'operator-kerinci', role: 'village_operator', region: '1501012001' };

const refused = (actor: typeof OPERATOR, at: string, nikSuffixes: string[]): GivenEvent => ({
  stream: `coverage-probes-${actor.id}`,
  type: 'OutOfScopeCoverageRefused',
  at,
  actor,
  data: {
    programId: PROGRAM,
    importId: null,
    rows: nikSuffixes.map((s, i) => ({ key: i + 2, maskedNik: `1603**********${s}` })),
  },
});

describeReadModel('coverage probes read model', [coverageProbesProjection], ({ given }) => {
  it('per actor: NIKs and requests refused, first and last time, the last masked NIK', async () => {
    const read = await given(
      refused(OPERATOR, '2026-03-02T03:00:00.000Z', ['01', '02']),
      refused(OTHER, '2026-03-03T03:00:00.000Z', ['07']),
      refused(OPERATOR, '2026-03-04T03:00:00.000Z', ['03']),
    );
    const all = await coverageProbes(read, () => true);
    expect(all).toEqual([
      {
        actorId: OPERATOR.id,
        role: 'village_operator',
        regions: ['1603012011'],
        niks: 3,
        requests: 2,
        firstAt: '2026-03-02T03:00:00.000Z',
        lastAt: '2026-03-04T03:00:00.000Z',
        lastProgramId: PROGRAM,
        lastMaskedNik: '1603**********03',
      },
      expect.objectContaining({ actorId: OTHER.id, niks: 1, requests: 1 }),
    ]);
    const inScope = await coverageProbes(read, (code) => code.startsWith('15'));
    expect(inScope.map((a) => a.actorId)).toEqual([OTHER.id]);
  });
});
