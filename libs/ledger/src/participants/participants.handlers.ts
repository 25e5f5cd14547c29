import { assertScope, execute, metadata, type CommandContext, type LedgerDeps } from '../shared/command.deps';
import { RuleViolation } from '../shared/rule-violation';
import { streams } from '../shared/streams';
import type { ParticipantEvent } from './participant.events';

/**
 * Erasure (UU 27/2022): destroys the person's data key, so every sealed field in the log
 * becomes unreadable for good, then records that it happened. Coverage periods and amounts,
 * which are not personal, stay in the ledger.
 */
export async function eraseParticipant(
  deps: LedgerDeps,
  ctx: CommandContext,
  participantId: string,
  reason: string | null,
) {
  return execute(deps, ctx, async () => {
    const events = await deps.store.readStream(streams.participant(participantId));
    if (events.length === 0)
      throw new RuleViolation('participant.notFound', 'Peserta tidak ditemukan', 'not_found');
    const registered = events[0].data as Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>['data'];
    assertScope(ctx, registered.villageCode);
    if (events.some((e) => e.type === 'ParticipantErased')) {
      return { appends: [], result: { participantId, erased: true } };
    }
    // Key first: if the append below fails, the person is already unreadable and a retry records it.
    await deps.keys.destroy(participantId);
    const erased: ParticipantEvent = {
      type: 'ParticipantErased',
      data: { participantId, erasedOn: ctx.today, reason },
    };
    return {
      appends: [
        {
          streamId: streams.participant(participantId),
          expected: events[events.length - 1].revision,
          events: [{ ...erased, metadata: metadata(ctx) }],
        },
      ],
      result: { participantId, erased: true },
    };
  });
}
