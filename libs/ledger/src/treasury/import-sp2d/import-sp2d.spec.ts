import { ACCOUNT, PROGRAM, chain, treasuryOf } from '../treasury.examples';
import { evolveTreasury } from '../treasury.state';
import { decideImportSp2d, type ImportSp2d } from './import-sp2d.decider';
import { dayOf, parseSp2dFile, rupiahOf, type Sp2dFileRow } from './sp2d-file';

const row = (rowNumber: number, over: Partial<Sp2dFileRow['values']> = {}): Sp2dFileRow => ({
  rowNumber,
  values: {
    number: `SP2D-${rowNumber}`,
    date: '2026-01-14',
    amount: 300_000_000,
    sp2dType: 'ls',
    spmNumber: 'spm-1',
    accountCode: ACCOUNT,
    recipient: 'BPJS Ketenagakerjaan',
    bank: 'Bank Sumsel Babel',
    ...over,
  },
  problems: [],
});

const command = (rows: Sp2dFileRow[], usedNumbers: string[] = []): ImportSp2d => ({
  type: 'ImportSp2d',
  importId: 'imp1',
  programId: PROGRAM,
  regionCode: '1603',
  fiscalYear: 2026,
  rows,
  usedNumbers: new Set(usedNumbers),
});

describe('importing an SP2D export', () => {
  it('decides rows in order against what the rows before left: two rows never exceed their SPM together', () => {
    const { events, report } = decideImportSp2d(command([row(2), row(3)]), treasuryOf(chain()));
    expect(report.map((r) => [r.row, r.status, r.rule, r.field])).toEqual([
      [2, 'recorded', null, null],
      [3, 'refused', 'sp2d.amount.exceedsSpm', 'nilai_sp_2_d'],
    ]);
    expect(events.map((e) => e.event.type)).toEqual(['Sp2dRecorded', 'TreasuryNumberClaimed']);
    expect(events[0].event.data).toMatchObject({ spmNumber: 'SPM-1', sp2dType: 'LS', importId: 'imp1' });
  });

  it('a row already recorded with the same SPM, day and amount is reported and writes nothing', () => {
    const first = decideImportSp2d(command([row(2)]), treasuryOf(chain()));
    const after = first.events
      .filter((e) => e.event.type !== 'TreasuryNumberClaimed')
      .reduce((s, e) => evolveTreasury(s, e.event as never), treasuryOf(chain()));
    const again = decideImportSp2d(command([row(2), row(3, { number: 'SP2D-2', amount: 1 })]), after);
    expect(again.events).toEqual([]);
    expect(again.report.map((r) => [r.status, r.rule])).toEqual([
      ['already_recorded', null],
      ['refused', 'treasury.number.duplicate'],
    ]);
  });

  it('refuses a number taken elsewhere in the regency, another year, and a cell that cannot be read', () => {
    const problem: Sp2dFileRow = {
      ...row(4),
      problems: [{ field: 'date', rule: 'tanggal_sp_2_d.date', message: 'bukan tanggal' }],
    };
    const { report } = decideImportSp2d(
      command([row(2), row(3, { date: '2025-12-30' }), problem], ['SP2D-2']),
      treasuryOf(chain()),
    );
    expect(report.map((r) => [r.rule, r.field])).toEqual([
      ['treasury.number.duplicate', 'nomor_sp_2_d'],
      ['sp2d.import.fiscalYear', 'tanggal_sp_2_d'],
      ['tanggal_sp_2_d.date', 'tanggal_sp_2_d'],
    ]);
  });
});

describe('reading an SP2D export', () => {
  it('reads days and rupiah as exports write them, and nothing else', () => {
    expect(dayOf('14/01/2026')).toBe('2026-01-14');
    expect(dayOf('2026-01-14 00:00:00')).toBe('2026-01-14');
    expect(dayOf('31/02/2026')).toBeUndefined();
    expect(rupiahOf('Rp449.820.000')).toBe(449_820_000);
    expect(rupiahOf('449.820.000,00')).toBe(449_820_000);
    expect(rupiahOf(16_800)).toBe(16_800);
    expect(rupiahOf('16.800,50')).toBeUndefined();
    expect(rupiahOf(1.5)).toBeUndefined();
  });

  it('finds the header by SIPD names or Indonesian labels below a title row', async () => {
    const csv = Buffer.from(
      'REKAP SP2D\r\nNo SP2D;Tanggal SP2D;nilai_sp_2_d;Jenis SP2D;Nomor SPM;Kode Rekening;Pihak Ketiga;Bank\r\n' +
        `A-1;14/01/2026;Rp1.000;LS;M-1;${ACCOUNT};BPJS;Bank Sumsel Babel\r\n;;;;;;;\r\n` +
        `A-2;14/01/2026;1000;LS;M-1;${ACCOUNT};Budi 1603011204900001;Bank\r\n`,
    );
    const rows: Sp2dFileRow[] = [];
    for await (const r of parseSp2dFile(csv, 'csv')) rows.push(r);
    expect(rows).toEqual([
      {
        rowNumber: 3,
        values: {
          number: 'A-1',
          date: '2026-01-14',
          amount: 1_000,
          sp2dType: 'LS',
          spmNumber: 'M-1',
          accountCode: ACCOUNT,
          recipient: 'BPJS',
          bank: 'Bank Sumsel Babel',
        },
        problems: [],
      },
      expect.objectContaining({
        rowNumber: 5,
        problems: [
          {
            field: 'recipient',
            rule: 'nama_pihak_ketiga.noNik',
            message: 'memuat angka 16 digit seperti NIK',
          },
        ],
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain('1603011204900001');
  });
});
