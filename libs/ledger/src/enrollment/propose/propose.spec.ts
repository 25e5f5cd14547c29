import type { ProgramEvent } from '../../programs/program.events';
import { specFor } from '../../shared/decider-spec';
import { program } from '../enrollment.examples';
import type { CheckedPerson } from './check-row';
import {
  decideProposal,
  evolveProposal,
  initialProposalState,
  type ProposalRow,
  type ProposeNominations,
} from './propose.decider';

const given = specFor({ initialState: initialProposalState, evolve: evolveProposal, decide: decideProposal });

const { programId, terms } = program({ quota: 2 });
const established = (id: string, over: Partial<typeof terms> = {}) => ({
  streamId: `program-${id}`,
  event: { type: 'ProgramEstablished', data: { programId: id, ...terms, ...over } } as ProgramEvent,
});
const person: CheckedPerson = {
  nik: '1303034506800001',
  name: 'Siti Aminah',
  sex: 'P',
  birthDate: '1980-06-05',
  occupation: 'petani',
  villageCode: '1303032001',
  phone: null,
};
const row = (key: number, nikKey = `k${key}`): ProposalRow => ({
  key,
  villageCode: person.villageCode,
  maskedNik: '130303******0001',
  person,
  nikKey,
  enrollmentId: `e${key}`,
  newParticipantId: `u${key}`,
});
const propose = (rows: ProposalRow[], over: Partial<ProposeNominations> = {}): ProposeNominations => ({
  type: 'ProposeNominations',
  programId,
  dates: { coverageFrom: '2026-01-05', proposedOn: '2026-01-05', backfill: undefined },
  rows,
  erased: new Set(),
  actorKey: 'a1',
  importId: null,
  ...over,
});
const claimed = (nikKey: string, enrollmentId: string, otherProgram: string, participantId = 'u-old') => ({
  streamId: `nik-${nikKey}`,
  event: { type: 'CoverageClaimed' as const, data: { enrollmentId, programId: otherProgram, participantId } },
});

