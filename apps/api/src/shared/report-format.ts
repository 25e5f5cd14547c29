import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '@ledger/platform/http/problem';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { spreadsheetCell } from '@ledger/ledger/shared/spreadsheet-cell';
import type { ReportTable } from '@ledger/read-models/exports/report-table';
import type { FastifyReply, FastifyRequest } from 'fastify';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Format = 'json' | 'csv' | 'xlsx';

function formatOf(request: FastifyRequest): Format {
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (query.format !== undefined) {
    if (query.format === 'json' || query.format === 'csv' || query.format === 'xlsx') return query.format;
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Format laporan tidak dikenal', {
      errors: [{ field: 'format', rule: 'isIn', message: 'format harus json, csv atau xlsx' }],
    });
  }
  const accept = String(request.headers.accept ?? '');
  if (accept.includes(XLSX)) return 'xlsx';
  if (accept.includes('text/csv')) return 'csv';
  return 'json';
}

/**
 * Every report answers JSON, CSV or XLSX, chosen by `?format=` or the Accept header. CSV
 * carries the report's main table (semicolons and a byte-order mark, as Excel in an
 * Indonesian locale expects); XLSX carries every table as a sheet. Every cell is escaped
 * against formula injection ({@link spreadsheetCell}).
 */
export async function sendReport(
  request: FastifyRequest,
  reply: FastifyReply,
  json: unknown,
  tables: ReportTable[],
  filename: string,
): Promise<unknown> {
  const format = formatOf(request);
  if (format === 'json') return json;
  if (format === 'csv') {
    const [main] = tables;
    const csv = stringify(
      main.rows.map((row) => main.columns.map((c) => spreadsheetCell(row[c.key] ?? ''))),
      { header: true, columns: main.columns.map((c) => c.header), delimiter: ';', bom: true },
    );
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}.csv"`);
    return csv;
  }
  const workbook = new ExcelJS.Workbook();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name.slice(0, 31));
    sheet.columns = table.columns.map((c) => ({
      header: c.header,
      key: c.key,
      width: Math.max(12, c.header.length + 2),
    }));
    for (const row of table.rows) {
      sheet.addRow(Object.fromEntries(table.columns.map((c) => [c.key, spreadsheetCell(row[c.key])])));
    }
    sheet.getRow(1).font = { bold: true };
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  void reply
    .header('content-type', XLSX)
    .header('content-disposition', `attachment; filename="${filename}.xlsx"`);
  return buffer;
}
