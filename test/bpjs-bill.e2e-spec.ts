/**
 * The bill BPJS sends, over HTTP, once on SQLite and once on PostgreSQL: a Muara Enim program
 * with five workers covered in January, its January invoice, and a bill file whose rows hold
 * every kind of difference (an amount, a NIK billed twice, a NIK not covered, a NIK of another
 * regency, another month, a KPJ number only, two lines not billed). Then the totals-only entry,
 * an unknown layout read with mapped columns, the report as CSV and XLSX, and malformed bills
 * refused with a problem naming the row and the column, leaving the log unchanged.
 */
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import {
  startLedgerApp,
  todayWib,
  XLSX_TYPE,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import {
  currentPeriod,
  EMBAWANG,
  MUARA_ENIM,
  programBody,
  proposal,
  TIMBULUN,
} from './support/ledger-fixtures';

/** A multipart form: text fields first (the upload reads them before the file), then the file. */
function form(fields: Record<string, string>, fileName: string, type: string, content: Buffer) {
  const boundary = `----bill-${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const payload = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const csv = (lines: string[][]) => Buffer.from(lines.map((l) => l.join(';')).join('\r\n'));

function billSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let programId: string;
  let invoiceId: string;
  const year = Number(currentPeriod().from.slice(0, 4));
  const month = `${year}-01`;
  const workers: SyntheticPerson[] = [];
  let stranger: SyntheticPerson;
  let outsider: SyntheticPerson;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    const people = createPeopleGenerator({ seed: 1_313, today: todayWib() });
    for (let i = 0; i < 5; i++) workers.push(people.next({ villageCode: EMBAWANG, maxAge: 50 }));
    stranger = people.next({ villageCode: EMBAWANG, maxAge: 50 });
    outsider = people.next({ villageCode: TIMBULUN, maxAge: 50 });
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const head = () => ledger.runtime.store.headPosition();
  const upload = (
    fields: Record<string, string>,
    fileName: string,
    type: string,
    content: Buffer,
    token = finance,
    extra: Record<string, string> = {},
  ) => {
    const { payload, headers } = form(fields, fileName, type, content);
    return ledger.post(`/api/invoices/${invoiceId}/bpjs-bill`, token, payload, { ...headers, ...extra });
  };

  async function refused(send: () => Promise<ApiResponse>, status: number, rule: string) {
    const before = await head();
    const response = await send();
    expect({ status: response.status, type: response.body?.type }).toEqual({
      status,
      type: `https://ledger.example.id/problems/${rule}`,
    });
    expect(await head()).toBe(before);
    return response;
  }

  it('five workers covered in January and the January invoice', async () => {
    const established = await ledger.post(
      '/api/programs',
      admin,
      programBody({ name: 'Program Tagihan BPJS' }),
    );
    expect(established.status).toBe(201);
    programId = established.body.programId;
    for (const worker of workers) {
      const proposed = await ledger.post(`/api/programs/${programId}/enrollments`, admin, {
        ...proposal(worker),
        coverageFrom: `${year}-01-01`,
      });
      expect(proposed.status).toBe(201);
      const approved = await ledger.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, admin, {
        coverageFrom: `${year}-01-01`,
      });
      expect(approved.status).toBe(200);
    }
    const issued = await ledger.post(`/api/programs/${programId}/invoices`, finance, { month });
    expect(issued.status).toBe(201);
    invoiceId = issued.body.invoiceId;
    expect(invoiceId).toBe(`${programId}_${month}`);
  });

  it('a bill file with every kind of difference is reported with each, per line, with both control totals', async () => {
    const [w0, w1, w2] = workers;
    const file = csv([
      ['TAGIHAN IURAN BPU', '', '', '', '', ''],
      ['No', 'NIK', 'No KPJ', 'Nama Peserta', 'Periode', 'Jumlah Iuran'],
      ['1', w0.nik, '', w0.name, `01/${year}`, 'Rp16.800'],
      ['2', w1.nik, '', w1.name, month, '36.800'],
      ['3', w0.nik, '', w0.name, month, '16800'],
      ['4', stranger.nik, '', stranger.name, month, '16800'],
      ['5', outsider.nik, '', outsider.name, month, '16800'],
      ['6', w2.nik, '', w2.name, `${year}-02`, '16800'],
      ['7', '', '25012345678', 'Tanpa NIK', month, '16800'],
    ]);
    const response = await upload({ receivedOn: `${year}-01-20` }, 'tagihan-januari.csv', 'text/csv', file);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      invoiceId,
      version: 1,
      billed: { participants: 7, amount: 6 * 16_800 + 36_800 },
      invoiced: { participants: 5, amount: 84_000 },
      difference: { participants: 2, amount: 16_800 + 36_800 },
      differenceCounts: {
        tidak_tercakup: 2,
        tidak_ditagih: 2,
        jumlah_berbeda: 1,
        ganda: 1,
        luar_wilayah: 1,
        periode_berbeda: 1,
        tanpa_nik: 1,
      },
      lineCount: 9,
      matchedRows: 1,
    });

    const report = await ledger.get(`/api/invoices/${invoiceId}/bpjs-bill`, finance);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      version: 1,
      versions: 1,
      source: 'file',
      receivedOn: `${year}-01-20`,
    });
    const lines = report.body.lines as {
      row: number | null;
      maskedNik: string | null;
      differences: { code: string; label: string }[];
    }[];
    expect(lines.map((l) => [l.row, l.differences.map((d) => d.code)])).toEqual([
      [3, []],
      [4, ['jumlah_berbeda']],
      [5, ['ganda']],
      [6, ['tidak_tercakup']],
      [7, ['tidak_tercakup', 'luar_wilayah']],
      [8, ['periode_berbeda']],
      [9, ['tanpa_nik']],
      [null, ['tidak_ditagih']],
      [null, ['tidak_ditagih']],
    ]);
    expect(lines[1].differences[0].label).toBe('Jumlah iuran berbeda');
    expect(lines[0].maskedNik).toBe(`${w0.nik.slice(0, 4)}**********${w0.nik.slice(-2)}`);
    // Neither the report nor anything in the log holds a NIK or a name in plain text.
    const log = JSON.stringify(await ledger.runtime.store.readAll());
    for (const person of [w0, w1, w2, stranger, outsider]) {
      expect(report.text).not.toContain(person.nik);
      expect(report.text).not.toContain(person.name);
      expect(log).not.toContain(person.nik);
    }
    expect(log).not.toContain('25012345678');

    const paged = await ledger.get(
      `/api/invoices/${invoiceId}/bpjs-bill?difference=tidak_ditagih&limit=1&offset=1`,
      finance,
    );
    expect(paged.body.page).toEqual({ offset: 1, limit: 1, total: 2 });
    expect(paged.body.lines).toHaveLength(1);
  });

  it('the report as CSV and XLSX, with Indonesian labels and masked NIKs', async () => {
    const csvReport = await ledger.get(
      `/api/invoices/${invoiceId}/bpjs-bill?format=csv&sheet=Baris`,
      finance,
    );
    expect(csvReport.status).toBe(200);
    expect(csvReport.text).toContain('Ditagih ganda');
    expect(csvReport.text).toContain('Tercakup tetapi tidak ditagih');
    expect(csvReport.text).not.toContain(workers[0].nik);
    const xlsx = await ledger.request('GET', `/api/invoices/${invoiceId}/bpjs-bill?format=xlsx`, {
      token: finance,
    });
    expect(xlsx.status).toBe(200);
    expect(String(xlsx.headers['content-type'])).toBe(XLSX_TYPE);
    expect(xlsx.text.startsWith('PK')).toBe(true);
  });

  it('totals only: compared with the invoice, recorded as the next version; the earlier bill stays', async () => {
    const response = await ledger.post(`/api/invoices/${invoiceId}/bpjs-bill`, finance, {
      participants: 5,
      amount: 84_000,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      version: 2,
      billed: { participants: 5, amount: 84_000 },
      difference: { participants: 0, amount: 0 },
      lineCount: 0,
    });
    const latest = await ledger.get(`/api/invoices/${invoiceId}/bpjs-bill`, finance);
    expect(latest.body).toMatchObject({ version: 2, versions: 2, source: 'totals', lines: [] });
    const first = await ledger.get(`/api/invoices/${invoiceId}/bpjs-bill?version=1`, finance);
    expect(first.body).toMatchObject({ version: 1, lineCount: 9 });
  });

  it('an unknown layout read with mapped columns, from an XLSX', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Tagihan');
    sheet.addRow(['Identitas', 'Nm', 'Bln', 'Rupiah Ditagih']);
    for (const w of workers) sheet.addRow([w.nik, w.name, month, 16_800]);
    const content = Buffer.from(await book.xlsx.writeBuffer());
    const mapping = { 'columns[nik]': 'Identitas', 'columns[period]': 'C', 'columns[amount]': '4' };
    const response = await upload(mapping, 'tagihan.xlsx', XLSX_TYPE, content);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      version: 3,
      matchedRows: 5,
      difference: { participants: 0, amount: 0 },
    });

    // With an Idempotency-Key: the same file again is the first answer, another file a conflict.
    const key = { 'idempotency-key': 'tagihan-januari-ulang' };
    const once = await upload(mapping, 'tagihan.xlsx', XLSX_TYPE, content, finance, key);
    expect(once.body).toMatchObject({ version: 4 });
    const before = await head();
    const again = await upload(mapping, 'tagihan.xlsx', XLSX_TYPE, content, finance, key);
    expect(again.body).toMatchObject({ version: 4, billId: once.body.billId });
    expect(await head()).toBe(before);
    sheet.addRow([stranger.nik, stranger.name, month, 16_800]);
    const other = Buffer.from(await book.xlsx.writeBuffer());
    await refused(
      () => upload(mapping, 'tagihan.xlsx', XLSX_TYPE, other, finance, key),
      409,
      'idempotency.mismatch',
    );
  });

  it('malformed bills are refused naming the row and the column, and change nothing', async () => {
    const bad = csv([
      ['NIK', 'Periode', 'Iuran'],
      [workers[0].nik, month, '16800'],
      [workers[1].nik, month, '16.800,50'],
    ]);
    const rowProblem = await refused(
      () => upload({}, 'tagihan.csv', 'text/csv', bad),
      422,
      'bill.row.invalid',
    );
    expect(rowProblem.body).toMatchObject({
      row: 3,
      errors: [{ field: 'baris 3: Iuran', rule: 'bill.amount.format' }],
    });
    expect(rowProblem.text).not.toContain(workers[1].nik);
    const noAmount = await refused(
      () =>
        upload(
          {},
          'tagihan.csv',
          'text/csv',
          csv([
            ['NIK', 'Nama'],
            [workers[0].nik, 'x'],
          ]),
        ),
      422,
      'import.header.missing',
    );
    expect(noAmount.body.columns).toEqual(['Iuran']);
    await refused(
      () => upload({ 'columns[ibu]': 'A' }, 'tagihan.csv', 'text/csv', bad),
      422,
      'bill.columns.unknown',
    );
    await refused(
      () =>
        upload({}, 'tagihan.xls', 'application/vnd.ms-excel', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0])),
      422,
      'import.format',
    );
    await refused(
      () => ledger.post(`/api/invoices/${invoiceId}/bpjs-bill`, finance, { participants: -1, amount: 1.5 }),
      400,
      'request.invalid',
    );
    await refused(
      () =>
        ledger.post(`/api/invoices/${programId}_${year + 9}-01/bpjs-bill`, finance, {
          participants: 1,
          amount: 1,
        }),
      404,
      'invoice.notFound',
    );
    await refused(
      () => ledger.post(`/api/invoices/bukan-invoice/bpjs-bill`, finance, { participants: 1, amount: 1 }),
      400,
      'request.invalid',
    );
    const operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
    expect((await upload({}, 'tagihan.csv', 'text/csv', bad, operator)).status).toBe(403);
    const elsewhere = await ledger.token('finance', ['1303'], 'keuangan-sijunjung');
    await refused(
      () => ledger.post(`/api/invoices/${invoiceId}/bpjs-bill`, elsewhere, { participants: 1, amount: 1 }),
      403,
      'auth.scope',
    );
    expect((await ledger.get(`/api/invoices/${invoiceId}/bpjs-bill`, elsewhere)).status).toBe(403);
  });
}

describe('SQLite e2e: the bill BPJS sends, matched to the frozen roster', () => billSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: the bill BPJS sends, matched to the frozen roster',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => billSuite('postgres'),
);
