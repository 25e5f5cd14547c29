/**
 * The treasury over HTTP, once on SQLite and once on PostgreSQL: a Muara Enim program gets a
 * budget line (revised by an APBD-P), an SPP, its SPM and an SP2D that is linked to the
 * January invoice and then corrected. Every refusal (an SP2D before its SPM, above it, a
 * reused number, an unknown account code, a foreign region, a cancelled parent) is a problem
 * naming the field and the rule, and leaves the log as it was.
 */
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { startLedgerApp, type ApiResponse, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { currentPeriod, MUARA_ENIM, programBody, SIJUNJUNG } from './support/ledger-fixtures';

const ACCOUNT = '5.1.02.01.01.0001';

/** A multipart form: text fields first (the upload reads them before the file), then the file. */
function form(fields: Record<string, string>, fileName: string, type: string, content: Buffer) {
  const boundary = `----sp2d-${randomBytes(8).toString('hex')}`;
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

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function treasurySuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let auditor: string;
  let foreignFinance: string;
  let programId: string;
  let otherProgramId: string;
  let invoiceId: string;
  const year = Number(currentPeriod().from.slice(0, 4));

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

  const head = () => ledger.runtime.store.headPosition();
  const treasury = (token = finance) => ledger.get(`/api/programs/${programId}/treasury/${year}`, token);

  /** A refusal with its status, rule and field, and nothing written. */
  async function refused(send: () => Promise<ApiResponse>, status: number, rule: string, field?: string) {
    const before = await head();
    const response = await send();
    expect({ status: response.status, type: response.body?.type }).toEqual({
      status,
      type: `https://ledger.example.id/problems/${rule}`,
    });
    if (field)
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await head()).toBe(before);
    return response;
  }

  const spp = (over: Record<string, unknown> = {}) => ({
    number: `001/SPP-LS/${year}`,
    date: `${year}-01-10`,
    amount: 500_000_000,
    accountCode: ACCOUNT,
    ...over,
  });
  const spm = (over: Record<string, unknown> = {}) => ({
    number: `001/SPM-LS/${year}`,
    date: `${year}-01-12`,
    amount: 450_000_000,
    accountCode: ACCOUNT,
    sppNumber: `001/SPP-LS/${year}`,
    ...over,
  });
  const sp2d = (over: Record<string, unknown> = {}) => ({
    number: `001/SP2D-LS/${year}`,
    date: `${year}-01-14`,
    amount: 400_000_000,
    accountCode: ACCOUNT,
    spmNumber: `001/SPM-LS/${year}`,
    sp2dType: 'LS',
    lsType: 'Pihak Ketiga',
    recipient: 'BPJS Ketenagakerjaan Cabang Prabumulih',
    bank: 'Bank Sumsel Babel',
    deductions: [{ billingId: '820260114000001', name: 'PPh Pasal 23', amount: 1_000 }],
    ...over,
  });
  const post = (path: string, body: unknown, token = finance) =>
    ledger.post(`/api/programs/${programId}/${path}`, token, body);

  it('a program with its January invoice', async () => {
    const established = await ledger.post(
      '/api/programs',
      admin,
      programBody({ name: 'Program Kas Daerah' }),
    );
    expect(established.status).toBe(201);
    programId = established.body.programId;
    const other = await ledger.post('/api/programs', admin, programBody({ name: 'Program Kas Lain' }));
    otherProgramId = other.body.programId;
    const issued = await ledger.post(`/api/programs/${programId}/invoices`, finance, { month: `${year}-01` });
    expect(issued.status).toBe(201);
    invoiceId = issued.body.invoiceId;
  });

  it('a budget line, revised by an APBD-P that keeps the amount it replaces; the ceiling is the sum', async () => {
    const line = {
      fiscalYear: year,
      accountCode: ACCOUNT,
      document: 'DPA',
      fundingSource: 'PAD',
      amount: 1_000_000_000,
    };
    const set = await post('budget-lines', line);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ changed: true, budgetCeiling: 1_000_000_000 });
    expect((await post('budget-lines', line)).body).toMatchObject({ changed: false });
    const revised = await post('budget-lines', { ...line, document: 'APBD-P', amount: 1_200_000_000 });
    expect(revised.body).toMatchObject({ changed: true, budgetCeiling: 1_200_000_000 });
    const other = await post('budget-lines', {
      ...line,
      accountCode: '5.1.02.01.01.0002',
      amount: 5_000_000,
    });
    expect(other.body.budgetCeiling).toBe(1_205_000_000);
    const view = await treasury();
    expect(view.status).toBe(200);
    expect(view.body.budgetCeiling).toBe(1_205_000_000);
    const revisions = view.body.budgetLines.find(
      (l: { accountCode: string }) => l.accountCode === ACCOUNT,
    ).revisions;
    expect(
      revisions.map((r: { amount: number; previousAmount: number | null }) => [r.amount, r.previousAmount]),
    ).toEqual([
      [1_000_000_000, null],
      [1_200_000_000, 1_000_000_000],
    ]);
  });

  it('an SP2D before its SPM, an SPM before its SPP, an unknown account code: 422 naming field and rule', async () => {
    await refused(() => post('sp2d', sp2d()), 422, 'treasury.spm.unknown', 'spmNumber');
    await refused(() => post('spm', spm()), 422, 'treasury.spp.unknown', 'sppNumber');
    await refused(
      () => post('spp', spp({ accountCode: '5.1.02.99.99.9999' })),
      422,
      'treasury.accountCode.unknown',
      'accountCode',
    );
    await refused(() => post('spp', spp({ amount: 1.5 })), 422, 'amount.integer', 'amount');
    await refused(() => post('spp', spp({ date: `${year}-02-30` })), 400, 'request.invalid', 'date');
  });

  it('the chain SPP → SPM → SP2D, and a number used again in the regency and year is 409', async () => {
    expect((await post('spp', spp())).status).toBe(201);
    expect((await post('spm', spm())).status).toBe(201);
    const disbursed = await post('sp2d', sp2d());
    expect(disbursed.status).toBe(201);
    expect(disbursed.body).toMatchObject({
      programId,
      fiscalYear: year,
      kind: 'sp2d',
      number: `001/SP2D-LS/${year}`,
    });
    // The same number in another program of the same regency, and typed with other spaces and case.
    await refused(
      () =>
        ledger.post(`/api/programs/${otherProgramId}/spp`, finance, spp({ number: ` 001/spp-ls/${year} ` })),
      409,
      'treasury.number.duplicate',
      'number',
    );
    await refused(() => post('sp2d', sp2d({ amount: 1 })), 409, 'treasury.number.duplicate', 'number');
  });

  it('an SP2D above what is left of its SPM is 422; a cancelled SP2D frees its amount', async () => {
    await refused(
      () => post('sp2d', sp2d({ number: `002/SP2D-LS/${year}`, amount: 50_000_001 })),
      422,
      'sp2d.amount.exceedsSpm',
      'amount',
    );
    await refused(
      () =>
        post('treasury-cancellations', {
          fiscalYear: year,
          kind: 'spm',
          number: `001/SPM-LS/${year}`,
          reason: 'Salah',
        }),
      409,
      'treasury.cancel.liveChildren',
      'number',
    );
    const second = await post(
      'sp2d',
      sp2d({ number: `002/SP2D-LS/${year}`, amount: 50_000_000, deductions: [] }),
    );
    expect(second.status).toBe(201);
    const cancelled = await post('treasury-cancellations', {
      fiscalYear: year,
      kind: 'sp2d',
      number: `002/SP2D-LS/${year}`,
      reason: 'Salah nilai',
      cancelledOn: `${year}-01-20`,
    });
    expect(cancelled.status).toBe(200);
    const view = await treasury();
    expect(view.body.spm[0]).toMatchObject({ amount: 450_000_000, disbursed: 400_000_000 });
    expect(view.body.disbursed).toBe(400_000_000);
    expect(view.body.sp2d[1].cancelled).toEqual({ reason: 'Salah nilai', cancelledOn: `${year}-01-20` });
    // Its number stays taken.
    await refused(
      () => post('sp2d', sp2d({ number: `002/SP2D-LS/${year}`, amount: 1 })),
      409,
      'treasury.number.duplicate',
    );
  });

  it('the SP2D is linked to the invoice it pays, and a later link corrects it', async () => {
    await refused(
      () =>
        post('sp2d-links', {
          fiscalYear: year,
          sp2dNumber: `001/SP2D-LS/${year}`,
          invoiceIds: [`${programId}_${year}-07`],
        }),
      422,
      'sp2d.invoice.unknown',
      'invoiceIds',
    );
    const linked = await post('sp2d-links', {
      fiscalYear: year,
      sp2dNumber: `001/SP2D-LS/${year}`,
      invoiceIds: [invoiceId],
    });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ linked: true, invoiceIds: [invoiceId] });
    const february = await ledger.post(`/api/programs/${programId}/invoices`, finance, {
      month: `${year}-02`,
    });
    const corrected = await post('sp2d-links', {
      fiscalYear: year,
      sp2dNumber: `001/SP2D-LS/${year}`,
      invoiceIds: [february.body.invoiceId, invoiceId],
    });
    expect(corrected.body).toMatchObject({
      linked: true,
      invoiceIds: [invoiceId, february.body.invoiceId].sort(),
    });
    const view = await treasury(auditor);
    expect(view.status).toBe(200);
    expect(view.body.sp2d[0]).toMatchObject({
      number: `001/SP2D-LS/${year}`,
      sp2dType: 'LS',
      recipient: 'BPJS Ketenagakerjaan Cabang Prabumulih',
      deductions: [{ billingId: '820260114000001', name: 'PPh Pasal 23', amount: 1_000 }],
      invoiceIds: [invoiceId, february.body.invoiceId].sort(),
    });
  });

  it('finance of another region gets 403 on reads and writes; an auditor cannot write; malformed bodies are 400', async () => {
    expect((await treasury(foreignFinance)).status).toBe(403);
    await refused(() => post('spp', spp({ number: 'X-1' }), foreignFinance), 403, 'auth.scope');
    await refused(() => post('spp', spp({ number: 'X-1' }), auditor), 403, 'auth.role');
    await refused(
      () => post('sp2d', sp2d({ number: 'X-2', sp2dType: 'ZZ' })),
      400,
      'request.invalid',
      'sp2dType',
    );
    await refused(
      () => post('budget-lines', { fiscalYear: year, accountCode: ACCOUNT }),
      400,
      'request.invalid',
      'document',
    );
  });

  it('the SP2D export of the treasury system is imported with a row report, and again records nothing twice', async () => {
    expect(
      (await post('spp', spp({ number: `002/SPP-LS/${year}`, date: `${year}-02-10`, amount: 100_000_000 })))
        .status,
    ).toBe(201);
    expect(
      (
        await post(
          'spm',
          spm({
            number: `002/SPM-LS/${year}`,
            date: `${year}-02-11`,
            amount: 100_000_000,
            sppNumber: `002/SPP-LS/${year}`,
          }),
        )
      ).status,
    ).toBe(201);
    const header = [
      'nomor_sp_2_d',
      'tanggal_sp_2_d',
      'nilai_sp_2_d',
      'jenis_sp_2_d',
      'jenis_ls_sp_2_d',
      'nomor_spm',
      'kode_rekening',
      'nama_pihak_ketiga',
      'nama_bank',
    ];
    const body = [
      [
        `010/SP2D-LS/${year}`,
        `12/02/${year}`,
        'Rp60.000.000',
        'LS',
        'Pihak Ketiga',
        `002/SPM-LS/${year}`,
        ACCOUNT,
        'BPJS Ketenagakerjaan',
        'Bank Sumsel Babel',
      ],
      [
        `011/SP2D-LS/${year}`,
        `${year}-02-13`,
        '40000001',
        'LS',
        '',
        `002/SPM-LS/${year}`,
        ACCOUNT,
        'BPJS Ketenagakerjaan',
        'Bank Sumsel Babel',
      ],
      [
        `012/SP2D-LS/${year}`,
        `${year}-02-13`,
        '1000',
        'LS',
        '',
        `009/SPM-LS/${year}`,
        ACCOUNT,
        'BPJS Ketenagakerjaan',
        'Bank Sumsel Babel',
      ],
      [
        `001/SP2D-LS/${year}`,
        `${year}-02-13`,
        '1000',
        'LS',
        '',
        `002/SPM-LS/${year}`,
        ACCOUNT,
        'BPJS Ketenagakerjaan',
        'Bank Sumsel Babel',
      ],
      [
        `013/SP2D-LS/${year}`,
        `31/02/${year}`,
        '1000',
        'LS',
        '',
        `002/SPM-LS/${year}`,
        ACCOUNT,
        'BPJS Ketenagakerjaan',
        'Bank Sumsel Babel',
      ],
    ];
    const csv = Buffer.from([['REKAP SP2D'], header, ...body].map((l) => l.join(';')).join('\r\n'));
    const upload = (content: Buffer, fileName = 'sp2d.csv', type = 'text/csv') => {
      const { payload, headers } = form({ fiscalYear: String(year) }, fileName, type, content);
      return ledger.post(`/api/programs/${programId}/sp2d-imports`, finance, payload, headers);
    };
    const first = await upload(csv);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ rows: 5, recorded: 1, alreadyRecorded: 0, refused: 4 });
    expect(
      first.body.report.map(
        (r: { row: number; status: string; rule: string | null; field: string | null }) => [
          r.row,
          r.status,
          r.rule,
          r.field,
        ],
      ),
    ).toEqual([
      [3, 'recorded', null, null],
      [4, 'refused', 'sp2d.amount.exceedsSpm', 'nilai_sp_2_d'],
      [5, 'refused', 'treasury.spm.unknown', 'nomor_spm'],
      [6, 'refused', 'treasury.number.duplicate', 'nomor_sp_2_d'],
      [7, 'refused', 'tanggal_sp_2_d.date', 'tanggal_sp_2_d'],
    ]);
    const before = await head();
    const again = await upload(csv);
    expect(again.body).toMatchObject({ recorded: 0, alreadyRecorded: 1, refused: 4 });
    expect(await head()).toBe(before);

    // The same export as XLSX with the Indonesian labels: the recorded row is known, a new one is recorded.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('SP2D');
    sheet.addRow([
      'No SP2D',
      'Tanggal SP2D',
      'Nilai SP2D',
      'Jenis SP2D',
      'No SPM',
      'Kode Rekening',
      'Nama Pihak Ketiga',
      'Nama Bank',
    ]);
    sheet.addRow([
      `010/SP2D-LS/${year}`,
      new Date(Date.UTC(year, 1, 12)),
      60_000_000,
      'LS',
      `002/SPM-LS/${year}`,
      ACCOUNT,
      'BPJS Ketenagakerjaan',
      'Bank Sumsel Babel',
    ]);
    sheet.addRow([
      `014/SP2D-LS/${year}`,
      `${year}-02-14`,
      40_000_000,
      'LS',
      `002/SPM-LS/${year}`,
      ACCOUNT,
      'BPJS Ketenagakerjaan',
      'Bank Sumsel Babel',
    ]);
    const xlsx = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), 'sp2d.xlsx', XLSX);
    expect(xlsx.status).toBe(201);
    expect(xlsx.body).toMatchObject({ rows: 2, recorded: 1, alreadyRecorded: 1, refused: 0 });
    const view = await treasury();
    expect(view.body.spm.find((s: { number: string }) => s.number === `002/SPM-LS/${year}`).disbursed).toBe(
      100_000_000,
    );
  });

  it('an imported number that another program of the regency took is refused on its row; the rest is recorded', async () => {
    const other = (path: string, body: unknown) =>
      ledger.post(`/api/programs/${otherProgramId}/${path}`, finance, body);
    const line = { fiscalYear: year, accountCode: ACCOUNT, document: 'DPA', fundingSource: 'PAD' };
    expect((await other('budget-lines', { ...line, amount: 100_000_000 })).status).toBe(200);
    expect((await other('spp', spp({ number: `101/SPP-LS/${year}`, amount: 100_000_000 }))).status).toBe(201);
    const drawn = spm({ number: `101/SPM-LS/${year}`, amount: 100_000_000, sppNumber: `101/SPP-LS/${year}` });
    expect((await other('spm', drawn)).status).toBe(201);
    const csv = Buffer.from(
      [
        'nomor_sp_2_d;tanggal_sp_2_d;nilai_sp_2_d;jenis_sp_2_d;nomor_spm;kode_rekening;nama_pihak_ketiga;nama_bank',
        // 010 is the first program's, recorded by its own import above.
        `010/SP2D-LS/${year};13/02/${year};1000;LS;101/SPM-LS/${year};${ACCOUNT};BPJS Ketenagakerjaan;Bank Sumsel Babel`,
        `101/SP2D-LS/${year};13/02/${year};2000;LS;101/SPM-LS/${year};${ACCOUNT};BPJS Ketenagakerjaan;Bank Sumsel Babel`,
      ].join('\r\n'),
    );
    const upload = () => {
      const { payload, headers } = form({ fiscalYear: String(year) }, 'sp2d.csv', 'text/csv', csv);
      return ledger.post(`/api/programs/${otherProgramId}/sp2d-imports`, finance, payload, headers);
    };
    const first = await upload();
    expect(first.status).toBe(201);
    expect(
      first.body.report.map(
        (r: { row: number; status: string; rule: string | null; field: string | null }) => [
          r.row,
          r.status,
          r.rule,
          r.field,
        ],
      ),
    ).toEqual([
      [2, 'refused', 'treasury.number.duplicate', 'nomor_sp_2_d'],
      [3, 'recorded', null, null],
    ]);
    const before = await head();
    expect((await upload()).body).toMatchObject({ recorded: 0, alreadyRecorded: 1, refused: 1 });
    expect(await head()).toBe(before);
    const view = await ledger.get(`/api/programs/${otherProgramId}/treasury/${year}`, finance);
    expect(view.body.spm.find((s: { number: string }) => s.number === `101/SPM-LS/${year}`).disbursed).toBe(
      2000,
    );
  });

  it('a malformed treasury file is 422 naming the file and the missing columns, and writes nothing', async () => {
    const upload = (content: Buffer, fields: Record<string, string> = { fiscalYear: String(year) }) => {
      const { payload, headers } = form(fields, 'sp2d.csv', 'text/csv', content);
      return () => ledger.post(`/api/programs/${programId}/sp2d-imports`, finance, payload, headers);
    };
    const refusal = await refused(
      upload(Buffer.from('nomor;tanggal;nilai\r\n1;2026-01-01;5\r\n')),
      422,
      'import.header.missing',
      'file',
    );
    expect(JSON.stringify(refusal.body.errors)).toContain('nomor_sp_2_d');
    await refused(
      upload(
        Buffer.from(
          'nomor_sp_2_d;tanggal_sp_2_d;nilai_sp_2_d;jenis_sp_2_d;nomor_spm;kode_rekening;nama_pihak_ketiga;nama_bank\r\n',
        ),
      ),
      422,
      'import.file.noRows',
      'file',
    );
    await refused(upload(Buffer.from('x'), { fiscalYear: 'tahun' }), 400, 'request.invalid', 'fiscalYear');
    await refused(upload(Buffer.from('PK\x03\x04 not a zip')), 422, 'import.file.unreadable');
  });

  it('the audit trail lists the budget lines and every document of the program, cancellations among the sensitive', async () => {
    const audit = async (query = '') => {
      const response = await ledger.get(
        `/api/audit?consistentWith=${await ledger.runtime.store.headPosition()}&limit=1000&program=${programId}${query}`,
        auditor,
      );
      expect(response.status).toBe(200);
      return response.body.entries as {
        action: string;
        regionCode: string | null;
        detail: { number?: string };
      }[];
    };
    const entries = await audit();
    const actions = new Set(entries.map((e) => e.action));
    for (const action of [
      'treasury.set_budget_line',
      'treasury.record_spp',
      'treasury.record_spm',
      'treasury.record_sp2d',
      'treasury.cancel_document',
      'treasury.link_sp2d',
    ])
      expect(actions).toContain(action);
    for (const e of entries.filter((e) => e.action.startsWith('treasury.')))
      expect(e.regionCode).toBe(MUARA_ENIM);
    const sensitive = new Set((await audit('&sensitive=true')).map((e) => e.action));
    expect(sensitive).toContain('treasury.cancel_document');
    expect(sensitive).not.toContain('treasury.record_sp2d');
  });
}

describe('SQLite e2e: the treasury, SPP → SPM → SP2D linked to invoices', () => treasurySuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: the treasury, SPP → SPM → SP2D linked to invoices',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => treasurySuite('postgres'),
);
