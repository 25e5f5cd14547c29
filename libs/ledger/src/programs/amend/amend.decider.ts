import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import type { Period, ProgramEvent } from '../program.events';
import { checkBudget, checkPeriod, requireOpen, type ProgramState } from '../program.state';

/** Changes of an open program's terms: its quota, its period, its closure. */
export type ProgramAmendment =
  | {
      type: 'AmendProgramQuota';
      quota: number;
      reason: string | null;
      /** Seats proposed or covered now, read from the program's seats stream. */
      seatsInUse: number;
    }
  | { type: 'AmendProgramPeriod'; period: Period; reason: string | null }
  | { type: 'CloseProgram'; closedOn: IsoDate; reason: string | null };

export function decideAmendment(command: ProgramAmendment, state: ProgramState): ProgramEvent[] {
  const open = requireOpen(state);
  switch (command.type) {
    case 'AmendProgramQuota': {
      if (command.quota < command.seatsInUse) {
        throw new RuleViolation(
          'program.quota.belowUse',
          `Kuota baru (${command.quota}) lebih kecil dari jumlah peserta yang sudah diusulkan/aktif (${command.seatsInUse})`,
          'conflict',
          { seatsInUse: command.seatsInUse },
        );
      }
      checkBudget({ ...open.terms, quota: command.quota });
      return [
        {
          type: 'ProgramQuotaAmended',
          data: { programId: open.programId, quota: command.quota, reason: command.reason },
        },
      ];
    }
    case 'AmendProgramPeriod':
      checkPeriod(command.period);
      checkBudget({ ...open.terms, period: command.period });
      return [
        {
          type: 'ProgramPeriodAmended',
          data: { programId: open.programId, period: command.period, reason: command.reason },
        },
      ];
    case 'CloseProgram':
      return [
        {
          type: 'ProgramClosed',
          data: { programId: open.programId, closedOn: command.closedOn, reason: command.reason },
        },
      ];
  }
}
