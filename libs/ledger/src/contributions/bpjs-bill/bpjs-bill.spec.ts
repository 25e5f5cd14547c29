import ExcelJS from 'exceljs';
import { specFor } from '../../shared/decider-spec';
import type { DuesEvent, InvoiceTerms } from '../contribution.events';
import { columnMappingOf } from './bpjs-bill-columns';
import { parseBillFile, type BillRow } from './bpjs-bill-file';
import {
  decideBpjsBill,
  evolveBill,
  initialBillState,
  type BilledRow,
  type RecordBpjsBill,
} from './bpjs-bill.decider';
import type { BillLine, BpjsBillEvent } from './bpjs-bill.events';

const terms: InvoiceTerms = {
  invoiceId: 'p1_2026-10',
  programId: 'p1',
  month: '2026-10',
  payer: '1603',
  ownerRegion: '1603',
  benefitPackage: 'JKK_JKM',
  breakdown: { jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 },
  lineAmount: 16_800,
  dueDate: '2026-10-15',
  monthRule: 'any_day',
};
const issued: DuesEvent[] = [
  {
    type: 'InvoiceIssued',
    data: {
      ...terms,
      lineCount: 4,
      totalAmount: 67_200,
      rosterDigest: 'x',
      frozenAtPosition: 9,
      issuedOn: '2026-10-01',
    },
  },
  {
    type: 'InvoiceLinesFrozen',
    data: { invoiceId: terms.invoiceId, fromLine: 0, enrollmentIds: ['e0', 'e1', 'e2', 'e3'] },
  },
];
const spec = specFor<
  ReturnType<typeof initialBillState>,
  DuesEvent | BpjsBillEvent,
  RecordBpjsBill,
  BpjsBillEvent[]
>({
  initialState: initialBillState,
  evolve: evolveBill,
  decide: decideBpjsBill,
});

const row = (n: number, key: string, enrollmentIds: string[], extra: Partial<BilledRow> = {}): BilledRow => ({
  row: n,
  nikKey: key,
  maskedNik: '1603**********01',
  kpjKey: null,
  maskedKpj: null,
  period: '2026-10',
  amount: 16_800,
  enrollmentIds,
  ...extra,
});
const file = { name: 'tagihan.csv', sha256: 'f'.repeat(64), format: 'csv' as const };
const bill = (rows: BilledRow[]): RecordBpjsBill => ({
  type: 'RecordBpjsBill',
  invoiceId: terms.invoiceId,
  receivedOn: '2026-10-20',
  source: 'file',
  file,
  rows,
});
const linesOf = (events: BpjsBillEvent[]): BillLine[] =>
  events.flatMap((e) => (e.type === 'BpjsBillLinesRecorded' ? e.data.lines : []));

