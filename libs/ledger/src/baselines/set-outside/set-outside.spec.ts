import { specFor } from '../../shared/decider-spec';
import type { OutsideParticipants } from '../baseline.events';
import { decideOutsideParticipants, evolveOutside, initialOutsideState } from './set-outside.decider';

const given = specFor({
  initialState: initialOutsideState,
  evolve: evolveOutside,
  decide: decideOutsideParticipants,
});

/** Muara Enim: about 93,000 covered at the end of November, 26,775 of them by its programs. */
const figure: OutsideParticipants = {
  regionCode: '1603',
  asOf: '2025-11-30',
  participants: 66_225,
  source: 'BPJS Ketenagakerjaan Cabang Muara Enim, laporan 2025-11-30',
};
const today = '2026-12-01';

describe('setting the participants outside the ledger', () => {
  it('records the figure of its day, as given', () =>
    given([])
      .when({ type: 'SetOutsideParticipants', figure, today })
      .then([{ type: 'OutsideParticipantsSet', data: figure }]));

  it('a later figure for the same day is simply another event (the last one set applies)', () =>
    given([{ type: 'OutsideParticipantsSet', data: figure }])
      .when({ type: 'SetOutsideParticipants', figure: { ...figure, participants: 66_000 }, today })
      .then([{ type: 'OutsideParticipantsSet', data: { ...figure, participants: 66_000 } }]));

  it('zero participants is a figure; today is a day that has come', () =>
    given([])
      .when({ type: 'SetOutsideParticipants', figure: { ...figure, participants: 0, asOf: today }, today })
      .then([{ type: 'OutsideParticipantsSet', data: { ...figure, participants: 0, asOf: today } }]));

  it('never a count of a day that has not come', () =>
    given([])
      .when({ type: 'SetOutsideParticipants', figure: { ...figure, asOf: '2026-12-02' }, today })
      .thenThrows('baseline.outsideFuture', 'unprocessable'));

  it('never a negative or fractional count, nor one before 2000', () => {
    for (const participants of [-1, 1.5, Number.NaN])
      given([])
        .when({ type: 'SetOutsideParticipants', figure: { ...figure, participants }, today })
        .thenThrows('baseline.outsideParticipants', 'unprocessable');
    given([])
      .when({ type: 'SetOutsideParticipants', figure: { ...figure, asOf: '1999-12-31' }, today })
      .thenThrows('baseline.outsideDate', 'unprocessable');
  });
});
