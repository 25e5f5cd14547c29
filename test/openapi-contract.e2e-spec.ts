import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedAccounts } from './support/accounts';
import { addDays } from '@ledger/ledger/shared/dates';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { OPERATION_RESPONSES } from '../apps/api/src/openapi/responses';
import {
  multipartFile,
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import {
  currentPeriod,
  EMBAWANG,
  MUARA_ENIM,
  nominationCsv,
  nominationRow,
  programBody,
  proposal,
  SIJUNJUNG,
  TIMBULUN,
} from './support/ledger-fixtures';
import { generateTypes, typeErrors, writeSourceTypeCheck } from './support/openapi-client';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** One real answer, under the path template and method of the operation that gave it. */
interface Answer {
  path: string;
  method: string;
  status: number;
  /** application/json, or application/problem+json for a refusal. */
  media: string;
  url: string;
  token?: string;
  body: unknown;
}

/** The document's operations as `method path`. */
function operationsOf(document: Json): string[] {
  return Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => METHODS.includes(method))
      .map((method) => `${method} ${path}`),
  );
}

/** Boots the ledger and writes the document it serves into a fresh directory. */
async function served(mode: LedgerMode) {
  const ledger = await startLedgerApp(mode);
  const response = await ledger.get('/docs-json');
  expect(response.status).toBe(200);
  const dir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  const documentFile = join(dir, 'openapi.json');
  writeFileSync(documentFile, JSON.stringify(response.body));
  return { ledger, document: response.body as Json, dir, documentFile };
}

/**
 * The OpenAPI document report builders generate their clients from: it lints clean under
 * Redocly's recommended rules, declares what every operation shares (problem details,
 * request ids, idempotency keys, consistency tokens, ETags) and what each answers, and the
 * types the read models and handlers return fit the schemas declared for them.
 */
