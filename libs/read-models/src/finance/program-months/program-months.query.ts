import type { EventStore } from '@ledger/event-store';
import { addMonths, monthOf, monthsBetween } from '@ledger/ledger/contributions/obligation';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { lastCoveredDay } from '@ledger/ledger/enrollment/enrollment.state';
import { percent } from '../../coverage/percent';
import { programStateKnownAt } from '../../enrollments/program-known-at';
import type { ReadQuery } from '../../read-schema';
import { ageBucket, noArrears, type ArrearsByAge, type InvoiceOn } from '../invoices/invoice-figures';
import { invoicesOn, lapsedOn } from '../invoices/invoices.query';
import { refundableLines } from '../refundable/refundable.query';

/** What a program's finance answers need of it. */
export interface FinanceProgram {
  id: string;
  name: string;
  ownerRegion: string;
  payer: string;
  periodFrom: IsoDate;
  /** Last covered day: the period end, or the closing day when earlier. */
  end: IsoDate;
  monthlyContribution: number;
  budgetCeiling: number | null;
}

export async function financePrograms(db: ReadQuery, ids?: string[]): Promise<FinanceProgram[]> {
  if (ids && ids.length === 0) return [];
  let query = db
    .selectFrom('programs')
    .select([
      'id',
      'name',
      'owner_region',
      'payer',
      'period_from',
      'period_to',
      'closed_on',
      'monthly_contribution',
      'budget_ceiling',
    ]);
  if (ids) query = query.where('id', 'in', ids);
  const rows = await query.orderBy('established_at').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    ownerRegion: r.owner_region,
    payer: r.payer,
    periodFrom: r.period_from,
    end: lastCoveredDay(r.period_to, r.closed_on),
    monthlyContribution: Number(r.monthly_contribution),
    budgetCeiling: r.budget_ceiling === null ? null : Number(r.budget_ceiling),
  }));
}

/**
 * The programs as the ledger knew them at log position `knownAt`: each one's stream folded up
 * to it (its period, closure and terms then); one established later is left out. The list to
 * fold is the programs table's (a program is never removed from it).
 */
export async function financeProgramsKnownAt(
  db: ReadQuery,
  store: EventStore,
  knownAt: number,
  ids?: string[],
): Promise<FinanceProgram[]> {
  const out: FinanceProgram[] = [];
  for (const current of await financePrograms(db, ids)) {
    const state = await programStateKnownAt(store, current.id, knownAt);
    if (!state) continue;
    const { terms } = state;
    out.push({
      id: state.programId,
      name: terms.name,
      ownerRegion: terms.ownerRegion,
      payer: terms.payer,
      periodFrom: terms.period.from,
      end: lastCoveredDay(terms.period.to, state.closedOn),
      monthlyContribution: terms.contribution.total,
      budgetCeiling: terms.budgetCeiling,
    });
  }
  return out;
}

/** Which programs: as they are now, or as known at a log position (`knownAt`). */
export async function financeProgramsAt(
  db: ReadQuery,
  known: KnownFinance | undefined,
  ids?: string[],
): Promise<FinanceProgram[]> {
  return known
    ? await financeProgramsKnownAt(db, known.store, known.position, ids)
    : await financePrograms(db, ids);
}

/** `knownAt` of a finance report: the log position, and the log to fold the programs from. */
export interface KnownFinance {
  position: number;
  store: EventStore;
}

/** The money of one month (or of a sum of months): whole rupiah, and line counts. */
export interface MonthFigures {
  /** What the ledger's invoices of the month owe (cancelled ones owe nothing). */
  owed: number;
  /** The latest BPJS bill's total; null while no bill is recorded. */
  billedByBpjs: number | null;
  paid: number;
  outstanding: number;
  /** Outstanding after the due date, by months since it. */
  arrears: ArrearsByAge;
  overpaid: number;
  /** Paid lines of coverages that ended before the month, and over-payments, not refunded yet. */
  refundable: number;
  refunded: number;
  lines: number;
  paidLines: number;
  partialLines: number;
  unpaidLines: number;
  /** Coverages that lapsed with their last day in the month. */
  lapsedWorkers: number;
}

