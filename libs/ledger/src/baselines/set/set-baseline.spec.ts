import { specFor } from '../../shared/decider-spec';
import type { WorkforceBaseline } from '../baseline.events';
import {
  checkRegionKnown,
  decideBaseline,
  evolveBaseline,
  initialBaselineState,
} from './set-baseline.decider';

const given = specFor({ initialState: initialBaselineState, evolve: evolveBaseline, decide: decideBaseline });

const baseline: WorkforceBaseline = {
  regionCode: '1303',
  year: 2026,
  workingPopulation: 120_000,
  informalWorkers: 80_000,
  vulnerableWorkers: 30_000,
  source: 'BPS Sakernas Agustus 2025',
};

describe('setting a workforce baseline', () => {
  it('records the figures', () =>
    given([])
      .when({ type: 'SetBaseline', baseline })
      .then([{ type: 'WorkforceBaselineSet', data: baseline }]));

  it('never lets a part exceed its whole', () => {
    given([])
      .when({ type: 'SetBaseline', baseline: { ...baseline, informalWorkers: 120_001 } })
      .thenThrows('baseline.informal', 'unprocessable');
    given([])
      .when({ type: 'SetBaseline', baseline: { ...baseline, vulnerableWorkers: 80_001 } })
      .thenThrows('baseline.vulnerable', 'unprocessable');
    given([])
      .when({
        type: 'SetBaseline',
        baseline: { ...baseline, informalWorkers: null, vulnerableWorkers: 120_001 },
      })
      .thenThrows('baseline.vulnerable');
  });

  it('a region the directory does not know is not found', () =>
    expect(() => checkRegionKnown('9999', false)).toThrow(
      expect.objectContaining({ rule: 'region.unknown', kind: 'not_found' }),
    ));
});
