import type { TreasuryProgram } from './seed-treasury';

const months = (from: number, to: number, year = 2025) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${year}-${String(from + i).padStart(2, '0')}`);

/**
 * The demo's treasury, program by program (keyed by the demo's labels): where each regency pays
 * from and through which bank, and the one month of each deliberate difference. Every other
 * month is clean: billed exactly and paid by one SP2D of exactly the invoice.
 */
/** The label of the lapse case's program (seeded apart from the demo's table of programs). */
export const LAPSE_PROGRAM = 'Guru Ngaji dan Marbot, PALI';

export const DEMO_TREASURY: Record<string, Omit<TreasuryProgram, 'label' | 'programId'>> = {
  'Satu Nagari 100 Pekerja Rentan, Sijunjung': {
    regionCode: '1303',
    fundingSource: 'APBD',
    recipient: 'BPJS Ketenagakerjaan Cabang Solok',
    bank: 'Bank Nagari',
    months: months(10, 12),
    plan: {
      // BPJS sent no bill for November.
      '2025-11': { notBilled: true },
      // December's SP2D was drawn for ten lines more than the invoice.
      '2025-12': { paidMore: 10 * 16_800 },
    },
  },
  'Aparatur Desa, Muara Enim': {
    regionCode: '1603',
    fundingSource: 'APBD',
    recipient: 'BPJS Ketenagakerjaan Cabang Muara Enim',
    bank: 'Bank Sumsel Babel',
    months: months(10, 12),
    plan: {
      // October's invoice was paid again by a second SP2D from its own SPM.
      '2025-10': { paidTwice: true },
      // December was paid in January, by an SP2D of the next fiscal year.
      '2025-12': { sp2d: { date: '2026-01-14', number: '0007/SP2D/LS/2026' } },
    },
  },
  'Petani Sawit, Muara Enim': {
    regionCode: '1603',
    fundingSource: 'DBHCHT',
    recipient: 'BPJS Ketenagakerjaan Cabang Muara Enim',
    bank: 'Bank Sumsel Babel',
    months: months(10, 12),
    // November's bill asks one line more than the roster.
    plan: { '2025-11': { billedMore: true } },
  },
  'Pekerja Rentan, Sarolangun': {
    regionCode: '1503',
    fundingSource: 'APBD',
    recipient: 'BPJS Ketenagakerjaan Cabang Jambi',
    bank: 'Bank Jambi',
    months: months(10, 12),
    plan: {
      // An SP2D of November to BPJS that names no invoice.
      '2025-11': { unlinkedSp2d: 200 * 16_800 },
      // Half of December, as its payment of 12 December.
      '2025-12': { paidShare: 0.5, sp2d: { date: '2025-12-11' } },
    },
  },
  'Pekerja Informal, PALI': {
    regionCode: '1612',
    fundingSource: 'APBD',
    recipient: 'BPJS Ketenagakerjaan Cabang Prabumulih',
    bank: 'Bank Sumsel Babel',
    months: months(10, 12),
    // The APBD-P cut the line by three lines' worth after December's SP2D was drawn.
    plan: { '2025-12': { beyondLine: 3 * 16_800 } },
  },
  [LAPSE_PROGRAM]: {
    regionCode: '1612',
    fundingSource: 'APBD',
    recipient: 'BPJS Ketenagakerjaan Cabang Prabumulih',
    bank: 'Bank Sumsel Babel',
    months: months(1, 12),
    // August's bill file names the eleven workers and one person the roster does not hold.
    plan: { '2025-08': { strangerBilled: true } },
  },
};
