/**
 * The reconciliation statement (berita acara) and a payment's SP2D over HTTP, once on SQLite
 * and once on PostgreSQL: a Muara Enim program of last year, brought in as a migration, with
 * two workers, January billed but not paid, signed off in February; then an SP2D pays January
 * and a payment names it, and the statement shows the change beside its frozen figures.
 * Signing January again needs a reason and supersedes. The program lies wholly in the past so
 * that the suite does not depend on today's month (a month is signed only once it has ended).
 */
import { randomBytes } from 'node:crypto';
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
  EMBAWANG,
  lastYearPeriod,
  MUARA_ENIM,
  PAGAR_DEWA,
  programBody,
  proposal,
  SIJUNJUNG,
} from './support/ledger-fixtures';

const ACCOUNT = '5.1.02.01.01.0001';
const migration = { backfillReason: 'migration', backfillNote: 'Program tahun lalu' };
/** A BPJS bill file (CSV) as a multipart form, received on `receivedOn`. */
function billForm(receivedOn: string, rows: string[][]) {
  const boundary = `----ba-${randomBytes(8).toString('hex')}`;
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

/** The signer is the finance account, in the office given; no person's name is sent or kept. */
const SIGNER = { position: 'Kepala Bidang Perbendaharaan BPKAD' };
const FINANCE_ACCOUNT = 'keuangan-muara-enim';
/** A name a caller might try to send: it must be refused and found nowhere. */
const NAME = 'Rosmala Dewi, S.E.';

function statementSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let auditor: string;
  let foreignFinance: string;
  let programId: string;
  let total: number;
  let first: string;
  let last = 0;
  const today = todayWib();
  const period = lastYearPeriod();
  const year = Number(period.from.slice(0, 4));
  const january = `${year}-01`;
  /** Proposed and approved in the December before, as the migrated files say. */
  const proposedOn = `${year - 1}-12-20`;
  const approvedOn = `${year - 1}-12-28`;
  /** January signed off early in February; the SP2D paying it came after. */
  const signedOn = `${year}-02-05`;
  const paidOn = `${year}-02-20`;
  /** The realisation asked in mid-March: nine months left to the period's end in December. */
  const asOf = `${year}-03-15`;
  const monthsLeft = 9;
  const invoiceId = () => `${programId}_${january}`;
  const workers: SyntheticPerson[] = [];
  const enrollmentIds: string[] = [];
  let provinceProgram: string;
  let provinceFinance: string;
  let people: ReturnType<typeof createPeopleGenerator>;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], FINANCE_ACCOUNT);
    auditor = await ledger.token('auditor', ['16'], 'inspektorat-sumsel');
    foreignFinance = await ledger.token('finance', [SIJUNJUNG], 'keuangan-sijunjung');
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const track = (response: ApiResponse) => {
    last = Math.max(last, Number(response.body?.consistencyToken ?? 0));
    return response;
  };
  const post = async (path: string, body: unknown, status: number, token = finance) => {
    const response = await ledger.post(path, token, body);
    expect({
      path,
      status: response.status,
      body: response.status === status ? null : response.body,
    }).toEqual({
      path,
      status,
      body: null,
    });
    return track(response);
  };
  /** A program of last year: established, proposed and approved as a migration. */
  const establish = (name: string, token: string, overrides: Parameters<typeof programBody>[0] = {}) =>
    post(
      '/api/programs',
      { ...programBody({ name, period, ...overrides }), backfillToleranceDays: undefined, ...migration },
      201,
      token,
    );
  const enrol = async (program: string, person: SyntheticPerson, token: string) => {
    const coverageFrom = `${year}-01-01`;
    const proposed = await post(
      `/api/programs/${program}/enrollments`,
      { ...proposal(person), coverageFrom, proposedOn, ...migration },
      201,
      token,
    );
    await post(
      `/api/enrollments/${proposed.body.enrollmentId}/approval`,
      { coverageFrom, approvedOn, ...migration },
      200,
      token,
    );
    return proposed.body.enrollmentId as string;
  };
  const sign = (body: Record<string, unknown>, token = finance) =>
    ledger.post('/api/reconciliation/statements', token, { program: programId, signer: SIGNER, ...body });
  const statement = (id: string, token = finance, format = '') =>
    ledger.get(`/api/reconciliation/statements/${id}?consistentWith=${last}${format}`, token);

  it('January of a two-worker program, billed by BPJS, not paid yet', async () => {
    const established = await establish('Program Berita Acara', admin);
    programId = established.body.programId;
    people = createPeopleGenerator({ seed: 1_415, today: period.from });
    for (let i = 0; i < 2; i++) {
      const worker = people.next({ villageCode: EMBAWANG, maxAge: 50 });
      workers.push(worker);
      enrollmentIds.push(await enrol(programId, worker, admin));
    }
    const issued = await post(`/api/programs/${programId}/invoices`, { month: january }, 201);
    total = issued.body.totalAmount;
    expect(total).toBe(2 * 16_800);
    await post(`/api/invoices/${invoiceId()}/bpjs-bill`, { participants: 2, amount: total }, 201);
    await post(
      `/api/programs/${programId}/budget-lines`,
      { fiscalYear: year, accountCode: ACCOUNT, document: 'DPA', fundingSource: 'PAD', amount: 10_000_000 },
      200,
    );
    const doc = { date: `${year}-01-10`, amount: 1_000_000, accountCode: ACCOUNT };
    await post(`/api/programs/${programId}/spp`, { ...doc, number: `001/SPP-LS/${year}` }, 201);
    await post(
      `/api/programs/${programId}/spm`,
      { ...doc, number: `001/SPM-LS/${year}`, sppNumber: `001/SPP-LS/${year}` },
      201,
    );
  });

  it('a signer or counterparty with a name is 400 naming the field, and nothing is written', async () => {
    const head = await ledger.runtime.store.headPosition();
    const named = await sign({ month: january, signedOn, signer: { ...SIGNER, name: NAME } });
    expect(named.status).toBe(400);
    expect(named.body.errors).toEqual([
      expect.objectContaining({ field: 'signer.name', rule: 'whitelistValidation' }),
    ]);
    const counterparty = await sign({
      month: january,
      signedOn,
      counterparty: { name: NAME, office: 'BPJS Ketenagakerjaan Cabang Prabumulih' },
    });
    expect(counterparty.status).toBe(400);
    expect(counterparty.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'counterparty', rule: 'isString' })]),
    );
    expect(JSON.stringify([named.body, counterparty.body])).not.toContain('Rosmala');
    expect(await ledger.runtime.store.headPosition()).toBe(head);
  });

  it('finance signs January: the three totals and the open difference are frozen, with signer and both times', async () => {
    const signed = track(
      await sign({ month: january, counterparty: 'BPJS Ketenagakerjaan Cabang Prabumulih', signedOn }),
    );
    expect(signed.status).toBe(201);
    first = signed.body.statementId;
    expect(signed.body).toMatchObject({ programId, period: january, supersedes: null });
    const read = await statement(first);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      statementId: first,
      period: january,
      payer: null,
      signedOn,
      signer: { account: FINANCE_ACCOUNT, position: SIGNER.position },
      counterparty: 'BPJS Ketenagakerjaan Cabang Prabumulih',
      frozen: {
        roster: total,
        billed: total,
        disbursed: 0,
        lines: [expect.objectContaining({ code: 'INVOICE_UNPAID', invoiceId: invoiceId(), amount: total })],
      },
      changedAfterStatement: false,
      figureChanges: [],
      lineChanges: [],
      supersededBy: null,
    });
    expect(Date.parse(read.body.recordedAt)).not.toBeNaN();
    expect(read.body.readPosition).toBeGreaterThan(0);
    // Who signed is the event's actor; the event and the row hold the office, no name.
    const [event] = (await ledger.runtime.store.readAll({ maxCount: 100_000 })).filter(
      (e) => e.type === 'ReconciliationStatementSigned',
    );
    expect(event.metadata.actor?.id).toBe(FINANCE_ACCOUNT);
    expect((event.data as { signer: unknown }).signer).toEqual(SIGNER);
    const rows = await ledger.runtime.read.query
      .selectFrom('reconciliation_statements')
      .selectAll()
      .execute();
    expect(rows.map((r) => [r.signed_by, r.signer_position])).toEqual([[FINANCE_ACCOUNT, SIGNER.position]]);
    expect(Object.keys(rows[0])).not.toContain('signer_name');
  });

  it('signing January again without a reason is 409 naming reason, and changes nothing', async () => {
    const again = await sign({ month: january });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([
      expect.objectContaining({ field: 'reason', rule: 'statement.alreadySigned' }),
    ]);
    const list = await ledger.get(
      `/api/reconciliation/statements?program=${programId}&consistentWith=${last}`,
      finance,
    );
    expect(list.body.statements.map((s: { statementId: string }) => s.statementId)).toEqual([first]);
  });

  it('a payment may name only a recorded, live SP2D of the region (422/409 naming sp2dNumber, nothing written)', async () => {
    const pay = (sp2dNumber: string, reference: string) =>
      ledger.post(`/api/invoices/${invoiceId()}/payments`, finance, {
        amount: total,
        paidOn,
        reference,
        sp2dNumber,
        ...migration,
      });
    const unknown = await pay(`999/SP2D-LS/${year}`, 'VA-BA-0');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ field: 'sp2dNumber', rule: 'payment.sp2d.unknown' }),
    ]);
    const sp2d = {
      date: paidOn,
      amount: 5_000,
      accountCode: ACCOUNT,
      spmNumber: `001/SPM-LS/${year}`,
      sp2dType: 'LS',
      recipient: 'BPJS Ketenagakerjaan Cabang Prabumulih',
      bank: 'Bank Sumsel Babel',
      deductions: [],
    };
    await post(`/api/programs/${programId}/sp2d`, { ...sp2d, number: `009/SP2D-LS/${year}` }, 201);
    await post(
      `/api/programs/${programId}/treasury-cancellations`,
      { fiscalYear: year, kind: 'sp2d', number: `009/SP2D-LS/${year}`, reason: 'Salah input' },
      200,
    );
    const cancelled = await pay(`009/SP2D-LS/${year}`, 'VA-BA-1');
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.errors).toEqual([
      expect.objectContaining({ field: 'sp2dNumber', rule: 'payment.sp2d.cancelled' }),
    ]);
    const invoice = await ledger.get(`/api/invoices/${invoiceId()}`, finance);
    expect(invoice.body.payments).toEqual([]);
    // The SP2D that really paid January, then the payment naming it (as typed, lower case).
    await post(
      `/api/programs/${programId}/sp2d`,
      { ...sp2d, amount: total, number: `002/SP2D-LS/${year}` },
      201,
    );
    await post(
      `/api/programs/${programId}/sp2d-links`,
      { fiscalYear: year, sp2dNumber: `002/SP2D-LS/${year}`, invoiceIds: [invoiceId()] },
      200,
    );
    const paid = await post(
      `/api/invoices/${invoiceId()}/payments`,
      { amount: total, paidOn, reference: 'VA-BA-2', sp2dNumber: ` 002/sp2d-ls/${year}`, ...migration },
      201,
    );
    expect(paid.body.status).toBe('paid');
    const after = await ledger.get(`/api/invoices/${invoiceId()}`, finance);
    expect(after.body.payments).toEqual([expect.objectContaining({ sp2dNumber: `002/SP2D-LS/${year}` })]);
  });

  it('the statement contradicted by the later payment shows the change after it, its frozen figures kept', async () => {
    const read = await statement(first);
    expect(read.body.frozen).toMatchObject({ roster: total, billed: total, disbursed: 0 });
    expect(read.body.current).toMatchObject({ roster: total, billed: total, disbursed: total, lines: [] });
    expect(read.body.changedAfterStatement).toBe(true);
    expect(read.body.figureChanges).toEqual([
      { figure: 'disbursed', frozen: 0, current: total, difference: total },
    ]);
    expect(read.body.lineChanges).toEqual([
      {
        code: 'INVOICE_UNPAID',
        month: january,
        invoiceId: invoiceId(),
        sp2dNumbers: [],
        frozen: total,
        current: null,
        difference: -total,
      },
    ]);
  });

  it('as XLSX and as a printable page in Bahasa Indonesia with the change and the signature block', async () => {
    const xlsx = await ledger.request(
      'GET',
      `/api/reconciliation/statements/${first}?format=xlsx&consistentWith=${last}`,
      {
        token: finance,
      },
    );
    expect(xlsx.status).toBe(200);
    expect(String(xlsx.headers['content-type'])).toBe(XLSX_TYPE);
    // The signature sheet as CSV: the office, the account and time recorded, the name left blank.
    const signatures = await statement(first, finance, '&format=csv&sheet=Tanda%20tangan');
    expect(signatures.status).toBe(200);
    for (const text of [SIGNER.position, `akun ${FINANCE_ACCOUNT}`, 'Nama: ............................'])
      expect(signatures.text).toContain(text);
    const html = await statement(first, auditor, '&format=html');
    expect(html.status).toBe(200);
    expect(String(html.headers['content-type'])).toMatch(/^text\/html/);
    for (const text of [
      'Berita Acara Rekonsiliasi',
      `Januari ${year}`,
      SIGNER.position,
      `akun ${FINANCE_ACCOUNT}`,
      'Nama: ............................',
      'BPJS Ketenagakerjaan Cabang Prabumulih',
      'Perubahan setelah berita acara',
      'Tagihan belum dibayar dengan SP2D',
      `Rp${total.toLocaleString('id-ID')}`,
      'Pihak kedua',
    ])
      expect(html.text).toContain(text);
  });

  it('signed again with a reason, the new statement supersedes the first, which stays readable', async () => {
    const again = track(await sign({ month: january, reason: 'SP2D 002 membayar tagihan Januari' }));
    expect(again.status).toBe(201);
    expect(again.body.supersedes).toBe(first);
    const second = await statement(again.body.statementId);
    expect(second.body).toMatchObject({
      supersedes: first,
      reason: 'SP2D 002 membayar tagihan Januari',
      frozen: { disbursed: total, lines: [] },
      changedAfterStatement: false,
    });
    expect((await statement(first)).body.supersededBy).toBe(again.body.statementId);
    const audit = await ledger.get(
      `/api/audit?action=treasury.sign_statement&program=${programId}&consistentWith=${last}`,
      auditor,
    );
    expect(audit.status).toBe(200);
    expect(
      audit.body.entries.map((e: { action: string; reason: string | null }) => [e.action, e.reason]),
    ).toEqual([
      ['treasury.sign_statement', null],
      ['treasury.sign_statement', 'SP2D 002 membayar tagihan Januari'],
    ]);
  });

  it('a month not ended, a missing signer, auditors and a foreign region are refused', async () => {
    const open = await sign({ month: today.slice(0, 7) });
    expect(open.status).toBe(422);
    expect(open.body.errors).toEqual([
      expect.objectContaining({ field: 'signedOn', rule: 'statement.period.notEnded' }),
    ]);
    const noSigner = await ledger.post('/api/reconciliation/statements', finance, {
      program: programId,
      month: january,
    });
    expect(noSigner.status).toBe(400);
    expect(noSigner.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'signer' })]),
    );
    expect((await sign({ month: `${year}-02` }, auditor)).status).toBe(403);
    expect((await sign({ month: `${year}-02` }, foreignFinance)).status).toBe(403);
    expect((await statement(first, foreignFinance)).status).toBe(403);
    const list = await ledger.get(
      `/api/reconciliation/statements?program=${programId}&consistentWith=${last}`,
      auditor,
    );
    expect(list.body.statements).toHaveLength(2);
  });

  it('budget realisation per line: appropriated, disbursed, billed, owed, projected, remaining; the total their sum', async () => {
    const other = '5.1.02.01.01.0002';
    await post(
      `/api/programs/${programId}/budget-lines`,
      { fiscalYear: year, accountCode: other, document: 'DPA', fundingSource: 'DAU', amount: 500_000 },
      200,
    );
    // February is owed, not billed, paid by no SP2D: with two lines it belongs to neither code.
    await post(`/api/programs/${programId}/invoices`, { month: `${year}-02` }, 201);
    const read = (query: string, token = finance) =>
      ledger.get(
        `/api/reconciliation/realisation?program=${programId}&${query}&consistentWith=${last}`,
        token,
      );
    const found = await read(`year=${year}&asOf=${asOf}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ year, asOf, monthsLeft });
    expect(found.body.lines).toEqual([
      {
        accountCode: ACCOUNT,
        appropriated: 10_000_000,
        disbursed: total,
        billed: total,
        owed: total,
        projected: total + total * monthsLeft,
        remaining: 10_000_000 - total,
      },
      {
        accountCode: other,
        appropriated: 500_000,
        disbursed: 0,
        billed: 0,
        owed: 0,
        projected: 0,
        remaining: 500_000,
      },
      {
        accountCode: null,
        appropriated: 0,
        disbursed: 0,
        billed: 0,
        owed: total,
        projected: total + total * monthsLeft,
        remaining: 0,
      },
    ]);
    const keys = ['appropriated', 'disbursed', 'billed', 'owed', 'projected', 'remaining'] as const;
    for (const key of keys)
      expect(found.body.total[key]).toBe(
        found.body.lines.reduce((sum: number, line: Record<string, number>) => sum + line[key], 0),
      );
    // Before the SP2D and the February invoice, January alone, owed and billed, nothing disbursed.
    const early = await read(`year=${year}&asOf=${year}-01-31`);
    expect(early.body.total).toMatchObject({ disbursed: 0, owed: total, billed: total });
    const csv = await ledger.request(
      'GET',
      `/api/reconciliation/realisation?program=${programId}&year=${year}&format=csv&consistentWith=${last}`,
      { token: auditor },
    );
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('Sisa pagu');
    expect(csv.text).toContain('Belum ditautkan ke kode rekening');
    const xlsx = await ledger.request(
      'GET',
      `/api/reconciliation/realisation?program=${programId}&year=${year}&format=xlsx`,
      { token: finance },
    );
    expect(String(xlsx.headers['content-type'])).toBe(XLSX_TYPE);
    expect((await read(`year=${year}`, foreignFinance)).status).toBe(403);
    expect((await read(`year=${year}`, admin)).status).toBe(403);
    const badYear = await read('year=26');
    expect(badYear.status).toBe(400);
    expect(badYear.body.errors).toEqual([expect.objectContaining({ field: 'year', rule: 'isYear' })]);
    const outside = await read(`year=${year}&asOf=${year - 1}-12-31`);
    expect(outside.body.errors).toEqual([expect.objectContaining({ field: 'asOf', rule: 'withinYear' })]);
  });

  it('COVERED_BY_TWO_PAYERS: the province is billed for a worker the regency covers in February, and nothing else differs', async () => {
    const february = `${year}-02`;
    const province = await ledger.token('finance', ['16'], 'keuangan-sumsel');
    const provinceAdmin = await ledger.token('program_admin', ['16'], 'admin-sumsel');
    const established = await establish('Program Provinsi', provinceAdmin, {
      ownerRegion: '16',
      payer: 'Pemerintah Provinsi Sumatera Selatan',
    });
    provinceProgram = established.body.programId;
    provinceFinance = province;
    const own = people.next({ villageCode: PAGAR_DEWA, maxAge: 50 });
    await enrol(provinceProgram, own, provinceAdmin);
    const issued = await post(
      `/api/programs/${provinceProgram}/invoices`,
      { month: february },
      201,
      province,
    );
    const lineAmount = issued.body.lineAmount;
    const invoice = `${provinceProgram}_${february}`;
    // BPJS bills the province for its own worker and for the regency's first worker.
    const row = (n: number, person: SyntheticPerson) => [
      String(n),
      person.nik,
      '',
      person.name,
      february,
      String(lineAmount),
    ];
    const { payload, headers } = billForm(`${february}-20`, [row(1, own), row(2, workers[0])]);
    const billed = track(await ledger.post(`/api/invoices/${invoice}/bpjs-bill`, province, payload, headers));
    expect(billed.status).toBe(201);
    // Paid exactly, so the bill is the only thing that differs.
    const treasury = `/api/programs/${provinceProgram}`;
    await post(
      `${treasury}/budget-lines`,
      { fiscalYear: year, accountCode: ACCOUNT, document: 'DPA', fundingSource: 'PAD', amount: 1_000_000 },
      200,
      province,
    );
    const doc = { date: `${february}-10`, amount: lineAmount, accountCode: ACCOUNT };
    await post(`${treasury}/spp`, { ...doc, number: `P01/SPP/${year}` }, 201, province);
    await post(
      `${treasury}/spm`,
      { ...doc, number: `P01/SPM/${year}`, sppNumber: `P01/SPP/${year}` },
      201,
      province,
    );
    await post(
      `${treasury}/sp2d`,
      {
        ...doc,
        number: `P01/SP2D/${year}`,
        spmNumber: `P01/SPM/${year}`,
        sp2dType: 'LS',
        recipient: 'BPJS Ketenagakerjaan Cabang Palembang',
        bank: 'Bank Sumsel Babel',
        deductions: [],
      },
      201,
      province,
    );
    await post(
      `${treasury}/sp2d-links`,
      { fiscalYear: year, sp2dNumber: `P01/SP2D/${year}`, invoiceIds: [invoice] },
      200,
      province,
    );
    const found = await ledger.get(
      `/api/reconciliation?program=${provinceProgram}&month=${february}&consistentWith=${last}`,
      province,
    );
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ roster: lineAmount, billed: 2 * lineAmount, disbursed: lineAmount });
    expect(found.body.lines).toEqual([
      expect.objectContaining({ code: 'COVERED_BY_TWO_PAYERS', invoiceId: invoice, amount: lineAmount }),
    ]);
    // The regency's own month knows nothing of it: its roster holds the worker, as it should.
    const regency = await ledger.get(
      `/api/reconciliation?program=${programId}&month=${february}&consistentWith=${last}`,
      finance,
    );
    expect(regency.body.lines.map((l: { code: string }) => l.code)).toEqual([
      'ROSTER_NOT_BILLED',
      'INVOICE_UNPAID',
    ]);
    // No NIK in the answer: the match was made on the NIK's HMAC.
    expect(JSON.stringify(found.body)).not.toContain(workers[0].nik);
  });

  it('drill-down: the participants behind a difference line, masked, with village and amounts, paged', async () => {
    const february = `${year}-02`;
    const masked = (nik: string) => `${nik.slice(0, 4)}${'*'.repeat(10)}${nik.slice(-2)}`;
    const drill = (program: string, query: string, token = finance) =>
      ledger.get(
        `/api/reconciliation/participants?program=${program}&month=${february}&${query}&consistentWith=${last}`,
        token,
      );
    const twice = await drill(provinceProgram, 'code=COVERED_BY_TWO_PAYERS', provinceFinance);
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ total: 1, invoiceIds: [`${provinceProgram}_${february}`] });
    expect(twice.body.participants).toEqual([
      {
        invoiceId: `${provinceProgram}_${february}`,
        enrollmentId: enrollmentIds[0],
        maskedNik: masked(workers[0].nik),
        villageCode: EMBAWANG,
        billedAmount: 16_800,
        invoicedAmount: null,
      },
    ]);
    const notOnRoster = await drill(provinceProgram, 'code=BILLED_NOT_ON_ROSTER', provinceFinance);
    expect(notOnRoster.body).toMatchObject({ total: 0, participants: [] });
    // The regency's February was never billed: its whole roster is behind ROSTER_NOT_BILLED.
    const roster = await drill(programId, 'code=ROSTER_NOT_BILLED');
    expect(roster.body.total).toBe(2);
    expect(roster.body.participants).toEqual(
      enrollmentIds.map((enrollmentId, i) => ({
        invoiceId: `${programId}_${february}`,
        enrollmentId,
        maskedNik: masked(workers[i].nik),
        villageCode: EMBAWANG,
        billedAmount: null,
        invoicedAmount: 16_800,
      })),
    );
    const page = await drill(programId, 'code=INVOICE_UNPAID&offset=1&limit=1');
    expect(page.body).toMatchObject({ total: 2, offset: 1, limit: 1 });
    expect(page.body.participants.map((p: { enrollmentId: string }) => p.enrollmentId)).toEqual([
      enrollmentIds[1],
    ]);
    const text = JSON.stringify([twice.body, roster.body]);
    for (const worker of workers) expect(text).not.toContain(worker.nik);
    const tooMany = await drill(programId, 'code=INVOICE_UNPAID&limit=501');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ field: 'limit', rule: 'max' })]);
    const sp2dCode = await drill(programId, 'code=OUTSIDE_BUDGET_LINE');
    expect(sp2dCode.body.errors).toEqual([expect.objectContaining({ field: 'code', rule: 'isIn' })]);
    expect((await drill(programId, 'code=INVOICE_UNPAID', foreignFinance)).status).toBe(403);
  });
}

describe('reconciliation statement on SQLite', () => statementSuite('sqlite'));
describeIfAvailable(
  'reconciliation statement on PostgreSQL',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => statementSuite('postgres'),
);
