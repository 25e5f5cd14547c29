import type { TreasuryEvent } from './treasury.events';
import { evolveTreasury, initialTreasuryState, type TreasuryState } from './treasury.state';

/** A Muara Enim program's 2026 treasury, for the deciders' specs. */
export const PROGRAM = 'p1';
export const YEAR = 2026;
export const ACCOUNT = '5.1.02.01.01.0001';
export const STREAM = `treasury-${PROGRAM}_${YEAR}`;

const base = { programId: PROGRAM, fiscalYear: YEAR };

export const lineSet = (amount: number, previousAmount: number | null = null): TreasuryEvent => ({
  type: 'BudgetLineSet',
  data: {
    ...base,
    accountCode: ACCOUNT,
    document: previousAmount === null ? 'DPA' : 'APBD-P',
    fundingSource: 'PAD',
    amount,
    previousAmount,
    setOn: '2026-01-02',
  },
});

export const sppRecorded = (number: string, amount: number): TreasuryEvent => ({
  type: 'SppRecorded',
  data: { ...base, number, date: '2026-01-10', amount, accountCode: ACCOUNT },
});

export const spmRecorded = (number: string, sppNumber: string, amount: number): TreasuryEvent => ({
  type: 'SpmRecorded',
  data: { ...base, number, date: '2026-01-12', amount, accountCode: ACCOUNT, sppNumber },
});

export const sp2dRecorded = (number: string, spmNumber: string, amount: number): TreasuryEvent => ({
  type: 'Sp2dRecorded',
  data: {
    ...base,
    number,
    date: '2026-01-14',
    amount,
    accountCode: ACCOUNT,
    spmNumber,
    sp2dType: 'LS',
    lsType: 'Pihak Ketiga',
    recipient: 'BPJS Ketenagakerjaan Cabang Prabumulih',
    bank: 'Bank Sumsel Babel',
    deductions: [],
  },
});

export const cancelled = (kind: 'spp' | 'spm' | 'sp2d', number: string): TreasuryEvent => ({
  type: 'TreasuryDocumentCancelled',
  data: { ...base, kind, number, reason: 'salah nilai', cancelledOn: '2026-01-20' },
});

export const treasuryOf = (events: TreasuryEvent[]): TreasuryState =>
  events.reduce(evolveTreasury, initialTreasuryState());

/** The usual chain: a line of Rp1 billion, SPP and SPM of Rp500 million. */
export const chain = (): TreasuryEvent[] => [
  lineSet(1_000_000_000),
  sppRecorded('SPP-1', 500_000_000),
  spmRecorded('SPM-1', 'SPP-1', 500_000_000),
];
