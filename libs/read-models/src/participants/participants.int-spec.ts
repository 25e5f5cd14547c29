import { describeReadModel } from '../testing/given-events';
import { erased, person, registered, VILLAGE } from '../testing/ledger-events';
import { participantsProjection } from './participants.projection';
import { participantById } from './participants.query';

describeReadModel('participants read model', [participantsProjection], ({ given }) => {
  it('a registered person without personal data, then erased', async () => {
    const read = await given(registered(1), registered(2), erased(2, '2026-04-01'));
    expect(await participantById(read, person(1))).toEqual({
      id: person(1),
      sex: 'P',
      birth_year: 1980,
      village_code: VILLAGE,
      occupation: 'petani',
      registered_at: '2026-03-02T03:00:00.000Z',
      erased: 0,
      erased_on: null,
    });
    expect(await participantById(read, person(2))).toMatchObject({ erased: 1, erased_on: '2026-04-01' });
    expect(await participantById(read, person(3))).toBeUndefined();
  });
});
