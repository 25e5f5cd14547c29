import { Controller, Get, HttpStatus, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { realisationTables } from '@ledger/read-models/exports/realisation.exports';
import { financePrograms } from '@ledger/read-models/finance/program-months/program-months.query';
import {
  REALISATION_MODELS,
  realisation,
  realisationParams,
} from '@ledger/read-models/reconciliation/realisation.query';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { parsed } from '../shared/query-params';
import { sendReport } from '../shared/report-format';

/** Realisasi anggaran of a program's fiscal year, per budget line; finance and auditors of its region. */
@ApiTags('reconciliation')
@ApiBearerAuth()
@Roles('finance', 'auditor')
@Controller('api/reconciliation/realisation')
export class RealisationController {
  constructor(private readonly ledger: Ledger) {}

  @Get()
  @ApiOperation({
    summary:
      'Budget realisation per budget line: appropriated, disbursed, billed, owed, projected, remaining',
    description:
      'An invoice counts on the account code of the SP2D paying it; one not paid yet on the year’s only line, ' +
      'or with several lines on a line without account code. The total is the sum of the lines.',
  })
  @ApiQuery({ name: 'program', required: true, description: 'Program id' })
  @ApiQuery({ name: 'year', required: true, description: 'Fiscal year YYYY' })
  @ApiQuery({
    name: 'asOf',
    required: false,
    description: 'YYYY-MM-DD within the year; today (or 31 December) when absent',
  })
  async read(
    @Query() query: Record<string, unknown>,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const params = parsed(() => realisationParams(query, todayInIndonesia(new Date())));
    await this.ledger.consistent(consistentWith, [...REALISATION_MODELS, 'programs']);
    const [program] = await financePrograms(this.ledger.read, [params.programId]);
    if (!program)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'program.notFound', 'Program tidak ditemukan');
    this.ledger.assertCovers(principal, program.ownerRegion);
    const found = await realisation(this.ledger.read, params, program.end);
    return sendReport(
      request,
      reply,
      found,
      realisationTables(found),
      `realisasi-${program.id}-${params.year}`,
      {
        title: 'Realisasi anggaran iuran BPJS Ketenagakerjaan',
        facts: [
          { label: 'Program', value: program.name },
          { label: 'Tahun anggaran', value: params.year },
          { label: 'Per tanggal', value: params.asOf },
          { label: 'Posisi log', value: await this.ledger.readPosition(REALISATION_MODELS) },
        ],
      },
    );
  }
}
