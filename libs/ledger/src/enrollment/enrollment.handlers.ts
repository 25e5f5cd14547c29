import { uuidv7 } from '../shared/ids';
import type { NewEvent, StreamAppend } from '@ledger/event-store';
import { nikHmac } from '@ledger/crypto';
import { maskNik } from '../participants/nik';
import {
  evolveNikRegistry,
  initialNikRegistry,
  type NikRegistryEvent,
  type NikRegistryState,
  type ParticipantEvent,
  type PersonalData,
} from '../participants/participant.events';
import { openPersonal, sealPersonal } from '../participants/personal-data.deps';
import { loadProgram, loadSeatsUnder, seatsAppend } from '../programs/programs.handlers';
import type { ProgramState } from '../programs/program.decider';
import {
  assertReach,
  assertScope,
  execute,
  expectedFor,
  fold,
  hashOf,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../shared/command.deps';
import { RuleViolation } from '../shared/rule-violation';
import { streams } from '../shared/streams';
import {
  decideEnrollment,
  evolveEnrollment,
  initialEnrollmentState,
  programCoverageEnd,
  type EnrollmentCommand,
  type EnrollmentState,
} from './enrollment.decider';
import type { CoverageProbeEvent, EnrollmentEvent } from './enrollment.events';
import {
  allocateNominations,
  checkNomination,
  type AllocationCandidate,
  type NominationInput,
  type OtherProgram,
  type Reason,
} from './nomination';

export interface NominationRequest {
  /** Row number in a file, or 1 for a single proposal. */
  key: number;
  values: NominationInput;
  /** Format problems found while reading the row. */
  problems: Reason[];
}

export interface NominationOutcome {
  key: number;
  status: 'accepted' | 'rejected';
  reasons: Reason[];
  maskedNik: string | null;
  enrollmentId: string | null;
  participantId: string | null;
}

type OpenProgram = Extract<ProgramState, { status: 'open' | 'closed' }>;

/** The program and the revision of its stream, for `loadSeatsUnder`. */
async function loadExistingProgram(
  deps: LedgerDeps,
  programId: string,
): Promise<{ program: OpenProgram; revision: number }> {
  const { state, revision } = await loadProgram(deps, programId);
  if (state.status === 'none')
    throw new RuleViolation('program.notFound', 'Program tidak ditemukan', 'not_found');
  return { program: state, revision };
}

export async function requireProgram(deps: LedgerDeps, programId: string): Promise<OpenProgram> {
  return (await loadExistingProgram(deps, programId)).program;
}

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
  importRecord?: {
    importId: string;
    expectedRevision: number;
    recordEvent: (rows: NominationOutcome[]) => NewEvent;
  },
) {
  // Ids are drawn once, outside the retry loop: a retried decision reuses them, so the data
  // keys created for new participants in a lost race are the ones the retry uses.
  const ids = new Map(requests.map((r) => [r.key, { enrollmentId: uuidv7(), participantId: uuidv7() }]));
  return execute(deps, ctx, async () => {
    const { program, revision: termsRevision } = await loadExistingProgram(deps, programId);
    assertReach(ctx, program.terms.ownerRegion);
    if (program.status === 'closed')
      throw new RuleViolation('program.closed', 'Program sudah ditutup', 'conflict');

    const outcomes = new Map<number, NominationOutcome>();
    const people = new Map<
      number,
      PersonalData & { sex: 'L' | 'P'; occupation: string; villageCode: string }
    >();
    const candidates: AllocationCandidate[] = [];
    for (const request of requests) {
      const maskedNik =
        request.values.nik && /^\d{16}$/.test(request.values.nik) ? maskNik(request.values.nik) : null;
      const reject = (reasons: Reason[]) =>
        outcomes.set(request.key, {
          key: request.key,
          status: 'rejected',
          reasons,
          maskedNik,
          enrollmentId: null,
          participantId: null,
        });
      // An unknown code is the row's mistake (villageCode.unknown below), not a scope refusal.
      const village = request.values.villageCode;
      if (village && deps.regions.has(village) && ctx.covers && !ctx.covers(village)) {
        reject([{ field: 'villageCode', rule: 'auth.scope', message: 'Desa di luar cakupan token' }]);
        continue;
      }
      const checked = checkNomination(request.values, { program, today: ctx.today, regions: deps.regions });
      if (request.problems.length > 0 || !checked.ok) {
        // The file layer already names empty required cells; the check names them again.
        const named = new Set(request.problems.map((p) => `${p.field}:${p.rule}`));
        const more = checked.ok ? [] : checked.reasons.filter((r) => !named.has(`${r.field}:${r.rule}`));
        reject([...request.problems, ...more]);
        continue;
      }
      const { person } = checked;
      people.set(request.key, { ...person });
      candidates.push({
        key: request.key,
        nikKey: nikHmac(deps.nikHmacKey, person.nik),
        enrollmentId: ids.get(request.key)!.enrollmentId,
        newParticipantId: ids.get(request.key)!.participantId,
      });
    }

    // What the cross-stream rules need: each NIK's registry, the programs its claims name,
    // which known participants were erased, and the seats in use.
    const registries = new Map<string, NikRegistryState>();
    const registryRevisions = new Map<string, number>();
    for (const { nikKey } of candidates) {
      if (registries.has(nikKey)) continue;
      const { state, revision } = await fold<NikRegistryState, NikRegistryEvent>(
        deps.store,
        streams.nik(nikKey),
        evolveNikRegistry,
        initialNikRegistry(),
      );
      registries.set(nikKey, state);
      registryRevisions.set(nikKey, revision);
    }
    const programs = new Map<string, OtherProgram>();
    const known = new Set<string>();
    for (const registry of registries.values()) {
      if (registry.participantId) known.add(registry.participantId);
      for (const claim of registry.claims.values()) {
        if (programs.has(claim.programId)) continue;
        const other =
          claim.programId === programId ? program : (await loadProgram(deps, claim.programId)).state;
        if (other.status === 'none') continue;
        programs.set(claim.programId, {
          programId: claim.programId,
          name: other.terms.name,
          from: other.terms.period.from,
          end: programCoverageEnd(other),
          visible: !ctx.reaches || ctx.reaches(other.terms.ownerRegion),
        });
      }
    }
    const liveKeys = await deps.keys.getMany([...known]);
    const erased = new Set([...known].filter((id) => !liveKeys.has(id)));
    // Read last, so that only the appends below separate it from the write.
    const seats = await loadSeatsUnder(deps, programId, termsRevision);

    const allocations = allocateNominations(candidates, {
      program,
      quota: program.terms.quota,
      seatsInUse: seats.inUse,
      registries,
      programs,
      erased,
    });

    const accepted = allocations.filter((a) => a.accepted);
    const newParticipants = accepted.filter((a) => a.newParticipant).map((a) => a.participantId);
    const keys = newParticipants.length
      ? await deps.keys.getOrCreateMany(newParticipants)
      : new Map<string, Buffer>();
    const appends: StreamAppend[] = [];
    const meta = () => metadata(ctx, importRecord ? { importId: importRecord.importId } : {});
    for (const allocation of allocations) {
      const person = people.get(allocation.key)!;
      const maskedNik = maskNik(person.nik);
      if (!allocation.accepted) {
        outcomes.set(allocation.key, {
          key: allocation.key,
          status: 'rejected',
          reasons: allocation.reasons,
          maskedNik,
          enrollmentId: null,
          participantId: null,
        });
        continue;
      }
      const { enrollmentId, participantId, nikKey, newParticipant } = allocation;
      const birthYear = Number(person.birthDate.slice(0, 4));
      const registryEvents: NikRegistryEvent[] = [];
      if (newParticipant) {
        const registered: ParticipantEvent = {
          type: 'ParticipantRegistered',
          data: {
            participantId,
            personal: sealPersonal(keys.get(participantId)!, participantId, {
              nik: person.nik,
              name: person.name,
              birthDate: person.birthDate,
              phone: person.phone,
            }),
            sex: person.sex,
            birthYear,
            villageCode: person.villageCode,
            occupation: person.occupation as never,
          },
        };
        appends.push({
          streamId: streams.participant(participantId),
          expected: 'no_stream',
          events: [{ ...registered, metadata: meta() }],
        });
      }
      registryEvents.push({ type: 'CoverageClaimed', data: { enrollmentId, programId, participantId } });
      appends.push({
        streamId: streams.nik(nikKey),
        expected: expectedFor(registryRevisions.get(nikKey)!),
        events: registryEvents.map((e) => ({ ...e, metadata: meta() })),
      });
      const proposed: EnrollmentEvent = {
        type: 'EnrollmentProposed',
        data: {
          enrollmentId,
          programId,
          participantId,
          nikKey,
          villageCode: person.villageCode,
          occupation: person.occupation as never,
          sex: person.sex,
          birthYear,
          proposedOn: ctx.today,
          importId: importRecord?.importId ?? null,
        },
      };
      appends.push({
        streamId: streams.enrollment(enrollmentId),
        expected: 'no_stream',
        events: [{ ...proposed, metadata: meta() }],
      });
      outcomes.set(allocation.key, {
        key: allocation.key,
        status: 'accepted',
        reasons: [],
        maskedNik,
        enrollmentId,
        participantId,
      });
    }
    if (accepted.length > 0) {
      appends.push(
        seatsAppend(
          seats,
          programId,
          {
            type: 'SeatsTaken',
            data: {
              programId,
              enrollmentIds: accepted.map((a) => (a.accepted ? a.enrollmentId : '')),
              inUse: seats.inUse + accepted.length,
            },
          },
          meta(),
        ),
      );
    }
    const probes = allocations.flatMap((a) =>
      !a.accepted && a.coveredOutOfScope ? [{ key: a.key, maskedNik: maskNik(people.get(a.key)!.nik) }] : [],
    );
    if (probes.length > 0) {
      const probe: CoverageProbeEvent = {
        type: 'OutOfScopeCoverageRefused',
        data: { programId, importId: importRecord?.importId ?? null, rows: probes },
      };
      appends.push({
        streamId: streams.coverageProbes(hashOf(ctx.actor.id).slice(0, 32)),
        expected: 'any',
        events: [{ ...probe, metadata: meta() }],
      });
    }
    const ordered = requests.map((r) => outcomes.get(r.key)!);
    if (importRecord) {
      appends.push({
        streamId: streams.nominationImport(importRecord.importId),
        expected: importRecord.expectedRevision,
        events: [importRecord.recordEvent(ordered)],
      });
    }
    return { appends, result: { outcomes: ordered } };
  });
}

