import { backfillField, decideBackfill, type BackfillRequest } from '../../shared/backfill';
import { addDays, minDate, type IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import type { Period, ProgramEvent } from '../program.events';
import {
  checkBudget,
  checkJkkReportingWindow,
  checkPeriod,
  requireOpen,
  type ProgramState,
} from '../program.state';

/** Who amends, on which recording day, and what they said about a backfill. */
export interface AmendmentContext {
  today: IsoDate;
  role: string;
  backfill?: BackfillRequest;
}

/**
 * Changes of an open program's terms: its quota, its period, its closure, its backfill
 * tolerance, its JKK reporting window.
 */
export type ProgramAmendment = (
  | {
      type: 'AmendProgramQuota';
      quota: number;
      reason: string | null;
      /** Seats proposed or covered now, read from the program's seats stream. */
      seatsInUse: number;
    }
  | {
      type: 'AmendProgramPeriod';
      period: Period;
      reason: string | null;
      /** First covered day of each coverage approved in the program (running or ended). */
      coverageStarts: IsoDate[];
    }
  | { type: 'CloseProgram'; closedOn: IsoDate; reason: string | null }
  | { type: 'AmendBackfillTolerance'; backfillToleranceDays: number; reason: string | null }
  | { type: 'AmendJkkReportingWindow'; jkkReportingWindowDays: number; reason: string | null }
) &
  AmendmentContext;

/**
 * The first day whose coverage a new period changes: the earlier start when the start moves,
 * otherwise the day after the earlier end when the end moves; null when nothing changes.
 */
export function periodChangeEffective(before: Period, after: Period): IsoDate | null {
  if (before.from !== after.from) return minDate(before.from, after.from);
  if (before.to !== after.to) return addDays(minDate(before.to, after.to), 1);
  return null;
}

/**
 * A closure on D, or a period whose end moves earlier, ends every coverage still running on
 * that day, and a coverage approved to start after it never runs: every reader takes a
 * coverage's last day as the earlier of its own and the program's, so nothing is written per
 * enrollment, and no approval, correction or deregistration can go past the program's end.
 * That is what a program stopped early means; refusing it would leave an office no honest way
 * to stop one. A start moved later than an approved coverage's start is another matter: the
 * coverage would begin before the program does. It is refused with the count of such
 * coverages, to be corrected first.
 */
function checkNewStart(period: Period, coverageStarts: IsoDate[]): void {
  const before = coverageStarts.filter((day) => day < period.from).length;
  if (before === 0) return;
  throw new RuleViolation(
    'program.period.coverageBefore',
    `${before} kepesertaan yang sudah disetujui mulai sebelum awal periode baru (${period.from}); ` +
      'koreksi awal perlindungannya terlebih dahulu',
    'conflict',
    { count: before, period },
  );
}

export function decideAmendment(command: ProgramAmendment, state: ProgramState): ProgramEvent[] {
  const open = requireOpen(state);
  const backfillOf = (effective: IsoDate | null) =>
    backfillField(
      decideBackfill({
        effectiveDates: [effective],
        today: command.today,
        toleranceDays: open.terms.backfillToleranceDays,
        request: command.backfill,
        role: command.role,
      }),
    );
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
      checkNewStart(command.period, command.coverageStarts);
      return [
        {
          type: 'ProgramPeriodAmended',
          data: {
            programId: open.programId,
            period: command.period,
            reason: command.reason,
            ...backfillOf(periodChangeEffective(open.terms.period, command.period)),
          },
        },
      ];
    case 'CloseProgram':
      return [
        {
          type: 'ProgramClosed',
          data: {
            programId: open.programId,
            closedOn: command.closedOn,
            reason: command.reason,
            // Coverage ends on the closing day: a day long past changes what reports said.
            ...backfillOf(command.closedOn),
          },
        },
      ];
    case 'AmendBackfillTolerance':
      return [
        {
          type: 'ProgramBackfillToleranceAmended',
          data: {
            programId: open.programId,
            backfillToleranceDays: command.backfillToleranceDays,
            reason: command.reason,
          },
        },
      ];
    case 'AmendJkkReportingWindow':
      // Judges claims filed from now on; a claim already filed keeps the reasons it was recorded with.
      checkJkkReportingWindow(command.jkkReportingWindowDays);
      return [
        {
          type: 'ProgramJkkReportingWindowAmended',
          data: {
            programId: open.programId,
            jkkReportingWindowDays: command.jkkReportingWindowDays,
            reason: command.reason,
          },
        },
      ];
  }
}
