import { Controller, Get, HttpStatus, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { reconciliationTables } from '@ledger/read-models/exports/reconciliation.exports';
import { financePrograms } from '@ledger/read-models/finance/program-months/program-months.query';
import { reconciliationParams } from '@ledger/read-models/reconciliation/reconciliation-params';
import { drillDown, drillParams } from '@ledger/read-models/reconciliation/drill-down';
import {
  RECONCILIATION_MODELS,
  reconciliation,
} from '@ledger/read-models/reconciliation/reconciliation.query';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { parsed } from '../shared/query-params';
import { sendReport } from '../shared/report-format';

/**
 * The three-way match of a program's months: what the roster justifies, what BPJS billed and
 * what the treasury disbursed, with each difference as a coded line. Finance and auditors of
 * the program's region read it.
 */
@ApiTags('reconciliation')
@ApiBearerAuth()
@Roles('finance', 'auditor')
@Controller('api/reconciliation')
export class ReconciliationController {
  constructor(private readonly ledger: Ledger) {}

  @Get('participants')
  @ApiOperation({
    summary: 'The participants behind a difference line of a month: enrollment, masked NIK, village, amounts',
    description:
      'Bill codes list the bill lines that make them; INVOICE_UNPAID, DISBURSED_TWICE, DISBURSEMENT_EXCEEDS_INVOICE ' +
      '(and ROSTER_NOT_BILLED of an invoice never billed) the invoice’s live roster lines. Paged: limit ≤ 500.',
  })
  @ApiQuery({ name: 'program', required: true, description: 'Program id' })
  @ApiQuery({ name: 'month', required: true, description: 'YYYY-MM' })
  @ApiQuery({ name: 'code', required: true, description: 'The difference code' })
  @ApiQuery({ name: 'invoice', required: false, description: 'One invoice of the month' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'limit', required: false, description: 'At most 500 (default 100)' })
  async participants(
    @Query() query: Record<string, unknown>,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    const params = parsed(() => drillParams(query));
    await this.ledger.consistent(consistentWith, [...RECONCILIATION_MODELS, 'programs', 'enrollments']);
    const [program] = await financePrograms(this.ledger.read, [params.programId]);
    if (!program)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'program.notFound', 'Program tidak ditemukan');
    this.ledger.assertCovers(principal, program.ownerRegion);
    return drillDown(this.ledger.read, this.ledger.deps, params);
  }

  @Get()
  @ApiOperation({
    summary: "A program's reconciliation for a month or a year: roster, BPJS bill, SP2D, and the differences",
    description:
      'roster: the live invoices’ totals; billed: the latest BPJS bill of each; disbursed: live SP2Ds linked to the ' +
      'invoices, and live SP2Ds linked to none in the month of their date. The year is the sum of its months.',
  })
  @ApiQuery({ name: 'program', required: true, description: 'Program id' })
  @ApiQuery({ name: 'payer', required: false, description: 'The payer as the program names it' })
  @ApiQuery({ name: 'month', required: false, description: 'YYYY-MM (or year)' })
  @ApiQuery({ name: 'year', required: false, description: 'YYYY (or month)' })
  async read(
    @Query() query: Record<string, unknown>,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const params = parsed(() => reconciliationParams(query));
    await this.ledger.consistent(consistentWith, [...RECONCILIATION_MODELS, 'programs']);
    const [program] = await financePrograms(this.ledger.read, [params.programId]);
    // A foreign region is told 403: the program's existence is not secret to finance users.
    if (!program)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'program.notFound', 'Program tidak ditemukan');
    this.ledger.assertCovers(principal, program.ownerRegion);
    const found = await reconciliation(
      this.ledger.read,
      params.programId,
      params.payer,
      params.year,
      params.months,
    );
    return sendReport(
      request,
      reply,
      found,
      reconciliationTables(found),
      `rekonsiliasi-${program.id}-${found.period}`,
      {
        title: 'Rekonsiliasi roster, tagihan BPJS dan SP2D',
        facts: [
          { label: 'Program', value: program.name },
          { label: 'Pembayar', value: params.payer ?? program.payer },
          { label: 'Periode', value: found.period },
          { label: 'Posisi log', value: await this.ledger.readPosition(RECONCILIATION_MODELS) },
        ],
      },
    );
  }
}
