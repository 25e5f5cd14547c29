import { Controller, Get, Req, Res, HttpStatus, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { isIsoDate } from '@ledger/ledger/shared/dates';
import { participantHistory } from '@ledger/read-models/participant-history/participant-history';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { sendReport } from '../shared/report-format';
import { participantStatus, personalView } from './personal-view';

const uuid = uuidParam();

/**
 * The read model the history answer takes help from (which enrollments); `consistentWith`
 * waits for it. The events themselves come from the event store.
 */
const READ_MODELS = ['enrollments'];

/** `asOf`: absent, or a real calendar date written YYYY-MM-DD; anything else is 400 naming the field and rule. */
function parseAsOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (isIsoDate(value)) return value;
  throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', {
    errors: [{ field: 'asOf', rule: 'isCalendarDate', message: 'asOf harus tanggal YYYY-MM-DD yang valid' }],
  });
}

/**
 * The auditor's view of a participant: every event about the person in log order, read from
 * the event store (the same answer as `cli replay participant`), the person's personal
 * fields as the caller's role may see them, and optionally their coverage on a given day.
 */
@ApiTags('participants')
@ApiBearerAuth()
@Controller('api/participants')
export class ParticipantHistoryController {
  constructor(private readonly ledger: Ledger) {}

  @Get(':id/history')
  @ApiOperation({
    summary:
      "A participant's history: every event about them in order, and with asOf their coverage on that day",
    description:
      'Events count on asOf from the day (WIB, UTC+7) of their occurredAt; coverage periods are calendar days, both ends ' +
      'included, ending on the deregistration date or the program end (min of period end and closing day).',
  })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-06-30' })
  @ApiQuery({ name: 'consistentWith', required: false })
  async history(
    @Param('id', uuid) id: string,
    @Query('asOf') asOfParam: unknown,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const asOf = parseAsOf(asOfParam);
    await this.ledger.consistent(consistentWith, READ_MODELS);
    const found = await participantHistory(this.ledger.deps.store, this.ledger.read, id, asOf);
    if (!found)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'participant.notFound', 'Peserta tidak ditemukan');
    const { participant } = found;
    this.ledger.assertCovers(principal, participant.villageCode, false);
    const personal = await personalView(
      this.ledger.deps,
      id,
      participant.erased,
      principal.role,
      found.sealedPersonal,
    );

    const status = participantStatus(
      personal,
      found.events
        .filter((e) => e.type === 'EnrollmentDeregistered')
        .map((e) => ({ reason: String(e.details.reason), lastDay: String(e.details.effectiveDate) })),
    );
    const json = {
      participant: {
        id,
        ...status,
        personal,
        sex: participant.sex,
        birthYear: participant.birthYear,
        villageCode: participant.villageCode,
      },
      events: found.events,
      ...(found.asOf ? { asOf: found.asOf } : {}),
    };
    return sendReport(
      request,
      reply,
      json,
      [
        {
          name: 'Riwayat',
          columns: [
            { key: 'position', header: 'Posisi' },
            { key: 'occurredAt', header: 'Waktu' },
            { key: 'type', header: 'Peristiwa' },
            { key: 'actorId', header: 'Pelaku' },
            { key: 'actorRole', header: 'Peran' },
            { key: 'programId', header: 'Program' },
            { key: 'enrollmentId', header: 'Pendaftaran' },
            { key: 'importId', header: 'Impor' },
            { key: 'correlationId', header: 'Korelasi' },
            { key: 'details', header: 'Rincian' },
          ],
          rows: json.events.map((e) => ({
            ...e,
            actorId: e.actor.id,
            actorRole: e.actor.role,
            details: JSON.stringify(e.details),
          })),
        },
        ...(json.asOf
          ? [
              {
                name: `Keadaan ${json.asOf.date}`,
                columns: [
                  { key: 'programName', header: 'Program' },
                  { key: 'status', header: 'Status' },
                  { key: 'from', header: 'Mulai' },
                  { key: 'to', header: 'Sampai' },
                ],
                rows: json.asOf.enrollments.map((e) => ({
                  ...e,
                  from: e.coverage?.from ?? null,
                  to: e.coverage?.to ?? null,
                })),
              },
            ]
          : []),
      ],
      `riwayat-${id}`,
    );
  }
}
