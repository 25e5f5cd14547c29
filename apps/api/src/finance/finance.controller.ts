import { Controller, Get, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, scopeFilter, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import {
  financeSummaryTables,
  programMonthsTables,
  refundableTables,
} from '@ledger/read-models/exports/finance.exports';
import { asOfParam, refundableParams, summaryParams } from '@ledger/read-models/finance/finance-params';
import { FINANCE_MODELS } from '@ledger/read-models/finance/invoices/invoices.query';
import {
  financeProgramsAt,
  programsMonths,
  type KnownFinance,
} from '@ledger/read-models/finance/program-months/program-months.query';
import { refundableReport } from '@ledger/read-models/finance/refundable/refundable-report.query';
import { financeSummary } from '@ledger/read-models/finance/summary/finance-summary.query';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KNOWN_AT_QUERY, knownAtQuery } from '../shared/known-at-query';
import { Ledger } from '../shared/ledger.providers';
import { parsed } from '../shared/query-params';
import { sendReport } from '../shared/report-format';

const today = () => todayInIndonesia(new Date());

const AS_OF_QUERY = {
  name: 'asOf',
  required: false,
  description: 'YYYY-MM-DD, the effective day every figure is answered for; default today (WIB)',
};

/**
 * The finance reports: what programs owe, what was paid, what is late and what may be
 * refunded, as of any effective day. Amounts are whole rupiah and every total is the sum of
 * its lines. Finance and program admins read them (auditors too), for the regions their
 * token covers: a program's figures are the whole program's, so its owner region must be covered.
 */
@ApiTags('finance')
@ApiBearerAuth()
@Roles('finance', 'program_admin', 'auditor')
@Controller('api/finance')
export class FinanceController {
  constructor(private readonly ledger: Ledger) {}

  /** The title block's dates: the effective day, and the `knownAt` asked for or where the read models stood. */
  private async position(asOf: string, known: KnownFinance | undefined) {
    return [
      { label: 'Per tanggal', value: asOf },
      known
        ? { label: 'Diketahui per posisi log (knownAt)', value: known.position }
        : { label: 'Posisi log', value: await this.ledger.readPosition(FINANCE_MODELS) },
    ];
  }

  /**
   * `knownAt` of a finance report, once its read models reached it: the invoices' day-deltas
   * carry the position they were recorded at, the coverages come from their versions, the
   * programs from their streams folded up to it.
   */
  private async known(value: unknown): Promise<KnownFinance | undefined> {
    const position = await knownAtQuery(this.ledger, value, [...FINANCE_MODELS, 'enrollment_versions']);
    return position === undefined ? undefined : { position, store: this.ledger.runtime.store };
  }

  /** A file name's tail: the effective day, and the position when known at one. */
  private static tail(asOf: string, known: KnownFinance | undefined) {
    return known ? `${asOf}-posisi-${known.position}` : asOf;
  }

  @Get('programs/:id/months')
  @ApiOperation({
    summary:
      "A program's months as of a day: owed, billed by BPJS, paid, outstanding, arrears by age, lapsed workers, refundable, and budget use",
    description:
      'Each month of the program period up to asOf (and any month invoiced ahead). A payment counts from the day it was ' +
      'paid, an adjustment or cancellation from its effective day, whenever recorded. Arrears are the outstanding amount ' +
      'after the due date, by months since it (≤1, 2, 3, >3). Refundable: paid lines of coverages that ended before the ' +
      'month, and over-payments, not refunded yet. Budget use: the invoices up to asOf against the budget ceiling, and ' +
      'projected to the period end with the last invoiced roster. billedByBpjs is null until a BPJS bill is recorded.',
  })
  @ApiQuery(AS_OF_QUERY)
  @ApiQuery(KNOWN_AT_QUERY)
  async programMonths(
    @Param('id', uuidParam()) id: string,
    @Query('asOf') asOfValue: unknown,
    @Query('knownAt') knownAtValue: unknown,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const asOf = parsed(() => asOfParam({ asOf: asOfValue }, today()));
    await this.ledger.consistent(consistentWith, FINANCE_MODELS);
    const known = await this.known(knownAtValue);
    // With knownAt, a program established after that position is not found, as a person registered later is not.
    const [program] = await financeProgramsAt(this.ledger.read, known, [id]);
    if (!program || !this.ledger.reaches(principal, program.ownerRegion))
      throw new ProblemException(HttpStatus.NOT_FOUND, 'program.notFound', 'Program tidak ditemukan');
    this.ledger.assertCovers(principal, program.ownerRegion);
    const [found] = await programsMonths(this.ledger.read, [program], asOf, undefined, known?.position);
    const name = `keuangan-program-${id}-${FinanceController.tail(asOf, known)}`;
    return sendReport(request, reply, found, programMonthsTables(found), name, {
      title: 'Keuangan program per bulan',
      facts: [{ label: 'Program', value: program.name }, ...(await this.position(asOf, known))],
    });
  }

