import type { ExistingProgram } from '../programs/program.state';
import type { DuesEvent } from './contribution.events';
import { allocate, evolveDues, initialDuesState, type DuesState, type InvoiceState } from './dues.state';

/** A regency's program of October–December 2025 at Rp16,800 a line, as the contributions' specs start from it. */
export const program: ExistingProgram = {
  status: 'open',
  programId: 'p1',
  closedOn: null,
  terms: {
    name: 'Perlindungan Pekerja Rentan Muara Enim 2025',
    ownerRegion: '1603',
    payer: 'Pemerintah Kabupaten Muara Enim',
    fundingSource: 'APBD',
    benefitPackage: 'JKK_JKM',
    declaredIncome: 1_000_000,
    contribution: { jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 },
    period: { from: '2025-10-01', to: '2025-12-31' },
    quota: 100,
    ageCap: 65,
    eligibleOccupations: null,
    budgetCeiling: null,
    backfillToleranceDays: 7,
  },
};

export const LINE = 16_800;

/** October's invoice of `p1` with the given enrollment ids as its lines. */
export function issuedEvents(enrollmentIds: string[], invoiceId = 'p1_2025-10'): DuesEvent[] {
  return [
    {
      type: 'InvoiceIssued',
      data: {
        invoiceId,
        programId: 'p1',
        month: '2025-10',
        payer: program.terms.payer,
        ownerRegion: '1603',
        benefitPackage: 'JKK_JKM',
        breakdown: program.terms.contribution,
        lineAmount: LINE,
        dueDate: '2025-10-15',
        monthRule: 'any_day',
        lineCount: enrollmentIds.length,
        totalAmount: enrollmentIds.length * LINE,
        rosterDigest: 'digest',
        frozenAtPosition: 10,
        issuedOn: '2025-10-01',
      },
    },
    { type: 'InvoiceLinesFrozen', data: { invoiceId, fromLine: 0, enrollmentIds } },
  ];
}

export function paymentEvent(
  paidBefore: number,
  amount: number,
  lines: number[],
  invoiceId = 'p1_2025-10',
): DuesEvent {
  return {
    type: 'PaymentRecorded',
    data: {
      invoiceId,
      paymentId: `pay-${paidBefore}`,
      amount,
      paidOn: '2025-10-10',
      reference: `REF-${paidBefore}`,
      sp2dNumber: null,
      allocation: allocate(paidBefore, paidBefore + amount, lines, LINE),
    },
  };
}

export const foldDues = (events: DuesEvent[]): DuesState => events.reduce(evolveDues, initialDuesState());
export const invoiceOf = (events: DuesEvent[]): InvoiceState => foldDues(events).invoices.at(-1)!;

export const ruleOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return (error as { rule?: string }).rule;
  }
  return undefined;
};
