import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpException,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, scopeFilter, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import {
  approveEnrollments,
  importedEnrollments,
} from '@ledger/ledger/enrollment/import/approve/approve-import.handler';
import type { ImportSummary } from '@ledger/ledger/enrollment/import/upload/upload.decider';
import { importNominations } from '@ledger/ledger/enrollment/import/upload/upload.handler';
import { loadExistingProgram } from '@ledger/ledger/programs/program.load';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import type { LedgerMetrics } from '@ledger/platform/metrics';
import {
  importReportRows,
  importStatus,
  importWithOwner,
  type RowScope,
} from '@ledger/read-models/imports/imports.query';
import {
  importReportCsv,
  importReportJson,
  importReportXlsx,
} from '@ledger/read-models/exports/import-report.exports';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApproveDto } from '../enrollments/enrollments.dto';
import { ledgerValidationPipe } from '@ledger/platform/http/validation';
import { backfillOf } from '../shared/backfill.dto';
import { ImportDatesDto } from './imports.dto';
import { Ledger } from '../shared/ledger.providers';

const uuid = uuidParam();
const importId = (value: string) => {
  if (!/^[0-9a-f]{32}$/.test(value)) {
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'ID impor tidak valid', {
      errors: [{ field: 'id', rule: 'format', message: 'ID impor adalah 32 karakter heksadesimal' }],
    });
  }
  return value;
};

/**
 * An upload written to a private temporary file as it arrives, never held in memory: the import
 * reads it several times (see importNominations). More than `maxBytes` is refused with 413 as
 * soon as the limit is passed.
 */
export interface SpooledUpload {
  path: string;
  fileName: string;
  contentType?: string;
  /** Text fields of a multipart form sent before the file (coverageFrom, backfillReason…). */
  fields: Record<string, string>;
}

export async function spoolUpload(request: FastifyRequest, dir: string, maxBytes: number): Promise<SpooledUpload> {
  const path = join(dir, 'upload');
  if (request.isMultipart()) {
    // A malformed multipart body (no boundary, cut short) makes busboy throw a plain Error: the client's fault, not a 500.
    const unreadable = (error: Error & { statusCode?: number; code?: string }): never => {
      if (error.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
      if (error.statusCode) throw error;
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'import.file.unreadable',
        'Form multipart tidak dapat dibaca',
        {
          errors: [{ field: 'file', rule: 'multipart', message: error.message }],
        },
      );
    };
    const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } }).catch(unreadable);
    if (!part) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'import.file.missing',
        'Berkas tidak ditemukan pada form (field "file")',
        {
          errors: [
            { field: 'file', rule: 'required', message: 'unggah berkas CSV atau XLSX pada field "file"' },
          ],
        },
      );
    }
    // A form cut short leaves the part already destroyed, and a pipeline from it would wait forever.
    if (part.file.destroyed) unreadable(new Error('Unexpected end of form'));
    await pipeline(part.file, createWriteStream(path, { mode: 0o600 })).catch(unreadable);
    if (part.file.truncated) throw tooLarge(maxBytes);
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(part.fields ?? {})) {
      const one = Array.isArray(value) ? value[0] : value;
      if (one && one.type === 'field' && name !== part.fieldname) fields[name] = String(one.value);
    }
    return { path, fileName: part.filename || 'usulan', contentType: part.mimetype, fields };
  }
  const body = request.body;
  if (!(body instanceof Readable)) throw missingBody();
  let bytes = 0;
  // The refusal settles the upload as soon as the limit is passed: on Node 24 the pipeline's
  // own rejection waits for the request stream to close, which an injected request never does.
  let refuse: (error: ProblemException) => void = () => undefined;
  const refused = new Promise<never>((_resolve, reject) => (refuse = reject));
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes <= maxBytes) return done(null, chunk);
      const error = tooLarge(maxBytes);
      refuse(error);
      done(error);
    },
  });
  const piped = pipeline(body, limit, createWriteStream(path, { mode: 0o600 }));
  piped.catch(() => undefined);
  try {
    await Promise.race([piped, refused]);
  } catch (error) {
    // The rest of an oversized body is read and dropped, so that the client gets the 413.
    body.resume();
    if (error instanceof ProblemException) throw error;
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'import.file.unreadable', 'Unggahan terputus', {
      errors: [{ field: 'file', rule: 'complete', message: 'berkas tidak terkirim utuh' }],
    });
  }
  if (bytes === 0) throw missingBody();
  const disposition = String(request.headers['content-disposition'] ?? '');
  const fileName =
    disposition.match(/filename="?([^";]+)"?/)?.[1] ?? String(request.headers['x-file-name'] ?? 'usulan');
  return { path, fileName, contentType: request.headers['content-type'], fields: {} };
}

