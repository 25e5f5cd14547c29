import { nikHmac } from '@ledger/crypto';
import {
  appendsOf,
  assertScope,
  execute,
  fold,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { streams } from '../../shared/streams';
import type { ParticipantEvent } from '../participant.events';
import { openRegistrations } from '../registration';
import { decideErasure, evolveErasure, initialErasureState, type ErasureState } from './erase.decider';

/**
 * POST /api/participants/:id/erasure (UU 27/2022): destroys the person's data key, so every
 * sealed field in the log becomes unreadable for good, then records that it happened.
 * Coverage periods and amounts, which are not personal, stay in the ledger.
 */
export async function eraseParticipant(
  deps: LedgerDeps,
  ctx: CommandContext,
  participantId: string,
  reason: string | null,
) {
  // The NIK's registry is found through the NIK, readable only while the key exists: it is
  // worked out once, before the key is destroyed, so that a retry still knows it.
  let nikKey: string | null | undefined;
  return execute(deps, ctx, async () => {
    const { state, revision } = await fold<ErasureState, ParticipantEvent>(
      deps.store,
      streams.participant(participantId),
      evolveErasure,
      initialErasureState(),
    );
    if (state.villageCode !== null) assertScope(ctx, state.villageCode);
    const live = state.registered && !state.erased;
    if (live && nikKey === undefined) {
      const nik = (await openRegistrations(deps, [participantId])).get(participantId)?.personal?.nik;
      nikKey = nik ? nikHmac(deps.nikHmacKey, nik) : null;
    }
    const registry = live && nikKey ? await deps.store.readStream(streams.nik(nikKey)) : [];
    const decided = decideErasure(
      {
        type: 'EraseParticipant',
        participantId,
        today: ctx.today,
        reason,
        nikKey: registry.length > 0 ? nikKey! : null,
      },
      state,
    );
    // Key first: if the append below fails, the person is already unreadable and a retry records it.
    if (decided.length > 0) await deps.keys.destroy(participantId);
    // A proposal that found this person's key alive conflicts on the registry and decides
    // again; without the key (destroyed by an erasure cut short) none can find it alive.
    const expected = (streamId: string) =>
      streamId === streams.participant(participantId) ? revision : registry[registry.length - 1].revision;
    return {
      appends: appendsOf(decided, expected, () => metadata(ctx)),
      result: { participantId, erased: true },
    };
  });
}
