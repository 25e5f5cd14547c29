import { RuleViolation } from '../../shared/rule-violation';
import type { BaselineEvent, WorkforceBaseline } from '../baseline.events';

/** A region the directory does not know has no baseline (404), checked before the caller's scope. */
export function checkRegionKnown(regionCode: string, known: boolean): void {
  if (!known)
    throw new RuleViolation('region.unknown', `Kode wilayah ${regionCode} tidak terdaftar`, 'not_found');
}

export interface SetBaseline {
  type: 'SetBaseline';
  baseline: WorkforceBaseline;
}

/** The state a baseline is set on: none, a later figure for the same year replaces the earlier. */
export type BaselineState = null;
export const initialBaselineState = (): BaselineState => null;
export const evolveBaseline = (state: BaselineState, _event: BaselineEvent): BaselineState => state;

/** A baseline's parts never exceed their whole: vulnerable ⊆ informal ⊆ working population. */
export function decideBaseline(command: SetBaseline, _state: BaselineState): BaselineEvent[] {
  const { workingPopulation, informalWorkers, vulnerableWorkers } = command.baseline;
  if (informalWorkers !== null && informalWorkers > workingPopulation) {
    throw new RuleViolation('baseline.informal', 'Pekerja informal tidak boleh melebihi penduduk bekerja');
  }
  if (vulnerableWorkers !== null && vulnerableWorkers > (informalWorkers ?? workingPopulation)) {
    throw new RuleViolation(
      'baseline.vulnerable',
      'Pekerja rentan tidak boleh melebihi pekerja informal / penduduk bekerja',
    );
  }
  return [{ type: 'WorkforceBaselineSet', data: command.baseline }];
}
