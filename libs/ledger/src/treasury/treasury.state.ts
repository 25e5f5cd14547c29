import type { IsoDate } from '../shared/dates';
import { RuleViolation } from '../shared/rule-violation';
import { fieldRefusal } from '../contributions/refusal';
import type {
  BudgetDocument,
  Deduction,
  Sp2dType,
  TreasuryDocumentKind,
  TreasuryEvent,
} from './treasury.events';

export interface BudgetLineRevision {
  document: BudgetDocument;
  fundingSource: string;
  amount: number;
  previousAmount: number | null;
  setOn: IsoDate;
}

export interface BudgetLine {
  accountCode: string;
  document: BudgetDocument;
  fundingSource: string;
  amount: number;
  /** Every revision in order, the first one included: the amounts replaced stay readable. */
  revisions: BudgetLineRevision[];
}

export interface DocumentBase {
  number: string;
  date: IsoDate;
  amount: number;
  accountCode: string;
  cancelled: { reason: string; cancelledOn: IsoDate } | null;
}
export type Spp = DocumentBase;
export interface Spm extends DocumentBase {
  sppNumber: string;
}
export interface Sp2d extends DocumentBase {
  spmNumber: string;
  sp2dType: Sp2dType;
  lsType: string | null;
  recipient: string;
  bank: string;
  deductions: Deduction[];
  invoiceIds: string[];
  importId: string | null;
}

/** A program's treasury in one fiscal year; documents are keyed by their normalised number. */
export interface TreasuryState {
  lines: Map<string, BudgetLine>;
  spp: Map<string, Spp>;
  spm: Map<string, Spm>;
  sp2d: Map<string, Sp2d>;
  /** Per SPP, what its live SPMs take; per SPM, what its live SP2Ds take. */
  ordered: Map<string, number>;
  disbursed: Map<string, number>;
}

export const initialTreasuryState = (): TreasuryState => ({
  lines: new Map(),
  spp: new Map(),
  spm: new Map(),
  sp2d: new Map(),
  ordered: new Map(),
  disbursed: new Map(),
});

/**
 * Folds one event into the state in place and returns it: a year's export brings thousands of
 * SP2Ds, and copying the maps on every event would make a fold quadratic. A state belongs to
 * the fold that built it (a handler reads the stream afresh for every attempt).
 */
export function evolveTreasury(state: TreasuryState, event: TreasuryEvent): TreasuryState {
  switch (event.type) {
    case 'BudgetLineSet': {
      const { accountCode, document, fundingSource, amount, previousAmount, setOn } = event.data;
      const before = state.lines.get(accountCode);
      state.lines.set(accountCode, {
        accountCode,
        document,
        fundingSource,
        amount,
        revisions: [...(before?.revisions ?? []), { document, fundingSource, amount, previousAmount, setOn }],
      });
      return state;
    }
    case 'SppRecorded': {
      const { number, date, amount, accountCode } = event.data;
      state.spp.set(number, { number, date, amount, accountCode, cancelled: null });
      return state;
    }
    case 'SpmRecorded': {
      const { number, date, amount, accountCode, sppNumber } = event.data;
      state.spm.set(number, { number, date, amount, accountCode, sppNumber, cancelled: null });
      state.ordered.set(sppNumber, (state.ordered.get(sppNumber) ?? 0) + amount);
      return state;
    }
    case 'Sp2dRecorded': {
      const d = event.data;
      state.sp2d.set(d.number, {
        number: d.number,
        date: d.date,
        amount: d.amount,
        accountCode: d.accountCode,
        spmNumber: d.spmNumber,
        sp2dType: d.sp2dType,
        lsType: d.lsType,
        recipient: d.recipient,
        bank: d.bank,
        deductions: d.deductions,
        invoiceIds: [],
        importId: d.importId ?? null,
        cancelled: null,
      });
      state.disbursed.set(d.spmNumber, (state.disbursed.get(d.spmNumber) ?? 0) + d.amount);
      return state;
    }
    case 'TreasuryDocumentCancelled': {
      const { kind, number, reason, cancelledOn } = event.data;
      if (kind === 'spp') {
        const spp = state.spp.get(number);
        if (spp) spp.cancelled = { reason, cancelledOn };
      } else if (kind === 'spm') {
        const spm = state.spm.get(number);
        if (spm && !spm.cancelled) {
          spm.cancelled = { reason, cancelledOn };
          state.ordered.set(spm.sppNumber, (state.ordered.get(spm.sppNumber) ?? 0) - spm.amount);
        }
      } else {
        const sp2d = state.sp2d.get(number);
        if (sp2d && !sp2d.cancelled) {
          sp2d.cancelled = { reason, cancelledOn };
          state.disbursed.set(sp2d.spmNumber, (state.disbursed.get(sp2d.spmNumber) ?? 0) - sp2d.amount);
        }
      }
      return state;
    }
    case 'Sp2dInvoicesLinked': {
      const sp2d = state.sp2d.get(event.data.sp2dNumber);
      if (sp2d) sp2d.invoiceIds = event.data.invoiceIds;
      return state;
    }
    default:
      return state;
  }
}