  @Get('summary')
  @ApiOperation({
    summary: "The finance summary of a region's programs for a year, per program and per month, as of a day",
    description:
      'Programs owned in the region (or below it) whose period meets the year. Figures as in a program’s months, summed ' +
      'over the months of the year; the totals are the sum of the programs.',
  })
  @ApiQuery({ name: 'region', required: false, description: 'Kode wilayah; absent or ID for national' })
  @ApiQuery({ name: 'year', required: false, description: 'YYYY, default this year' })
  @ApiQuery(AS_OF_QUERY)
  @ApiQuery(KNOWN_AT_QUERY)
  async summary(
    @Query('region') region: unknown,
    @Query('year') year: unknown,
    @Query('asOf') asOf: unknown,
    @Query('knownAt') knownAtValue: unknown,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const params = parsed(() => summaryParams(this.ledger.regions, { region, year, asOf }, today()));
    this.ledger.assertCovers(principal, params.region.code);
    await this.ledger.consistent(consistentWith, FINANCE_MODELS);
    const known = await this.known(knownAtValue);
    const summary = await financeSummary(
      this.ledger.read,
      params.region.code,
      params.year,
      params.asOf,
      known,
    );
    return sendReport(
      request,
      reply,
      summary,
      financeSummaryTables(summary),
      `ringkasan-keuangan-${params.region.code}-${params.year}-${FinanceController.tail(params.asOf, known)}`,
      {
        title: 'Ringkasan keuangan',
        facts: [
          { label: 'Wilayah', value: `${params.region.code} ${params.region.name}` },
          { label: 'Tahun', value: params.year },
          ...(await this.position(params.asOf, known)),
        ],
      },
    );
  }

  @Get('refundable')
  @ApiOperation({
    summary:
      'Refundable months per payer as of a day: paid lines of coverages that ended before their month, and over-payments',
    description:
      'Invoices of programs owned in the region (default: the token’s own regions), optionally of one payer (its name as ' +
      'the program states it). Each refundable line names its invoice, line, enrollment and why the coverage ended.',
  })
  @ApiQuery({ name: 'region', required: false, description: 'Kode wilayah; default the token’s regions' })
  @ApiQuery({ name: 'payer', required: false, description: 'The payer, as the program names it' })
  @ApiQuery(AS_OF_QUERY)
  @ApiQuery(KNOWN_AT_QUERY)
  async refundable(
    @Query('region') region: unknown,
    @Query('payer') payer: unknown,
    @Query('asOf') asOf: unknown,
    @Query('knownAt') knownAtValue: unknown,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const params = parsed(() => refundableParams(this.ledger.regions, { region, payer, asOf }, today()));
    if (params.region) this.ledger.assertCovers(principal, params.region.code);
    await this.ledger.consistent(consistentWith, FINANCE_MODELS);
    const known = await this.known(knownAtValue);
    const regions = params.region
      ? [params.region.code === 'ID' ? '' : params.region.code]
      : scopeFilter(principal);
    const report = await refundableReport(
      this.ledger.read,
      { regions, region: params.region?.code ?? null, payer: params.payer },
      params.asOf,
      known,
    );
    return sendReport(
      request,
      reply,
      report,
      refundableTables(report),
      `iuran-dapat-dikembalikan-${params.region?.code ?? 'wilayah-token'}-${FinanceController.tail(params.asOf, known)}`,
      {
        title: 'Iuran yang dapat dikembalikan',
        facts: [
          {
            label: 'Wilayah',
            value: params.region
              ? `${params.region.code} ${params.region.name}`
              : principal.regions.join(', '),
          },
          { label: 'Pemberi bantuan iuran', value: params.payer ?? 'semua' },
          ...(await this.position(params.asOf, known)),
        ],
      },
    );
  }
}