export interface ProgramMonth extends MonthFigures {
  month: string;
  /** The month's invoice not cancelled (or the last one); null before one is issued. */
  invoiceId: string | null;
  status: InvoiceOn['status'] | 'notIssued';
  dueDate: IsoDate | null;
}

export interface BudgetUse {
  ceiling: number | null;
  /** What the invoices of the months up to `asOf`'s month owe. */
  owedToDate: number;
  /** Owed to date, plus the last invoiced month's roster for every month left to the period end. */
  projectedToPeriodEnd: number;
  owedPercent: number | null;
  projectedPercent: number | null;
  remaining: number | null;
}

export interface ProgramMonths {
  program: { id: string; name: string; ownerRegion: string; payer: string };
  asOf: IsoDate;
  /** The log position the figures were known at, when asked for one. */
  knownAt?: number;
  months: ProgramMonth[];
  totals: MonthFigures;
  budget: BudgetUse;
}

export const emptyFigures = (): MonthFigures => ({
  owed: 0,
  billedByBpjs: null,
  paid: 0,
  outstanding: 0,
  arrears: noArrears(),
  overpaid: 0,
  refundable: 0,
  refunded: 0,
  lines: 0,
  paidLines: 0,
  partialLines: 0,
  unpaidLines: 0,
  lapsedWorkers: 0,
});

/** Adds `b` into `a`: every total is the sum of its lines. */
export function addFigures(a: MonthFigures, b: MonthFigures): MonthFigures {
  const billed =
    a.billedByBpjs === null && b.billedByBpjs === null ? null : (a.billedByBpjs ?? 0) + (b.billedByBpjs ?? 0);
  return {
    owed: a.owed + b.owed,
    billedByBpjs: billed,
    paid: a.paid + b.paid,
    outstanding: a.outstanding + b.outstanding,
    arrears: {
      upTo1: a.arrears.upTo1 + b.arrears.upTo1,
      months2: a.arrears.months2 + b.arrears.months2,
      months3: a.arrears.months3 + b.arrears.months3,
      over3: a.arrears.over3 + b.arrears.over3,
    },
    overpaid: a.overpaid + b.overpaid,
    refundable: a.refundable + b.refundable,
    refunded: a.refunded + b.refunded,
    lines: a.lines + b.lines,
    paidLines: a.paidLines + b.paidLines,
    partialLines: a.partialLines + b.partialLines,
    unpaidLines: a.unpaidLines + b.unpaidLines,
    lapsedWorkers: a.lapsedWorkers + b.lapsedWorkers,
  };
}

/** One invoice's share of its month's figures. */
export function invoiceFigures(invoice: InvoiceOn, refundableLines: number): MonthFigures {
  const arrears = noArrears();
  if (invoice.arrearsAge > 0) arrears[ageBucket(invoice.arrearsAge)] = invoice.outstanding;
  return {
    ...emptyFigures(),
    owed: invoice.total,
    billedByBpjs: invoice.billedByBpjs,
    paid: invoice.paid,
    outstanding: invoice.outstanding,
    arrears,
    overpaid: invoice.overpaid,
    refundable: invoice.overpaidRefundable + refundableLines,
    refunded: invoice.refunded,
    lines: invoice.lines,
    paidLines: invoice.fullyPaidLines,
    partialLines: invoice.partialLine ? 1 : 0,
    unpaidLines: invoice.unpaidLines,
  };
}

/**
 * Programs' months as of `asOf`: every month of each program's period up to the later of
 * `asOf`'s month and its last invoiced month, with the invoices' figures as of that day
 * (effective dates: a payment counts from the day it was paid, whenever recorded).
 * `months` narrows the months listed and summed (a year for the summary). With `knownAt`
 * every figure counts only the events recorded by that log position (the programs given
 * should be those known then, `financeProgramsKnownAt`).
 */