async function loadEnrollment(deps: LedgerDeps, enrollmentId: string) {
  const loaded = await fold<EnrollmentState, EnrollmentEvent>(
    deps.store,
    streams.enrollment(enrollmentId),
    evolveEnrollment,
    initialEnrollmentState(),
  );
  if (loaded.state.status === 'none')
    throw new RuleViolation('enrollment.notFound', 'Pendaftaran tidak ditemukan', 'not_found');
  return loaded;
}

/** Birth date from the participant's sealed data; null once the person was erased. */
export async function participantBirthDates(
  deps: LedgerDeps,
  participantIds: string[],
): Promise<Map<string, string | null>> {
  const keys = await deps.keys.getMany(participantIds);
  const out = new Map<string, string | null>();
  for (const id of participantIds) {
    const [registered] = await deps.store.readStream(streams.participant(id), { maxCount: 1 });
    const data = registered?.data as
      Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>['data'] | undefined;
    out.set(id, data ? (openPersonal(keys.get(id), id, data.personal)?.birthDate ?? null) : null);
  }
  return out;
}

/** Appends that give back what an ended proposal or coverage held: its seat and its NIK claim. */
function releases(
  ctx: CommandContext,
  state: EnrollmentState,
  on: string,
  seats: { inUse: number; revision: number },
): StreamAppend[] {
  return [
    seatsAppend(
      seats,
      state.programId,
      {
        type: 'SeatsReleased',
        data: {
          programId: state.programId,
          enrollmentIds: [state.enrollmentId],
          inUse: Math.max(0, seats.inUse - 1),
        },
      },
      metadata(ctx),
    ),
    {
      streamId: streams.nik(state.nikKey),
      expected: 'exists',
      events: [
        {
          type: 'CoverageReleased',
          data: {
            enrollmentId: state.enrollmentId,
            programId: state.programId,
            participantId: state.participantId,
            releasedOn: on,
          },
          metadata: metadata(ctx),
        },
      ],
    },
  ];
}

