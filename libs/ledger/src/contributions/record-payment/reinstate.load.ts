import type { RecordedEvent } from '@ledger/event-store';
import { fold, type LedgerDeps } from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import { streams } from '../../shared/streams';
import {
  evolveNikRegistry,
  initialNikRegistry,
  type NikRegistryEvent,
  type NikRegistryState,
} from '../../participants/participant.events';
import { loadExistingProgram, loadSeatsUnder } from '../../programs/program.load';
import {
  evolveEnrollment,
  initialEnrollmentState,
  programCoverageEnd,
  type EnrollmentStreamEvent,
} from '../../enrollment/enrollment.state';
import type { CoverageLapsedEvent } from '../contribution.events';
import { currentInvoice, isLinePaid, type DuesState, type InvoiceState } from '../dues.state';
import { loadDues } from '../dues.load';
import type { YearMonth } from '../obligation';
import { pastDueMonths } from '../sweep-lapses/sweep-lapses.handler';
import type { SweptMonth } from '../sweep-lapses/sweep-lapses.decider';
import { decideReinstatements, type LapsedCoverage } from './reinstate.decider';

/** Events after which a coverage's end is no longer the lapse's own (it was corrected, ended again or undone). */
const ENDS = new Set([
  'CoverageLapsed',
  'CoverageReinstated',
  'EnrollmentDeregistered',
  'EnrollmentCorrected',
]);

/** The lapse that still ends this enrollment, and the enrollment as it was before it; null when none does. */
function standingLapse(events: RecordedEvent[]): Omit<LapsedCoverage, 'registry'> | null {
  let last = -1;
  events.forEach((e, i) => {
    if (ENDS.has(e.type)) last = i;
  });
  if (last < 0 || events[last].type !== 'CoverageLapsed') return null;
  const before = events
    .slice(0, last)
    .reduce((s, e) => evolveEnrollment(s, e as unknown as EnrollmentStreamEvent), initialEnrollmentState());
  return { before, lapse: (events[last] as unknown as CoverageLapsedEvent).data };
}

/**
 * What a payment on `invoice` (its state after the payment) undoes: only lines a lapse on this
 * invoice relied on, now paid, by a payment dated on or before the lapse's day are looked at,
 * so a payment on an invoice without lapses reads nothing more. Everything read is returned
 * with its revision, for the payment's append.
 */
export async function reinstatementsOf(
  deps: LedgerDeps,
  after: { invoice: InvoiceState; state: DuesState; month: YearMonth },
  payment: { paymentId: string; paidOn: IsoDate },
) {
  const { invoice } = after;
  const reverted = new Set(invoice.reverted.flatMap((r) => r.lines.map((line) => `${r.asOf}|${line}`)));
  const lines = new Set<number>();
  for (const lapse of invoice.lapses) {
    if (payment.paidOn > lapse.asOf) continue;
    for (const line of lapse.lines)
      if (!reverted.has(`${lapse.asOf}|${line}`) && isLinePaid(invoice, line)) lines.add(line);
  }
  const none = { decided: null, revisions: new Map<string, number>() };
  if (lines.size === 0) return none;

  const revisions = new Map<string, number>();
  const lapsed: LapsedCoverage[] = [];
  for (const line of [...lines].sort((a, b) => a - b)) {
    const streamId = streams.enrollment(invoice.lines[line]);
    const events = await deps.store.readStream(streamId);
    const standing = standingLapse(events);
    if (!standing || standing.lapse.decidedOn < payment.paidOn) continue;
    revisions.set(streamId, events[events.length - 1].revision);
    const registry = await fold<NikRegistryState, NikRegistryEvent>(
      deps.store,
      streams.nik(standing.before.nikKey),
      evolveNikRegistry,
      initialNikRegistry(),
    );
    revisions.set(streams.nik(standing.before.nikKey), registry.revision);
    lapsed.push({ ...standing, registry: registry.state });
  }
  if (lapsed.length === 0) return none;

  const { programId } = invoice.terms;
  const { program, revision: termsRevision } = await loadExistingProgram(deps, programId);
  const seats = await loadSeatsUnder(deps, programId, termsRevision);
  revisions.set(streams.seats(programId), seats.revision);
  // The months each lapse was decided on, read as they stand; the paid one as after the payment.
  const asOf = lapsed.reduce((max, l) => (l.lapse.decidedOn > max ? l.lapse.decidedOn : max), '');
  const past = await pastDueMonths(deps, program.terms.period.from, programCoverageEnd(program), asOf);
  const months: SweptMonth[] = [];
  for (const m of past) {
    const dues =
      m.month === after.month
        ? { state: after.state, revision: -2 }
        : await loadDues(deps, programId, m.month);
    if (dues.revision !== -2) revisions.set(streams.dues(programId, m.month), dues.revision);
    const current = currentInvoice(dues.state);
    const lineOf = new Map<string, number>();
    current?.lines.forEach((id, line) => lineOf.set(id, line));
    months.push({ ...m, invoice: current, lineOf });
  }
  const decided = decideReinstatements({
    program,
    seats,
    months,
    lapsed,
    payment: { invoiceId: invoice.terms.invoiceId, ...payment },
  });
  return { decided, revisions };
}
