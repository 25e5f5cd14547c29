import type { StreamAppend } from '@ledger/event-store';
import { nikHmac } from '@ledger/crypto';
import {
  evolveNikRegistry,
  initialNikRegistry,
  type NikRegistryEvent,
  type NikRegistryState,
  type ParticipantEvent,
} from '../../participants/participant.events';
import { sealPersonal } from '../../participants/personal-data.deps';
import { loadExistingProgram, loadProgram, loadSeatsUnder } from '../../programs/program.load';
import type { ProgramState } from '../../programs/program.state';
import {
  appendsOf,
  assertReach,
  execute,
  expectedFor,
  fold,
  hashOf,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { uuidv7 } from '../../shared/ids';
import { RuleViolation } from '../../shared/rule-violation';
import { streams } from '../../shared/streams';
import { eventLoopTurns } from '../../shared/event-loop-turns';
import { checkRows, type NominationInput, type NominationRequest } from './check-row';
import { decideProposal, type ProposalRow, type ProposalState } from './propose.decider';
import { proposalDates, type ProposalDatesRequest } from './proposal-dates';

/**
 * Proposes workers for a program: one row (POST …/enrollments) or a chunk of a nomination
 * list (import). Every row is accepted or rejected with its reasons; the accepted ones are
 * written in one atomic append together with the program's seats and each NIK's registry,
 * so the quota and "one active coverage per NIK" hold under any concurrency.
 */
export async function proposeNominations(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  requests: NominationRequest[],
  importRecord?: { importId: string; expectedRevision: number },
  datesRequest: ProposalDatesRequest = {},
) {
  // Ids are drawn once, outside the retry loop: a retried decision reuses them, so the data
  // keys created for new participants in a lost race are the ones the retry uses.
  const ids = new Map(requests.map((r) => [r.key, { enrollmentId: uuidv7(), newParticipantId: uuidv7() }]));
  const importId = importRecord?.importId ?? null;
  return execute(deps, ctx, async () => {
    const { program, revision: termsRevision } = await loadExistingProgram(deps, programId);
    assertReach(ctx, program.terms.ownerRegion);
    if (program.status === 'closed')
      throw new RuleViolation('program.closed', 'Program sudah ditutup', 'conflict');
    // Once for the request: every row shares its effective dates and backfill marker.
    const dates = proposalDates(datesRequest, program, ctx.today, ctx.actor.role);

    const checked = checkRows(requests, {
      program,
      today: ctx.today,
      coverageFrom: dates.coverageFrom,
      regions: deps.regions,
      covers: ctx.covers,
    });
    const rows: ProposalRow[] = checked.map((row) =>
      'person' in row
        ? { ...row, nikKey: nikHmac(deps.nikHmacKey, row.person.nik), ...ids.get(row.key)! }
        : row,
    );

    // What the cross-stream rules need: each NIK's registry, the programs its claims name,
    // which known participants were erased, and the seats in use.
    const registries = new Map<string, NikRegistryState>();
    const expected = new Map<string, StreamAppend['expected']>();
    // One small read per NIK; on SQLite each is synchronous, so a chunk of an import would
    // otherwise hold every other request (/health included) until all of them are read.
    const turn = eventLoopTurns();
    for (const row of rows) {
      if (!('nikKey' in row) || registries.has(row.nikKey)) continue;
      await turn();
      const { state, revision } = await fold<NikRegistryState, NikRegistryEvent>(
        deps.store,
        streams.nik(row.nikKey),
        evolveNikRegistry,
        initialNikRegistry(),
      );
      registries.set(row.nikKey, state);
      expected.set(streams.nik(row.nikKey), expectedFor(revision));
    }
    const programs = new Map<string, ProgramState>([[programId, program]]);
    const known = new Set<string>();
    for (const registry of registries.values()) {
      if (registry.participantId) known.add(registry.participantId);
      for (const claim of [...registry.claims.values(), ...registry.ended.values()]) {
        await turn();
        if (!programs.has(claim.programId))
          programs.set(claim.programId, (await loadProgram(deps, claim.programId)).state);
      }
    }
    const liveKeys = await deps.keys.getMany([...known]);
    // Read last, so that only the appends below separate it from the write.
    const seats = await loadSeatsUnder(deps, programId, termsRevision);
    expected.set(streams.seats(programId), expectedFor(seats.revision));
    const actorKey = hashOf(ctx.actor.id).slice(0, 32);
    expected.set(streams.coverageProbes(actorKey), 'any');
    if (importRecord)
      expected.set(streams.nominationImport(importRecord.importId), importRecord.expectedRevision);

    const state: ProposalState = { programs, seats, registries };
    const { events, outcomes } = decideProposal(
      {
        type: 'ProposeNominations',
        programId,
        dates,
        rows,
        erased: new Set([...known].filter((id) => !liveKeys.has(id))),
        reaches: ctx.reaches,
        actorKey,
        importId,
      },
      state,
    );

    const registered = events.flatMap((e) => (e.event.type === 'ParticipantRegistered' ? [e.event] : []));
    const keys = registered.length
      ? await deps.keys.getOrCreateMany(registered.map((e) => e.data.participantId))
      : new Map<string, Buffer>();
    const sealed = events.map(({ streamId, event }) => {
      if (event.type !== 'ParticipantRegistered') return { streamId, event };
      const { participantId, personal } = event.data;
      const data = {
        ...event.data,
        personal: sealPersonal(keys.get(participantId)!, participantId, personal),
      };
      return { streamId, event: { type: event.type, data } satisfies ParticipantEvent };
    });
    const appends = appendsOf(
      sealed,
      (streamId) => expected.get(streamId) ?? 'no_stream',
      () => metadata(ctx, importId ? { importId } : {}),
    );
    return { appends, result: { outcomes } };
  });
}

/**
 * POST /api/programs/:id/enrollments: one worker. A rejected row is refused as a whole: its
 * first broken rule names the refusal and its kind, and every reason is listed.
 */
export async function proposeEnrollment(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  values: NominationInput,
  dates: ProposalDatesRequest = {},
) {
  const written = await proposeNominations(
    deps,
    ctx,
    programId,
    [{ key: 1, values, problems: [] }],
    undefined,
    dates,
  );
  const [outcome] = written.outcomes;
  if (outcome.status === 'rejected') {
    const [first] = outcome.reasons;
    throw new RuleViolation(first.rule, first.message, outcome.kind, undefined, outcome.reasons);
  }
  return {
    enrollmentId: outcome.enrollmentId,
    participantId: outcome.participantId,
    status: 'proposed' as const,
    consistencyToken: written.consistencyToken,
  };
}
