import type { ProgramEvent } from '../programs/program.events';
import { specFor } from '../shared/decider-spec';
import { decideApproval, type ApproveEnrollment } from './approve/approve.decider';
import { decideCorrection } from './correct/correct.decider';
import { approved, program, proposed } from './enrollment.examples';
import type { EnrollmentEvent, SeatsEvent } from './enrollment.events';
import { evolveEnrollment, initialEnrollmentState } from './enrollment.state';
import {
  decideImportApproval,
  evolveImportedEnrollments,
  initialImportedEnrollments,
} from './import/approve/approve-import.decider';
import type { CheckedPerson } from './propose/check-row';
import {
  decideProposal,
  evolveProposal,
  initialProposalState,
  type ProposalRow,
  type ProposeNominations,
} from './propose/propose.decider';
import type { ReleasedCoverageEnds } from './released-seats';

// A program of October–December 2025 with a quota of 1; worker A was covered from 2025-10-01
// and died on 2025-11-15, recorded late: the deregistration released A's seat.
const period = { from: '2025-10-01', to: '2025-12-31' };
const quotaOne = program({ period, quota: 1 });
const deathOfA: ReleasedCoverageEnds = { '2025-11-15': 1 };

const proposing = specFor({
  initialState: initialProposalState,
  evolve: evolveProposal,
  decide: decideProposal,
});
const established = (quota: number) => ({
  streamId: 'program-p1',
  event: { type: 'ProgramEstablished', data: { ...quotaOne.terms, programId: 'p1', quota } } as ProgramEvent,
});
const seatsAfter = (inUse: number, released: ReleasedCoverageEnds | undefined) => ({
  streamId: 'seats-p1',
  event: {
    type: 'SeatsReleased',
    data: { programId: 'p1', enrollmentIds: ['eA'], inUse, ...(released ? { released } : {}) },
  } as SeatsEvent,
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
const row = (key: number): ProposalRow => ({
  key,
  villageCode: person.villageCode,
  maskedNik: '130303******0001',
  person,
  nikKey: `k${key}`,
  enrollmentId: `e${key}`,
  newParticipantId: `u${key}`,
});
const propose = (
  coverageFrom: string,
  rows: ProposalRow[],
  importId: string | null = null,
): ProposeNominations => ({
  type: 'ProposeNominations',
  programId: 'p1',
  dates: { coverageFrom, proposedOn: '2026-12-01', backfill: { reason: 'migration', note: null } },
  rows,
  erased: new Set(),
  actorKey: 'a1',
  importId,
});
const statuses = (rows: number, accepted: number) =>
  Array.from({ length: rows }, (_, i) =>
    i < accepted
      ? expect.objectContaining({ key: i + 1, status: 'accepted' })
      : expect.objectContaining({
          key: i + 1,
          status: 'rejected',
          reasons: [expect.objectContaining({ rule: 'enrollment.quota' })],
        }),
  );

describe('the quota on the days a coverage runs', () => {
  it("refuses B from 2025-10-01: A's released seat was still covered until 2025-11-15", () =>
    proposing([established(1), seatsAfter(0, deathOfA)])
      .when(propose('2025-10-01', [row(1)]))
      .then({
        events: [],
        outcomes: [
          {
            key: 1,
            status: 'rejected',
            reasons: [
              {
                rule: 'enrollment.quota',
                message:
                  'Kuota program (1) sudah penuh pada hari-hari perlindungan mulai 2025-10-01: ' +
                  '1 kursi yang dilepas masih terpakai oleh kepesertaan yang berakhir sampai 2025-11-15',
              },
            ],
            maskedNik: '130303******0001',
            enrollmentId: null,
            participantId: null,
            kind: 'conflict',
          },
        ],
      }));

  it('accepts B from 2025-11-16, the day after A’s last day, and carries the summary on', () =>
    proposing([established(1), seatsAfter(0, deathOfA)])
      .when(propose('2025-11-16', [row(1)]))
      .then({
        events: expect.arrayContaining([
          {
            streamId: 'seats-p1',
            event: {
              type: 'SeatsTaken',
              data: { programId: 'p1', enrollmentIds: ['e1'], inUse: 1, released: deathOfA },
            },
          },
        ]),
        outcomes: statuses(1, 1),
      }));

  it('a seats event written before the summary existed counts no released coverage', () =>
    proposing([established(1), seatsAfter(0, undefined)])
      .when(propose('2025-10-01', [row(1)]))
      .then({ events: expect.anything(), outcomes: statuses(1, 1) }));

  it('an import counts the released coverages once for its start, then row by row', () => {
    const released = { '2025-10-31': 1, '2025-11-15': 2 };
    const rows = [row(1), row(2), row(3), row(4)];
    // Quota 4, one seat in use: from 2025-10-01 all three released seats still run → none free.
    proposing([established(4), seatsAfter(1, released)])
      .when(propose('2025-10-01', rows, 'i1'))
      .then({ events: expect.anything(), outcomes: statuses(4, 0) });
    // From 2025-11-01 the one that ended on 2025-10-31 is free → one row.
    proposing([established(4), seatsAfter(1, released)])
      .when(propose('2025-11-01', rows, 'i1'))
      .then({ events: expect.anything(), outcomes: statuses(4, 1) });
    // From 2025-11-16 all three are free → three rows, the fourth beyond the quota.
    proposing([established(4), seatsAfter(1, released)])
      .when(propose('2025-11-16', rows, 'i1'))
      .then({ events: expect.anything(), outcomes: statuses(4, 3) });
  });
});

describe('approving with the actual coverage start', () => {
  const approving = specFor({
    initialState: initialEnrollmentState,
    evolve: evolveEnrollment,
    decide: decideApproval,
  });
  // B's proposal holds the one seat; A's released seat ran until 2025-11-15.
  const approve = (coverageFrom: string): ApproveEnrollment => ({
    type: 'ApproveEnrollment',
    coverageFrom,
    today: '2026-12-01',
    role: 'program_admin',
    backfill: { reason: 'migration', note: null },
    birthDate: '1980-05-05',
    program: quotaOne,
    seats: { inUse: 1, released: deathOfA },
  });

  it('refuses a start earlier than the one proposed when a released coverage still ran on it', () =>
    approving([proposed]).when(approve('2025-10-01')).thenThrows('enrollment.quota', 'conflict'));

  it('approves from the day after the released coverage’s last day', () =>
    approving([proposed])
      .when(approve('2025-11-16'))
      .then([
        expect.objectContaining({ streamId: 'enrollment-e1' }),
        {
          streamId: 'seats-p1',
          event: {
            type: 'SeatsCovered',
            data: { programId: 'p1', enrollmentIds: ['e1'], inUse: 1, released: deathOfA },
          },
        },
        expect.objectContaining({ event: expect.objectContaining({ type: 'CoverageClaimApproved' }) }),
      ]));

  it('an import approval with such a start fails as a whole, writing nothing', () => {
    const importApproving = specFor({
      initialState: initialImportedEnrollments,
      evolve: evolveImportedEnrollments,
      decide: decideImportApproval,
    });
    const command = (coverageFrom: string) => ({
      type: 'ApproveImportedEnrollments' as const,
      enrollmentIds: ['e1'],
      coverageFrom,
      today: '2026-12-01',
      role: 'program_admin',
      backfill: { reason: 'migration' as const, note: null },
      birthDates: new Map([['u1', '1980-05-05']]),
      programs: new Map([['p1', { program: quotaOne, seats: { inUse: 1, released: deathOfA } }]]),
    });
    importApproving([proposed]).when(command('2025-10-01')).thenThrows('enrollment.quota', 'conflict');
    importApproving([proposed])
      .when(command('2025-11-16'))
      .then({
        events: expect.arrayContaining([expect.objectContaining({ streamId: 'seats-p1' })]),
        refused: [],
      });
  });
});

describe('correcting a coverage start', () => {
  const correcting = specFor({
    initialState: initialEnrollmentState,
    evolve: evolveEnrollment,
    decide: decideCorrection,
  });
  const approvedFrom = (coverageFrom: string): EnrollmentEvent => ({
    type: 'EnrollmentApproved',
    data: { ...(approved as Extract<EnrollmentEvent, { type: 'EnrollmentApproved' }>).data, coverageFrom },
  });
  const correct = (coverageFrom: string) => ({
    type: 'CorrectEnrollment' as const,
    coverageFrom,
    reason: 'correction' as const,
    note: 'Tanggal mulai salah ketik',
    today: '2026-12-01',
    role: 'program_admin',
    birthDate: '1980-05-05',
    program: quotaOne,
    seats: { inUse: 1, released: deathOfA },
    others: [],
  });

  it('refuses moving the start onto days a released coverage still ran', () =>
    correcting([proposed, approvedFrom('2025-11-20')])
      .when(correct('2025-11-10'))
      .thenThrows('enrollment.quota', 'conflict'));

  it('allows a start moved to days the released coverage no longer ran', () =>
    correcting([proposed, approvedFrom('2025-11-20')])
      .when(correct('2025-11-16'))
      .then(expect.arrayContaining([expect.objectContaining({ streamId: 'seats-p1' })])));

  it('a later last day of an ended coverage is checked on the days it adds; an earlier one frees them', () => {
    const ended: EnrollmentEvent = {
      type: 'EnrollmentDeregistered',
      data: {
        ...(approvedFrom('2025-10-01').data as Extract<
          EnrollmentEvent,
          { type: 'EnrollmentApproved' }
        >['data']),
        reason: 'deceased',
        note: null,
        effectiveDate: '2025-11-15',
      },
    };
    // The released seat went to a coverage from 2025-11-16: the last day cannot move onto its days.
    const endOn = (endedOn: string) => ({ ...correct('2025-10-01'), coverageFrom: undefined, endedOn });
    correcting([proposed, approvedFrom('2025-10-01'), ended])
      .when(endOn('2025-11-20'))
      .thenThrows('enrollment.quota', 'conflict');
    correcting([proposed, approvedFrom('2025-10-01'), ended])
      .when(endOn('2025-11-10'))
      .then(
        expect.arrayContaining([
          {
            streamId: 'seats-p1',
            event: {
              type: 'SeatsReleased',
              data: { programId: 'p1', enrollmentIds: ['e1'], inUse: 1, released: { '2025-11-10': 1 } },
            },
          },
        ]),
      );
  });
});
