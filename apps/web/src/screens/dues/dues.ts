import { ApiError, type User } from '../../api';
import { hasKey, t } from '../../i18n/i18n';

/** Finance and program admins write contributions (the API refuses anyone else). */
export const writesDues = (user: User) => user.role === 'finance' || user.role === 'program_admin';
/** Who reads the finance reports; viewers read invoices only. */
export const readsFinance = (user: User) => writesDues(user) || user.role === 'auditor';

export type InvoiceStatus = 'notIssued' | 'open' | 'partly_paid' | 'paid' | 'cancelled';

/** An invoice as `GET /api/invoices/{id}` answers it (the parts the screens show). */
export interface Invoice {
  invoiceId: string;
  programId: string;
  month: string;
  payer: string;
  ownerRegion: string;
  lineAmount: number;
  dueDate: string;
  issuedOn: string;
  issued: { lineCount: number; totalAmount: number };
  lineCount: number;
  cancelledLineCount: number;
  totalAmount: number;
  status: Exclude<InvoiceStatus, 'notIssued'>;
  paid: number;
  outstanding: number;
  overpaid: number;
  refunded: number;
  refundableOverpaid: number;
  cancelled: { cancelledOn: string; reason: string } | null;
  payments: {
    paymentId: string;
    amount: number;
    paidOn: string;
    reference: string;
    sp2dNumber: string | null;
    late: boolean;
  }[];
}

export interface ArrearsByAge {
  upTo1: number;
  months2: number;
  months3: number;
  over3: number;
}

export interface MonthFigures {
  owed: number;
  billedByBpjs: number | null;
  paid: number;
  outstanding: number;
  arrears: ArrearsByAge;
  overpaid: number;
  refundable: number;
  refunded: number;
  lines: number;
  lapsedWorkers: number;
}

export interface BudgetUse {
  ceiling: number | null;
  owedToDate: number;
  projectedToPeriodEnd: number;
  owedPercent: number | null;
  projectedPercent: number | null;
  remaining: number | null;
}

export interface ProgramMonth extends MonthFigures {
  month: string;
  invoiceId: string | null;
  status: InvoiceStatus;
  dueDate: string | null;
}

export interface ProgramMonths {
  program: { id: string; name: string; ownerRegion: string; payer: string };
  asOf: string;
  months: ProgramMonth[];
  totals: MonthFigures;
  budget: BudgetUse;
}

export const arrearsTotal = (a: ArrearsByAge) => a.upTo1 + a.months2 + a.months3 + a.over3;

const longMonth = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });
/** `2025-10` as Indonesians write it: Oktober 2025. */
export const formatYearMonth = (month: string) => longMonth.format(new Date(`${month}-01T00:00:00Z`));

/** `<program id>_<YYYY-MM>[_n]`: the program and the month an invoice is of. */
export function invoiceParts(invoiceId: string): { programId: string; month: string } {
  const [programId = '', month = ''] = invoiceId.split('_');
  return { programId, month };
}

/**
 * The consistency token of the last contribution write made here: the finance reports read
 * read models, so the next one waits (boundedly, server side) until they reached that write.
 */
let lastWrite: number | null = null;
export const wrote = (token: number | undefined) => {
  if (typeof token === 'number' && token > (lastWrite ?? -1)) lastWrite = token;
};
export const afterLastWrite = (url: string) =>
  lastWrite === null ? url : `${url}${url.includes('?') ? '&' : '?'}consistentWith=${lastWrite}`;

/**
 * Runs a contribution write; the API's field refusals whose rule this section of the catalogue
 * knows are put in the user's language (dots of the rule written as `_`), the rest stay as the
 * API wrote them, so each still shows beside its field.
 */
export async function duesWrite<T extends { consistencyToken?: number }>(
  write: () => Promise<T>,
): Promise<T> {
  try {
    const written = await write();
    wrote(written.consistencyToken);
    return written;
  } catch (error) {
    if (!(error instanceof ApiError) || !error.problem.errors) throw error;
    const errors = error.problem.errors.map((e) => {
      const key = `dues.rule.${e.rule.replace(/\./g, '_')}`;
      return hasKey(key) ? { ...e, message: t(key) } : e;
    });
    throw new ApiError({ ...error.problem, errors });
  }
}
