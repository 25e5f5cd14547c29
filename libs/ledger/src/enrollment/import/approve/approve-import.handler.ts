import type { StreamAppend } from '@ledger/event-store';
import { birthDates } from '../../../participants/registration';
import type { BackfillRequest } from '../../../shared/backfill';
import { loadExistingProgram, loadSeatsUnder } from '../../../programs/program.load';
import type { ExistingProgram } from '../../../programs/program.state';
import {
  appendsOf,
  assertScope,
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../../shared/command.deps';
import { RuleViolation } from '../../../shared/rule-violation';
import { streams } from '../../../shared/streams';
import { loadEnrollment } from '../../enrollment.load';
import type { EnrollmentState } from '../../enrollment.state';
import type { Seats } from '../../released-seats';
import type { ImportEvent } from '../import.events';
import { evolveImport, initialImportState } from '../upload/upload.decider';
import { decideImportApproval } from './approve-import.decider';

/** Enrollment ids an import proposed, for approving the batch as a whole. */
export async function importedEnrollments(deps: LedgerDeps, importId: string) {
  const events = await deps.store.readStream(streams.nominationImport(importId));
  if (events.length === 0) throw new RuleViolation('import.notFound', 'Impor tidak ditemukan', 'not_found');
  const state = events.reduce((s, e) => evolveImport(s, e as unknown as ImportEvent), initialImportState());
  const ids = state.rows.filter((r) => r.enrollmentId).map((r) => r.enrollmentId!);
  return { programId: state.programId!, enrollmentIds: ids };
}

const CHUNK = 500;

/**
 * POST /api/imports/:id/approval: approves, as a whole, every enrollment of an import that is
 * still proposed, in chunks: each chunk is one atomic append; rows a chunk cannot approve (age
 * cap at the chosen start, erased participant) are reported, not fatal.
 */
export async function approveEnrollments(
  deps: LedgerDeps,
  ctx: CommandContext,
  enrollmentIds: string[],
  coverageFrom: string,
  /** The import approved as a whole: its events say so, so the audit trail lists them apart. */
  importId: string,
  options: { approvedOn?: string; backfill?: BackfillRequest } = {},
) {
  let approved = 0;
  const refused: { enrollmentId: string; rule: string; message: string }[] = [];
  let consistencyToken = 0;
  for (let i = 0; i < enrollmentIds.length; i += CHUNK) {
    const chunk = enrollmentIds.slice(i, i + CHUNK);
    const written = await execute(deps, { ...ctx, idempotencyKey: undefined }, async () => {
      const loaded = await Promise.all(chunk.map((id) => loadEnrollment(deps, id)));
      const state = new Map<string, EnrollmentState>();
      const expected = new Map<string, StreamAppend['expected']>();
      chunk.forEach((id, n) => {
        state.set(id, loaded[n].state);
        expected.set(streams.enrollment(id), loaded[n].revision);
      });
      const pending = loaded.map((l) => l.state).filter((s) => s.status === 'proposed');
      const programs = new Map<string, { program: ExistingProgram; seats: Seats }>();
      for (const { programId } of pending) {
        if (programs.has(programId)) continue;
        const { program, revision } = await loadExistingProgram(deps, programId);
        assertScope(ctx, program.terms.ownerRegion);
        const seats = await loadSeatsUnder(deps, programId, revision);
        programs.set(programId, { program, seats });
        expected.set(streams.seats(programId), expectedFor(seats.revision));
      }
      // Each NIK's registry before the person's key, as a single approval reads them: an erasure
      // destroying a key after this read appends to its registry, and the chunk decides again.
      const registries = await Promise.all(
        pending.map((s) =>
          deps.store.readStream(streams.nik(s.nikKey), { direction: 'backwards', maxCount: 1 }),
        ),
      );
      pending.forEach((s, n) =>
        expected.set(streams.nik(s.nikKey), expectedFor(registries[n][0]?.revision ?? -1)),
      );
      const births = await birthDates(
        deps,
        pending.map((s) => s.participantId),
      );
      const { events, refused } = decideImportApproval(
        {
          type: 'ApproveImportedEnrollments',
          enrollmentIds: chunk,
          coverageFrom,
          ...options,
          today: ctx.today,
          role: ctx.actor.role,
          birthDates: births,
          programs,
        },
        state,
      );
      const approved = events.filter((e) => e.event.type === 'EnrollmentApproved').length;
      const ownStreams = new Set(chunk.map(streams.enrollment));
      const appends = appendsOf(
        events,
        (streamId) => expected.get(streamId)!,
        (streamId) => metadata(ctx, ownStreams.has(streamId) ? { importApproval: importId } : {}),
      );
      return { appends, result: { approved, refused } };
    });
    approved += written.approved;
    refused.push(...written.refused);
    consistencyToken = Math.max(consistencyToken, written.consistencyToken);
  }
  return { approved, refused, consistencyToken };
}
