import { fold, type LedgerDeps } from '../shared/command.deps';
import type { IsoDate } from '../shared/dates';
import { RuleViolation } from '../shared/rule-violation';
import { streams } from '../shared/streams';
import type { CalendarEvent, DuesEvent, InvoiceId } from './contribution.events';
import { addMonths, type YearMonth } from './obligation';
import {
  evolveDues,
  findInvoice,
  initialDuesState,
  parseInvoiceId,
  type DuesState,
  type InvoiceState,
} from './dues.state';

/** A program-month's dues stream, folded; `revision` is -1 while nothing was written on it. */
export async function loadDues(deps: Pick<LedgerDeps, 'store'>, programId: string, month: YearMonth) {
  return fold<DuesState, DuesEvent>(
    deps.store,
    streams.dues(programId, month),
    evolveDues,
    initialDuesState(),
  );
}

/** One invoice by its id, with its month's stream (404 for an id that names no invoice). */
export async function loadInvoice(
  deps: Pick<LedgerDeps, 'store'>,
  invoiceId: InvoiceId,
): Promise<{
  invoice: InvoiceState;
  state: DuesState;
  revision: number;
  programId: string;
  month: YearMonth;
}> {
  const parsed = parseInvoiceId(invoiceId);
  const loaded = parsed ? await loadDues(deps, parsed.programId, parsed.month) : null;
  const invoice = loaded ? findInvoice(loaded.state, invoiceId) : null;
  if (!parsed || !loaded || !invoice) {
    throw new RuleViolation('invoice.notFound', 'Tagihan tidak ditemukan', 'not_found');
  }
  return {
    invoice,
    state: loaded.state,
    revision: loaded.revision,
    programId: parsed.programId,
    month: parsed.month,
  };
}

/** The non-working days set for one year (weekends are not listed: they never are working days). */
export async function loadNonWorkingDays(deps: Pick<LedgerDeps, 'store'>, year: number) {
  const [last] = await deps.store.readStream(streams.calendar(year), { direction: 'backwards', maxCount: 1 });
  const data = last?.data as CalendarEvent['data'] | undefined;
  return { days: data?.days ?? [], note: data?.note ?? null, revision: last ? last.revision : -1 };
}

/**
 * The non-working days a month's due date may meet: the 15th moves at most a few weeks, so
 * the month's year and, for December, the next one.
 */
export async function nonWorkingDaysFor(
  deps: Pick<LedgerDeps, 'store'>,
  month: YearMonth,
): Promise<Set<IsoDate>> {
  const year = Number(month.slice(0, 4));
  const years = addMonths(month, 1).slice(0, 4) === month.slice(0, 4) ? [year] : [year, year + 1];
  const days = new Set<IsoDate>();
  for (const y of years) for (const d of (await loadNonWorkingDays(deps, y)).days) days.add(d);
  return days;
}
