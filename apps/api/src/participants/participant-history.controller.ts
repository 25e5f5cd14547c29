import { Controller, Get, Req, Res, HttpStatus, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { historyTables } from '@ledger/read-models/exports/participant-history.exports';
import { asOfParam } from '@ledger/read-models/participant-history/history-params';
import { participantHistory } from '@ledger/read-models/participant-history/participant-history';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KNOWN_AT_QUERY, knownAtQuery } from '../shared/known-at-query';
import { Ledger } from '../shared/ledger.providers';
import { parsed } from '../shared/query-params';
import { sendReport } from '../shared/report-format';
import { participantStatus, personalView } from '@ledger/read-models/participants/personal-view';
import { contributionMonths } from '@ledger/read-models/finance/contribution-months/contribution-months.query';
import { FINANCE_MODELS } from '@ledger/read-models/finance/invoices/invoices.query';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';

const uuid = uuidParam();

/**
 * The read model the history answer takes help from (which enrollments); `consistentWith`
 * waits for it. The events themselves come from the event store.
 */
const READ_MODELS = ['enrollments', 'finance'];

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
      'asOf is the effective date: each enrollment is judged by the effective dates its events carry (proposal, approval, ' +
      'rejection, coverage start, last day), as the program summary and the coverage report count, whenever they were ' +
      'recorded. Coverage periods are calendar days, both ends included, ending on the deregistration’s last day or the ' +
      'program end (min of period end and closing day). With knownAt only the events at or before that log position are ' +
      'listed and folded, and programs are as they stood then; the answer echoes the position. ' +
      '`contributions` lists every month the person’s coverages were invoiced, as of asOf (default today): the amount, ' +
      'what was paid and its state (paid, partial, unpaid, refundable, refunded), from the finance read model; with knownAt ' +
      'as that read model knew them at the position (the query then waits for it to reach the position). ' +
      '`claims` lists the person’s JKM and JKK claims (kind, benefit, status, amounts, dates) and each step with its ' +
      'day and actor; heirs never appear here.',
  })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-06-30' })
  @ApiQuery(KNOWN_AT_QUERY)
  @ApiQuery({ name: 'consistentWith', required: false })
  async history(
    @Param('id', uuid) id: string,
    @Query('asOf') asOfValue: unknown,
    @Query('knownAt') knownAtValue: unknown,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const asOf = parsed(() => asOfParam(asOfValue));
    await this.ledger.consistent(consistentWith, READ_MODELS);
    // No read model to wait for: the enrollments the read model lacks up to P are found in
    // the log after its checkpoint, so the answer is exact at any P the log holds.
    const knownAt = await knownAtQuery(this.ledger, knownAtValue, []);
    const found = await participantHistory(this.ledger.deps.store, this.ledger.read, id, asOf, knownAt);
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
    // The money is the finance read model's: with knownAt, once it (and the enrollments'
    // versions) reached the position, as it knew the months then.
    if (knownAt !== undefined)
      await knownAtQuery(this.ledger, String(knownAt), [...FINANCE_MODELS, 'enrollment_versions']);
    const day = asOf ?? todayInIndonesia(new Date());
    const contributions = {
      asOf: day,
      months: await contributionMonths(
        this.ledger.read,
        found.enrollments.map((e) => e.enrollmentId),
        day,
        knownAt === undefined ? undefined : { position: knownAt, store: this.ledger.runtime.store },
      ),
    };
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
      claims: found.claims,
      deathReport: found.deathReport,
      ...(found.knownAt === undefined ? {} : { knownAt: found.knownAt }),
      ...(found.asOf ? { asOf: found.asOf } : {}),
      ...(contributions ? { contributions } : {}),
    };
    return sendReport(
      request,
      reply,
      json,
      historyTables(json.events, json.asOf, contributions, json.claims),
      `riwayat-${id}`,
      {
        title: 'Riwayat peserta',
        facts: [
          { label: 'Peserta', value: id },
          ...(asOf ? [{ label: 'Keadaan per tanggal', value: asOf }] : []),
          // The history is read from the log itself: the head it was read at, or knownAt.
          knownAt === undefined
            ? { label: 'Posisi log', value: await this.ledger.deps.store.headPosition() }
            : { label: 'Menurut catatan per posisi log', value: knownAt },
        ],
      },
    );
  }
}
