import type { GivenEvent } from './given-events';

/**
 * The ledger's events as read-model specs need them: plain data with the fields the
 * projections read, defaults for the rest. A program of Muara Enim (1603) for 2026.
 */
export const PROGRAM = '0197b000-0000-7000-8000-0000000000a1';
export const VILLAGE = '1603012011';
export const OTHER_VILLAGE = '1603022003';
export const person = (n: number) => `0197b000-0000-7000-8000-00000000${String(n).padStart(4, '0')}`;
export const enrollment = (n: number) => `0197b000-0000-7000-8000-0000000e${String(n).padStart(4, '0')}`;
const SEALED = { v: 1, kid: 'k', iv: 'i', ct: 'c', tag: 't' };

export const attributes = (villageCode: string) => ({
  villageCode,
  occupation: 'petani',
  sex: 'P',
  birthYear: 1980,
});

export function programEstablished(overrides: Record<string, unknown> = {}): GivenEvent {
  const data = {
    programId: PROGRAM,
    name: 'Program 1603',
    ownerRegion: '1603',
    payer: 'regency',
    fundingSource: 'APBD',
    benefitPackage: 'JKK_JKM',
    declaredIncome: 1_000_000,
    contribution: { jkk: 10_000, jkm: 6_800, jht: 0, total: 16_800 },
    period: { from: '2026-01-01', to: '2026-12-31' },
    quota: 100,
    ageCap: 65,
    eligibleOccupations: null,
    budgetCeiling: null,
    ...overrides,
  };
  return { stream: `program-${data.programId}`, type: 'ProgramEstablished', data };
}

export const programChanged = (
  type: string,
  data: Record<string, unknown>,
  programId = PROGRAM,
): GivenEvent => ({
  stream: `program-${programId}`,
  type,
  data: { programId, reason: null, ...data },
});

export const seats = (
  type: 'SeatsTaken' | 'SeatsReleased',
  inUse: number,
  programId = PROGRAM,
): GivenEvent => ({
  stream: `seats-${programId}`,
  type,
  data: { programId, enrollmentIds: [], inUse },
});

export const registered = (n: number, villageCode = VILLAGE): GivenEvent => ({
  stream: `participant-${person(n)}`,
  type: 'ParticipantRegistered',
  data: { participantId: person(n), personal: SEALED, ...attributes(villageCode) },
});

export const erased = (n: number, erasedOn: string): GivenEvent => ({
  stream: `participant-${person(n)}`,
  type: 'ParticipantErased',
  data: { participantId: person(n), erasedOn },
});

const ids = (n: number, programId: string) => ({
  enrollmentId: enrollment(n),
  programId,
  participantId: person(n),
});

export function proposed(
  n: number,
  options: { villageCode?: string; proposedOn?: string; importId?: string; programId?: string } = {},
): GivenEvent {
  return {
    stream: `enrollment-${enrollment(n)}`,
    type: 'EnrollmentProposed',
    data: {
      ...ids(n, options.programId ?? PROGRAM),
      nikKey: 'a'.repeat(64),
      ...attributes(options.villageCode ?? VILLAGE),
      proposedOn: options.proposedOn ?? '2026-03-02',
      importId: options.importId ?? null,
    },
  };
}

export const approved = (
  n: number,
  coverageFrom: string,
  villageCode = VILLAGE,
  programId = PROGRAM,
): GivenEvent => ({
  stream: `enrollment-${enrollment(n)}`,
  type: 'EnrollmentApproved',
  data: { ...ids(n, programId), coverageFrom, approvedOn: coverageFrom, ...attributes(villageCode) },
});

export const rejected = (n: number, rejectedOn: string): GivenEvent => ({
  stream: `enrollment-${enrollment(n)}`,
  type: 'EnrollmentRejected',
  data: { ...ids(n, PROGRAM), reason: 'data_error', rejectedOn },
});

export const deregistered = (
  n: number,
  coverageFrom: string,
  effectiveDate: string,
  reason = 'moved',
  villageCode = VILLAGE,
): GivenEvent => ({
  stream: `enrollment-${enrollment(n)}`,
  type: 'EnrollmentDeregistered',
  data: { ...ids(n, PROGRAM), reason, note: null, coverageFrom, effectiveDate, ...attributes(villageCode) },
});

/** The sweep's lapse: unpaid from `firstUnpaid` on, covered until `effectiveDate`. */
export const lapsed = (
  n: number,
  coverageFrom: string,
  effectiveDate: string,
  unpaidMonths: string[],
  decidedOn: string,
  villageCode = VILLAGE,
): GivenEvent => ({
  stream: `enrollment-${enrollment(n)}`,
  type: 'CoverageLapsed',
  data: {
    ...ids(n, PROGRAM),
    coverageFrom,
    effectiveDate,
    unpaidMonths,
    decidedOn,
    ...attributes(villageCode),
  },
});

export const baselineSet = (regionCode: string, year: number, workingPopulation: number): GivenEvent => ({
  stream: `baseline-${regionCode}-${year}`,
  type: 'WorkforceBaselineSet',
  data: {
    regionCode,
    year,
    workingPopulation,
    informalWorkers: null,
    vulnerableWorkers: Math.round(workingPopulation / 2),
    source: 'BPS Sakernas',
  },
});
