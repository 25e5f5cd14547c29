import { specFor } from '../../shared/decider-spec';
import type { ParticipantEvent } from '../participant.events';
import { decideErasure, evolveErasure, initialErasureState, type EraseParticipant } from './erase.decider';

const given = specFor({ initialState: initialErasureState, evolve: evolveErasure, decide: decideErasure });

const registered: ParticipantEvent = {
  type: 'ParticipantRegistered',
  data: {
    participantId: 'u1',
    personal: { v: 1, kid: 'u1', iv: '', ct: '', tag: '' },
    sex: 'L',
    birthYear: 1980,
    villageCode: '1303032001',
    occupation: 'petani',
  },
};
const erase = (nikKey: string | null): EraseParticipant => ({
  type: 'EraseParticipant',
  participantId: 'u1',
  today: '2026-03-01',
  reason: 'Permintaan subjek data',
  nikKey,
});
const erasure: ParticipantEvent = {
  type: 'ParticipantErased',
  data: { participantId: 'u1', erasedOn: '2026-03-01', reason: 'Permintaan subjek data' },
};
const erased = { streamId: 'participant-u1', event: erasure };

describe('erasing a participant', () => {
  it('records the erasure and tells the NIK registry, so the NIK registers anew', () =>
    given([registered])
      .when(erase('k1'))
      .then([
        erased,
        { streamId: 'nik-k1', event: { type: 'RegistrantErased', data: { participantId: 'u1' } } },
      ]));

  it('without a registry to tell (its key already gone), records the erasure alone', () =>
    given([registered]).when(erase(null)).then([erased]));

  it('erasing twice records nothing more', () => given([registered, erasure]).when(erase('k1')).then([]));

  it('an unknown participant is not found', () =>
    given([]).when(erase(null)).thenThrows('participant.notFound', 'not_found'));
});
