import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import type { BillLine } from '@ledger/ledger/contributions/bpjs-bill/bpjs-bill.events';
import { bpjsBill, reportLines } from './bpjs-bill.query';

const INVOICE = 'p1_2026-03';
const STREAM = 'dues-p1_2026-03';
const line = (row: number | null, differences: BillLine['differences'], nikKey: string | null): BillLine => ({
  row,
  line: row === null ? 4 : row - 2,
  enrollmentId: row === null ? 'e-4' : `e-${row}`,
  nikKey,
  maskedNik: nikKey ? '160301******0001' : null,
  maskedKpj: null,
  period: '2026-03',
  billedAmount: row === null ? null : 16_800,
  invoicedAmount: differences.includes('tidak_tercakup') ? null : 16_800,
  differences,
});
const recordedBill = (billId: string, version: number, lineCount: number) => ({
  type: 'BpjsBillRecorded',
  data: {
    invoiceId: INVOICE,
    billId,
    version,
    source: 'file',
    file: { name: `tagihan-v${version}.csv`, sha256: 'a'.repeat(64) },
    receivedOn: '2026-03-20',
    billed: { lines: lineCount, amount: lineCount * 16_800 },
    invoiced: { lines: 3, amount: 50_400 },
    difference: (lineCount - 3) * 16_800,
    differenceCounts: version === 1 ? { tidak_ditagih: 1 } : { tidak_tercakup: 1, tidak_ditagih: 1 },
    lineCount,
    matchedRows: 2,
  },
});
const metadata = () => ({
  eventId: randomUUID(),
  occurredAt: '2026-03-20T02:00:00.000Z',
  actor: { id: 'admin', role: 'program_admin', region: '1603' },
  schemaVersion: 1,
});

describe('the BPJS bill of an invoice, read from its dues stream', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-bpjs-bill-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
    const v1Lines = [line(3, [], 'k3'), line(4, [], 'k4'), line(null, ['tidak_ditagih'], null)];
    const v2Lines = [
      line(3, [], 'k3'),
      line(9, ['tidak_tercakup'], 'k9'),
      line(null, ['tidak_ditagih'], null),
    ];
    const events = [
      {
        type: 'InvoiceIssued',
        data: { invoiceId: INVOICE, programId: 'p1', month: '2026-03', ownerRegion: '1603' },
      },
      recordedBill('b1', 1, 2),
      {
        type: 'BpjsBillLinesRecorded',
        data: { invoiceId: INVOICE, billId: 'b1', fromIndex: 0, lines: v1Lines },
      },
      recordedBill('b2', 2, 2),
      {
        type: 'BpjsBillLinesRecorded',
        data: { invoiceId: INVOICE, billId: 'b2', fromIndex: 0, lines: v2Lines },
      },
    ];
    for (const event of events)
      await store.append([
        { streamId: STREAM, expected: 'any', events: [{ ...event, metadata: metadata() }] },
      ]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the latest version with its own lines, and an earlier one when asked', async () => {
    const latest = await bpjsBill(store, INVOICE);
    expect(latest?.report).toMatchObject({
      invoiceId: INVOICE,
      programId: 'p1',
      month: '2026-03',
      ownerRegion: '1603',
      billId: 'b2',
      version: 2,
      versions: 2,
      lineCount: 2,
    });
    expect(latest?.report.differences.filter((d) => d.lines > 0).map((d) => [d.code, d.lines])).toEqual([
      ['tidak_tercakup', 1],
      ['tidak_ditagih', 1],
    ]);
    expect(latest?.lines.map((l) => l.row)).toEqual([3, 9, null]);
    const first = await bpjsBill(store, INVOICE, 1);
    expect(first?.report).toMatchObject({ billId: 'b1', version: 1, versions: 2 });
    expect(first?.lines.map((l) => l.row)).toEqual([3, 4, null]);
  });

  it('answers nothing for a version never recorded, an invoice without a bill, and an id that is no invoice', async () => {
    expect(await bpjsBill(store, INVOICE, 3)).toBeUndefined();
    expect(await bpjsBill(store, 'p1_2026-04')).toBeUndefined();
    expect(await bpjsBill(store, 'not-an-invoice')).toBeUndefined();
  });

  it('shows the lines without the NIK key, each difference labelled, filtered by difference or matching', async () => {
    const { lines } = (await bpjsBill(store, INVOICE))!;
    const shown = reportLines(lines);
    expect(JSON.stringify(shown)).not.toContain('k9');
    expect(shown[1]).toMatchObject({
      index: 1,
      row: 9,
      differences: [{ code: 'tidak_tercakup', label: 'Ditagih tetapi tidak tercakup' }],
    });
    expect(reportLines(lines, { difference: 'cocok' }).map((l) => l.row)).toEqual([3]);
    expect(reportLines(lines, { difference: 'tidak_ditagih' }).map((l) => l.index)).toEqual([2]);
  });
});