/** The program's budget ceiling for the year: the sum of its current lines. */
export const budgetCeilingOf = (state: TreasuryState): number =>
  [...state.lines.values()].reduce((sum, line) => sum + line.amount, 0);

/** What the live SPMs of an SPP already take of it. */
export const spmTotalOf = (state: TreasuryState, sppNumber: string): number =>
  state.ordered.get(sppNumber) ?? 0;

/** What the live SP2Ds of an SPM already take of it. */
export const sp2dTotalOf = (state: TreasuryState, spmNumber: string): number =>
  state.disbursed.get(spmNumber) ?? 0;

/** A number as SIPD and people type it: trimmed, upper-cased, without inner spaces. */
export const normaliseNumber = (number: string): string => number.trim().toUpperCase().replace(/\s+/g, '');

/** The fiscal year of a document is the year of its date. */
export const fiscalYearOf = (date: IsoDate): number => Number(date.slice(0, 4));

export function checkRupiah(amount: unknown, field: string, allowZero = false): asserts amount is number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    throw fieldRefusal(field, `${field}.integer`, `${field} harus bilangan bulat rupiah`);
  }
  if (amount < 0 || (!allowZero && amount === 0)) {
    throw fieldRefusal(field, `${field}.positive`, `${field} harus lebih dari nol`);
  }
}

export function checkNumber(number: string, field = 'number'): void {
  if (number.length === 0) throw fieldRefusal(field, `${field}.required`, `${field} wajib diisi`);
}

/** The account code must be one of the program's budget lines of the year. */
export function requireBudgetLine(state: TreasuryState, accountCode: string, fiscalYear: number): BudgetLine {
  const line = state.lines.get(accountCode);
  if (!line) {
    throw fieldRefusal(
      'accountCode',
      'treasury.accountCode.unknown',
      `Kode rekening ${accountCode} tidak ada dalam anggaran program tahun ${fiscalYear}`,
    );
  }
  return line;
}

/** A number already taken in the regency and year (its guard stream exists): 409. */
export function refuseUsedNumber(kind: TreasuryDocumentKind, number: string, used: boolean): void {
  if (used) {
    throw fieldRefusal(
      'number',
      'treasury.number.duplicate',
      `Nomor ${kind.toUpperCase()} ${number} sudah dipakai di wilayah ini pada tahun yang sama`,
      'conflict',
    );
  }
}

export function requireLive<D extends DocumentBase>(
  documents: Map<string, D>,
  number: string,
  field: string,
  kind: TreasuryDocumentKind,
): D {
  const document = documents.get(number);
  if (!document) {
    throw fieldRefusal(
      field,
      `treasury.${kind}.unknown`,
      `${kind.toUpperCase()} ${number} belum tercatat pada tahun anggaran ini`,
    );
  }
  if (document.cancelled) {
    throw new RuleViolation(
      `treasury.${kind}.cancelled`,
      `${kind.toUpperCase()} ${number} sudah dibatalkan pada ${document.cancelled.cancelledOn}`,
      'conflict',
      { field },
      [
        {
          field,
          rule: `treasury.${kind}.cancelled`,
          message: `${kind.toUpperCase()} ${number} sudah dibatalkan`,
        },
      ],
    );
  }
  return document;
}

/**
 * A document drawn on its parent (an SPM on its SPP, an SP2D on its SPM): on the same account
 * code, not dated before it, and with the live children of the parent — `taken` — never above
 * it. The rules are named by the child's kind and the parent's (`sp2d.amount.exceedsSpm`).
 */
export function checkAgainstParent(
  child: { kind: TreasuryDocumentKind; accountCode: string; date: string; amount: number },
  parent: DocumentBase & { accountCode: string; date: string; amount: number },
  parentKind: TreasuryDocumentKind,
  taken: number,
): void {
  const Child = child.kind.toUpperCase();
  const Parent = parentKind.toUpperCase();
  const ParentRule = parentKind.charAt(0).toUpperCase() + parentKind.slice(1);
  if (parent.accountCode !== child.accountCode) {
    throw fieldRefusal(
      'accountCode',
      `${child.kind}.accountCode.mismatch`,
      `Kode rekening ${Child} harus sama dengan ${Parent} ${parent.number} (${parent.accountCode})`,
    );
  }
  if (child.date < parent.date) {
    throw fieldRefusal(
      'date',
      `${child.kind}.date.before${ParentRule}`,
      `Tanggal ${Child} tidak boleh sebelum tanggal ${Parent} (${parent.date})`,
    );
  }
  if (taken + child.amount > parent.amount) {
    throw fieldRefusal(
      'amount',
      `${child.kind}.amount.exceeds${ParentRule}`,
      `Nilai ${Child} melebihi sisa ${Parent} ${parent.number}: sisa Rp${(parent.amount - taken).toLocaleString('id-ID')}`,
      'unprocessable',
      { remaining: parent.amount - taken },
    );
  }
}