export async function programsMonths(
  db: ReadQuery,
  programs: FinanceProgram[],
  asOf: IsoDate,
  months?: { from: string; to: string },
  knownAt?: number,
): Promise<ProgramMonths[]> {
  if (programs.length === 0) return [];
  const invoices = await invoicesOn(
    db,
    { programIds: programs.map((p) => p.id), fromMonth: months?.from, toMonth: months?.to },
    asOf,
    knownAt,
  );
  const ends = new Map(programs.map((p) => [p.id, p.end]));
  const refundable = new Map<string, number>();
  for (const line of await refundableLines(db, invoices, ends, asOf, knownAt))
    refundable.set(line.invoiceId, (refundable.get(line.invoiceId) ?? 0) + line.amount);
  const lapsed = await lapsedOn(
    db,
    programs.map((p) => p.id),
    asOf,
    knownAt,
  );
  const byProgram = new Map<string, InvoiceOn[]>();
  for (const invoice of invoices) {
    const list = byProgram.get(invoice.programId) ?? [];
    list.push(invoice);
    byProgram.set(invoice.programId, list);
  }

  return programs.map((program) => {
    const own = byProgram.get(program.id) ?? [];
    const first = monthOf(program.periodFrom);
    const endMonth = monthOf(program.end);
    const lastInvoiced = own.reduce((m, i) => (i.month > m ? i.month : m), '');
    const upTo = [monthOf(asOf), lastInvoiced].reduce((a, b) => (b > a ? b : a));
    let listed = monthsBetween(first, upTo < endMonth ? upTo : endMonth);
    if (lastInvoiced > endMonth) listed = [...listed, ...monthsBetween(addMonths(endMonth, 1), lastInvoiced)];
    if (months) listed = listed.filter((m) => m >= months.from && m <= months.to);
    // Bounded: a program's period is a few years at most; months hold a handful of invoices.
    const rows: ProgramMonth[] = listed.map((month) => {
      const ofMonth = own.filter((i) => i.month === month);
      let figures = emptyFigures();
      for (const invoice of ofMonth)
        figures = addFigures(figures, invoiceFigures(invoice, refundable.get(invoice.invoiceId) ?? 0));
      figures.lapsedWorkers = lapsed.get(program.id)?.get(month) ?? 0;
      const current = ofMonth.find((i) => i.status !== 'cancelled') ?? ofMonth[ofMonth.length - 1] ?? null;
      // The bill BPJS sent for a cancelled invoice does not bill the month any more.
      figures.billedByBpjs = current?.billedByBpjs ?? null;
      return {
        month,
        invoiceId: current?.invoiceId ?? null,
        status: current?.status ?? 'notIssued',
        dueDate: current?.dueDate ?? null,
        ...figures,
      };
    });
    const totals = rows.reduce<MonthFigures>((sum, row) => addFigures(sum, row), emptyFigures());
    return {
      program: { id: program.id, name: program.name, ownerRegion: program.ownerRegion, payer: program.payer },
      asOf,
      ...(knownAt === undefined ? {} : { knownAt }),
      months: rows,
      totals,
      budget: budgetUse(program, rows, asOf),
    };
  });
}

/**
 * Budget use: owed to date is what the invoices of the months up to `asOf` owe; the
 * projection assumes the last invoiced month's roster stays for every month left in the
 * period (the best guess the ledger has without coverage it was not told about).
 */
function budgetUse(program: FinanceProgram, rows: ProgramMonth[], asOf: IsoDate): BudgetUse {
  const toDate = rows.filter((r) => r.month <= monthOf(asOf));
  const owedToDate = toDate.reduce((s, r) => s + r.owed, 0);
  const invoiced = toDate.filter((r) => r.invoiceId !== null && r.status !== 'cancelled');
  const last = invoiced[invoiced.length - 1];
  const endMonth = monthOf(program.end);
  const monthsLeft =
    last && last.month < endMonth ? monthsBetween(addMonths(last.month, 1), endMonth).length : 0;
  const projectedToPeriodEnd = owedToDate + (last ? last.owed * monthsLeft : 0);
  const ceiling = program.budgetCeiling;
  return {
    ceiling,
    owedToDate,
    projectedToPeriodEnd,
    owedPercent: percent(owedToDate, ceiling),
    projectedPercent: percent(projectedToPeriodEnd, ceiling),
    remaining: ceiling === null ? null : ceiling - projectedToPeriodEnd,
  };
}
