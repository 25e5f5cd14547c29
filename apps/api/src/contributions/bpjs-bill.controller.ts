import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { ledgerValidationPipe } from '@ledger/platform/http/validation';
import { columnMappingOf } from '@ledger/ledger/contributions/bpjs-bill/bpjs-bill-columns';
import {
  recordBpjsBillFile,
  recordBpjsBillTotals,
} from '@ledger/ledger/contributions/bpjs-bill/bpjs-bill.handler';
import { parseInvoiceId } from '@ledger/ledger/contributions/dues.state';
import { bpjsBill, reportLines } from '@ledger/read-models/bpjs-bills/bpjs-bill.query';
import { bpjsBillAbout, bpjsBillTables } from '@ledger/read-models/exports/bpjs-bill.exports';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientGone, spoolUpload } from '../imports/imports.controller';
import { sendReport } from '../shared/report-format';
import { Ledger } from '../shared/ledger.providers';
import { BpjsBillFormDto, BpjsBillReportQueryDto, BpjsBillTotalsDto } from './bpjs-bill.dto';

const invoiceIdParam = (value: string): string => {
  if (value.length > 120 || !parseInvoiceId(value)) {
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'ID invoice tidak valid', {
      errors: [{ field: 'id', rule: 'format', message: 'ID invoice adalah <programId>_<YYYY-MM>[_n]' }],
    });
  }
  return value;
};

const validated = async <T>(value: unknown, metatype: new () => T, type: 'body' | 'query'): Promise<T> =>
  (await ledgerValidationPipe().transform(value ?? {}, { type, metatype })) as T;

@ApiTags('contributions')
@ApiBearerAuth()
@Controller('api')
export class BpjsBillController {
  constructor(private readonly ledger: Ledger) {}

  @Post('invoices/:id/bpjs-bill')
  @HttpCode(HttpStatus.CREATED)
  @Roles('finance', 'program_admin')
  @ApiConsumes(
    'multipart/form-data',
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  @ApiBody({
    schema: {
      oneOf: [
        {
          type: 'object',
          description: 'The bill as a file. Form fields come before the file.',
          properties: {
            receivedOn: { type: 'string', format: 'date' },
            'columns[nik]': { type: 'string', description: 'header, column letter or number of the NIK' },
            'columns[kpj]': { type: 'string' },
            'columns[name]': { type: 'string' },
            'columns[period]': { type: 'string' },
            'columns[amount]': { type: 'string' },
            file: { type: 'string', format: 'binary' },
          },
          required: ['file'],
        },
        {
          type: 'object',
          description: 'Control totals only',
          properties: {
            participants: { type: 'integer', minimum: 0 },
            amount: { type: 'integer', minimum: 0 },
            receivedOn: { type: 'string', format: 'date' },
          },
          required: ['participants', 'amount'],
        },
      ],
    },
  })
  @ApiOperation({
    summary:
      'Records the bill BPJS sent for an invoice (CSV/XLSX, or its totals) and compares it with the frozen roster',
    description:
      'Columns, Indonesian or English headers: NIK (or Nomor KPJ), Nama, Periode, Iuran/Jumlah/Amount; an unknown ' +
      'layout is read with form fields columns[nik], columns[period], columns[amount]… (header text, column letter ' +
      'or number). Every line is compared with the invoice: tidak_tercakup, tidak_ditagih, jumlah_berbeda, ganda, ' +
      'luar_wilayah, periode_berbeda, tanpa_nik. A JSON body { participants, amount } records the totals only. ' +
      'A bill again for the same invoice is the next version; a file any cell of which cannot be read is refused ' +
      'with 422 naming the rows and columns, and changes nothing.',
  })
  async record(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ) {
    const invoiceId = invoiceIdParam(id);
    const type = String(request.headers['content-type'] ?? '');
    if (/^application\/(?:[\w.+-]+\+)?json/i.test(type)) {
      const body = await validated(request.body, BpjsBillTotalsDto, 'body');
      const result = await recordBpjsBillTotals(
        this.ledger.deps,
        this.ledger.context(request, principal, body),
        invoiceId,
        { participants: body.participants, amount: body.amount },
        body.receivedOn,
      );
      return { ...result, report: `/api/invoices/${invoiceId}/bpjs-bill` };
    }
    const { config } = this.ledger.runtime;
    const limits = config.imports;
    const signal = clientGone(reply);
    const dir = await mkdtemp(join(tmpdir(), 'ledger-bill-'));
    try {
      const file = await spoolUpload(request, dir, limits.maxBytes);
      const columnFields = Object.fromEntries(
        Object.entries(file.fields).filter(([name]) => name.startsWith('columns')),
      );
      const others = Object.fromEntries(
        Object.entries(file.fields).filter(([name]) => !name.startsWith('columns')),
      );
      const form = await validated(others, BpjsBillFormDto, 'query');
      const result = await recordBpjsBillFile(
        this.ledger.deps,
        this.ledger.context(request, principal, { invoiceId, fields: file.fields }),
        invoiceId,
        {
          fileName: file.fileName,
          contentType: file.contentType,
          content: () => createReadStream(file.path),
        },
        { limits, signal, columns: columnMappingOf(columnFields), receivedOn: form.receivedOn },
      );
      return { ...result, report: `/api/invoices/${invoiceId}/bpjs-bill` };
    } finally {
      // The file holds NIKs and names: it never outlives the request.
      await rm(dir, { recursive: true, force: true });
    }
  }

  @Get('invoices/:id/bpjs-bill')
  @Roles('finance', 'program_admin', 'auditor', 'viewer')
  @ApiProduces(
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  @ApiOperation({
    summary:
      'The latest BPJS bill of an invoice compared with its roster, every difference per line (JSON paged, CSV, XLSX)',
    description:
      'JSON pages the lines (offset, limit ≤ 1000; difference= filters by code, cocok for matching rows); CSV and ' +
      'XLSX carry every line (CSV: sheet=Ringkasan or Baris). NIKs are masked; no names. version= reads an earlier bill.',
  })
  async report(
    @Param('id') id: string,
    @Query() query: BpjsBillReportQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ) {
    const invoiceId = invoiceIdParam(id);
    const found = await bpjsBill(this.ledger.deps.store, invoiceId, query.version);
    if (!found) {
      throw new ProblemException(
        HttpStatus.NOT_FOUND,
        'bill.notFound',
        query.version
          ? `Tagihan BPJS versi ${query.version} tidak ditemukan`
          : 'Invoice ini belum punya tagihan BPJS',
      );
    }
    this.ledger.assertCovers(principal, found.report.ownerRegion, false);
    const lines = reportLines(found.lines, { difference: query.difference });
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 100;
    const json = {
      ...found.report,
      page: { offset, limit, total: lines.length },
      lines: lines.slice(offset, offset + limit),
    };
    return sendReport(
      request,
      reply,
      json,
      bpjsBillTables(found.report, lines),
      `tagihan-bpjs-${invoiceId}-v${found.report.version}`,
      bpjsBillAbout(found.report),
    );
  }
}
