import type { StreamAppend } from '@ledger/event-store';
import { nikHmac } from '@ledger/crypto';
import { assertScope, execute, metadata, type CommandContext, type LedgerDeps } from '../shared/command.deps';
import { RuleViolation } from '../shared/rule-violation';
import { streams } from '../shared/streams';
import type { NikRegistryEvent, ParticipantEvent } from './participant.events';
import { openPersonal } from './personal-data.deps';

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
  // The NIK's registry is found through the NIK, readable only while the key exists: it is
  // worked out once, before the key is destroyed, so that a retry still knows it.
  let nikKey: string | null | undefined;
  return execute(deps, ctx, async () => {
    const events = await deps.store.readStream(streams.participant(participantId));
    if (events.length === 0)
      throw new RuleViolation('participant.notFound', 'Peserta tidak ditemukan', 'not_found');
    const registered = events[0].data as Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>['data'];
    assertScope(ctx, registered.villageCode);
    if (events.some((e) => e.type === 'ParticipantErased')) {
      return { appends: [], result: { participantId, erased: true } };
    }
    if (nikKey === undefined) {
      const key = (await deps.keys.getMany([participantId])).get(participantId);
      const nik = openPersonal(key, participantId, registered.personal)?.nik;
      nikKey = nik ? nikHmac(deps.nikHmacKey, nik) : null;
    }
    const registry = nikKey ? await deps.store.readStream(streams.nik(nikKey)) : [];
    // Key first: if the append below fails, the person is already unreadable and a retry records it.
    await deps.keys.destroy(participantId);
    const erased: ParticipantEvent = {
      type: 'ParticipantErased',
      data: { participantId, erasedOn: ctx.today, reason },
    };
    const appends: StreamAppend[] = [
      {
        streamId: streams.participant(participantId),
        expected: events[events.length - 1].revision,
        events: [{ ...erased, metadata: metadata(ctx) }],
      },
    ];
    // A proposal that found this person's key alive conflicts here and decides again; without
    // the key (destroyed by an erasure cut short) no proposal can find it alive any more.
    if (nikKey && registry.length > 0) {
      const event: NikRegistryEvent = { type: 'RegistrantErased', data: { participantId } };
      appends.push({
        streamId: streams.nik(nikKey),
        expected: registry[registry.length - 1].revision,
        events: [{ ...event, metadata: metadata(ctx) }],
      });
    }
    return { appends, result: { participantId, erased: true } };
  });
}