describe('the OpenAPI document', () => {
  let ledger: LedgerApp;
  let document: Json;
  let dir: string;
  let documentFile: string;

  beforeAll(async () => {
    ({ ledger, document, dir, documentFile } = await served('sqlite'));
  });
  afterAll(async () => {
    await ledger?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lints with no error and no warning under Redocly’s recommended rules', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(__dirname, 'support/openapi-lint.mjs'), documentFile],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const problems = JSON.parse(stdout) as {
      severity: string;
      ruleId: string;
      message: string;
      at: string;
    }[];
    // Warnings include examples that do not fit their schema (no-invalid-media-type-examples).
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.at}`)).toEqual([]);
  });

  it('every success answer is declared with a named JSON schema, and every declaration matches an operation', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(32);
    const undeclared: string[] = [];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const successes = Object.entries(operation.responses as Record<string, Json>).filter(([s]) =>
          /^2/.test(s),
        );
        if (successes.length === 0) undeclared.push(`${method} ${path}: no 2xx response`);
        for (const [status, response] of successes) {
          if (status === '204' && response.content === undefined) continue; // no body to declare
          const schema = response.content?.['application/json']?.schema;
          if (!schema?.$ref) undeclared.push(`${method} ${path} ${status}: no JSON schema`);
          else if (!document.components.schemas[schema.$ref.split('/').pop()])
            undeclared.push(`${method} ${path} ${status}: ${schema.$ref} missing`);
        }
      }
    }
    expect(undeclared).toEqual([]);
    expect(Object.keys(OPERATION_RESPONSES).filter((key) => !operations.includes(key))).toEqual([]);
  });

  it('declares the query parameters the reports read, and their CSV and XLSX alternatives', () => {
    const queryOf = (path: string) =>
      (document.paths[path].get.parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
    expect(queryOf('/api/coverage/series')).toEqual(
      expect.arrayContaining(['region', 'from', 'to', 'format', 'sheet']),
    );
    expect(queryOf('/api/rankings')).toEqual(
      expect.arrayContaining(['province', 'regency', 'date', 'format']),
    );
    expect(queryOf('/api/programs/{id}/summary')).toEqual(expect.arrayContaining(['date', 'format']));
    for (const path of ['/api/coverage', '/api/rankings', '/api/audit', '/api/imports/{id}/report']) {
      expect(Object.keys(document.paths[path].get.responses['200'].content)).toEqual([
        'application/json',
        'text/csv',
        XLSX,
      ]);
    }
  });

  it('the types the read models and handlers return fit the schemas declared for them', async () => {
    await generateTypes(documentFile, dir);
    expect(await typeErrors(dir, writeSourceTypeCheck(dir))).toBe('');
  }, 120_000);
});

/**
 * The TypeScript types openapi-typescript generates from the document accept every answer
 * of a real workflow, refusals included, so a client written against them reads what the
 * ledger sends. Once on SQLite and once on PostgreSQL: each database hands the read models
 * their numbers in its own way.
 */
function answersSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let document: Json;
  let dir: string;
  let documentFile: string;
  let answers: Answer[];

  beforeAll(async () => {
    ({ ledger, document, dir, documentFile } = await served(mode));
    answers = await driveWorkflow(ledger);
  }, 180_000);
  afterAll(async () => {
    await ledger?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a client generated with openapi-typescript type-checks against the answers of a real workflow', async () => {
    // Every operation of the document answered at least once with a success, and refusals
    // of each kind were met.
    const answered = new Set([
      ...answers.filter((a) => a.status < 300).map((a) => `${a.method} ${a.path}`),
      ...emptySuccesses,
    ]);
    expect(operationsOf(document).filter((op) => !answered.has(op))).toEqual([]);
    expect([...new Set(answers.filter((a) => a.status >= 400).map((a) => a.status))].sort()).toEqual([
      400, 401, 403, 404, 409, 422,
    ]);

    await generateTypes(documentFile, dir);
    const typeOf = (a: Answer) =>
      `paths[${JSON.stringify(a.path)}][${JSON.stringify(a.method)}]['responses'][${a.status}]['content'][${JSON.stringify(a.media)}]`;
    writeFileSync(
      join(dir, 'client.ts'),
      [
        "import type { paths } from './api';",
        '',
        ...answers.map(
          (a, i) => `export const answer${i}: ${typeOf(a)} = ${JSON.stringify(a.body, null, 1)};`,
        ),
      ].join('\n'),
    );
    // The check bites: an answer with a count as text is refused.
    const coverage = answers.find((a) => a.path === '/api/coverage')!;
    writeFileSync(
      join(dir, 'wrong.ts'),
      [
        "import type { paths } from './api';",
        `export const wrong: ${typeOf(coverage)} = ${JSON.stringify({ ...(coverage.body as object), active: 'banyak' })};`,
      ].join('\n'),
    );
    const [clientErrors, wrongErrors] = await Promise.all([
      typeErrors(dir, 'client.ts'),
      typeErrors(dir, 'wrong.ts'),
    ]);
    expect(clientErrors).toBe('');
    expect(wrongErrors).toMatch(
      /wrong\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
  }, 240_000);

  it('the reports declared with CSV and XLSX alternatives answer them', async () => {
    const spreadsheets = answers.filter(
      (a, i) =>
        a.status === 200 &&
        document.paths[a.path][a.method].responses['200'].content['text/csv'] !== undefined &&
        answers.findIndex((b) => b.path === a.path && b.method === a.method) === i,
    );
    expect(spreadsheets.map((a) => a.path).sort()).toEqual([
      '/api/audit',
      '/api/audit/summary',
      '/api/claims/report',
      '/api/coverage',
      '/api/coverage/series',
      '/api/finance/programs/{id}/months',
      '/api/finance/refundable',
      '/api/finance/summary',
      '/api/imports/{id}/report',
      '/api/invoices/{id}/bpjs-bill',
      '/api/participants/{id}/history',
      '/api/programs/{id}/summary',
      '/api/rankings',
      '/api/reconciliation',
      '/api/reconciliation/realisation',
      '/api/reconciliation/statements/{statementId}',
    ]);
    const got: string[] = [];
    for (const a of spreadsheets) {
      for (const format of ['csv', 'xlsx']) {
        const url = new URL(a.url, 'http://ledger');
        url.searchParams.set('format', format);
        const response = await ledger.get(`${url.pathname}${url.search}`, a.token);
        got.push(
          `${a.path} ${format}: ${response.status} ${String(response.headers['content-type']).split(';')[0]}`,
        );
      }
    }
    expect(got).toEqual(
      spreadsheets.flatMap((a) => [`${a.path} csv: 200 text/csv`, `${a.path} xlsx: 200 ${XLSX}`]),
    );
  });
}

describe('SQLite e2e: a client generated from the OpenAPI document', () => answersSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: a client generated from the OpenAPI document',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => answersSuite('postgres'),
);

/**
 * A small workflow over HTTP touching every operation: a program with a baseline, proposals
 * approved, rejected and deregistered, a list with a rejected row, the reports, a participant
 * and their erasure, the audit trail, projections and health, and a refusal of each kind.
 * Every JSON answer is kept.
 */
/** Operations reached with a success that has no body (204): nothing to type-check. */
const emptySuccesses: string[] = [];

async function driveWorkflow(ledger: LedgerApp): Promise<Answer[]> {
  const answers: Answer[] = [];
  const people = createPeopleGenerator({ seed: 1818, today: todayWib() });
  const period = currentPeriod();
  const year = Number(period.from.slice(0, 4));
  const admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
  const operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
  const auditor = await ledger.token('auditor', ['16'], 'auditor-sumsel');
  const sijunjungAdmin = await ledger.token('program_admin', [SIJUNJUNG], 'admin-sijunjung');
  let last = 0;

  /** Calls `method template` with its path parameters filled in and keeps its JSON answer (problem details too). */
  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    template: string,
    options: {
      params?: Record<string, string>;
      query?: string;
      token?: string;
      payload?: unknown;
      headers?: Record<string, string>;
    } = {},
    expected = method === 'GET' ? 200 : undefined,
  ): Promise<ApiResponse> {
    const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => options.params![name]);
    const query =
      options.query ?? (method === 'GET' && template.startsWith('/api/') ? `consistentWith=${last}` : '');
    const response = await ledger.request(method, query ? `${path}?${query}` : path, {
      token: options.token,
      payload: options.payload ?? (method === 'GET' ? undefined : {}),
      headers: options.headers,
    });
    if (expected !== undefined)
      expect({ template, status: response.status }).toEqual({ template, status: expected });
    // A success without a body (204) has nothing to type-check, but was reached.
    if (response.status === 204) emptySuccesses.push(`${method.toLowerCase()} ${template}`);
    const media = String(response.headers['content-type'] ?? '').split(';')[0];
    if (media === 'application/json' || media === 'application/problem+json') {
      answers.push({
        path: template,
        method: method.toLowerCase(),
        status: response.status,
        media,
        url: query ? `${path}?${query}` : path,
        token: options.token,
        body: response.body,
      });
      if (typeof response.body?.consistencyToken === 'number')
        last = Math.max(last, response.body.consistencyToken);
    }
    return response;
  }

  await call('GET', '/health');
  await call('GET', '/health/live');
  await call('GET', '/health/ready');
  await call('GET', '/api/regions/{code}', { params: { code: MUARA_ENIM }, token: admin });
  await call('GET', '/api/regions/{code}', { params: { code: 'ID' }, token: admin });
  await call(
    'PUT',
    '/api/regions/{code}/baselines/{year}',
    {
      params: { code: MUARA_ENIM, year: String(year) },
      token: admin,
      payload: { workingPopulation: 93_000, vulnerableWorkers: 48_838, source: 'BPS Sakernas Agustus' },
    },
    200,
  );
  await call('GET', '/api/regions/{code}/baselines', { params: { code: MUARA_ENIM }, token: admin });
  await call(
    'PUT',
    '/api/regions/{code}/outside-participants/{date}',
    {
      params: { code: MUARA_ENIM, date: `${year}-01-31` },
      token: admin,
      payload: { participants: 66_225, source: 'BPJS Ketenagakerjaan Cabang Muara Enim' },
    },
    200,
  );
  await call('GET', '/api/regions/{code}/outside-participants', {
    params: { code: MUARA_ENIM },
    token: admin,
  });

  const established = await call(
    'POST',
    '/api/programs',
    { token: admin, payload: programBody({ quota: 50 }) },
    201,
  );
  const id = established.body.programId as string;
  const closing = await call(
    'POST',
    '/api/programs',
    { token: admin, payload: programBody({ name: 'Program Ditutup Muara Enim', quota: 5 }) },
    201,
  );
  await call(
    'POST',
    '/api/programs/{id}/quota',
    { params: { id }, token: admin, payload: { quota: 60, reason: 'APBD Perubahan' } },
    201,
  );
  await call(
    'POST',
    '/api/programs/{id}/backfill-tolerance',
    { params: { id }, token: admin, payload: { backfillToleranceDays: 730, reason: 'Migrasi data 2025' } },
    201,
  );
  await call(
    'POST',
    '/api/programs/{id}/jkk-reporting-window',
    { params: { id }, token: admin, payload: { jkkReportingWindowDays: 30, reason: 'Perbup 2026' } },
    201,
  );
  await call('POST', '/api/programs/{id}/period', { params: { id }, token: admin, payload: period }, 201);
  await call(
    'POST',
    '/api/programs/{id}/closure',
    {
      params: { id: closing.body.programId },
      token: admin,
      payload: { closedOn: period.to, reason: 'Anggaran habis' },
    },
    201,
  );

  const propose = (who = people.next({ villageCode: EMBAWANG, maxAge: 50 })) =>
    call(
      'POST',
      '/api/programs/{id}/enrollments',
      { params: { id }, token: operator, payload: proposal(who) },
      201,
    );
  const approvedPerson = people.next({ villageCode: EMBAWANG, maxAge: 50 });
  const [approved, rejected, deregistered] = [
    await propose(approvedPerson),
    await propose(),
    await propose(),
  ];
  const decide = (what: string, enrollment: ApiResponse, payload: unknown) =>
    call(
      'POST',
      `/api/enrollments/{id}/${what}`,
      { params: { id: enrollment.body.enrollmentId }, token: admin, payload },
      200,
    );
  await decide('approval', approved, { coverageFrom: `${year}-03-01` });
  await decide('rejection', rejected, { reason: 'NIK tidak sesuai KK' });
  await decide('approval', deregistered, { coverageFrom: `${year}-03-01` });
  await decide('deregistration', deregistered, { reason: 'moved_away', effectiveDate: `${year}-06-30` });
  await decide('correction', deregistered, {
    endedOn: `${year}-06-29`,
    reason: 'correction',
    note: 'Salah tanggal',
  });
  await call('GET', '/api/enrollments/{id}', {
    params: { id: deregistered.body.enrollmentId },
    token: admin,
  });
  await call('GET', '/api/programs', { token: admin });
  await call('GET', '/api/programs/{id}', { params: { id }, token: admin });
  await call('GET', '/api/programs/{id}/roster', { params: { id }, token: admin, query: 'limit=10' });

  // A person proposed in Sijunjung, then by Embawang's operator: refused, and recorded as a probe.
  const sijunjung = await call(
    'POST',
    '/api/programs',
    {
      token: sijunjungAdmin,
      payload: programBody({ name: 'Program Sijunjung', ownerRegion: SIJUNJUNG, payer: 'Pemkab Sijunjung' }),
    },
    201,
  );
  const elsewhere = people.next({ villageCode: TIMBULUN, maxAge: 50 });
  await call(
    'POST',
    '/api/programs/{id}/enrollments',
    { params: { id: sijunjung.body.programId }, token: sijunjungAdmin, payload: proposal(elsewhere) },
    201,
  );
  const probe = await call('POST', '/api/programs/{id}/enrollments', {
    params: { id },
    token: operator,
    payload: { ...proposal(elsewhere), villageCode: EMBAWANG },
  });
  expect(probe.status).toBe(409);

  const rows = [0, 1, 2].map(() => nominationRow(people.next({ villageCode: EMBAWANG, maxAge: 50 })));
  rows[2][2] = 'X'; // Jenis Kelamin neither L nor P: a rejected row
  const imported = await call(
    'POST',
    '/api/programs/{id}/enrollments/import',
    {
      params: { id },
      token: operator,
      payload: nominationCsv(rows),
      headers: { 'content-type': 'text/csv', 'x-file-name': 'usulan.csv' },
    },
    200,
  );
  expect(imported.body).toMatchObject({ accepted: 2, rejected: 1 });
  const importId = imported.body.importId as string;
  await call('GET', '/api/imports/{id}', { params: { id: importId }, token: operator });
  const report = await call('GET', '/api/imports/{id}/report', {
    params: { id: importId },
    token: operator,
    query: `format=json&consistentWith=${last}`,
  });
  expect(report.body.rows.map((r: { status: string }) => r.status)).toEqual([
    'accepted',
    'accepted',
    'rejected',
  ]);
  await call(
    'POST',
    '/api/imports/{id}/approval',
    { params: { id: importId }, token: admin, payload: { coverageFrom: `${year}-04-01` } },
    200,
  );

  // Contributions: a month's invoice, paid beyond its total, adjusted, the over-payment refunded;
  // another month issued and cancelled; the year's non-working days.
  const finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
  await call(
    'PUT',
    '/api/calendar/{year}/non-working-days',
    { params: { year: String(year) }, token: admin, payload: { days: [`${year}-12-25`], note: 'Natal' } },
    200,
  );
  await call('GET', '/api/calendar/{year}/non-working-days', {
    params: { year: String(year) },
    token: finance,
  });
  const issuedInvoice = await call(
    'POST',
    '/api/programs/{id}/invoices',
    { params: { id }, token: finance, payload: { month: `${year}-04` } },
    201,
  );
  await call(
    'POST',
    '/api/programs/{id}/invoices',
    { params: { id }, token: finance, payload: { month: `${year}-04` } },
    200,
  );
  const invoiceId = issuedInvoice.body.invoiceId as string;
  await call(
    'POST',
    '/api/invoices/{id}/payments',
    {
      params: { id: invoiceId },
      token: finance,
      payload: {
        amount: issuedInvoice.body.totalAmount + 1_000,
        paidOn: todayWib(),
        reference: 'VA 8800 0001',
      },
    },
    201,
  );
  await call(
    'POST',
    '/api/invoices/{id}/adjustments',
    { params: { id: invoiceId }, token: finance, payload: { reason: 'Periksa daftar', recompute: true } },
    200,
  );
  await call(
    'POST',
    '/api/invoices/{id}/refunds',
    {
      params: { id: invoiceId },
      token: finance,
      payload: { lines: [], includeOverpaid: true, reason: 'overpaid', agreedOn: todayWib() },
    },
    201,
  );
  await call('GET', '/api/invoices/{id}', { params: { id: invoiceId }, token: finance });
  const mayInvoice = await call(
    'POST',
    '/api/programs/{id}/invoices',
    { params: { id }, token: finance, payload: { month: `${year}-05` } },
    201,
  );
  await call(
    'POST',
    '/api/invoices/{id}/cancellation',
    { params: { id: mayInvoice.body.invoiceId }, token: finance, payload: { reason: 'Salah bulan' } },
    200,
  );
  await call('GET', '/api/programs/{id}/invoices', { params: { id }, token: finance });

  // The bill BPJS sent for March, as a file and as totals, compared with the month's invoice.
  const billed = people.next({ villageCode: EMBAWANG, maxAge: 50 });
  await decide('approval', await propose(billed), { coverageFrom: `${year}-03-01` });
  const march = await call(
    'POST',
    '/api/programs/{id}/invoices',
    { params: { id }, token: finance, payload: { month: `${year}-03` } },
    201,
  );
  const bill = multipartFile(
    'tagihan.csv',
    'text/csv',
    Buffer.from(`NIK;Periode;Iuran\r\n${billed.nik};${year}-03;16800\r\n`),
  );
  await call(
    'POST',
    '/api/invoices/{id}/bpjs-bill',
    { params: { id: march.body.invoiceId }, token: finance, payload: bill.payload, headers: bill.headers },
    201,
  );
  await call(
    'POST',
    '/api/invoices/{id}/bpjs-bill',
    { params: { id: march.body.invoiceId }, token: finance, payload: { participants: 2, amount: 33_600 } },
    201,
  );
  await call('GET', '/api/invoices/{id}/bpjs-bill', {
    params: { id: march.body.invoiceId },
    token: finance,
    query: 'version=1',
  });

  // The treasury of the year: a budget line, SPP → SPM → SP2D linked to April's invoice, a cancellation.
  const accountCode = '5.1.02.01.01.0001';
  const budget = {
    fiscalYear: year,
    accountCode,
    document: 'DPA',
    fundingSource: 'PAD',
    amount: 900_000_000,
  };
  await call(
    'POST',
    '/api/programs/{id}/budget-lines',
    { params: { id }, token: finance, payload: budget },
    200,
  );
  const document = { date: `${year}-04-10`, amount: 100_000, accountCode };
  await call(
    'POST',
    '/api/programs/{id}/spp',
    { params: { id }, token: finance, payload: { ...document, number: 'SPP-API-1' } },
    201,
  );
  await call(
    'POST',
    '/api/programs/{id}/spm',
    { params: { id }, token: finance, payload: { ...document, number: 'SPM-API-1', sppNumber: 'SPP-API-1' } },
    201,
  );
  const sp2d = {
    ...document,
    spmNumber: 'SPM-API-1',
    sp2dType: 'LS',
    recipient: 'BPJS Ketenagakerjaan',
    bank: 'Bank Sumsel Babel',
  };
  for (const number of ['SP2D-API-1', 'SP2D-API-2']) {
    await call(
      'POST',
      '/api/programs/{id}/sp2d',
      { params: { id }, token: finance, payload: { ...sp2d, number, amount: 50_000 } },
      201,
    );
  }
  await call(
    'POST',
    '/api/programs/{id}/sp2d',
    { params: { id }, token: finance, payload: { ...sp2d, number: 'SP2D-API-3', amount: 1 } },
    422,
  );
  await call(
    'POST',
    '/api/programs/{id}/treasury-cancellations',
    {
      params: { id },
      token: finance,
      payload: { fiscalYear: year, kind: 'sp2d', number: 'SP2D-API-2', reason: 'Salah nilai' },
    },
    200,
  );
  await call(
    'POST',
    '/api/programs/{id}/sp2d-links',
    {
      params: { id },
      token: finance,
      payload: { fiscalYear: year, sp2dNumber: 'SP2D-API-1', invoiceIds: [invoiceId] },
    },
    200,
  );
  const exported = multipartFile(
    'sp2d.csv',
    'text/csv',
    Buffer.from(
      'nomor_sp_2_d;tanggal_sp_2_d;nilai_sp_2_d;jenis_sp_2_d;nomor_spm;kode_rekening;nama_pihak_ketiga;nama_bank\r\n' +
        `SP2D-API-9;${year}-04-12;1000;LS;SPM-API-1;${accountCode};BPJS Ketenagakerjaan;Bank Sumsel Babel\r\n`,
    ),
  );
  // The form's fiscal year goes before the file, as the upload reads it.
  const boundary = /boundary=(.+)$/.exec(exported.headers['content-type'])![1];
  const yearField = `--${boundary}\r\nContent-Disposition: form-data; name="fiscalYear"\r\n\r\n${year}\r\n`;
  await call(
    'POST',
    '/api/programs/{id}/sp2d-imports',
    {
      params: { id },
      token: finance,
      payload: Buffer.concat([Buffer.from(yearField), exported.payload]),
      headers: exported.headers,
    },
    201,
  );
  await call('GET', '/api/programs/{id}/treasury/{year}', {
    params: { id, year: String(year) },
    token: auditor,
  });
  await call('GET', '/api/reconciliation', {
    token: auditor,
    query: `program=${id}&month=${year}-04&consistentWith=${last}`,
  });
  const signed = await call(
    'POST',
    '/api/reconciliation/statements',
    {
      token: finance,
      payload: {
        program: id,
        month: `${year}-04`,
        signer: { position: 'Kepala Bidang Perbendaharaan' },
        counterparty: 'BPJS Ketenagakerjaan Cabang Prabumulih',
      },
    },
    201,
  );
  await call(
    'POST',
    '/api/reconciliation/statements',
    {
      token: finance,
      payload: { program: id, month: `${year}-04`, signer: { position: 'Kabid' } },
    },
    409,
  );
  await call('GET', '/api/reconciliation/statements', {
    token: auditor,
    query: `program=${id}&consistentWith=${signed.body.consistencyToken}`,
  });
  await call('GET', '/api/reconciliation/statements/{statementId}', {
    params: { statementId: signed.body.statementId },
    token: auditor,
    query: `consistentWith=${signed.body.consistencyToken}`,
  });
  await call('GET', '/api/reconciliation/participants', {
    token: finance,
    query: `program=${id}&month=${year}-04&code=INVOICE_UNPAID&consistentWith=${last}`,
  });
  await call('GET', '/api/reconciliation/realisation', {
    token: finance,
    query: `program=${id}&year=${year}&consistentWith=${last}`,
  });

  const today = todayWib();
  await call('GET', '/api/coverage', {
    token: admin,
    query: `region=${MUARA_ENIM}&date=${today}&consistentWith=${last}`,
  });
  await call('GET', '/api/coverage/series', {
    token: admin,
    query: `region=${MUARA_ENIM}&from=${year}-01-01&to=${year}-06-30&consistentWith=${last}`,
  });
  await call('GET', '/api/rankings', { token: auditor, query: `province=16&consistentWith=${last}` });
  await call('GET', '/api/rankings', { token: admin, query: `regency=${MUARA_ENIM}&consistentWith=${last}` });
  await call('GET', '/api/programs/{id}/summary', {
    params: { id },
    token: admin,
    query: `date=${year}-07-01&consistentWith=${last}`,
  });

  await call('GET', '/api/finance/programs/{id}/months', {
    params: { id },
    token: finance,
    query: `asOf=${todayWib()}&consistentWith=${last}`,
  });
  await call('GET', '/api/finance/summary', {
    token: finance,
    query: `region=${MUARA_ENIM}&year=${year}&consistentWith=${last}`,
  });
  await call('GET', '/api/finance/refundable', { token: auditor, query: `region=${MUARA_ENIM}` });

  const participant = approved.body.participantId as string;
  await call('GET', '/api/participants/{id}', { params: { id: participant }, token: auditor });
  await call('GET', '/api/participants/{id}', { params: { id: participant }, token: admin });
  const found = await call(
    'POST',
    '/api/participants/lookup',
    { token: admin, query: `consistentWith=${last}`, payload: { nik: approvedPerson.nik } },
    200,
  );
  expect(found.body.participants.map((p: { id: string }) => p.id)).toEqual([participant]);
  await call('POST', '/api/participants/lookup', { token: admin, payload: { nik: '1603' } }, 422);
  await call('GET', '/api/participants/{id}/history', {
    params: { id: participant },
    token: auditor,
    query: `asOf=${year}-03-15&consistentWith=${last}`,
  });
  // A death claim through every step (rejected and reopened once on the way), then an
  // accident claim withdrawn.
  const claimDocuments = [
    'participant_card',
    'id_cards',
    'death_certificate',
    'family_card',
    'heirs_certificate',
    'bank_book',
  ].map((type, i) => ({ type, number: `DOC-${i + 1}`, issuedOn: `${year}-03-11` }));
  const heir = {
    name: 'Siti Aminah',
    nik: '1603014508850002',
    relationship: 'spouse',
    bankName: 'Bank Sumsel Babel',
    accountNumber: '9876543210',
  };
  const fileClaim = (payload: Record<string, unknown>) =>
    call(
      'POST',
      '/api/participants/{id}/claims',
      {
        params: { id: participant },
        token: admin,
        payload: { enrollmentId: approved.body.enrollmentId, reportedOn: today, ...payload },
      },
      201,
    );
  // The death reported first, by the village; the death claim filed after it links to it.
  await call(
    'POST',
    '/api/participants/{id}/death',
    {
      params: { id: participant },
      token: admin,
      payload: {
        dateOfDeath: addDays(today, -3),
        reporter: { name: 'Rahmat Hidayat', relationship: 'village_officer' },
        certificate: { number: '1603-KM-0001', issuedOn: addDays(today, -2) },
      },
    },
    201,
  );
  // A recent death: the month's contribution is still within its grace, so the claim is eligible.
  const claim = await fileClaim({
    kind: 'JKM',
    benefit: 'death',
    eventDate: addDays(today, -3),
    heirs: [heir],
  });
  const claimStep = (step: string, payload: Record<string, unknown> = {}) =>
    call(
      'POST',
      `/api/claims/{id}/${step}`,
      { params: { id: claim.body.claimId }, token: admin, payload },
      200,
    );
  await claimStep('documents', { documents: claimDocuments });
  await claimStep('rejection', { code: 'documents_invalid', note: 'Akta kematian tidak terbaca' });
  await claimStep('reopening', { note: 'Akta kematian diganti' });
  await claimStep('documents', { documents: claimDocuments });
  await claimStep('submission');
  await claimStep('approval');
  await claimStep('payment', { paidOn: today, reference: 'TRF-BPJS-0001' });
  await call('GET', '/api/claims/{id}', { params: { id: claim.body.claimId }, token: auditor });
  await call('GET', '/api/claims', {
    token: admin,
    query: `region=${MUARA_ENIM}&kind=JKM&consistentWith=${last}`,
  });
  await call('GET', '/api/claims/report', {
    token: admin,
    query: `region=${MUARA_ENIM}&year=${year}&consistentWith=${last}`,
  });
  const accident = await fileClaim({
    kind: 'JKK',
    benefit: 'medical',
    eventDate: `${year}-03-05`,
    heirs: [],
  });
  await call(
    'POST',
    '/api/claims/{id}/withdrawal',
    { params: { id: accident.body.claimId }, token: admin, payload: { note: 'Ditanggung asuransi lain' } },
    200,
  );

  await call(
    'POST',
    '/api/participants/{id}/erasure',
    { params: { id: participant }, token: admin, payload: { reason: 'Permintaan subjek data' } },
    200,
  );
  await call('GET', '/api/participants/{id}', { params: { id: participant }, token: auditor });
  await call('GET', '/api/participants/{id}/history', { params: { id: participant }, token: auditor });

  await call('GET', '/api/audit', { token: auditor });

  // The web app's accounts: an administrator (as `users create-admin` makes one) signs in with a
  // cookie, creates, disables and enables an account, issues an API token, changes their own
  // password and signs out.
  await seedAccounts(ledger.runtime, [
    {
      username: 'admin.pusat',
      role: 'administrator',
      regions: ['ID'],
      password: 'kata sandi yang panjang 2026',
    },
  ]);
  await call('GET', '/api/session', { query: '' });
  const signedIn = await call(
    'POST',
    '/api/session',
    { payload: { username: 'admin.pusat', password: 'kata sandi yang panjang 2026' } },
    200,
  );
  const session = {
    cookie: String(signedIn.headers['set-cookie']).split(';')[0],
    'x-csrf-token': signedIn.body.csrfToken as string,
  };
  await call('GET', '/api/session', { query: '', headers: session });
  const account = await call(
    'POST',
    '/api/accounts',
    {
      headers: session,
      payload: {
        username: 'operator.embawang',
        password: 'kata sandi operator 2026',
        role: 'village_operator',
        regions: [EMBAWANG],
      },
    },
    201,
  );
  const accountId = account.body.accountId as string;
  await call('GET', '/api/accounts', { headers: session, query: '' });
  await call(
    'POST',
    '/api/accounts/{id}/disabling',
    { params: { id: accountId }, headers: session, payload: { reason: 'Pindah tugas' } },
    200,
  );
  await call('POST', '/api/accounts/{id}/enabling', { params: { id: accountId }, headers: session }, 200);
  await call(
    'POST',
    '/api/tokens',
    {
      headers: session,
      payload: { subject: 'dashboard-bappeda', role: 'viewer', regions: ['1603'], days: 90 },
    },
    201,
  );
  await call(
    'POST',
    '/api/session/password',
    {
      headers: session,
      payload: { currentPassword: 'kata sandi yang panjang 2026', newPassword: 'sandi baru pusat 2027' },
    },
    200,
  );
  await call('DELETE', '/api/session', { headers: session }, 204);

  // Tamper evidence: two checkpoints signed on demand, then the key, the checkpoints and proofs.
  const first = await ledger.runtime.integrity.checkpoint();
  await call(
    'POST',
    '/api/programs/{id}/quota',
    { params: { id }, token: admin, payload: { quota: 61 } },
    201,
  );
  const second = await ledger.runtime.integrity.checkpoint();
  await call('GET', '/api/integrity/public-key', { token: auditor });
  await call('GET', '/api/integrity/checkpoints/latest', { token: auditor });
  await call('GET', '/api/integrity/checkpoints', { token: auditor });
  await call('GET', '/api/integrity/checkpoints', { token: auditor, query: `size=${first.size}` });
  await call('GET', '/api/integrity/proofs/inclusion', {
    token: auditor,
    query: `position=1&size=${second.size}`,
  });
  await call('GET', '/api/integrity/proofs/consistency', {
    token: auditor,
    query: `from=${first.size}&to=${second.size}`,
  });
  await call('GET', '/api/audit/summary', { token: auditor, query: `by=actor&consistentWith=${last}` });
  await call('GET', '/api/audit/summary', {
    token: auditor,
    query: `by=region&region=16&consistentWith=${last}`,
  });
  const probes = await call('GET', '/api/coverage-probes', {
    token: await ledger.token('auditor', ['ID'], 'auditor-nasional'),
  });
  expect(probes.body.actors).toHaveLength(1);
  await call('GET', '/api/projections', { token: admin });

  // Refusals: their problem details are typed too.
  await call('GET', '/api/coverage', { token: admin, query: 'date=2026-02-30' }, 400);
  await call('GET', '/api/programs', {}, 401);
  await call('GET', '/api/coverage', { token: operator, query: 'region=16' }, 403);
  await call(
    'GET',
    '/api/programs/{id}',
    { params: { id: '0197a000-0000-7000-8000-0000000000a1' }, token: admin },
    404,
  );
  await call(
    'POST',
    '/api/enrollments/{id}/approval',
    { params: { id: rejected.body.enrollmentId }, token: admin, payload: { coverageFrom: `${year}-03-01` } },
    409,
  );
  await call(
    'POST',
    '/api/enrollments/{id}/approval',
    {
      params: { id: (await propose()).body.enrollmentId },
      token: admin,
      payload: { coverageFrom: `${year + 5}-01-01` },
    },
    422,
  );
  return answers;
}
