import { HttpStatus, StreamableFile } from '@nestjs/common';
import { ProblemException } from '@ledger/platform/http/problem';
import { reportCsv, reportXlsx, type StreamedTable } from '@ledger/read-models/exports/spreadsheet';
import type { ReportAbout } from '@ledger/read-models/exports/report-table';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tagStreamedReport } from '../etag';

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
 * each under the title block `about` gives. Both files are streamed as they are written.
 */
export function sendReport(
  request: FastifyRequest,
  _reply: FastifyReply,
  json: unknown,
  tables: StreamedTable[],
  filename: string,
  about?: ReportAbout,
): unknown {
  const format = formatOf(request);
  if (format === 'json') return json;
  if (format === 'csv') {
    const sheet = ((request.query ?? {}) as Record<string, unknown>).sheet;
    const csv =
      sheet === undefined || typeof sheet === 'string'
        ? reportCsv(tables, typeof sheet === 'string' ? sheet : undefined)
        : undefined;
    if (csv === undefined) {
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
    tagStreamedReport(request);
    return new StreamableFile(csv, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${filename}.csv"`,
    });
  }
  tagStreamedReport(request);
  return new StreamableFile(reportXlsx(tables, about), {
    type: XLSX,
    disposition: `attachment; filename="${filename}.xlsx"`,
  });
}
