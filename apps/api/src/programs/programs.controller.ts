import { Body, Controller, Get, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, scopeFilter, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { amendProgram } from '@ledger/ledger/programs/amend/amend.handler';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { programRegionParam } from '@ledger/read-models/programs/programs-params';
import { programRows, programsAsSeen } from '@ledger/read-models/programs/programs.query';
import { programRoster } from '@ledger/read-models/enrollments/program-roster.query';
import type { FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { parsed } from '../shared/query-params';
import { backfillOf } from '../shared/backfill.dto';
import {
  AmendBackfillToleranceDto,
  AmendJkkReportingWindowDto,
  AmendPeriodDto,
  AmendQuotaDto,
  CloseProgramDto,
  EstablishProgramDto,
} from './programs.dto';
import { RosterQueryDto } from './roster.dto';

const uuid = uuidParam();

@ApiTags('programs')
@ApiBearerAuth()
@Controller('api/programs')
export class ProgramsController {
  constructor(private readonly ledger: Ledger) {}

  @Post()
  @Roles('program_admin')
  @ApiOperation({ summary: 'Establishes a program: owner, payer, funding, package, period, quota, age cap' })
  establish(
    @Body() body: EstablishProgramDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    const terms = {
      name: body.name,
      ownerRegion: body.ownerRegion,
      payer: body.payer,
      fundingSource: body.fundingSource,
      benefitPackage: body.benefitPackage,
      declaredIncome: body.declaredIncome ?? 1_000_000,
      period: { from: body.period.from, to: body.period.to },
      quota: body.quota,
      ageCap: body.ageCap ?? 65,
      eligibleOccupations: body.eligibleOccupations ?? null,
      budgetCeiling: body.budgetCeiling ?? null,
      ...(body.backfillToleranceDays !== undefined
        ? { backfillToleranceDays: body.backfillToleranceDays }
        : {}),
      ...(body.monthRule !== undefined ? { monthRule: body.monthRule } : {}),
      ...(body.jkkReportingWindowDays !== undefined
        ? { jkkReportingWindowDays: body.jkkReportingWindowDays }
        : {}),
    };
    return establishProgram(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      terms,
      backfillOf(body),
    );
  }

  @Post(':id/quota')
  @Roles('program_admin')
  @ApiOperation({ summary: 'Amends the quota (never below the seats in use)' })
  amendQuota(
    @Param('id', uuid) id: string,
    @Body() body: AmendQuotaDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return amendProgram(this.ledger.deps, this.ledger.context(request, principal, body), id, {
      type: 'AmendProgramQuota',
      quota: body.quota,
      reason: body.reason ?? null,
    });
  }

  @Post(':id/period')
  @Roles('program_admin')
  @ApiOperation({ summary: 'Amends the coverage period' })
  amendPeriod(
    @Param('id', uuid) id: string,
    @Body() body: AmendPeriodDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return amendProgram(this.ledger.deps, this.ledger.context(request, principal, body), id, {
      type: 'AmendProgramPeriod',
      period: { from: body.from, to: body.to },
      reason: body.reason ?? null,
      backfill: backfillOf(body),
    });
  }

  @Post(':id/closure')
  @Roles('program_admin')
  @ApiOperation({ summary: 'Closes the program: it accepts nothing more; coverage ends on the closing day' })
  close(
    @Param('id', uuid) id: string,
    @Body() body: CloseProgramDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return amendProgram(this.ledger.deps, this.ledger.context(request, principal, body), id, {
      type: 'CloseProgram',
      closedOn: body.closedOn,
      reason: body.reason ?? null,
      backfill: backfillOf(body),
    });
  }

  @Post(':id/backfill-tolerance')
  @Roles('program_admin')
  @ApiOperation({
    summary: 'Amends how many days before today a fact may take effect without being a backfill',
  })
  amendBackfillTolerance(
    @Param('id', uuid) id: string,
    @Body() body: AmendBackfillToleranceDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return amendProgram(this.ledger.deps, this.ledger.context(request, principal, body), id, {
      type: 'AmendBackfillTolerance',
      backfillToleranceDays: body.backfillToleranceDays,
      reason: body.reason ?? null,
    });
  }

  @Post(':id/jkk-reporting-window')
  @Roles('program_admin')
  @ApiOperation({
    summary:
      'Amends how many days after a work accident a JKK claim may be reported (claims filed from now on)',
  })
  amendJkkReportingWindow(
    @Param('id', uuid) id: string,
    @Body() body: AmendJkkReportingWindowDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return amendProgram(this.ledger.deps, this.ledger.context(request, principal, body), id, {
      type: 'AmendJkkReportingWindow',
      jkkReportingWindowDays: body.jkkReportingWindowDays,
      reason: body.reason ?? null,
    });
  }

  @Get()
  @ApiOperation({
    summary:
      'Programs the token reaches: owned by a region it covers, or by a wider region its own lies in ' +
      '(then seatsInUse counts only the seats of the token’s regions, named in countsScope)',
  })
  async list(
    @Query('region') region: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.ledger.consistent(consistentWith, ['programs', 'enrollments']);
    parsed(() => programRegionParam(this.ledger.regions, region));
    if (region !== undefined) this.ledger.assertCovers(principal, region);
    const visible = (await programRows(this.ledger.read)).filter(
      (r) =>
        (region === undefined || r.owner_region.startsWith(region)) &&
        this.ledger.reaches(principal, r.owner_region),
    );
    return { programs: await programsAsSeen(this.ledger.read, visible, this.viewer(principal)) };
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One program with its quota use (of the token’s regions when the program is wider)',
  })
  async get(
    @Param('id', uuid) id: string,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.ledger.consistent(consistentWith, ['programs', 'enrollments']);
    const [row] = await programRows(this.ledger.read, id);
    if (!row) throw new ProblemException(HttpStatus.NOT_FOUND, 'program.notFound', 'Program tidak ditemukan');
    this.ledger.assertReaches(principal, row.owner_region);
    const [program] = await programsAsSeen(this.ledger.read, [row], this.viewer(principal));
    return program;
  }

  @Get(':id/roster')
  @Roles('program_admin', 'village_operator', 'auditor')
  @ApiOperation({
    summary:
      'A page of the program’s participants in the token’s regions: masked NIK, village, status, coverage',
    description:
      'In enrollment id order, at most 100 a page, with the total. NIKs are masked for every role. To find one ' +
      'person by NIK, POST /api/participants/lookup (the NIK in the body) and pass the id as `participant`.',
  })
  async roster(
    @Param('id', uuid) id: string,
    @Query() query: RosterQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.ledger.consistent(query.consistentWith, ['programs', 'enrollments', 'participants']);
    const [row] = await programRows(this.ledger.read, id);
    if (!row) throw new ProblemException(HttpStatus.NOT_FOUND, 'program.notFound', 'Program tidak ditemukan');
    this.ledger.assertReaches(principal, row.owner_region);
    if (query.region !== undefined) this.ledger.assertCovers(principal, query.region);
    return programRoster(this.ledger.read, this.ledger.deps, {
      programId: id,
      scope: scopeFilter(principal),
      ...(query.region ? { region: query.region } : {}),
      ...(query.participant ? { participantId: query.participant } : {}),
      offset: query.offset ?? 0,
      limit: query.limit ?? 50,
    });
  }

  private viewer(principal: Principal) {
    return {
      prefixes: scopeFilter(principal),
      covers: (region: string) => this.ledger.covers(principal, region),
    };
  }
}
