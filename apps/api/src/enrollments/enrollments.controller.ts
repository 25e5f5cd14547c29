import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { approveEnrollment } from '@ledger/ledger/enrollment/approve/approve.handler';
import { deregisterEnrollment } from '@ledger/ledger/enrollment/deregister/deregister.handler';
import { proposeEnrollment } from '@ledger/ledger/enrollment/propose/propose.handler';
import { rejectEnrollment } from '@ledger/ledger/enrollment/reject/reject.handler';
import { coverageProbes } from '@ledger/read-models/coverage-probes/coverage-probes.query';
import { enrollmentById } from '@ledger/read-models/enrollments/enrollments.query';
import type { FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { ApproveDto, DeregisterDto, ProposeEnrollmentDto, RejectDto } from './enrollments.dto';

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
    return proposeEnrollment(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      programId,
      body,
    );
  }

  @Post('enrollments/:id/approval')
  @HttpCode(HttpStatus.OK)
  @Roles('program_admin')
  @ApiOperation({ summary: 'Approves a proposal; coverage starts on coverageFrom' })
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
    return rejectEnrollment(this.ledger.deps, this.ledger.context(request, principal, body), id, body.reason);
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
