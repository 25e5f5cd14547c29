/**
 * Every report's CSV and XLSX read back as Excel and LibreOffice set to Indonesian read them:
 * CSV with `;`, a byte-order mark and decimal commas; XLSX with numbers as numbers in their
 * formats, dates as dates, fitted widths, the header frozen with an autofilter, a title block
 * saying what was read and at which log position, and the ledger's codes by their labels. One
 * XLSX of each report is rendered to a PNG in `test-output/exports/` where LibreOffice is
 * installed, for a person to look at.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, XLSX_TYPE, type LedgerApp } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, nominationCsv, nominationRow, programBody } from './support/ledger-fixtures';
import { canRender, renderXlsx, RENDER_DIR } from './support/render-xlsx';

interface Report {
  name: string;
  url: string;
  /** The first sheet's title, and facts its block must hold. */
  title: string;
  facts: RegExp[];
}

describe('SQLite e2e: exports for Indonesian spreadsheets', () => {
  let ledger: LedgerApp;
  let admin: string;
  let auditor: string;
  let reports: Report[];
  const today = todayInIndonesia(new Date());
  const year = today.slice(0, 4);

  beforeAll(async () => {
    ledger = await startLedgerApp('sqlite');
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    auditor = await ledger.token('auditor', ['16'], 'auditor-sumsel');
    const baseline = await ledger.put(`/api/regions/${MUARA_ENIM}/baselines/${year}`, admin, {
      workingPopulation: 211_000,
      source: 'BPS Sakernas Agustus',
    });
    expect(baseline.status).toBe(200);
    const program = await ledger.post('/api/programs', admin, programBody({ quota: 10 }));
    expect(program.status).toBe(201);
    const programId = program.body.programId as string;
    const people = createPeopleGenerator({ seed: 1818, today });
    const rows = Array.from({ length: 4 }, () =>
      nominationRow(people.next({ villageCode: EMBAWANG, maxAge: 50 })),
    );
    rows.push([...rows[0]]); // the same NIK again: a refused row
    const imported = await ledger.request('POST', `/api/programs/${programId}/enrollments/import`, {
      token: admin,
      payload: nominationCsv(rows),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.body).toMatchObject({ accepted: 4, rejected: 1 });
    const approved = await ledger.post(`/api/imports/${imported.body.importId}/approval`, admin, {
      coverageFrom: `${year}-01-15`,
    });
    expect(approved.status).toBe(200);
    const enrollment = (
      await ledger.get(`/api/imports/${imported.body.importId}/report?format=json`, admin)
    ).body.rows.find((r: { enrollmentId?: string }) => r.enrollmentId).enrollmentId as string;
    const ended = await ledger.post(`/api/enrollments/${enrollment}/deregistration`, admin, {
      reason: 'moved_away',
      effectiveDate: `${year}-02-28`,
    });
    expect(ended.status).toBe(200);
    const participant = (await ledger.get(`/api/enrollments/${enrollment}`, admin)).body.participantId;
    const token = ended.body.consistencyToken as number;
    const at = `consistentWith=${token}`;
    const position = /^(Posisi log|Menurut catatan per posisi log): \d+$/;
    const region = /^Wilayah: 1603 Kabupaten Muara Enim$/;
    reports = [
      {
        name: 'cakupan',
        url: `/api/coverage?region=${MUARA_ENIM}&date=${year}-02-15&${at}`,
        title: 'Cakupan kepesertaan',
        facts: [region, new RegExp(`^Tanggal: ${year}-02-15$`), position],
      },
      {
        name: 'deret-cakupan',
        url: `/api/coverage/series?region=${MUARA_ENIM}&from=${year}-01-01&to=${year}-06-30&${at}`,
        title: 'Deret bulanan cakupan kepesertaan',
        facts: [region, position],
      },
      {
        name: 'peringkat',
        url: `/api/rankings?regency=${MUARA_ENIM}&date=${year}-02-15&${at}`,
        title: 'Peringkat cakupan kepesertaan',
        facts: [region, position],
      },
      {
        name: 'ringkasan-program',
        url: `/api/programs/${programId}/summary?date=${year}-03-01&${at}`,
        title: 'Ringkasan program',
        facts: [/^Program: Perlindungan Pekerja Rentan Muara Enim$/, position],
      },
      {
        name: 'riwayat-peserta',
        url: `/api/participants/${participant}/history?asOf=${year}-02-15&${at}`,
        title: 'Riwayat peserta',
        facts: [new RegExp(`^Peserta: ${participant}$`), position],
      },
      { name: 'jejak-audit', url: `/api/audit?${at}`, title: 'Jejak audit', facts: [position] },
      {
        name: 'ringkasan-audit',
        url: `/api/audit/summary?by=actor&${at}`,
        title: 'Ringkasan audit per pelaku',
        facts: [position],
      },
    ];
  }, 120_000);
  afterAll(async () => ledger?.close());

  const download = async (url: string, token: string, accept: string) =>
    ledger.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, accept } });
  const tokenFor = (report: Report) =>
    report.name.includes('audit') || report.name.includes('riwayat') ? auditor : admin;

  it('CSV: semicolons, a byte-order mark, a header of Indonesian labels, decimal commas, no code left unlabelled', async () => {
    for (const report of reports) {
      const response = await download(report.url, tokenFor(report), 'text/csv');
      expect({ report: report.name, status: response.statusCode }).toEqual({
        report: report.name,
        status: 200,
      });
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.body.startsWith('\uFEFF')).toBe(true);
      const [header, ...rows] = parseCsv(response.body, { bom: true, delimiter: ';' }) as string[][];
      expect(header.length).toBeGreaterThan(1);
      for (const row of rows) {
        expect(row).toHaveLength(header.length);
        for (const cell of row) {
          // A decimal is written with a comma, never a point; codes come out as labels.
          expect({ report: report.name, cell, decimalPoint: /^-?\d+\.\d+$/.test(cell) }).toMatchObject({
            decimalPoint: false,
          });
          expect({ report: report.name, header: header[row.indexOf(cell)], cell }).not.toMatchObject({
            cell: expect.stringMatching(/^(regency|village|program_admin|moved_away|perangkat_desa)$/),
          });
        }
      }
    }
    const coverage = await download(reports[0].url, admin, 'text/csv');
    const [header, first] = parseCsv(coverage.body, { bom: true, delimiter: ';' }) as string[][];
    const cell = (name: string) => first[header.indexOf(name)];
    expect(cell('Tingkat')).toBe('Kabupaten/Kota');
    // 4 active of 211,000 is 0.0019 %: shown as the smallest non-zero percent, with a comma.
    expect(cell('Cakupan (%)')).toBe('0,01');
    expect(cell('Peserta aktif')).toBe('4'); // the one deregistered ends on the 28th
    const breakdown = await download(`${reports[0].url}&sheet=Rincian`, admin, 'text/csv');
    expect(breakdown.body).toContain('jenis kelamin;');
  });

  it('XLSX: a title block, a frozen filtered header, numbers in their formats, real dates, fitted widths, labels', async () => {
    for (const report of reports) {
      const response = await download(report.url, tokenFor(report), XLSX_TYPE);
      expect({ report: report.name, status: response.statusCode }).toEqual({
        report: report.name,
        status: 200,
      });
      expect(response.headers['content-type']).toBe(XLSX_TYPE);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(response.rawPayload as never);
      for (const sheet of book.worksheets) {
        const headerRow = (sheet.views[0] as { state: string; ySplit: number }).ySplit;
        expect({ report: report.name, sheet: sheet.name, frozen: sheet.views[0].state }).toMatchObject({
          frozen: 'frozen',
        });
        expect(sheet.getCell('A1').value).toBe(report.title);
        const block: string[] = [];
        for (let r = 2; r < headerRow - 1; r++) block.push(String(sheet.getCell(r, 1).value));
        for (const fact of report.facts)
          expect({ report: report.name, block }).toEqual({
            report: report.name,
            block: expect.arrayContaining([expect.stringMatching(fact)]),
          });
        expect(block[block.length - 1]).toMatch(/^Dibuat: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} WIB$/);
        expect(String(sheet.autoFilter)).toMatch(new RegExp(`^A${headerRow}:[A-Z]+\\d+$`));
        const headers = (sheet.getRow(headerRow).values as unknown[]).slice(1).map(String);
        headers.forEach((h, i) =>
          expect({ report: report.name, sheet: sheet.name, h, width: sheet.getColumn(i + 1).width }).toEqual({
            report: report.name,
            sheet: sheet.name,
            h,
            width: expect.any(Number),
          }),
        );
        headers.forEach((h, i) =>
          expect(sheet.getColumn(i + 1).width).toBeGreaterThanOrEqual(Math.min(60, h.length + 2)),
        );
        sheet.eachRow((row, n) => {
          if (n <= headerRow) return;
          row.eachCell((c) => {
            if (typeof c.value === 'number')
              expect(['#,##0', '#,##0.00', '0.00', '"Rp"#,##0']).toContain(c.numFmt);
            if (c.value instanceof Date) expect(['dd/mm/yyyy', 'dd/mm/yyyy hh:mm:ss']).toContain(c.numFmt);
            // A date never stays text, a code never stays a code.
            if (typeof c.value === 'string') {
              expect(c.value).not.toMatch(/^\d{4}-\d{2}-\d{2}$/);
              expect(['regency', 'village', 'program_admin', 'moved_away']).not.toContain(c.value);
            }
          });
        });
      }
      if (canRender) {
        const png = await renderXlsx(Buffer.from(response.rawPayload), report.name);
        expect(png).toBe(`${RENDER_DIR}/${report.name}.png`);
      }
    }
    if (!canRender)
      console.log('NOT RENDERED: exports to PNG need LibreOffice (libreoffice-calc-nogui) and pdftoppm');
  }, 300_000);

  it('the summary shows rupiah as Rp and the deregistration reason by its label', async () => {
    const response = await download(reports[3].url, admin, XLSX_TYPE);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as never);
    const sheet = book.worksheets[0];
    const lines = new Map<string, ExcelJS.Cell>();
    sheet.eachRow((row) => lines.set(String(row.getCell(1).value), row.getCell(2)));
    const cell = (item: string) => ({ value: lines.get(item)?.value, numFmt: lines.get(item)?.numFmt });
    expect(cell('Iuran per bulan')).toEqual({ value: 16_800, numFmt: '"Rp"#,##0' });
    expect(cell('Kewajiban iuran bulanan')).toEqual({ value: 3 * 16_800, numFmt: '"Rp"#,##0' });
    expect(lines.get('Kuota terpakai (%)')?.numFmt).toBe('0.00');
    expect(lines.get('Berhenti: Pindah domisili')?.value).toBe(1);
  });
});