function missingBody(): ProblemException {
  return new ProblemException(
    HttpStatus.BAD_REQUEST,
    'import.file.missing',
    'Kirim berkas CSV/XLSX sebagai body atau multipart',
    {
      errors: [{ field: 'file', rule: 'required', message: 'body kosong' }],
    },
  );
}

function tooLarge(maxBytes: number): ProblemException {
  const mib = Math.floor(maxBytes / (1024 * 1024));
  return new ProblemException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'import.file.tooLarge',
    `Berkas lebih dari ${mib} MiB; bagi menjadi beberapa berkas`,
    { errors: [{ field: 'file', rule: 'maxSize', message: `paling besar ${mib} MiB` }] },
  );
}

/**
 * Counts an upload in the import metrics: its rows (none for a repeated upload, which changes
 * nothing) and how it ended: completed; refused (a 4xx: the file, the caller's rights or the
 * program's state, or the client gone); failed (the list stopped being readable half-way, or
 * the server's fault).
 */
async function measured<T extends ImportSummary>(
  metrics: LedgerMetrics,
  upload: () => Promise<T>,
): Promise<T> {
  const stop = metrics.importSeconds.startTimer();
  let outcome = 'failed';
  try {
    const summary = await upload();
    outcome = summary.status;
    if (!summary.repeated) {
      metrics.importRows.inc({ outcome: 'accepted' }, summary.accepted);
      metrics.importRows.inc({ outcome: 'rejected' }, summary.rejected);
    }
    return summary;
  } catch (error) {
    const refused =
      error instanceof RuleViolation || (error instanceof HttpException && error.getStatus() < 500);
    if (refused) outcome = 'refused';
    throw error;
  } finally {
    metrics.imports.inc({ outcome });
    stop({ outcome });
  }
}