describe('comparing a BPJS bill with the frozen roster', () => {
  it('lists every kind of difference per line, with the control totals of both sides', () => {
    const events = decideBpjsBill(
      bill([
        row(2, 'k0', ['e0']), // matches line 0
        row(3, 'k1', ['old', 'e1'], { amount: 36_800 }), // line 1, amount differs
        row(4, 'k0', ['e0']), // billed twice
        row(5, 'kx', ['other-program']), // not covered by this invoice
        row(6, 'k3', ['e3'], { maskedNik: '1271**********02' }), // outside the payer's region
        row(7, 'k9', [], { nikKey: null, maskedNik: null, kpjKey: 'KPJ1', maskedKpj: 'KP**J1' }), // KPJ only
        row(8, 'k2', ['e2'], { period: '2026-09' }), // other month
      ]),
      [...issued].reduce(evolveBill, initialBillState()),
    );
    const [head] = events;
    expect(head).toMatchObject({
      type: 'BpjsBillRecorded',
      data: {
        billId: 'p1_2026-10_bpjs_1',
        version: 1,
        billed: { participants: 7, amount: 6 * 16_800 + 36_800 },
        invoiced: { participants: 4, amount: 67_200 },
        difference: { participants: 3, amount: 2 * 16_800 + 36_800 },
        differenceCounts: {
          tidak_tercakup: 1,
          tidak_ditagih: 0,
          jumlah_berbeda: 1,
          ganda: 1,
          luar_wilayah: 1,
          periode_berbeda: 1,
          tanpa_nik: 1,
        },
        lineCount: 7,
        matchedRows: 1,
      },
    });
    expect(linesOf(events).map((l) => [l.row, l.line, l.differences])).toEqual([
      [2, 0, []],
      [3, 1, ['jumlah_berbeda']],
      [4, 0, ['ganda']],
      [5, null, ['tidak_tercakup']],
      [6, 3, ['luar_wilayah']],
      [7, null, ['tanpa_nik']],
      [8, 2, ['periode_berbeda']],
    ]);
    expect(linesOf(events)[2].firstRow).toBe(2);
  });

  it('lists the active lines the bill leaves out, never a cancelled one, and bills on a cancelled line as not covered', () => {
    const adjusted: DuesEvent = {
      type: 'InvoiceAdjusted',
      data: {
        invoiceId: terms.invoiceId,
        adjustmentId: 'a1',
        reason: 'coverage_not_owed',
        note: null,
        addedLines: 0,
        cancelledLines: [2],
        amountDelta: -16_800,
        lineCountAfter: 3,
        totalAfter: 50_400,
        adjustedOn: '2026-10-05',
      },
    };
    const events = decideBpjsBill(
      bill([row(2, 'k0', ['e0']), row(3, 'k2', ['e2'])]),
      [...issued, adjusted].reduce(evolveBill, initialBillState()),
    );
    expect(linesOf(events).map((l) => [l.row, l.line, l.enrollmentId, l.differences])).toEqual([
      [2, 0, 'e0', []],
      [3, null, null, ['tidak_tercakup']],
      [null, 1, 'e1', ['tidak_ditagih']],
      [null, 3, 'e3', ['tidak_ditagih']],
    ]);
    expect(events[0]).toMatchObject({ data: { invoiced: { participants: 3, amount: 50_400 } } });
  });

  it('records a bill again for the same invoice as the next version', () => {
    const first = decideBpjsBill(
      bill([row(2, 'k0', ['e0'])]),
      [...issued].reduce(evolveBill, initialBillState()),
    );
    spec([...issued, ...first])
      .when({ ...bill([row(2, 'k0', ['e0'])]) })
      .then(
        decideBpjsBill(bill([row(2, 'k0', ['e0'])]), [...issued].reduce(evolveBill, initialBillState())).map(
          (e) =>
            e.type === 'BpjsBillRecorded'
              ? { ...e, data: { ...e.data, version: 2, billId: 'p1_2026-10_bpjs_2' } }
              : { ...e, data: { ...e.data, billId: 'p1_2026-10_bpjs_2' } },
        ) as BpjsBillEvent[],
      );
  });

  it('compares a totals-only bill with the invoice', () => {
    spec(issued)
      .when({
        type: 'RecordBpjsBill',
        invoiceId: terms.invoiceId,
        receivedOn: '2026-10-20',
        source: 'totals',
        billed: { participants: 5, amount: 84_000 },
      })
      .then([
        {
          type: 'BpjsBillRecorded',
          data: {
            invoiceId: terms.invoiceId,
            billId: 'p1_2026-10_bpjs_1',
            version: 1,
            source: 'totals',
            file: null,
            receivedOn: '2026-10-20',
            billed: { participants: 5, amount: 84_000 },
            invoiced: { participants: 4, amount: 67_200 },
            difference: { participants: 1, amount: 16_800 },
            differenceCounts: {
              tidak_tercakup: 0,
              tidak_ditagih: 0,
              jumlah_berbeda: 0,
              ganda: 0,
              luar_wilayah: 0,
              periode_berbeda: 0,
              tanpa_nik: 0,
            },
            lineCount: 0,
            matchedRows: 0,
          },
        },
      ]);
  });

  it('chunks the lines into bounded events', () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => row(i + 2, `n${i}`, []));
    const events = decideBpjsBill(bill(rows), [...issued].reduce(evolveBill, initialBillState()));
    expect(
      events.map((e) =>
        e.type === 'BpjsBillLinesRecorded' ? [e.data.fromIndex, e.data.lines.length] : e.type,
      ),
    ).toEqual(['BpjsBillRecorded', [0, 1_000], [1_000, 1_000], [2_000, 504]]);
  });

  it('refuses an unknown invoice, a cancelled one and a file without rows', () => {
    spec([])
      .when(bill([row(2, 'k0', ['e0'])]))
      .thenThrows('invoice.notFound', 'not_found');
    spec([
      ...issued,
      {
        type: 'InvoiceCancelled',
        data: { invoiceId: terms.invoiceId, reason: 'x', cancelledOn: '2026-10-02' },
      },
    ])
      .when(bill([row(2, 'k0', ['e0'])]))
      .thenThrows('invoice.cancelled', 'conflict');
    spec(issued).when(bill([])).thenThrows('bill.file.noRows', 'unprocessable');
  });

  it('holds a province payer to its own regencies', () => {
    const province = [
      { ...issued[0], data: { ...issued[0].data, ownerRegion: '16' } } as DuesEvent,
      issued[1],
    ];
    const lines = linesOf(
      decideBpjsBill(
        bill([
          row(2, 'k0', ['e0'], { maskedNik: '1671**********01' }),
          row(3, 'k1', ['e1'], { maskedNik: '1571**********01' }),
        ]),
        province.reduce(evolveBill, initialBillState()),
      ),
    );
    expect(lines.slice(0, 2).map((l) => l.differences)).toEqual([[], ['luar_wilayah']]);
  });
});

