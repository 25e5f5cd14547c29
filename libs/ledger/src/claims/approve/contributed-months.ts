import { loadDues } from '../../contributions/dues.load';
import { currentInvoice, isLinePaid } from '../../contributions/dues.state';
import { monthOf, monthsBetween, type YearMonth } from '../../contributions/obligation';
import { loadEnrollment } from '../../enrollment/enrollment.load';
import {
  evolveNikRegistry,
  initialNikRegistry,
  type NikRegistryEvent,
  type NikRegistryState,
} from '../../participants/participant.events';
import { fold, type LedgerDeps } from '../../shared/command.deps';
import { minDate, type IsoDate } from '../../shared/dates';
import { streams } from '../../shared/streams';
import { EDUCATION_MIN_MONTHS } from '../benefit-rules';

/** A person holds few enrollments, each a few years: more than these is a damaged stream. */
const MAX_ENROLLMENTS = 100;
const MAX_MONTHS_READ = 1_200;

/** One covered month of one of the person's enrollments, and whether its line was paid. */
export interface ContributionMonth {
  month: YearMonth;
  paid: boolean;
}

/**
 * The months the person contributed up to the month of the event: each calendar month with a
 * paid line in any of their enrollments counts once (two programs paying the same month are
 * one month of contributions).
 */
export function contributedMonths(months: readonly ContributionMonth[], eventDate: IsoDate): number {
  const last = monthOf(eventDate);
  return new Set(months.filter((m) => m.paid && m.month <= last).map((m) => m.month)).size;
}

/**
 * The months of contributions of the person an enrollment belongs to, across every enrollment
 * of theirs in any program: the NIK registry (keyed by the NIK's HMAC, which the enrollment
 * carries) names them, and each covered month's dues stream says whether its line was paid.
 * Reading stops once the education benefit's threshold is reached.
 */
export async function loadContributedMonths(
  deps: Pick<LedgerDeps, 'store'>,
  enrollmentId: string,
  eventDate: IsoDate,
): Promise<number> {
  const { state: own } = await loadEnrollment(deps, enrollmentId);
  const registry = own.nikKey
    ? await fold<NikRegistryState, NikRegistryEvent>(
        deps.store,
        streams.nik(own.nikKey),
        evolveNikRegistry,
        initialNikRegistry(),
      )
    : null;
  const ids = new Set([
    enrollmentId,
    ...(registry?.state.claims.keys() ?? []),
    ...(registry?.state.ended.keys() ?? []),
  ]);
  const months: ContributionMonth[] = [];
  let read = 0;
  for (const id of [...ids].slice(0, MAX_ENROLLMENTS)) {
    const { state } = id === enrollmentId ? { state: own } : await loadEnrollment(deps, id);
    if (state.coverageFrom === null || state.coverageFrom > eventDate) continue;
    const to = minDate(state.endedOn ?? eventDate, eventDate);
    for (const month of monthsBetween(monthOf(state.coverageFrom), monthOf(to))) {
      if (read++ >= MAX_MONTHS_READ || contributedMonths(months, eventDate) >= EDUCATION_MIN_MONTHS)
        return contributedMonths(months, eventDate);
      const invoice = currentInvoice((await loadDues(deps, state.programId, month)).state);
      const line = invoice ? invoice.lines.indexOf(id) : -1;
      months.push({ month, paid: invoice !== null && line >= 0 && isLinePaid(invoice, line) });
    }
  }
  return contributedMonths(months, eventDate);
}
