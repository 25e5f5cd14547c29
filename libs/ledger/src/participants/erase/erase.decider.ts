import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { NikRegistryEvent, ParticipantEvent } from '../participant.events';

export interface EraseParticipant {
  type: 'EraseParticipant';
  participantId: string;
  today: IsoDate;
  reason: string | null;
  /**
   * The NIK registry naming the person, found through the NIK while their key still opened it;
   * null when it could not be (no registry, or the key was destroyed by an erasure cut short).
   */
  nikKey: string | null;
}

/** A participant's stream folded, as the erasure needs it. */
export interface ErasureState {
  registered: boolean;
  villageCode: string | null;
  erased: boolean;
}

export const initialErasureState = (): ErasureState => ({
  registered: false,
  villageCode: null,
  erased: false,
});

export function evolveErasure(state: ErasureState, event: ParticipantEvent): ErasureState {
  switch (event.type) {
    case 'ParticipantRegistered':
      return { ...state, registered: true, villageCode: event.data.villageCode };
    case 'ParticipantErased':
      return { ...state, erased: true };
  }
}

/**
 * Erasure (UU 27/2022) records that the person's data key was destroyed, and tells their NIK's
 * registry so that a later proposal of the NIK registers the person anew. Erasing twice
 * records nothing more.
 */
export function decideErasure(
  command: EraseParticipant,
  state: ErasureState,
): StreamEvent<ParticipantEvent | NikRegistryEvent>[] {
  if (!state.registered)
    throw new RuleViolation('participant.notFound', 'Peserta tidak ditemukan', 'not_found');
  if (state.erased) return [];
  const { participantId } = command;
  const decided: StreamEvent<ParticipantEvent | NikRegistryEvent>[] = [
    {
      streamId: streams.participant(participantId),
      event: {
        type: 'ParticipantErased',
        data: { participantId, erasedOn: command.today, reason: command.reason },
      },
    },
  ];
  if (command.nikKey) {
    decided.push({
      streamId: streams.nik(command.nikKey),
      event: { type: 'RegistrantErased', data: { participantId } },
    });
  }
  return decided;
}
