import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { eraseParticipant } from '@ledger/ledger/participants/erase/erase.handler';
import { enrollmentsOf } from '@ledger/read-models/enrollments/enrollments.query';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { lookupNik, participantOfNik } from '@ledger/read-models/participants/nik-lookup';
import { participantById } from '@ledger/read-models/participants/participants.query';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { IsCleanText } from '../shared/validators';
import { Ledger } from '../shared/ledger.providers';
import { participantStatus, personalView } from '@ledger/read-models/participants/personal-view';

export class NikLookupDto {
  @ApiProperty({ example: '1603015708900001', description: 'NIK, 16 digits (spaces and dots are ignored)' })
  @IsString()
  @MaxLength(40)
  nik!: string;
}

export class EraseDto {
  @ApiPropertyOptional({ example: 'Permintaan subjek data (UU 27/2022 Pasal 8)' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}

const uuid = uuidParam();

type ParticipantRow = NonNullable<Awaited<ReturnType<typeof participantById>>>;

@ApiTags('participants')
@ApiBearerAuth()
@Controller('api/participants')
export class ParticipantsController {
  constructor(private readonly ledger: Ledger) {}

  @Post('lookup')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Finds a participant by NIK, sent in the body so that it is in no URL or log',
    description:
      'The NIK is checked as a proposal checks it (422 naming `nik` and the rule), then looked up by its HMAC in ' +
      'the NIK registry. The answer lists the person only when the token covers their village (as GET ' +
      '/api/participants/{id}); a person outside the scope, an erased one and an unknown NIK all answer the same ' +
      'empty list, so a lookup never tells whether a NIK is known elsewhere. Rate-limited per user like the ' +
      'other operations that reveal NIKs.',
  })
  @ApiQuery({ name: 'consistentWith', required: false })
  async lookup(
    @Body() body: NikLookupDto,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    const nik = lookupNik(body.nik, this.ledger.regions, todayInIndonesia(new Date()));
    await this.ledger.consistent(consistentWith, ['participants', 'enrollments']);
    const id = await participantOfNik(this.ledger.deps, nik);
    const row = id ? await participantById(this.ledger.read, id) : undefined;
    if (!row || row.erased || !this.ledger.covers(principal, row.village_code)) return { participants: [] };
    return { participants: [await this.view(row, principal)] };
  }

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
    return this.view(row, principal);
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

  /** The person as `principal` may see them, with the enrollments recorded in its regions. */
  private async view(row: ParticipantRow, principal: Principal) {
    const enrollments = await enrollmentsOf(this.ledger.read, row.id);
    const personal = await personalView(this.ledger.deps, row.id, Boolean(row.erased), principal.role);
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
}
