/**
 * The reconciliation over HTTP, once on SQLite and once on PostgreSQL: a Muara Enim program
 * of last year with two workers covered from January, an invoice for each month January to
 * June, BPJS bills and SP2Ds arranged so that January matches to the rupiah and each other
 * month holds exactly one kind of difference (October: an SP2D beyond its revised budget
 * line). The year is the sum of its months; a foreign region is 403. The program is brought
 * in as a migration so that every month it bills, and every bill's day, has passed whatever
 * today's month.
 */
import { randomBytes } from 'node:crypto';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, type LedgerApp, type LedgerMode } from './support/ledger-app';
import {
  EMBAWANG,
  lastYearPeriod,
  MUARA_ENIM,
  programBody,
  proposal,
  SIJUNJUNG,
} from './support/ledger-fixtures';

const ACCOUNT = '5.1.02.01.01.0001';
const migration = { backfillReason: 'migration', backfillNote: 'Program tahun lalu' };

/** A BPJS bill file as a multipart form, received on `receivedOn`. */
function billForm(receivedOn: string, rows: string[][]) {
  const boundary = `----recon-${randomBytes(8).toString('hex')}`;
  const content = [['No', 'NIK', 'No KPJ', 'Nama Peserta', 'Periode', 'Jumlah Iuran'], ...rows]
    .map((l) => l.join(';'))
    .join('\r\n');
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="receivedOn"\r\n\r\n${receivedOn}\r\n`,
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tagihan.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

interface Line {
  code: string;
  month: string;
  invoiceId: string | null;
  sp2dNumbers: string[];
  amount: number;
}

function reconciliationSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let auditor: string;
  let foreignFinance: string;
  let programId: string;
  let total: number;
  let last = 0;
  const workers: SyntheticPerson[] = [];
  let stranger: SyntheticPerson;
  const period = lastYearPeriod();
  const year = Number(period.from.slice(0, 4));
  const month = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
  const invoice = (m: number) => `${programId}_${month(m)}`;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    auditor = await ledger.token('auditor', ['16'], 'inspektorat-sumsel');
    foreignFinance = await ledger.token('finance', [SIJUNJUNG], 'keuangan-sijunjung');
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const post = async (path: string, body: unknown, status: number) => {
    const response = await ledger.post(`/api/programs/${programId}/${path}`, finance, body);
    expect({
      path,
      status: response.status,
      body: response.status === status ? null : response.body,
    }).toEqual({
      path,
      status,
      body: null,
    });
    last = Math.max(last, response.body.consistencyToken ?? 0);
    return response;
  };
  const read = (query: string, token = finance) =>
    ledger.get(`/api/reconciliation?program=${programId}&${query}&consistentWith=${last}`, token);
  let sp2ds = 0;
  /** An SP2D of `amount` dated in month `m`, linked to the invoices given. */
  async function disburse(
    m: number,
    amount: number,
    invoiceIds: string[],
    account = ACCOUNT,
    spm = `001/SPM-LS/${year}`,
  ) {
    sp2ds += 1;
    const number = `${String(sp2ds).padStart(3, '0')}/SP2D-LS/${year}`;
    await post(
      'sp2d',
      {
        number,
        date: `${month(m)}-14`,
        amount,
        accountCode: account,
        spmNumber: spm,
        sp2dType: 'LS',
        lsType: 'Pihak Ketiga',
        recipient: 'BPJS Ketenagakerjaan Cabang Prabumulih',
        bank: 'Bank Sumsel Babel',
        deductions: [],
      },
      201,
    );
    if (invoiceIds.length > 0)
      await post('sp2d-links', { fiscalYear: year, sp2dNumber: number, invoiceIds }, 200);
    return number;
  }
  async function bill(m: number, amount: number) {
    const response = await ledger.post(`/api/invoices/${invoice(m)}/bpjs-bill`, finance, {
      participants: 2,
      amount,
    });
    expect(response.status).toBe(201);
    last = Math.max(last, response.body.consistencyToken ?? 0);
  }

  async function billFile(m: number, rows: string[][]) {
    const { payload, headers } = billForm(`${month(m)}-20`, rows);
    const response = await ledger.post(`/api/invoices/${invoice(m)}/bpjs-bill`, finance, payload, headers);
    expect(response.status).toBe(201);
    last = Math.max(last, response.body.consistencyToken ?? 0);
  }

  it('two workers covered from January and the invoices of January to June and August to October', async () => {
    const established = await ledger.post('/api/programs', admin, {
      ...programBody({ name: 'Program Rekonsiliasi', period }),
      backfillToleranceDays: undefined,
      ...migration,
    });
    expect(established.status).toBe(201);
    programId = established.body.programId;
    const people = createPeopleGenerator({ seed: 1_414, today: period.from });
    for (let i = 0; i < 2; i++) workers.push(people.next({ villageCode: EMBAWANG, maxAge: 50 }));
    stranger = people.next({ villageCode: EMBAWANG, maxAge: 50 });
    for (const worker of workers) {
      const proposed = await ledger.post(`/api/programs/${programId}/enrollments`, admin, {
        ...proposal(worker),
        coverageFrom: `${year}-01-01`,
        proposedOn: `${year - 1}-12-20`,
        ...migration,
      });
      expect(proposed.status).toBe(201);
      const approved = await ledger.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, admin, {
        coverageFrom: `${year}-01-01`,
        approvedOn: `${year - 1}-12-28`,
        ...migration,
      });
      expect(approved.status).toBe(200);
    }
    for (const m of [1, 2, 3, 4, 5, 6, 8, 9, 10]) {
      const issued = await ledger.post(`/api/programs/${programId}/invoices`, finance, { month: month(m) });
      expect(issued.status).toBe(201);
      last = Math.max(last, issued.body.consistencyToken ?? 0);
    }
    const january = await read(`month=${month(1)}`);
    expect(january.status).toBe(200);
    total = january.body.roster;
    expect(total).toBeGreaterThan(0);
    expect(january.body.lines.map((l: Line) => l.code)).toEqual(['ROSTER_NOT_BILLED', 'INVOICE_UNPAID']);
  });

  it('bills and SP2Ds: one clean month and one difference per month', async () => {
    await post(
      'budget-lines',
      {
        fiscalYear: year,
        accountCode: ACCOUNT,
        document: 'DPA',
        fundingSource: 'PAD',
        amount: 1_000_000_000,
      },
      200,
    );
    const doc = { date: `${year}-01-10`, amount: 100_000_000, accountCode: ACCOUNT };
    await post('spp', { ...doc, number: `001/SPP-LS/${year}` }, 201);
    await post('spm', { ...doc, number: `001/SPM-LS/${year}`, sppNumber: `001/SPP-LS/${year}` }, 201);
    // January: billed and disbursed exactly; a cancelled SP2D of the month counts nothing.
    await bill(1, total);
    await disburse(1, total, [invoice(1)]);
    const cancelled = await disburse(1, 7_000, []);
    await post(
      'treasury-cancellations',
      { fiscalYear: year, kind: 'sp2d', number: cancelled, reason: 'Salah input' },
      200,
    );
    // February: paid, never billed.
    await disburse(2, total, [invoice(2)]);
    // March: billed 1,000 more than the roster.
    await bill(3, total + 1_000);
    await disburse(3, total, [invoice(3)]);
    // April: billed, not paid.
    await bill(4, total);
    // May: paid by two SP2Ds.
    await bill(5, total);
    await disburse(5, total, [invoice(5)]);
    await disburse(5, total, [invoice(5)]);
    // June: one SP2D above the invoice.
    await bill(6, total);
    await disburse(6, total + 5_000, [invoice(6)]);
    // July: an SP2D linked to no invoice.
    await disburse(7, 3_000, []);
    // August: a bill file naming both workers and someone the roster does not hold.
    const lineAmount = total / 2;
    const row = (n: number, person: SyntheticPerson, m: number) => [
      String(n),
      person.nik,
      '',
      person.name,
      month(m),
      String(lineAmount),
    ];
    await billFile(8, [row(1, workers[0], 8), row(2, workers[1], 8), row(3, stranger, 8)]);
    await disburse(8, total, [invoice(8)]);
    // September: a bill file that leaves the second worker out.
    await billFile(9, [row(1, workers[0], 9)]);
    await disburse(9, total, [invoice(9)]);
    // October: billed and paid exactly, from an account code whose line is then revised below it.
    const other = '5.1.02.01.01.0002';
    const line = {
      fiscalYear: year,
      accountCode: other,
      document: 'DPA',
      fundingSource: 'PAD',
      amount: total,
    };
    await post('budget-lines', line, 200);
    const otherDoc = { date: `${year}-10-01`, amount: total, accountCode: other };
    await post('spp', { ...otherDoc, number: `002/SPP-LS/${year}` }, 201);
    await post('spm', { ...otherDoc, number: `002/SPM-LS/${year}`, sppNumber: `002/SPP-LS/${year}` }, 201);
    await bill(10, total);
    await disburse(10, total, [invoice(10)], other, `002/SPM-LS/${year}`);
    await post('budget-lines', { ...line, document: 'APBD-P', amount: total - 500 }, 200);
  });

  it('the clean month matches to the rupiah', async () => {
    const january = await read(`month=${month(1)}`);
    expect(january.body).toMatchObject({ roster: total, billed: total, disbursed: total, lines: [] });
  });

  it.each([
    [2, 'ROSTER_NOT_BILLED', () => total, { roster: () => total, billed: () => 0, disbursed: () => total }],
    [
      3,
      'AMOUNT_DIFFERS',
      () => 1_000,
      { roster: () => total, billed: () => total + 1_000, disbursed: () => total },
    ],
    [4, 'INVOICE_UNPAID', () => total, { roster: () => total, billed: () => total, disbursed: () => 0 }],
    [
      5,
      'DISBURSED_TWICE',
      () => total,
      { roster: () => total, billed: () => total, disbursed: () => 2 * total },
    ],
    [
      6,
      'DISBURSEMENT_EXCEEDS_INVOICE',
      () => 5_000,
      { roster: () => total, billed: () => total, disbursed: () => total + 5_000 },
    ],
    [
      7,
      'DISBURSED_WITHOUT_INVOICE',
      () => 3_000,
      { roster: () => 0, billed: () => 0, disbursed: () => 3_000 },
    ],
    [
      8,
      'BILLED_NOT_ON_ROSTER',
      () => total / 2,
      { roster: () => total, billed: () => total + total / 2, disbursed: () => total },
    ],
    [
      10,
      'OUTSIDE_BUDGET_LINE',
      () => 500,
      { roster: () => total, billed: () => total, disbursed: () => total },
    ],
    [
      9,
      'ROSTER_NOT_BILLED',
      () => total / 2,
      { roster: () => total, billed: () => total / 2, disbursed: () => total },
    ],
  ])('month %i has exactly %s', async (m, code, amount, figures) => {
    const response = await read(`month=${month(m)}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      roster: figures.roster(),
      billed: figures.billed(),
      disbursed: figures.disbursed(),
    });
    expect(response.body.lines).toEqual([
      expect.objectContaining({ code, month: month(m), amount: amount() }),
    ]);
  });

  it('the year is the sum of its months', async () => {
    const yearView = await read(`year=${year}`);
    expect(yearView.status).toBe(200);
    const sums = { roster: 0, billed: 0, disbursed: 0 };
    const lines: Line[] = [];
    for (let m = 1; m <= 12; m++) {
      const one = await read(`month=${month(m)}`);
      sums.roster += one.body.roster;
      sums.billed += one.body.billed;
      sums.disbursed += one.body.disbursed;
      lines.push(...one.body.lines);
    }
    expect(yearView.body).toMatchObject({ period: String(year), ...sums });
    expect(yearView.body.lines).toEqual(lines);
    expect(sums).toEqual({ roster: 9 * total, billed: 8 * total + 1_000, disbursed: 9 * total + 8_000 });
  });

  it('as CSV and XLSX: the months with their amounts, and the difference lines', async () => {
    const months = await ledger.request(
      'GET',
      `/api/reconciliation?program=${programId}&year=${year}&format=csv&consistentWith=${last}`,
      { token: finance },
    );
    expect(months.status).toBe(200);
    expect(String(months.headers['content-type'])).toMatch(/^text\/csv/);
    expect(months.text).toContain('Menurut roster');
    const lines = await ledger.request(
      'GET',
      `/api/reconciliation?program=${programId}&month=${month(6)}&format=csv&sheet=Selisih&consistentWith=${last}`,
      { token: finance },
    );
    expect(lines.status).toBe(200);
    expect(lines.text).toContain('DISBURSEMENT_EXCEEDS_INVOICE');
    const xlsx = await ledger.request(
      'GET',
      `/api/reconciliation?program=${programId}&year=${year}&format=xlsx&consistentWith=${last}`,
      { token: finance },
    );
    expect(xlsx.status).toBe(200);
    expect(String(xlsx.headers['content-type'])).toMatch(/spreadsheetml/);
  });

  it('auditors read; a foreign region is 403; bad parameters are 400 naming the field', async () => {
    expect((await read(`month=${month(1)}`, auditor)).status).toBe(200);
    expect((await read(`month=${month(1)}`, foreignFinance)).status).toBe(403);
    const both = await read(`month=${month(1)}&year=${year}`);
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([expect.objectContaining({ field: 'month', rule: 'monthOrYear' })]);
    const badMonth = await read('month=2026-13');
    expect(badMonth.body.errors).toEqual([expect.objectContaining({ field: 'month', rule: 'isYearMonth' })]);
    const noProgram = await ledger.get(`/api/reconciliation?month=${month(1)}`, finance);
    expect(noProgram.status).toBe(400);
    expect(noProgram.body.errors).toEqual([expect.objectContaining({ field: 'program', rule: 'required' })]);
  });
}

describe('reconciliation on SQLite', () => reconciliationSuite('sqlite'));
describeIfAvailable(
  'reconciliation on PostgreSQL',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => reconciliationSuite('postgres'),
);