/** The seats-stream append of approvals: their seats are now held by coverage. */
function covered(
  ctx: CommandContext,
  programId: string,
  enrollmentIds: string[],
  seats: { inUse: number; revision: number },
): StreamAppend {
  return seatsAppend(
    seats,
    programId,
    { type: 'SeatsCovered', data: { programId, enrollmentIds, inUse: seats.inUse } },
    metadata(ctx),
  );
}

/** Approve, reject or deregister one enrollment. */
export async function changeEnrollment(
  deps: LedgerDeps,
  ctx: CommandContext,
  enrollmentId: string,
  command:
    | { type: 'ApproveEnrollment'; coverageFrom: string }
    | { type: 'RejectEnrollment'; reason: string }
    | Extract<EnrollmentCommand, { type: 'DeregisterEnrollment' }>,
) {
  return execute(deps, ctx, async () => {
    const { state, revision } = await loadEnrollment(deps, enrollmentId);
    const { program, revision: termsRevision } = await loadExistingProgram(deps, state.programId);
    assertScope(ctx, program.terms.ownerRegion);
    let full: EnrollmentCommand;
    if (command.type === 'ApproveEnrollment') {
      const birthDate =
        (await participantBirthDates(deps, [state.participantId])).get(state.participantId) ?? null;
      full = { ...command, today: ctx.today, birthDate };
    } else if (command.type === 'RejectEnrollment') full = { ...command, today: ctx.today };
    else full = command;
    const events = decideEnrollment(full, state, program);
    // Every outcome depends on the program's terms (open, period): it appends to the seats stream.
    const seats = await loadSeatsUnder(deps, state.programId, termsRevision);
    const appends: StreamAppend[] = [
      {
        streamId: streams.enrollment(enrollmentId),
        expected: revision,
        events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
      },
    ];
    if (command.type === 'ApproveEnrollment')
      appends.push(covered(ctx, state.programId, [enrollmentId], seats));
    if (command.type === 'RejectEnrollment') appends.push(...releases(ctx, state, ctx.today, seats));
    if (command.type === 'DeregisterEnrollment')
      appends.push(...releases(ctx, state, command.effectiveDate, seats));
    return {
      appends,
      result: {
        enrollmentId,
        status: events.length ? evolveEnrollment(state, events[0]).status : state.status,
      },
    };
  });
}

