import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { maskNik } from '@ledger/ledger/participants/nik';
import type { ParticipantEvent } from '@ledger/ledger/participants/participant.events';
import { openPersonal } from '@ledger/ledger/participants/personal-data.deps';
import { eraseParticipant } from '@ledger/ledger/participants/participants.handlers';
import { streams } from '@ledger/ledger/shared/streams';
import { IsOptional, IsString, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';

export class EraseDto {
  @ApiPropertyOptional({ example: 'Permintaan subjek data (UU 27/2022 Pasal 8)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

const uuid = uuidParam();

/** Masks a name to its initials: "Siti Aminah" → "S*** A*****". */
const maskName = (name: string) =>
  name
    .split(/\s+/)
    .map((part) => part[0] + '*'.repeat(Math.max(part.length - 1, 1)))
    .join(' ');

@ApiTags('participants')
@ApiBearerAuth()
@Controller('api/participants')
export class ParticipantsController {
  constructor(private readonly ledger: Ledger) {}

  @Get(':id')
  @ApiOperation({ summary: 'A participant: personal fields masked except for auditors; "erased" after erasure' })
  async get(@Param('id', uuid) id: string, @Query('consistentWith') consistentWith: string | undefined, @CurrentPrincipal() principal: Principal) {
    await this.ledger.consistent(consistentWith, ['participants', 'enrollments']);
    const row = await this.ledger.read.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ProblemException(HttpStatus.NOT_FOUND, 'participant.notFound', 'Peserta tidak ditemukan');
    this.ledger.assertCovers(principal, row.village_code);
    const enrollments = await this.ledger.read
      .selectFrom('enrollments')
      .select(['id', 'program_id', 'status', 'coverage_from', 'ended_on', 'end_reason'])
      .where('participant_id', '=', id)
      .orderBy('proposed_on')
      .execute();
    let personal: Record<string, unknown> | 'erased' = 'erased';
    if (!row.erased) {
      const [registered] = await this.ledger.deps.store.readStream(streams.participant(id), { maxCount: 1 });
      const data = registered.data as Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>['data'];
      const keys = await this.ledger.deps.keys.getMany([id]);
      const opened = openPersonal(keys.get(id), id, data.personal);
      if (opened) {
        personal =
          principal.role === 'auditor'
            ? { ...opened }
            : { nik: maskNik(opened.nik), name: maskName(opened.name), birthDate: `${opened.birthDate.slice(0, 4)}-**-**`, phone: opened.phone ? `${opened.phone.slice(0, 4)}******` : null };
      }
    }
    return {
      id: row.id,
      status: personal === 'erased' ? 'erased' : 'active',
      personal,
      sex: row.sex,
      birthYear: Number(row.birth_year),
      villageCode: row.village_code,
      occupation: row.occupation,
      erasedOn: row.erased_on,
      enrollments: enrollments.map((e) => ({
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
  @ApiOperation({ summary: "Erases a person's personal data (crypto-shredding); coverage periods and amounts remain" })
  erase(@Param('id', uuid) id: string, @Body() body: EraseDto, @Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal) {
    return eraseParticipant(this.ledger.deps, this.ledger.context(request, principal, body), id, body.reason ?? null);
  }
}