async function rowsOf(content: Buffer, format: 'csv' | 'xlsx', mapping = {}): Promise<BillRow[]> {
  const rows: BillRow[] = [];
  for await (const r of parseBillFile(content, format, mapping)) rows.push(r);
  return rows;
}

describe('reading a BPJS bill', () => {
  it('reads Indonesian headers below a title row, amounts and periods as Indonesian sheets write them', async () => {
    const csv = Buffer.from(
      [
        'TAGIHAN IURAN BPU OKTOBER 2026;;;;',
        'No;NIK;Nama Peserta;Periode;Jumlah Iuran',
        '1;1603010101900001;Siti;Oktober 2026;Rp16.800',
        '2;1603 0101 0190 0002;Budi;10/2026;16.800,00',
        '3;1603010101900003;Ani;2026-10;16800',
        '4;1603010101900004;Eko;Okt-26;"16,800"',
        ';;TOTAL;;Rp67.200',
      ].join('\r\n'),
    );
    const rows = await rowsOf(csv, 'csv');
    expect(rows.map((r) => [r.rowNumber, r.values, r.problems])).toEqual([
      [3, { nik: '1603010101900001', period: '2026-10', amount: 16_800 }, []],
      [4, { nik: '1603010101900002', period: '2026-10', amount: 16_800 }, []],
      [5, { nik: '1603010101900003', period: '2026-10', amount: 16_800 }, []],
      [6, { nik: '1603010101900004', period: '2026-10', amount: 16_800 }, []],
    ]);
  });

  it('reads English headers and a KPJ column from an XLSX, numbers and dates as cells', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Bill');
    sheet.addRow(['KPJ Number', 'ID Number', 'Name', 'Period', 'Amount']);
    sheet.addRow(['25012345678', '1603010101900001', 'Siti', new Date(Date.UTC(2026, 9, 1)), 16800]);
    sheet.addRow([25012345679, '', 'Budi', 202610, 16800]);
    const rows = await rowsOf(Buffer.from(await book.xlsx.writeBuffer()), 'xlsx');
    expect(rows.map((r) => r.values)).toEqual([
      { kpj: '25012345678', nik: '1603010101900001', period: '2026-10', amount: 16_800 },
      { kpj: '25012345679', period: '2026-10', amount: 16_800 },
    ]);
  });

  it('reads an unknown layout by the columns the caller names: header text, letter or number', async () => {
    const csv = Buffer.from('Identitas;Nm;Bln;Rupiah Ditagih\n1603010101900001;Siti;2026-10;16800\n');
    const mapping = columnMappingOf({
      'columns[nik]': 'Identitas',
      'columns[period]': 'C',
      'columns[amount]': '4',
    });
    const rows = await rowsOf(csv, 'csv', mapping);
    expect(rows.map((r) => r.values)).toEqual([
      { nik: '1603010101900001', period: '2026-10', amount: 16_800 },
    ]);
    await expect(
      rowsOf(Buffer.from('NIK;Jumlah\n1603010101900001;16800\n'), 'csv', { amount: 'Rupiah Ditagih' }),
    ).rejects.toMatchObject({ rule: 'bill.columns.notFound', details: { row: 1, field: 'columns[amount]' } });
    expect(() => columnMappingOf({ 'columns[nama_ibu]': 'x' })).toThrow(
      expect.objectContaining({ rule: 'bill.columns.unknown' }),
    );
  });

  it('reports the cells it cannot read per row and field, without repeating them', async () => {
    const csv = Buffer.from(
      'NIK;Periode;Iuran\n1603010101;2026-10;16800\n1603010101900002;kemarin;16800,5\n1603010101900003;2026-10;-16800\n;2026-10;16800\n',
    );
    const rows = await rowsOf(csv, 'csv');
    expect(rows.map((r) => [r.rowNumber, r.problems.map((p) => `${p.field}:${p.rule}`)])).toEqual([
      [2, ['nik:bill.nik.format']],
      [3, ['period:bill.period.format', 'amount:bill.amount.format']],
      [4, ['amount:bill.amount.negative']],
      [5, ['nik:bill.nik.required']],
    ]);
    expect(JSON.stringify(rows.map((r) => r.problems))).not.toMatch(/1603|kemarin|16800,5/);
  });

  it('refuses a file without the required columns, naming them and the row', async () => {
    await expect(rowsOf(Buffer.from('Nama;Alamat\nSiti;Jl. Mawar\n'), 'csv')).rejects.toMatchObject({
      rule: 'import.header.missing',
      details: { row: 1, columns: ['NIK atau Nomor KPJ', 'Iuran'] },
    });
    await expect(
      rowsOf(Buffer.from('NIK;Iuran;Jumlah\n1603010101900001;1;1\n'), 'csv'),
    ).rejects.toMatchObject({
      rule: 'import.header.duplicate',
    });
  });
});
