/**
 * Invoices and payments over HTTP, once on SQLite and once on PostgreSQL: a program of
 * October–December 2025 recorded now as a migration, five workers covered from 1 October.
 * Each month's invoice freezes the roster that owes it (the same month twenty times at once
 * gives one invoice), a partial payment leaves exactly the remainder outstanding, a reference
 * is used once, a cancelled invoice takes no payment, every bad request is a problem naming
 * its field and rule that leaves the log head where it was, and a death in November makes
 * the paid December line refundable, once.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import {
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, nominationCsv, nominationRow, programBody } from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

const PERIOD = { from: '2025-10-01', to: '2025-12-31' };
const LINE = 16_800;
const WORKERS = 5;
const migration = { backfillReason: 'migration', backfillNote: 'Data 2025' };

function contributionsSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let outsider: string;
  let programId: string;
  const workers: SyntheticPerson[] = [];
  const enrollmentIds: string[] = [];

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    outsider = await ledger.token('finance', ['1303'], 'keuangan-sijunjung');
    const people = createPeopleGenerator({ seed: 13, today: PERIOD.from });
    for (let i = 0; i < WORKERS; i++) workers.push(people.next({ villageCode: EMBAWANG, maxAge: 50 }));

    const program = await ledger.post('/api/programs', admin, {
      ...programBody({ name: 'Perlindungan Pekerja Rentan Muara Enim 2025', period: PERIOD, quota: 10 }),
      backfillToleranceDays: undefined,
      ...migration,
    });
    expect(program.status).toBe(201);
    programId = program.body.programId;
    const imported = await ledger.request(
      'POST',
      `/api/programs/${programId}/enrollments/import?coverageFrom=${PERIOD.from}&proposedOn=2025-09-20&backfillReason=migration`,
      {
        token: admin,
        payload: nominationCsv(workers.map(nominationRow)),
        headers: { 'content-type': 'text/csv' },
      },
    );
    expect(imported.body).toMatchObject({ accepted: WORKERS, rejected: 0 });
    const approved = await ledger.post(`/api/imports/${imported.body.importId}/approval`, admin, {
      coverageFrom: PERIOD.from,
      approvedOn: '2025-09-28',
      backfillReason: 'migration',
    });
    expect(approved.body).toMatchObject({ approved: WORKERS });
    const recorded = await ledger.runtime.store.readStream(`import-${imported.body.importId}`);
    for (const event of recorded.filter((e) => e.type === 'NominationRowsRecorded')) {
      for (const row of (event.data as { rows: { enrollmentId: string }[] }).rows)
        enrollmentIds.push(row.enrollmentId);
    }
    expect(enrollmentIds).toHaveLength(WORKERS);
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const head = () => ledger.runtime.store.headPosition();
  /** A refusal: the status, rule and field, and nothing written. */
  async function refused(send: () => Promise<ApiResponse>, status: number, rule: string, field?: string) {
    const before = await head();
    const response = await send();
    expect({ status: response.status, type: response.body?.type }).toEqual({
      status,
      type: problemType(rule),
    });
    if (field)
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await head()).toBe(before);
    return response;
  }
  const issue = (month: string, token = finance) =>
    ledger.post(`/api/programs/${programId}/invoices`, token, { month });
  const pay = (invoiceId: string, body: Record<string, unknown>, token = admin) =>
    ledger.post(`/api/invoices/${invoiceId}/payments`, token, { ...migration, ...body });
  const invoice = (invoiceId: string) => ledger.get(`/api/invoices/${invoiceId}`, finance);

  it('a program states its month rule, any_day unless said, and shows it with its terms', async () => {
    const shown = await ledger.get(`/api/programs/${programId}?consistentWith=${await head()}`, finance);
    expect(shown.body.monthRule).toBe('any_day');
    const body = {
      ...programBody({ name: 'Program Bulan Penuh Muara Enim', quota: 5 }),
      monthRule: 'whole_month',
    };
    await refused(
      () => ledger.post('/api/programs', admin, { ...body, monthRule: 'kadang' }),
      400,
      'request.invalid',
      'monthRule',
    );
    const established = await ledger.post('/api/programs', admin, body);
    expect(established.status).toBe(201);
    const other = await ledger.get(
      `/api/programs/${established.body.programId}?consistentWith=${established.body.consistencyToken}`,
      finance,
    );
    expect(other.body.monthRule).toBe('whole_month');
  });

  it('a December holiday moves the due date to the next working day', async () => {
    await refused(
      () => ledger.put('/api/calendar/2025/non-working-days', finance, { days: ['2025-12-15'] }),
      403,
      'auth.role',
    );
    await refused(
      () => ledger.put('/api/calendar/2025/non-working-days', admin, { days: ['2026-01-01'] }),
      422,
      'calendar.days.year',
      'days',
    );
    const set = await ledger.put('/api/calendar/2025/non-working-days', admin, {
      days: ['2025-12-15', '2025-12-25'],
      note: 'Libur nasional (contoh)',
    });
    expect(set.status).toBe(200);
    const read = await ledger.get('/api/calendar/2025/non-working-days', finance);
    expect(read.body).toEqual({
      year: 2025,
      days: ['2025-12-15', '2025-12-25'],
      note: 'Libur nasional (contoh)',
    });
  });

  it("issues October's invoice: the frozen roster with its control totals", async () => {
    const response = await issue('2025-10');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      invoiceId: `${programId}_2025-10`,
      month: '2025-10',
      lineAmount: LINE,
      lineCount: WORKERS,
      totalAmount: WORKERS * LINE,
      issued: { lineCount: WORKERS, totalAmount: WORKERS * LINE },
      dueDate: '2025-10-15',
      monthRule: 'any_day',
      status: 'open',
      paid: 0,
      outstanding: WORKERS * LINE,
      created: true,
    });
    const again = await issue('2025-10');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ invoiceId: `${programId}_2025-10`, created: false });
    const listed = await ledger.get(`/api/programs/${programId}/invoices`, finance);
    expect(listed.body.invoices.map((i: { invoiceId: string }) => i.invoiceId)).toEqual([
      `${programId}_2025-10`,
    ]);
  });

  it('a month outside the program period, a malformed month or a token of another region changes nothing', async () => {
    await refused(() => issue('2026-01'), 422, 'invoice.monthOutsidePeriod', 'month');
    await refused(() => issue('2025-09'), 422, 'invoice.monthOutsidePeriod', 'month');
    await refused(() => issue('2025-13'), 400, 'request.invalid', 'month');
    await refused(() => issue('2025-11', outsider), 403, 'auth.scope');
    await refused(() => ledger.get(`/api/invoices/${programId}_2025-10`, outsider), 403, 'auth.scope');
  });

  it('the same month asked twenty times at once gives one invoice', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => issue('2025-11')));
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(responses.map((r) => r.body.invoiceId))).toEqual(new Set([`${programId}_2025-11`]));
    const events = await ledger.runtime.store.readStream(`dues-${programId}_2025-11`);
    expect(events.filter((e) => e.type === 'InvoiceIssued')).toHaveLength(1);
  }, 120_000);

  it('a partial payment leaves exactly the remainder outstanding; the allocation is in line order', async () => {
    const id = `${programId}_2025-10`;
    const response = await pay(id, {
      amount: 40_000,
      paidOn: '2025-10-14',
      reference: ' va 8800 1603 2510 ',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      status: 'partly_paid',
      outstanding: WORKERS * LINE - 40_000,
      allocation: {
        paidBefore: 0,
        paidAfter: 40_000,
        fullyPaidLines: 2,
        partialLine: { line: 2, amount: 6_400 },
      },
    });
    const read = await invoice(id);
    expect(read.body).toMatchObject({
      paid: 40_000,
      outstanding: WORKERS * LINE - 40_000,
      status: 'partly_paid',
    });
    expect(read.body.payments).toEqual([
      expect.objectContaining({ amount: 40_000, reference: 'VA880016032510', late: false }),
    ]);
  });

  it('a reference used once is refused again however it is spaced or cased', async () => {
    const id = `${programId}_2025-10`;
    await refused(
      () => pay(id, { amount: 1_000, paidOn: '2025-10-20', reference: 'VA8800 16032510' }),
      409,
      'payment.reference.duplicate',
      'reference',
    );
    // Also on another invoice: references are unique in the whole ledger.
    await refused(
      () => pay(`${programId}_2025-11`, { amount: 1_000, paidOn: '2025-11-20', reference: 'va880016032510' }),
      409,
      'payment.reference.duplicate',
      'reference',
    );
  });

  it('negative, zero and fractional amounts, a future day, unknown or malformed invoices change nothing', async () => {
    const id = `${programId}_2025-10`;
    const body = { paidOn: '2025-10-20', reference: 'TRX-BAD' };
    await refused(() => pay(id, { ...body, amount: -16_800 }), 422, 'amount.positive', 'amount');
    await refused(() => pay(id, { ...body, amount: 0 }), 422, 'amount.positive', 'amount');
    await refused(() => pay(id, { ...body, amount: 16_800.5 }), 422, 'amount.integer', 'amount');
    await refused(() => pay(id, { ...body, amount: '16800' }), 400, 'request.invalid', 'amount');
    await refused(() => pay(id, { ...body, amount: 1, paidOn: '2099-01-01' }), 422, 'paidOn.future');
    await refused(
      () => pay(id, { ...body, amount: 1, reference: '   ' }),
      400,
      'request.invalid',
      'reference',
    );
    // A NIK typed as a reference never reaches the log.
    const nik = await refused(
      () => pay(id, { ...body, amount: 1, reference: workers[1].nik }),
      400,
      'request.invalid',
    );
    expect(nik.body.errors).toEqual([expect.objectContaining({ field: 'reference', rule: 'noNik' })]);
    await refused(() => pay(`${programId}_2025-12`, { ...body, amount: 1 }), 404, 'invoice.notFound');
    await refused(() => pay('bukan-tagihan', { ...body, amount: 1 }), 400, 'request.invalid', 'id');
    await refused(() => ledger.get(`/api/invoices/${programId}_2025-12`, finance), 404, 'invoice.notFound');
  });

  it('a payment sent twice with one Idempotency-Key is recorded once', async () => {
    const id = `${programId}_2025-10`;
    const body = { ...migration, amount: LINE, paidOn: '2025-10-31', reference: 'TRX-RETRY' };
    const headers = { 'idempotency-key': 'bayar-oktober-2' };
    const first = await ledger.post(`/api/invoices/${id}/payments`, admin, body, headers);
    const again = await ledger.post(`/api/invoices/${id}/payments`, admin, body, headers);
    expect(first.status).toBe(201);
    expect(again.body.paymentId).toBe(first.body.paymentId);
    const read = await invoice(id);
    expect(read.body).toMatchObject({ paid: 40_000 + LINE });
    expect(read.body.payments.map((p: { amount: number }) => p.amount)).toEqual([40_000, LINE]);
  });

  it('the rest paid a month late settles October; the over-payment is kept apart', async () => {
    const id = `${programId}_2025-10`;
    const rest = (await invoice(id)).body.outstanding;
    expect(rest).toBe(WORKERS * LINE - 40_000 - LINE);
    const response = await pay(id, { amount: rest + 500, paidOn: '2025-11-14', reference: 'TRX-2' });
    expect(response.body).toMatchObject({ status: 'paid', outstanding: 0 });
    const read = await invoice(id);
    expect(read.body).toMatchObject({ paid: WORKERS * LINE + 500, overpaid: 500, refundableOverpaid: 500 });
    expect(read.body.payments.map((p: { late: boolean }) => p.late)).toEqual([false, true, true]);
  });

  it('an invoice that took a payment cannot be cancelled; a cancelled one takes none and the month is issued again', async () => {
    await refused(
      () => ledger.post(`/api/invoices/${programId}_2025-10/cancellation`, finance, { reason: 'salah' }),
      409,
      'invoice.hasPayments',
    );
    const cancelled = await ledger.post(`/api/invoices/${programId}_2025-11/cancellation`, finance, {
      reason: 'Diterbitkan sebelum daftar final',
    });
    expect(cancelled.status).toBe(200);
    await refused(
      () => pay(`${programId}_2025-11`, { amount: LINE, paidOn: '2025-11-14', reference: 'TRX-3' }),
      409,
      'invoice.cancelled',
    );
    await refused(
      () => ledger.post(`/api/invoices/${programId}_2025-11/cancellation`, finance, { reason: 'lagi' }),
      409,
      'invoice.cancelled',
    );
    const reissued = await issue('2025-11');
    expect(reissued.status).toBe(201);
    expect(reissued.body).toMatchObject({ invoiceId: `${programId}_2025-11_2`, lineCount: WORKERS });
    expect((await invoice(`${programId}_2025-11`)).body.status).toBe('cancelled');
  });

  it('a death in November makes the paid December line refundable, once', async () => {
    const december = await issue('2025-12');
    expect(december.body).toMatchObject({ lineCount: WORKERS, dueDate: '2025-12-16' });
    const id = december.body.invoiceId;
    expect(
      (await pay(id, { amount: WORKERS * LINE, paidOn: '2025-12-10', reference: 'TRX-DES' })).body.status,
    ).toBe('paid');
    // Nothing is refundable while everyone is covered.
    await refused(
      () => ledger.post(`/api/invoices/${id}/refunds`, finance, { reason: 'deceased', agreedOn: todayWib() }),
      422,
      'refund.nothing',
      'lines',
    );
    const died = await ledger.post(`/api/enrollments/${enrollmentIds[0]}/deregistration`, admin, {
      reason: 'deceased',
      effectiveDate: '2025-11-15',
      backfillReason: 'late_report',
    });
    expect(died.status).toBe(200);
    // December's line of the deceased is fully paid: an adjustment leaves it (it is refunded instead).
    const adjusted = await ledger.post(`/api/invoices/${id}/adjustments`, finance, {
      reason: 'Peserta meninggal',
      recompute: true,
    });
    expect(adjusted.body).toMatchObject({ adjusted: false, cancelledLines: [] });
    const line = enrollmentIds.slice().sort().indexOf(enrollmentIds[0]);
    const other = line === 0 ? 1 : 0;
    const notRefundable = await refused(
      () =>
        ledger.post(`/api/invoices/${id}/refunds`, finance, {
          lines: [line, other],
          reason: 'deceased',
          agreedOn: todayWib(),
        }),
      422,
      'refund.lineNotRefundable',
      'lines',
    );
    expect(notRefundable.body.lines).toEqual([other]);
    const refund = await ledger.post(`/api/invoices/${id}/refunds`, finance, {
      reason: 'deceased',
      reference: 'BA-01/2025',
      agreedOn: todayWib(),
    });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ lines: [line], amount: LINE });
    await refused(
      () =>
        ledger.post(`/api/invoices/${id}/refunds`, finance, {
          lines: [line],
          reason: 'deceased',
          agreedOn: todayWib(),
        }),
      422,
      'refund.lineNotRefundable',
      'lines',
    );
    // November is still owed in full (the coverage ran until the 15th): its unpaid invoice keeps the line.
    const november = await ledger.post(`/api/invoices/${programId}_2025-11_2/adjustments`, finance, {
      reason: 'Peserta meninggal',
      recompute: true,
    });
    expect(november.body).toMatchObject({ adjusted: false });
    expect((await invoice(id)).body).toMatchObject({ refunded: LINE, paid: WORKERS * LINE, outstanding: 0 });
  });

  it('the audit trail names each money action of the program with its amounts, refunds and cancellations among the sensitive', async () => {
    const auditor = await ledger.token('auditor', [MUARA_ENIM], 'inspektorat-muara-enim');
    const entries = async (query: string) => {
      const response = await ledger.get(
        `/api/audit?consistentWith=${await head()}&limit=1000&program=${programId}&${query}`,
        auditor,
      );
      expect(response.status).toBe(200);
      return response.body.entries as {
        action: string;
        actor: { id: string };
        regionCode: string;
        effectiveDate: string | null;
        detail: Record<string, unknown> | null;
      }[];
    };
    const money = ['invoice.issue', 'invoice.cancel', 'payment.record', 'refund.record'];
    const all = (await entries('')).filter((e) => money.includes(e.action));
    // Three months issued, November twice (cancelled, then issued again).
    expect(all.filter((e) => e.action === 'invoice.issue')).toHaveLength(4);
    expect(all.filter((e) => e.action === 'invoice.cancel')).toHaveLength(1);
    const refunds = all.filter((e) => e.action === 'refund.record');
    expect(refunds).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: 'keuangan-muara-enim' }),
        regionCode: MUARA_ENIM,
        detail: expect.objectContaining({ amount: LINE, lines: 1, reference: 'BA-01/2025' }),
      }),
    ]);
    const december = all.find(
      (e) => e.action === 'payment.record' && (e.detail as { reference?: string }).reference === 'TRX-DES',
    );
    expect(december).toMatchObject({ effectiveDate: '2025-12-10', detail: { amount: WORKERS * LINE } });
    const sensitive = (await entries('sensitive=true')).map((e) => e.action);
    expect(sensitive).toEqual(expect.arrayContaining(['invoice.cancel', 'refund.record']));
    expect(sensitive).not.toContain('payment.record');
    // An auditor of another regency sees none of it.
    const elsewhere = await ledger.token('auditor', ['1303'], 'inspektorat-sijunjung');
    const hidden = await ledger.get(
      `/api/audit?consistentWith=${await head()}&program=${programId}`,
      elsewhere,
    );
    expect(hidden.body.entries ?? []).toEqual([]);
  });
}

describe('SQLite e2e: invoices and payments', () => contributionsSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: invoices and payments',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => contributionsSuite('postgres'),
);
