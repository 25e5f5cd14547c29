import { RuleViolation } from '../../shared/rule-violation';
import type { BaselineEvent, OutsideParticipants } from '../baseline.events';

export interface SetOutsideParticipants {
  type: 'SetOutsideParticipants';
  figure: OutsideParticipants;
  /** The recording day in WIB: a count BPJS made cannot be of a day that has not come. */
  today: string;
}

/** Nothing to fold: a later figure for the same region and day replaces the earlier one. */
export type OutsideState = null;
export const initialOutsideState = (): OutsideState => null;
export const evolveOutside = (state: OutsideState, _event: BaselineEvent): OutsideState => state;

/**
 * The figure's shape (an integer ≥ 0, a real date, a source without a NIK) is the API's
 * validation; the decider keeps the rules that need more than the field: a count is of a day
 * that has come, and of a year the baselines can hold.
 */
export function decideOutsideParticipants(
  command: SetOutsideParticipants,
  _state: OutsideState,
): BaselineEvent[] {
  const { figure, today } = command;
  if (!Number.isSafeInteger(figure.participants) || figure.participants < 0) {
    throw new RuleViolation(
      'baseline.outsideParticipants',
      'Jumlah peserta di luar program harus bilangan bulat ≥ 0',
    );
  }
  if (figure.asOf > today) {
    throw new RuleViolation(
      'baseline.outsideFuture',
      `Data peserta per ${figure.asOf} belum bisa ada: tanggal itu setelah hari ini (${today})`,
    );
  }
  if (figure.asOf < '2000-01-01') {
    throw new RuleViolation('baseline.outsideDate', 'Tanggal data peserta paling awal 2000-01-01');
  }
  return [{ type: 'OutsideParticipantsSet', data: figure }];
}
