import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { eraseParticipant } from '@ledger/ledger/participants/erase/erase.handler';
import { enrollmentsOf } from '@ledger/read-models/enrollments/enrollments.query';
import { participantById } from '@ledger/read-models/participants/participants.query';
import { IsOptional, IsString, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { IsCleanText } from '../shared/validators';
import { Ledger } from '../shared/ledger.providers';
import { participantStatus, personalView } from '@ledger/read-models/participants/personal-view';

export class EraseDto {
  @ApiPropertyOptional({ example: 'Permintaan subjek data (UU 27/2022 Pasal 8)' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}

const uuid = uuidParam();

@ApiTags('participants')
@ApiBearerAuth()
@Controller('api/participants')
export class ParticipantsController {
  constructor(private readonly ledger: Ledger) {}

  @Get(':id')
  @ApiOperation({
    summary: 'A participant: personal fields masked except for auditors; "erased" after erasure',
  })
  async get(
    @Param('id', uuid) id: string,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.ledger.consistent(consistentWith, ['participants', 'enrollments']);
    const row = await participantById(this.ledger.read, id);
    if (!row)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'participant.notFound', 'Peserta tidak ditemukan');
    this.ledger.assertCovers(principal, row.village_code, false);
    const enrollments = await enrollmentsOf(this.ledger.read, id);
    const personal = await personalView(this.ledger.deps, id, Boolean(row.erased), principal.role);
    const status = participantStatus(
      personal,
      enrollments.map((e) => ({ reason: e.end_reason, lastDay: e.ended_on })),
    );
    return {
      id: row.id,
      ...status,
      personal,
      sex: row.sex,
      birthYear: Number(row.birth_year),
      villageCode: row.village_code,
      occupation: row.occupation,
      erasedOn: row.erased_on,
      // Only the enrollments recorded in the token's regions (a person may have moved).
      enrollments: enrollments
        .filter((e) => this.ledger.covers(principal, e.village_code))
        .map((e) => ({
          enrollmentId: e.id,
          programId: e.program_id,
          status: e.status,
          coverageFrom: e.coverage_from,
          endedOn: e.ended_on,
          endReason: e.end_reason,
        })),
    };
  }

  @Post(':id/erasure')
  @HttpCode(HttpStatus.OK)
  @Roles('program_admin')
  @ApiOperation({
    summary: "Erases a person's personal data (crypto-shredding); coverage periods and amounts remain",
  })
  erase(
    @Param('id', uuid) id: string,
    @Body() body: EraseDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return eraseParticipant(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      id,
      body.reason ?? null,
    );
  }
}
