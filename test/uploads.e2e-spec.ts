/**
 * Uploads and downloads that must not stall or exhaust the server: hostile nomination lists are
 * refused with a 4xx problem while /health keeps answering, legacy text encodings are read
 * correctly or refused with the position of the bad byte, the import report streams and shows
 * each caller the rows of its own scope, and the import's row-level defects stay fixed.
 */
import { get as httpGet, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import {
  createPeopleGenerator,
  type PeopleGenerator,
  type SyntheticPerson,
} from '@ledger/ledger/participants/synthetic-people';
import { blankLinesCsv, emptyRowsXlsx, inflatingXlsx } from '@ledger/ledger/enrollment/import/hostile-files';
import {
  multipartFile,
  startLedgerApp,
  todayWib,
  XLSX_TYPE,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import {
  EMBAWANG,
  MUARA_ENIM,
  nominationCsv,
  nominationRow,
  PAGAR_DEWA,
  programBody,
  SAROLANGUN,
} from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

function expectProblem(response: ApiResponse, status: number, rule: string): void {
  expect({ status: response.status, type: response.body?.type }).toEqual({ status, type: problemType(rule) });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
}

function uploadsSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let people: PeopleGenerator;
  let admin: string;
  let operator: string;
  let otherOperator: string;
  let foreignAdmin: string;
  let auditor: string;
  let programId: string;

  beforeAll(async () => {
    // Limits small enough for a test, large enough for every genuine file below.
    ledger = await startLedgerApp(mode, {
      LEDGER_IMPORT_MAX_MB: '80',
      LEDGER_CONSISTENCY_TIMEOUT_MS: '20000',
    });
    people = createPeopleGenerator({ seed: 9160, today: todayWib() });
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
    otherOperator = await ledger.token('village_operator', [PAGAR_DEWA], 'operator-pagar-dewa');
    foreignAdmin = await ledger.token('program_admin', [SAROLANGUN], 'admin-sarolangun');
    auditor = await ledger.token('auditor', ['16'], 'auditor-sumsel');
    const established = await ledger.post(
      '/api/programs',
      admin,
      programBody({ name: 'Program Unggahan', quota: 10_000 }),
    );
    expect(established.status).toBe(201);
    programId = established.body.programId;
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const person = (villageCode = EMBAWANG): SyntheticPerson => people.next({ villageCode });
  const importUrl = () => `/api/programs/${programId}/enrollments/import`;

  async function head(): Promise<number> {
    const projections = await ledger.get('/api/projections', admin);
    expect(projections.status).toBe(200);
    return projections.body.head;
  }

  /** Sends a file and, while it is being handled, asks /health: it must answer. */
  async function uploadWithHealth(payload: Buffer, headers: Record<string, string>, token = operator) {
    const upload = ledger.request('POST', importUrl(), { token, payload, headers });
    const health = ledger.get('/health');
    const [response, healthResponse] = await Promise.all([upload, health]);
    expect(healthResponse.status).toBe(200);
    return response;
  }

  describe('hostile uploads are refused with a problem, change nothing, and never hold /health', () => {
    it('a 1.9 MB CSV of a header and a million blank lines: 422 import.file.blankRows', async () => {
      const before = await head();
      const response = await uploadWithHealth(blankLinesCsv(1_000_000), { 'content-type': 'text/csv' });
      expectProblem(response, 422, 'import.file.blankRows');
      expect(response.body.row).toBe(2);
      expect(await head()).toBe(before);
    }, 120_000);

    it('a 60 MB CSV of blank lines: 422, refused at the blank run', async () => {
      const before = await head();
      const response = await uploadWithHealth(blankLinesCsv(30_000_000), { 'content-type': 'text/csv' });
      expectProblem(response, 422, 'import.file.blankRows');
      expect(await head()).toBe(before);
    }, 120_000);

    it('a body over the byte limit: 413 import.file.tooLarge, as body or multipart', async () => {
      const big = Buffer.alloc(81 * 1024 * 1024, 0x41);
      const raw = await uploadWithHealth(big, { 'content-type': 'text/csv' });
      expectProblem(raw, 413, 'import.file.tooLarge');
      expect(raw.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'maxSize' })]);
      const { payload, headers } = multipartFile('usulan.csv', 'text/csv', big);
      expectProblem(await uploadWithHealth(payload, headers), 413, 'import.file.tooLarge');
    }, 120_000);

    it('a 4 MB XLSX that inflates to 4 GB (sizes in its headers lie): 422 import.xlsx.inflation', async () => {
      const before = await head();
      const bomb = inflatingXlsx(4_000_000_000);
      expect(bomb.length).toBeLessThan(5 * 1024 * 1024);
      const { payload, headers } = multipartFile('usulan.xlsx', XLSX_TYPE, bomb);
      const response = await uploadWithHealth(payload, headers);
      expectProblem(response, 422, 'import.xlsx.inflation');
      expect(await head()).toBe(before);
    }, 120_000);

    it('an XLSX of 1,500,000 empty rows under its header: 422 import.file.blankRows', async () => {
      const before = await head();
      const response = await uploadWithHealth(emptyRowsXlsx(1_500_000), { 'content-type': XLSX_TYPE });
      expectProblem(response, 422, 'import.file.blankRows');
      expect(await head()).toBe(before);
    }, 120_000);
  });

  describe('text encoding', () => {
    it('a Windows-1252 CSV (Excel "CSV (Comma delimited)") is read as Windows-1252: André Smét stays André Smét', async () => {
      const worker = { ...person(), name: 'André Smét' };
      const text = nominationCsv([nominationRow(worker)]);
      // Every character of this text is in Windows-1252; 'é' is the single byte E9.
      const latin = Buffer.from(text, 'latin1');
      expect(latin.includes(0xe9)).toBe(true);
      const response = await ledger.request('POST', importUrl(), {
        token: operator,
        payload: latin,
        headers: { 'content-type': 'text/csv' },
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'completed', accepted: 1, rejected: 0 });
      const report = await ledger.get(
        `/api/imports/${response.body.importId}/report?format=json&consistentWith=${response.body.consistencyToken}`,
        admin,
      );
      const enrollment = await ledger.get(
        `/api/enrollments/${report.body.rows[0].enrollmentId}?consistentWith=${response.body.consistencyToken}`,
        admin,
      );
      const participant = await ledger.get(
        `/api/participants/${enrollment.body.participantId}?consistentWith=${response.body.consistencyToken}`,
        auditor,
      );
      expect(participant.status).toBe(200);
      expect(participant.body.personal.name).toBe('André Smét');
    });

    it('a file mixing UTF-8 and another encoding is refused with the row and column of the first bad byte', async () => {
      const before = await head();
      const good = person();
      const text = nominationCsv([
        nominationRow({ ...good, name: 'Siti Aminah' }),
        nominationRow({ ...person(), name: 'Andr_ Smit' }),
      ]);
      const bytes = Buffer.from(text.replace('Siti', 'Sití'), 'utf8'); // valid UTF-8 (í = C3 AD) on row 2
      const bad = bytes.indexOf(Buffer.from('Andr_'));
      bytes[bad + 4] = 0xe9; // a lone Windows-1252 'é' on row 3
      const response = await ledger.request('POST', importUrl(), {
        token: operator,
        payload: bytes,
        headers: { 'content-type': 'text/csv' },
      });
      expectProblem(response, 422, 'import.file.encoding');
      const line = text.split('\r\n')[2];
      expect(response.body).toMatchObject({ row: 3, column: line.indexOf('Andr_') + 5 });
      expect(await head()).toBe(before);
    });
  });

  describe('exports escape formulas', () => {
    it('the history CSV and XLSX write an actor id and a correlation id that look like formulas as text', async () => {
      const sneaky = await ledger.token(
        'village_operator',
        [EMBAWANG],
        '=HYPERLINK("http://contoh.id","klik")',
      );
      const worker = person();
      const proposed = await ledger.post(
        `/api/programs/${programId}/enrollments`,
        sneaky,
        {
          nik: worker.nik,
          name: worker.name,
          sex: worker.sex,
          birthDate: worker.birthDate,
          occupation: worker.occupation,
          villageCode: worker.villageCode,
          phone: worker.phone,
        },
        { 'x-correlation-id': '-2-3' },
      );
      expect(proposed.status).toBe(201);
      const url = `/api/participants/${proposed.body.participantId}/history`;
      const csv = await ledger.get(
        `${url}?format=csv&consistentWith=${proposed.body.consistencyToken}`,
        auditor,
      );
      expect(csv.status).toBe(200);
      const [header, ...lines] = parseCsv(csv.text, { bom: true, delimiter: ';' }) as string[][];
      const actor = header.indexOf('Pelaku');
      const correlation = header.indexOf('Korelasi');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line[actor]).toBe('\'=HYPERLINK("http://contoh.id","klik")');
        expect(line[correlation]).toBe("'-2-3");
      }
      const xlsx = await ledger.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'GET',
          url: `${url}?format=xlsx`,
          headers: { authorization: `Bearer ${auditor}` },
        });
      expect(xlsx.statusCode).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as never);
      const sheet = workbook.worksheets[0];
      const headerRow = (sheet.views[0] as { ySplit: number }).ySplit;
      const headers = (sheet.getRow(headerRow).values as unknown[]).map(String);
      const cell = (name: string) => sheet.getRow(headerRow + 1).getCell(headers.indexOf(name)).value;
      expect(cell('Pelaku')).toBe('\'=HYPERLINK("http://contoh.id","klik")');
      expect(cell('Korelasi')).toBe("'-2-3");
    });
  });

  describe('the report of a large import', () => {
    let importId: string;
    let token: number;
    const ROWS = 4_500;

    beforeAll(async () => {
      const rows: string[][] = [];
      const first = person();
      for (let i = 0; i < ROWS; i += 1) rows.push(nominationRow(i % 3 === 0 ? person(PAGAR_DEWA) : person()));
      rows[0] = nominationRow(first);
      // The same NIK 1,600 rows further down, in another chunk of the import.
      rows[1600] = nominationRow({ ...first, name: 'Nama Lain' });
      rows[10][1] = ''; // an empty name
      rows[11][5] = '9999999999'; // a village code the directory does not know
      const response = await ledger.request('POST', importUrl(), {
        token: admin,
        payload: nominationCsv(rows),
        headers: { 'content-type': 'text/csv' },
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'completed', total: ROWS });
      importId = response.body.importId;
      token = response.body.consistencyToken;
    }, 300_000);

    async function jsonRows(as: string) {
      const report = await ledger.get(
        `/api/imports/${importId}/report?format=json&consistentWith=${token}`,
        as,
      );
      expect(report.status).toBe(200);
      return report.body.rows as { rowNumber: number; status: string; reasons: { rule: string }[] }[];
    }

    it('a NIK repeated 1,600 rows later is nik.duplicateInRequest naming the first row', async () => {
      const rows = await jsonRows(admin);
      const repeated = rows.find((r) => r.rowNumber === 1602)!;
      expect(repeated.status).toBe('rejected');
      expect(repeated.reasons.map((r) => r.rule)).toEqual(['nik.duplicateInRequest']);
      expect(JSON.stringify(repeated.reasons)).toContain('baris 2');
    });

    it('an empty name is name.required once; an unknown village code is villageCode.unknown', async () => {
      const rows = await jsonRows(admin);
      expect(rows.find((r) => r.rowNumber === 12)!.reasons.map((r) => r.rule)).toEqual(['name.required']);
      expect(rows.find((r) => r.rowNumber === 13)!.reasons.map((r) => r.rule)).toEqual([
        'villageCode.unknown',
      ]);
    });

    it("a village operator sees only its village's rows and counts; another regency is 403", async () => {
      const all = await jsonRows(admin);
      const embawang = await jsonRows(operator);
      const pagarDewa = await jsonRows(otherOperator);
      expect(all).toHaveLength(ROWS);
      expect(embawang.length).toBeGreaterThan(0);
      expect(pagarDewa.length).toBeGreaterThan(0);
      // Row 13's village is unknown: it is no village's row.
      expect(embawang.length + pagarDewa.length).toBe(ROWS - 1);
      const embawangNumbers = new Set(embawang.map((r) => r.rowNumber));
      expect(pagarDewa.some((r) => embawangNumbers.has(r.rowNumber))).toBe(false);

      const status = await ledger.get(`/api/imports/${importId}?consistentWith=${token}`, operator);
      expect(status.status).toBe(200);
      const accepted = embawang.filter((r) => r.status === 'accepted').length;
      expect(status.body).toMatchObject({
        total: embawang.length,
        accepted,
        rejected: embawang.length - accepted,
      });
      const whole = await ledger.get(`/api/imports/${importId}?consistentWith=${token}`, admin);
      expect(whole.body.total).toBe(ROWS);

      const csv = await ledger.get(`/api/imports/${importId}/report?consistentWith=${token}`, operator);
      const [, ...lines] = parseCsv(csv.text, { bom: true, delimiter: ';' }) as string[][];
      expect(lines.map((l) => Number(l[0]))).toEqual(embawang.map((r) => r.rowNumber));

      // The same report as XLSX, streamed: a title line, the header frozen on row 3 with a
      // filter, then the same rows with their numbers as numbers.
      const xlsx = await ledger.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'GET',
          url: `/api/imports/${importId}/report?format=xlsx`,
          headers: { authorization: `Bearer ${operator}` },
        });
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-disposition']).toBe(
        `attachment; filename="laporan-impor-${importId}.xlsx"`,
      );
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as never);
      const sheet = book.worksheets[0];
      expect(sheet.getCell('A1').value).toBe(`Laporan impor ${importId}`);
      expect(sheet.getRow(3).values).toEqual([
        undefined,
        'Baris',
        'Status',
        'NIK (disamarkan)',
        'Alasan',
        'ID Pendaftaran',
      ]);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
      const numbers: unknown[] = [];
      sheet.eachRow((row, n) => n > 3 && numbers.push(row.getCell(1).value));
      expect(numbers).toEqual(embawang.map((r) => r.rowNumber));
      expect(sheet.getRow(4).getCell(2).value).toBe(lines[0][1]);

      expectProblem(await ledger.get(`/api/imports/${importId}`, foreignAdmin), 403, 'auth.scope');
      expectProblem(await ledger.get(`/api/imports/${importId}/report`, foreignAdmin), 403, 'auth.scope');
    });

    it('the CSV streams: paused half-way, the server still answers /health, and the whole file arrives in order', async () => {
      const fastify = ledger.app.getHttpAdapter().getInstance();
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      try {
        const { port } = fastify.server.address() as AddressInfo;
        const response = await new Promise<IncomingMessage>((resolve, reject) =>
          httpGet(
            {
              host: '127.0.0.1',
              port,
              path: `/api/imports/${importId}/report`,
              headers: { authorization: `Bearer ${admin}` },
            },
            resolve,
          ).on('error', reject),
        );
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/csv/);
        expect(response.headers['content-length']).toBeUndefined();
        const chunks: Buffer[] = [];
        // Paused inside the listener: a flowing stream would emit the next chunks to no one.
        const first = await new Promise<Buffer>((resolve) =>
          response.once('data', (chunk: Buffer) => {
            response.pause();
            resolve(chunk);
          }),
        );
        chunks.push(first);
        expect((await ledger.get('/health')).status).toBe(200);
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.resume();
        await new Promise((resolve) => response.on('end', resolve));
        const text = Buffer.concat(chunks).toString('utf8');
        expect(text.startsWith('\uFEFFBaris;Status')).toBe(true);
        const [, ...lines] = parseCsv(text, { bom: true, delimiter: ';' }) as string[][];
        expect(lines.map((l) => Number(l[0]))).toEqual(Array.from({ length: ROWS }, (_, i) => i + 2));
      } finally {
        // Stops listening only; the app itself is closed after the suite.
        await new Promise((resolve) => fastify.server.close(resolve));
      }
    });
  });
}

describe('SQLite e2e: bounded uploads and downloads', () => uploadsSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: bounded uploads and downloads',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => uploadsSuite('postgres'),
);
