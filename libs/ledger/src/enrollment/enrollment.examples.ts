import { streams, type StreamEvent } from '../shared/streams';
import type { ExistingProgram } from '../programs/program.state';
import type { ProgramTerms } from '../programs/program.events';
import type { EnrollmentEvent } from './enrollment.events';
import { evolveEnrollment, initialEnrollmentState } from './enrollment.state';

/** A regency's program and one worker's enrollment in it, as the enrollment specs start from them. */
export const program = (over: Partial<ProgramTerms> = {}, closedOn: string | null = null) =>
  ({
    status: closedOn ? 'closed' : 'open',
    programId: 'p1',
    closedOn,
    terms: {
      name: 'Program Sijunjung',
      ownerRegion: '1303',
      payer: 'Pemkab Sijunjung',
      fundingSource: 'APBD',
      benefitPackage: 'JKK_JKM',
      declaredIncome: 1_000_000,
      contribution: { jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 },
      period: { from: '2026-01-01', to: '2026-12-31' },
      quota: 100,
      ageCap: 65,
      eligibleOccupations: null,
      budgetCeiling: null,
      backfillToleranceDays: 7,
      ...over,
    },
  }) as ExistingProgram;

export const ids = { enrollmentId: 'e1', programId: 'p1', participantId: 'u1' };
export const attributes = {
  villageCode: '1303032001',
  occupation: 'petani' as const,
  sex: 'L' as const,
  birthYear: 1980,
};
export const proposed: EnrollmentEvent = {
  type: 'EnrollmentProposed',
  data: {
    ...ids,
    nikKey: 'k1',
    villageCode: '1303032001',
    occupation: 'petani',
    sex: 'L',
    birthYear: 1980,
    proposedOn: '2026-01-05',
    importId: null,
  },
};
export const approved: EnrollmentEvent = {
  type: 'EnrollmentApproved',
  data: { ...ids, coverageFrom: '2026-02-01', approvedOn: '2026-01-20', ...attributes },
};

export const stateOf = (past: EnrollmentEvent[]) => past.reduce(evolveEnrollment, initialEnrollmentState());

/** The events a decision appends to the enrollment's own stream. */
export const ownEvents = (decided: StreamEvent[]) =>
  decided.filter((d) => d.streamId === streams.enrollment(ids.enrollmentId)).map((d) => d.event);

/** The rule a decision broke, if any. */
export const rule = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as { rule?: string }).rule;
  }
  return undefined;
};
