import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '@ledger/platform/http/problem';
import { reportCsv, reportXlsx } from '@ledger/read-models/exports/spreadsheet';
import type { ReportAbout, ReportTable } from '@ledger/read-models/exports/report-table';
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
 * Every report answers JSON, CSV or XLSX, chosen by `?format=` or the Accept header; how the
 * files are written for Indonesian spreadsheets is in `exports/spreadsheet.ts`. CSV carries
 * one table (`?sheet=` by name or number, default the first), XLSX every table as a sheet,
 * each under the title block `about` gives.
 */
export async function sendReport(
  request: FastifyRequest,
  reply: FastifyReply,
  json: unknown,
  tables: ReportTable[],
  filename: string,
  about?: ReportAbout,
): Promise<unknown> {
  const format = formatOf(request);
  if (format === 'json') return json;
  if (format === 'csv') {
    const sheet = ((request.query ?? {}) as Record<string, unknown>).sheet;
    const csv = reportCsv(tables, typeof sheet === 'string' ? sheet : undefined);
    if (csv === undefined || (sheet !== undefined && typeof sheet !== 'string')) {
      throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Tabel laporan tidak dikenal', {
        errors: [
          {
            field: 'sheet',
            rule: 'isIn',
            message: `sheet harus nama atau nomor tabel: ${tables.map((t, i) => `${i + 1} (${t.name})`).join(', ')}`,
          },
        ],
      });
    }
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}.csv"`);
    return csv;
  }
  const buffer = await reportXlsx(tables, about);
  void reply
    .header('content-type', XLSX)
    .header('content-disposition', `attachment; filename="${filename}.xlsx"`);
  return buffer;
}
