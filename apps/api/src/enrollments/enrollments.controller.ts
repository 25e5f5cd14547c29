import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { approveEnrollment } from '@ledger/ledger/enrollment/approve/approve.handler';
import { correctEnrollment } from '@ledger/ledger/enrollment/correct/correct.handler';
import { deregisterEnrollment } from '@ledger/ledger/enrollment/deregister/deregister.handler';
import { proposeEnrollment } from '@ledger/ledger/enrollment/propose/propose.handler';
import { rejectEnrollment } from '@ledger/ledger/enrollment/reject/reject.handler';
import { coverageProbes } from '@ledger/read-models/coverage-probes/coverage-probes.query';
import { enrollmentById } from '@ledger/read-models/enrollments/enrollments.query';
import type { FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { backfillOf } from '../shared/backfill.dto';
import {
  ApproveDto,
  CorrectEnrollmentDto,
  DeregisterDto,
  ProposeEnrollmentDto,
  RejectDto,
} from './enrollments.dto';

const uuid = uuidParam();

@ApiTags('enrollments')
@ApiBearerAuth()
@Controller('api')
export class EnrollmentsController {
  constructor(private readonly ledger: Ledger) {}

  @Post('programs/:id/enrollments')
  @HttpCode(HttpStatus.CREATED)
  @Roles('village_operator', 'program_admin')
  @ApiOperation({ summary: 'Proposes a worker for a program (village operator)' })
  propose(
    @Param('id', uuid) programId: string,
    @Body() body: ProposeEnrollmentDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    this.ledger.assertCovers(principal, body.villageCode);
    const { coverageFrom, proposedOn, backfillReason: _r, backfillNote: _n, ...values } = body;
    return proposeEnrollment(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      programId,
      values,
      {
        coverageFrom,
        proposedOn,
        backfill: backfillOf(body),
      },
    );
  }

  @Post('enrollments/:id/approval')
  @HttpCode(HttpStatus.OK)
  @Roles('program_admin')
  @ApiOperation({
    summary: 'Approves a proposal; coverage starts on coverageFrom',
    description:
      "coverageFrom and approvedOn are effective dates: before today − the program's backfill tolerance the " +
      'approval is a backfill (backfillReason required; program_admin only).',
  })
  approve(
    @Param('id', uuid) id: string,
    @Body() body: ApproveDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return approveEnrollment(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      id,
      body.coverageFrom,
      { approvedOn: body.approvedOn, backfill: backfillOf(body) },
    );
  }

  @Post('enrollments/:id/rejection')
  @HttpCode(HttpStatus.OK)
  @Roles('program_admin')
  @ApiOperation({ summary: 'Rejects a proposal with a reason; its seat and NIK claim are released' })
  reject(
    @Param('id', uuid) id: string,
    @Body() body: RejectDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return rejectEnrollment(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      id,
      body.reason,
      {
        rejectedOn: body.rejectedOn,
        backfill: backfillOf(body),
      },
    );
  }

  @Post('enrollments/:id/deregistration')
  @HttpCode(HttpStatus.OK)
  @Roles('program_admin')
  @ApiOperation({ summary: 'Ends an active coverage with a reason and its last day' })
  deregister(
    @Param('id', uuid) id: string,
    @Body() body: DeregisterDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return deregisterEnrollment(this.ledger.deps, this.ledger.context(request, principal, body), id, {
      reason: body.reason,
      note: body.note ?? null,
      effectiveDate: body.effectiveDate,
      backfill: backfillOf(body),
    });
  }

  @Post('enrollments/:id/correction')
  @HttpCode(HttpStatus.OK)
  @Roles('program_admin')
  @ApiOperation({
    summary: 'Corrects the period of an approved or ended coverage (start and/or last day) with a reason',
    description:
      'A new event (EnrollmentCorrected) naming the period it replaces; the history shows the original, the ' +
      'correction and who made it. The new period must lie in the program period, start no later than it ends and ' +
      'meet the age cap at its start. Only an ended coverage may have its last day corrected.',
  })
  correct(
    @Param('id', uuid) id: string,
    @Body() body: CorrectEnrollmentDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return correctEnrollment(this.ledger.deps, this.ledger.context(request, principal, body), id, {
      coverageFrom: body.coverageFrom,
      endedOn: body.endedOn,
      reason: body.reason,
      note: body.note,
    });
  }

  @Get('coverage-probes')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'Per actor, NIKs refused for a coverage in a program outside their scope (probing for where people are covered)',
  })
  async coverageProbes(
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.ledger.consistent(consistentWith, ['coverage_probes']);
    return { actors: await coverageProbes(this.ledger.read, (code) => this.ledger.covers(principal, code)) };
  }

  @Get('enrollments/:id')
  @ApiOperation({ summary: 'One enrollment with its coverage period' })
  async get(
    @Param('id', uuid) id: string,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.ledger.consistent(consistentWith, ['enrollments']);
    const enrollment = await enrollmentById(this.ledger.read, id);
    if (!enrollment)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'enrollment.notFound', 'Pendaftaran tidak ditemukan');
    this.ledger.assertCovers(principal, enrollment.villageCode, false);
    return enrollment;
  }
}