/**
 * Approves, as a whole, every enrollment of an import that is still proposed, in chunks:
 * each chunk is one atomic append; rows a chunk cannot approve (age cap at the chosen start,
 * erased participant) are reported, not fatal.
 */
export async function approveEnrollments(
  deps: LedgerDeps,
  ctx: CommandContext,
  enrollmentIds: string[],
  coverageFrom: string,
  /** The import approved as a whole: its events say so, so the audit trail lists them apart. */
  importId: string,
) {
  let approved = 0;
  const refused: { enrollmentId: string; rule: string; message: string }[] = [];
  let consistencyToken = 0;
  const CHUNK = 500;
  for (let i = 0; i < enrollmentIds.length; i += CHUNK) {
    const chunk = enrollmentIds.slice(i, i + CHUNK);
    const written = await execute(deps, { ...ctx, idempotencyKey: undefined }, async () => {
      const loaded = await Promise.all(
        chunk.map(async (id) => ({ id, ...(await loadEnrollment(deps, id)) })),
      );
      const pending = loaded.filter((l) => l.state.status === 'proposed');
      const programs = new Map<string, { program: OpenProgram; revision: number }>();
      for (const l of pending) {
        if (!programs.has(l.state.programId)) {
          const loadedProgram = await loadExistingProgram(deps, l.state.programId);
          assertScope(ctx, loadedProgram.program.terms.ownerRegion);
          programs.set(l.state.programId, loadedProgram);
        }
      }
      const births = await participantBirthDates(
        deps,
        pending.map((l) => l.state.participantId),
      );
      const appends: StreamAppend[] = [];
      const chunkRefused: typeof refused = [];
      for (const l of pending) {
        try {
          const events = decideEnrollment(
            {
              type: 'ApproveEnrollment',
              coverageFrom,
              today: ctx.today,
              birthDate: births.get(l.state.participantId) ?? null,
            },
            l.state,
            programs.get(l.state.programId)!.program,
          );
          appends.push({
            streamId: streams.enrollment(l.id),
            expected: l.revision,
            events: events.map((e) => ({ ...e, metadata: metadata(ctx, { importApproval: importId }) })),
          });
        } catch (error) {
          if (!(error instanceof RuleViolation)) throw error;
          chunkRefused.push({ enrollmentId: l.id, rule: error.rule, message: error.message });
        }
      }
      const approved = appends.length;
      const refusedIds = new Set(chunkRefused.map((r) => r.enrollmentId));
      for (const [programId, { revision: termsRevision }] of programs) {
        const ids = pending
          .filter((l) => l.state.programId === programId && !refusedIds.has(l.id))
          .map((l) => l.id);
        if (ids.length === 0) continue;
        appends.push(covered(ctx, programId, ids, await loadSeatsUnder(deps, programId, termsRevision)));
      }
      return { appends, result: { approved, refused: chunkRefused } };
    });
    approved += written.approved;
    refused.push(...written.refused);
    consistencyToken = Math.max(consistencyToken, written.consistencyToken);
  }
  return { approved, refused, consistencyToken };
}
