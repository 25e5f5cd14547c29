import { Controller, Get, Req, Res, HttpStatus, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { lastCoveredDay } from '@ledger/ledger/enrollment/enrollment.decider';
import { isIsoDate } from '@ledger/ledger/shared/dates';
import { enrollmentsOn, type HistoryFact } from '@ledger/read-models/participant-history/as-of';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { sendReport } from '../shared/report-format';
import { personalView } from './personal-view';

const uuid = uuidParam();

/** Read models the history answer is built from; `consistentWith` waits for all of them. */
const READ_MODELS = ['participant_history', 'enrollments', 'participants', 'programs'];

/** `asOf`: absent, or a real calendar date written YYYY-MM-DD; anything else is 400 naming the field and rule. */
function parseAsOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (isIsoDate(value)) return value;
  throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', {
    errors: [{ field: 'asOf', rule: 'isCalendarDate', message: 'asOf harus tanggal YYYY-MM-DD yang valid' }],
  });
}

interface HistoryRow extends HistoryFact {
  position: number;
  stream_id: string;
  recorded_at: string;
  actor_id: string | null;
  actor_role: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  import_id: string | null;
}

/**
 * The auditor's view of a participant: every event about the person in log order (from the
 * participant_history read model, which holds no personal data), the person's personal
 * fields as the caller's role may see them, and optionally their coverage on a given day.
 * Three key lookups: the participant by id, their history by the key prefix, and the
 * programs their enrollments name.
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
    const read = this.ledger.read;
    const participant = await read
      .selectFrom('participants')
      .select(['id', 'sex', 'birth_year', 'village_code', 'erased'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!participant)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'participant.notFound', 'Peserta tidak ditemukan');
    this.ledger.assertCovers(principal, participant.village_code);

    const rows = (
      (await read
        .selectFrom('participant_history')
        .selectAll()
        .where('participant_id', '=', id)
        .orderBy('position')
        .execute()) as (Omit<HistoryRow, 'details'> & { details: string })[]
    ).map((r): HistoryRow => ({ ...r, position: Number(r.position), details: JSON.parse(r.details) }));
    const personal = await personalView(this.ledger.deps, id, Boolean(participant.erased), principal.role);

    const json = {
      participant: {
        id,
        status: personal === 'erased' ? 'erased' : 'active',
        personal,
        sex: participant.sex,
        birthYear: Number(participant.birth_year),
        villageCode: participant.village_code,
      },
      events: rows.map((r) => ({
        position: r.position,
        occurredAt: r.occurred_at,
        recordedAt: r.recorded_at,
        type: r.type,
        streamId: r.stream_id,
        actor: { id: r.actor_id, role: r.actor_role },
        correlationId: r.correlation_id,
        causationId: r.causation_id,
        importId: r.import_id,
        enrollmentId: r.enrollment_id,
        programId: r.program_id,
        details: r.details,
      })),
      ...(asOf === undefined ? {} : { asOf: await this.asOf(rows, asOf) }),
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

  private async asOf(rows: HistoryRow[], date: string) {
    const programIds = [...new Set(rows.map((r) => r.program_id).filter((p): p is string => p !== null))];
    const programs = new Map(
      (programIds.length
        ? await this.ledger.read
            .selectFrom('programs')
            .select(['id', 'name', 'period_to', 'closed_on'])
            .where('id', 'in', programIds)
            .execute()
        : []
      ).map((p) => [p.id as string, p as { name: string; period_to: string; closed_on: string | null }]),
    );
    const end = (programId: string) => {
      const program = programs.get(programId);
      if (!program) return null;
      return lastCoveredDay(program.period_to, program.closed_on);
    };
    return {
      date,
      enrollments: enrollmentsOn(rows, date, end).map((e) => ({
        enrollmentId: e.enrollmentId,
        programId: e.programId,
        programName: programs.get(e.programId)?.name ?? null,
        status: e.status,
        coverage: e.coverage,
      })),
    };
  }
}
