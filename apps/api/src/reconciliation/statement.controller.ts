import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { signStatement } from '@ledger/ledger/treasury/sign-statement/sign-statement.handler';
import { statementAbout, statementTables } from '@ledger/read-models/exports/statement.exports';
import { statementHtml } from '@ledger/read-models/exports/statement.html';
import { financePrograms } from '@ledger/read-models/finance/program-months/program-months.query';
import { reconciliationParams } from '@ledger/read-models/reconciliation/reconciliation-params';
import {
  RECONCILIATION_MODELS,
  monthsOf,
  reconciliation,
} from '@ledger/read-models/reconciliation/reconciliation.query';
import {
  compareStatement,
  statementById,
  statementsOf,
} from '@ledger/read-models/reconciliation/statement.query';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { parsed } from '../shared/query-params';
import { sendReport } from '../shared/report-format';
import { SignStatementDto } from './statement.dto';

const MODELS = [...RECONCILIATION_MODELS, 'reconciliation_statements', 'programs'];
const uuid = uuidParam('statementId');
const programParam = uuidParam('program');

/**
 * Berita acara rekonsiliasi: finance of the program's region signs off a month or a year,
 * freezing the reconciliation as the ledger holds it; finance and auditors read it beside the
 * reconciliation of now, as JSON, CSV, XLSX or a printable page (`format=html`).
 */
@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('api/reconciliation/statements')
export class StatementController {
  constructor(private readonly ledger: Ledger) {}

  private async program(programId: string, principal: Principal) {
    const [program] = await financePrograms(this.ledger.read, [programId]);
    if (!program)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'program.notFound', 'Program tidak ditemukan');
    this.ledger.assertCovers(principal, program.ownerRegion);
    return program;
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Roles('finance')
  @ApiOperation({
    summary:
      'Signs a reconciliation statement for a month or a year, freezing its totals and open differences',
    description:
      'The figures are the reconciliation as the read models hold it once they reached the log’s head. ' +
      'A period already signed is 409 statement.alreadySigned unless `reason` is given: the new statement ' +
      'then supersedes the one in force. A period not ended yet is 422 statement.period.notEnded.',
  })
  async sign(
    @Body() body: SignStatementDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    const params = parsed(() =>
      reconciliationParams({ program: body.program, payer: body.payer, month: body.month, year: body.year }),
    );
    // What is signed is what the log holds now: the read models are first let reach its head.
    const head = await this.ledger.deps.store.headPosition();
    await this.ledger.consistent(String(head), MODELS);
    await this.program(params.programId, principal);
    const found = await reconciliation(
      this.ledger.read,
      params.programId,
      params.payer,
      params.year,
      params.months,
    );
    return signStatement(this.ledger.deps, this.ledger.context(request, principal, body), params.programId, {
      payer: params.payer,
      period: found.period,
      signedOn: body.signedOn,
      signer: body.signer,
      counterparty: body.counterparty ?? null,
      reason: body.reason ?? null,
      figures: { roster: found.roster, billed: found.billed, disbursed: found.disbursed },
      lines: found.lines.map(({ code, month, invoiceId, sp2dNumbers, amount }) => ({
        code,
        month,
        invoiceId,
        sp2dNumbers,
        amount,
      })),
      readPosition: head,
    });
  }

  @Get()
  @Roles('finance', 'auditor')
  @ApiOperation({ summary: "A program's reconciliation statements, latest first, with what superseded each" })
  @ApiQuery({ name: 'program', required: true, description: 'Program id' })
  async list(
    @Query('program', programParam) programId: string,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.ledger.consistent(consistentWith, MODELS);
    const program = await this.program(programId.toLowerCase(), principal);
    return { programId: program.id, statements: await statementsOf(this.ledger.read, program.id) };
  }

  @Get(':statementId')
  @Roles('finance', 'auditor')
  @ApiOperation({
    summary: 'A reconciliation statement: its frozen figures beside those of now, and every change after it',
    description:
      '`format=html` answers the printable berita acara (A4, Bahasa Indonesia); csv and xlsx as the reports.',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx', 'html'] })
  async read(
    @Param('statementId', uuid) statementId: string,
    @Query('consistentWith') consistentWith: string | undefined,
    @Query('format') format: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.ledger.consistent(consistentWith, MODELS);
    const found = await statementById(this.ledger.read, statementId);
    if (!found)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'statement.notFound', 'Berita acara tidak ditemukan');
    const program = await this.program(found.header.programId, principal);
    const { period, payer } = found.header;
    const year = Number(period.slice(0, 4));
    const now = await reconciliation(
      this.ledger.read,
      found.header.programId,
      payer,
      year,
      period.length === 4 ? monthsOf(year) : [period],
    );
    const view = compareStatement(found, now);
    const payerName = payer ?? program.payer;
    if (format === 'html') {
      void reply.header('content-type', 'text/html; charset=utf-8');
      void reply.header('content-disposition', `inline; filename="berita-acara-${statementId}.html"`);
      return statementHtml(view, program.name, payerName);
    }
    return sendReport(
      request,
      reply,
      view,
      statementTables(view, payerName),
      `berita-acara-${statementId}`,
      statementAbout(view, program.name, payerName),
    );
  }
}