/** Aborted when the client goes away before the answer was sent. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('api')
export class ImportsController {
  constructor(private readonly ledger: Ledger) {}

  @Post('programs/:id/enrollments/import')
  @HttpCode(HttpStatus.OK)
  @Roles('village_operator', 'program_admin')
  @ApiConsumes(
    'multipart/form-data',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        coverageFrom: {
          type: 'string',
          format: 'date',
          description: 'as the query parameter; before the file',
        },
        proposedOn: { type: 'string', format: 'date' },
        backfillReason: { type: 'string', enum: ['migration', 'late_report', 'correction'] },
        backfillNote: { type: 'string' },
        file: { type: 'string', format: 'binary' },
      },
    },
  })
  @ApiOperation({
    summary: 'Imports a nomination list (usulan BNBA), CSV or XLSX, Indonesian or English headers',
    description:
      'Columns: NIK, Nama, Jenis Kelamin, Tanggal Lahir, Pekerjaan, Kode Desa, No HP (optional). Each row is accepted ' +
      'or rejected with its reasons; the report is at /api/imports/{importId}/report. The same file again changes nothing. ' +
      'Every row is proposed with the same effective dates, given as query parameters or as form fields before the ' +
      'file: coverageFrom (intended coverage start, checked against the program period and the age cap), proposedOn, ' +
      'and for a past program backfillReason (migration, late_report, correction) and backfillNote.',
  })
  async import(
    @Param('id', uuid) programId: string,
    @Query() query: ImportDatesDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { config, metrics } = this.ledger.runtime;
    const limits = config.imports;
    const signal = clientGone(reply);
    const dir = await mkdtemp(join(tmpdir(), 'ledger-upload-'));
    try {
      const summary = await measured(metrics, async () => {
        const file = await spoolUpload(request, dir, limits.maxBytes);
        const form = (await ledgerValidationPipe().transform(file.fields, {
          type: 'query',
          metatype: ImportDatesDto,
        })) as ImportDatesDto;
        // A form field overrides the query parameter of the same name; absent ones do not.
        const given = (dto: ImportDatesDto) =>
          Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as ImportDatesDto;
        const asked: ImportDatesDto = { ...given(query), ...given(form) };
        return importNominations(
          this.ledger.deps,
          this.ledger.context(request, principal, { programId }),
          programId,
          {
            fileName: file.fileName,
            contentType: file.contentType,
            content: () => createReadStream(file.path),
          },
          {
            limits,
            signal,
            dates: {
              coverageFrom: asked.coverageFrom,
              proposedOn: asked.proposedOn,
              backfill: backfillOf(asked),
            },
          },
        );
      });
      return { ...summary, report: `/api/imports/${summary.importId}/report` };
    } finally {
      // The file holds names and NIKs: it never outlives the request.
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async importRow(id: string, principal: Principal, consistentWith?: string) {
    await this.ledger.consistent(consistentWith, ['nomination_imports']);
    const found = await importWithOwner(this.ledger.read, id);
    if (!found) throw new ProblemException(HttpStatus.NOT_FOUND, 'import.notFound', 'Impor tidak ditemukan');
    const { row, ownerRegion } = found;
    this.ledger.assertReaches(principal, ownerRegion);
    // A caller inside the program's region (a village operator, a district) sees its own rows only.
    const scope: RowScope = this.ledger.covers(principal, ownerRegion) ? null : scopeFilter(principal);
    return { row, scope };
  }

  @Get('imports/:id')
  @ApiOperation({ summary: "Status and counts of an import (the counts of the rows in the caller's scope)" })
  async get(
    @Param('id') id: string,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { row, scope } = await this.importRow(importId(id), principal, consistentWith);
    return importStatus(this.ledger.read, row, scope);
  }

  @Get('imports/:id/report')
  @ApiProduces(
    'text/csv',
    'application/json',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Row-by-row report of an import: CSV (default), ?format=json or ?format=xlsx, streamed',
  })
  async report(
    @Param('id') id: string,
    @Query('format') format: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    if (format !== undefined && format !== 'csv' && format !== 'json' && format !== 'xlsx') {
      throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Format laporan tidak dikenal', {
        errors: [{ field: 'format', rule: 'isIn', message: 'format harus csv, json atau xlsx' }],
      });
    }
    const { scope } = await this.importRow(importId(id), principal, consistentWith);
    // Pulled a page at a time as the client reads: a million rows never sit in memory, and a
    // slow client slows only its own download.
    const rows = importReportRows(this.ledger.read, id, scope);
    if (format === 'json') {
      return new StreamableFile(importReportJson(id, rows), {
        type: 'application/json; charset=utf-8',
      });
    }
    if (format === 'xlsx') {
      return new StreamableFile(importReportXlsx(id, rows), {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        disposition: `attachment; filename="laporan-impor-${id}.xlsx"`,
      });
    }
    return new StreamableFile(importReportCsv(rows), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="laporan-impor-${id}.csv"`,
    });
  }

  @Post('imports/:id/approval')
  @HttpCode(HttpStatus.OK)
  @Roles('program_admin')
  @ApiOperation({
    summary: 'Approves every still-proposed enrollment of an import, coverage from the given day',
  })
  async approve(
    @Param('id') id: string,
    @Body() body: ApproveDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { programId, enrollmentIds } = await importedEnrollments(this.ledger.deps, importId(id));
    // Out of scope is 403 even when nothing is left to approve, so the answer tells nothing.
    const { program } = await loadExistingProgram(this.ledger.deps, programId);
    this.ledger.assertCovers(principal, program.terms.ownerRegion);
    return approveEnrollments(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      enrollmentIds,
      body.coverageFrom,
      importId(id),
      { approvedOn: body.approvedOn, backfill: backfillOf(body) },
    );
  }
}