describe('proposing workers', () => {
  it('registers a new person, claims the NIK, proposes the enrollment and takes the seat', () =>
    given([established(programId)])
      .when(propose([row(1)]))
      .then({
        events: [
          {
            streamId: 'participant-u1',
            event: {
              type: 'ParticipantRegistered',
              data: {
                participantId: 'u1',
                personal: { nik: person.nik, name: person.name, birthDate: person.birthDate, phone: null },
                sex: 'P',
                birthYear: 1980,
                villageCode: '1303032001',
                occupation: 'petani',
              },
            },
          },
          {
            streamId: 'nik-k1',
            event: { type: 'CoverageClaimed', data: { enrollmentId: 'e1', programId, participantId: 'u1' } },
          },
          {
            streamId: 'enrollment-e1',
            event: {
              type: 'EnrollmentProposed',
              data: {
                enrollmentId: 'e1',
                programId,
                participantId: 'u1',
                nikKey: 'k1',
                villageCode: '1303032001',
                occupation: 'petani',
                sex: 'P',
                birthYear: 1980,
                proposedOn: '2026-01-05',
                intendedCoverageFrom: '2026-01-05',
                importId: null,
              },
            },
          },
          {
            streamId: `seats-${programId}`,
            event: { type: 'SeatsTaken', data: { programId, enrollmentIds: ['e1'], inUse: 1 } },
          },
        ],
        outcomes: [
          {
            key: 1,
            status: 'accepted',
            reasons: [],
            maskedNik: '130303******0001',
            enrollmentId: 'e1',
            participantId: 'u1',
          },
        ],
      }));

  it('refuses rows beyond the quota as conflicts, and rows refused by their checks as unprocessable', () => {
    const refused: ProposalRow = {
      key: 4,
      villageCode: undefined,
      maskedNik: null,
      refused: [{ field: 'nik', rule: 'nik.required', message: 'NIK wajib diisi' }],
    };
    const seats = {
      streamId: `seats-${programId}`,
      event: { type: 'SeatsTaken' as const, data: { programId, enrollmentIds: ['e0'], inUse: 1 } },
    };
    const { outcomes } = decideProposal(
      propose([row(2), row(3), refused]),
      [established(programId), seats].reduce(evolveProposal, initialProposalState()),
    );
    expect(outcomes.map((o) => [o.status, o.reasons[0]?.rule, o.kind])).toEqual([
      ['accepted', undefined, undefined],
      ['rejected', 'enrollment.quota', 'conflict'],
      ['rejected', 'nik.required', 'unprocessable'],
    ]);
  });

  it('keeps the participant a NIK names, unless they were erased', () => {
    const past = [
      established(programId),
      established('p-2025', { period: { from: '2025-01-01', to: '2025-12-31' } }),
    ];
    const earlier = claimed('k1', 'e-old', 'p-2025');
    const kept = decideProposal(
      propose([row(1)]),
      [...past, earlier].reduce(evolveProposal, initialProposalState()),
    );
    expect(kept.outcomes[0]).toMatchObject({ status: 'accepted', participantId: 'u-old' });
    expect(kept.events.map((e) => e.streamId)).toEqual(['nik-k1', 'enrollment-e1', `seats-${programId}`]);
    const anew = decideProposal(
      propose([row(1)], { erased: new Set(['u-old']) }),
      [...past, earlier].reduce(evolveProposal, initialProposalState()),
    );
    expect(anew.outcomes[0]).toMatchObject({ status: 'accepted', participantId: 'u1' });
  });

  it("records a probe for a NIK covered outside the caller's reach, and an import's rows", () =>
    given([
      established(programId),
      established('p-far', { ownerRegion: '1603' }),
      claimed('k1', 'e-far', 'p-far'),
    ])
      .when(propose([row(1)], { reaches: (region) => region === '1303', importId: 'i1' }))
      .then({
        events: [
          {
            streamId: 'coverageprobe-a1',
            event: {
              type: 'OutOfScopeCoverageRefused',
              data: { programId, importId: 'i1', rows: [{ key: 1, maskedNik: '130303******0001' }] },
            },
          },
          {
            streamId: 'import-i1',
            event: {
              type: 'NominationRowsRecorded',
              data: {
                importId: 'i1',
                programId,
                rows: [
                  {
                    key: 1,
                    status: 'rejected',
                    reasons: [
                      {
                        field: 'nik',
                        rule: 'participant.alreadyCovered',
                        message: expect.not.stringContaining('p-far'),
                      },
                    ],
                    maskedNik: '130303******0001',
                    enrollmentId: null,
                    participantId: null,
                    villageCode: '1303032001',
                  },
                ],
              },
            },
          },
        ],
        outcomes: [
          {
            key: 1,
            status: 'rejected',
            reasons: [{ field: 'nik', rule: 'participant.alreadyCovered', message: expect.any(String) }],
            maskedNik: '130303******0001',
            enrollmentId: null,
            participantId: null,
            kind: 'conflict',
          },
        ],
      }));

  it("proposes at the request's effective dates, with its backfill marker and the NIK's earlier coverage end", () => {
    const released = {
      streamId: 'nik-k1',
      event: {
        type: 'CoverageReleased' as const,
        data: {
          enrollmentId: 'e-old',
          programId: 'p-old',
          participantId: 'u-old',
          releasedOn: '2026-02-10',
          coverage: { from: '2026-01-01', to: '2026-02-10' },
        },
      },
    };
    const state = [
      established(programId),
      established('p-old'),
      claimed('k1', 'e-old', 'p-old'),
      released,
    ].reduce(evolveProposal, initialProposalState());
    const backfill = { reason: 'late_report' as const, note: null };
    const at = (coverageFrom: string) =>
      decideProposal(
        propose([row(1)], { dates: { coverageFrom, proposedOn: '2026-01-20', backfill } }),
        state,
      );
    expect(at('2026-02-10').outcomes[0]).toMatchObject({
      status: 'rejected',
      reasons: [{ rule: 'nik.coverageOverlap' }],
      kind: 'conflict',
    });
    const proposed = at('2026-02-11').events.find((e) => e.event.type === 'EnrollmentProposed');
    expect(proposed?.event.data).toMatchObject({
      participantId: 'u-old',
      proposedOn: '2026-01-20',
      intendedCoverageFrom: '2026-02-11',
      previousCoverageEnd: '2026-02-10',
      backfill,
    });
  });
});
