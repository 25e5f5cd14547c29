import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { approveEnrollments, requireProgram } from '@ledger/ledger/enrollment/enrollment.handlers';
import { importedEnrollments, importNominations } from '@ledger/ledger/enrollment/import/import.handlers';
import { toReportCsv } from '@ledger/ledger/enrollment/import/import-report';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApproveDto } from '../enrollments/enrollments.dto';
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

/** Uploads of nomination lists: multipart (field `file`) or the file itself as the body. */
async function uploadedFile(
  request: FastifyRequest,
): Promise<{ content: Buffer; fileName: string; contentType?: string }> {
  if (request.isMultipart()) {
    // A malformed multipart body (no boundary, cut short) makes busboy throw a plain Error: the client's fault, not a 500.
    const unreadable = (error: Error & { statusCode?: number }): never => {
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
    const part = await request.file().catch(unreadable);
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
    return {
      content: await part.toBuffer().catch(unreadable),
      fileName: part.filename || 'usulan',
      contentType: part.mimetype,
    };
  }
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
    throw new ProblemException(
      HttpStatus.BAD_REQUEST,
      'import.file.missing',
      'Kirim berkas CSV/XLSX sebagai body atau multipart',
      {
        errors: [{ field: 'file', rule: 'required', message: 'body kosong' }],
      },
    );
  }
  const disposition = String(request.headers['content-disposition'] ?? '');
  const fileName =
    disposition.match(/filename="?([^";]+)"?/)?.[1] ?? String(request.headers['x-file-name'] ?? 'usulan');
  return { content: request.body, fileName, contentType: request.headers['content-type'] };
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
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({
    summary: 'Imports a nomination list (usulan BNBA), CSV or XLSX, Indonesian or English headers',
    description:
      'Columns: NIK, Nama, Jenis Kelamin, Tanggal Lahir, Pekerjaan, Kode Desa, No HP (optional). Each row is accepted ' +
      'or rejected with its reasons; the report is at /api/imports/{importId}/report. The same file again changes nothing.',
  })
  async import(
    @Param('id', uuid) programId: string,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    const file = await uploadedFile(request);
    const summary = await importNominations(
      this.ledger.deps,
      this.ledger.context(request, principal, { programId }),
      programId,
      file,
    );
    return { ...summary, report: `/api/imports/${summary.importId}/report` };
  }

  private async importRow(id: string, principal: Principal, consistentWith?: string) {
    await this.ledger.consistent(consistentWith, ['nomination_imports']);
    const row = await this.ledger.read
      .selectFrom('nomination_imports')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new ProblemException(HttpStatus.NOT_FOUND, 'import.notFound', 'Impor tidak ditemukan');
    const program = await this.ledger.read
      .selectFrom('programs')
      .select('owner_region')
      .where('id', '=', row.program_id)
      .executeTakeFirst();
    this.ledger.assertReaches(principal, program?.owner_region ?? '');
    return row;
  }

  @Get('imports/:id')
  @ApiOperation({ summary: 'Status and counts of an import' })
  async get(
    @Param('id') id: string,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    const row = await this.importRow(importId(id), principal, consistentWith);
    return {
      importId: row.id,
      programId: row.program_id,
      fileName: row.file_name,
      format: row.format,
      status: row.status,
      total: Number(row.total),
      accepted: Number(row.accepted),
      rejected: Number(row.rejected),
      failure: row.failure ? JSON.parse(row.failure) : null,
      startedAt: row.started_at,
      report: `/api/imports/${row.id}/report`,
    };
  }

  @Get('imports/:id/report')
  @ApiProduces('text/csv', 'application/json')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Row-by-row report of an import: CSV (default) or JSON with ?format=json' })
  async report(
    @Param('id') id: string,
    @Query('format') format: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.importRow(importId(id), principal, consistentWith);
    const rows = await this.ledger.read
      .selectFrom('nomination_import_rows')
      .selectAll()
      .where('import_id', '=', id)
      .orderBy('row_number')
      .execute();
    const report = rows.map((r) => ({
      rowNumber: Number(r.row_number),
      status: r.status as 'accepted' | 'rejected',
      reasons: JSON.parse(r.reasons) as { rule: string; message: string }[],
      maskedNik: r.masked_nik ?? undefined,
      enrollmentId: r.enrollment_id ?? undefined,
    }));
    if (format === 'json') return { importId: id, rows: report };
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="laporan-impor-${id}.csv"`);
    return toReportCsv(report);
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
    const program = await requireProgram(this.ledger.deps, programId);
    this.ledger.assertCovers(principal, program.terms.ownerRegion);
    return approveEnrollments(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      enrollmentIds,
      body.coverageFrom,
      importId(id),
    );
  }
}
