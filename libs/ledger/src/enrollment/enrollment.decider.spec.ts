import type { ProgramState } from '../programs/program.decider';
import type { ProgramTerms } from '../programs/program.events';
import { regions } from '../regions/region-directory';
import { createPeopleGenerator } from '../participants/synthetic-people';
import { initialNikRegistry } from '../participants/participant.events';
import {
  decideEnrollment,
  evolveEnrollment,
  initialEnrollmentState,
  type EnrollmentCommand,
} from './enrollment.decider';
import type { EnrollmentEvent } from './enrollment.events';
import {
  allocateNominations,
  checkNomination,
  COVERED_ELSEWHERE_MESSAGE,
  type AllocationCandidate,
} from './nomination';

const program = (over: Partial<ProgramTerms> = {}, closedOn: string | null = null) =>
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
      ...over,
    },
  }) as Extract<ProgramState, { status: 'open' | 'closed' }>;

const ids = { enrollmentId: 'e1', programId: 'p1', participantId: 'u1' };
const attributes = {
  villageCode: '1303032001',
  occupation: 'petani' as const,
  sex: 'L' as const,
  birthYear: 1980,
};
const proposed: EnrollmentEvent = {
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
const approved: EnrollmentEvent = {
  type: 'EnrollmentApproved',
  data: { ...ids, coverageFrom: '2026-02-01', approvedOn: '2026-01-20', ...attributes },
};

const decide = (past: EnrollmentEvent[], command: EnrollmentCommand, p = program()) =>
  decideEnrollment(command, past.reduce(evolveEnrollment, initialEnrollmentState()), p);
const rule = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as { rule?: string }).rule;
  }
  return undefined;
};

describe('enrollment decider', () => {
  const approve = (coverageFrom: string, birthDate: string | null = '1980-05-05'): EnrollmentCommand => ({
    type: 'ApproveEnrollment',
    coverageFrom,
    today: '2026-01-20',
    birthDate,
  });

  it('approves a proposal with a start inside the program period', () =>
    expect(decide([proposed], approve('2026-02-01'))).toEqual([approved]));

  it('refuses a start outside the period', () => {
    expect(rule(() => decide([proposed], approve('2027-01-01')))).toBe('coverage.outsidePeriod');
    expect(rule(() => decide([proposed], approve('2025-12-31')))).toBe('coverage.outsidePeriod');
  });

  it('holds the age cap at the coverage start: 65 is allowed, 66 is not', () => {
    expect(decide([proposed], approve('2026-02-01', '1960-12-01'))).toHaveLength(1); // 65
    expect(rule(() => decide([proposed], approve('2026-02-01', '1960-01-31')))).toBe('enrollment.ageCap'); // 66
  });

  it('cannot approve an erased participant, twice, or in a closed program', () => {
    expect(rule(() => decide([proposed], approve('2026-02-01', null)))).toBe('participant.erased');
    expect(rule(() => decide([proposed, approved], approve('2026-02-01')))).toBe('enrollment.notProposed');
    expect(rule(() => decide([proposed], approve('2026-02-01'), program({}, '2026-01-10')))).toBe(
      'program.closed',
    );
    expect(rule(() => decide([], approve('2026-02-01')))).toBe('enrollment.notFound');
  });

  it('rejects only proposals', () => {
    expect(
      decide([proposed], { type: 'RejectEnrollment', reason: 'NIK ganda', today: '2026-01-06' }),
    ).toEqual([
      { type: 'EnrollmentRejected', data: { ...ids, reason: 'NIK ganda', rejectedOn: '2026-01-06' } },
    ]);
    expect(
      rule(() =>
        decide([proposed, approved], { type: 'RejectEnrollment', reason: 'x', today: '2026-01-06' }),
      ),
    ).toBe('enrollment.notProposed');
  });

  describe('deregistration', () => {
    const deregister = (effectiveDate: string): EnrollmentCommand => ({
      type: 'DeregisterEnrollment',
      reason: 'deceased',
      note: null,
      effectiveDate,
    });
    it('ends an active coverage on its effective date', () =>
      expect(decide([proposed, approved], deregister('2026-06-30'))).toEqual([
        {
          type: 'EnrollmentDeregistered',
          data: {
            ...ids,
            reason: 'deceased',
            note: null,
            coverageFrom: '2026-02-01',
            effectiveDate: '2026-06-30',
            ...attributes,
          },
        },
      ]));
    it('only an active enrollment, never before it started, never after the program ended', () => {
      expect(rule(() => decide([proposed], deregister('2026-06-30')))).toBe('enrollment.notActive');
      expect(rule(() => decide([proposed, approved], deregister('2026-01-31')))).toBe(
        'deregistration.beforeStart',
      );
      expect(rule(() => decide([proposed, approved], deregister('2027-01-01')))).toBe('enrollment.notActive');
      expect(
        rule(() => decide([proposed, approved], deregister('2026-12-01'), program({}, '2026-11-30'))),
      ).toBe('enrollment.notActive');
    });
  });
});

describe('nominations', () => {
  const people = createPeopleGenerator({ seed: 7, today: '2026-01-05' });
  const context = { program: program(), today: '2026-01-05', regions: regions() };

  it('accepts a valid worker from a village inside the program region', () => {
    const person = people.next({ villageCode: '1303032001' });
    const result = checkNomination(person, context);
    expect(result.ok).toBe(true);
  });

  it('names every broken rule of a row', () => {
    const person = people.next({ villageCode: '1303032001' });
    const result = checkNomination(
      {
        ...person,
        nik: person.nik.slice(0, 12) + '0000',
        villageCode: '1603012011',
        sex: person.sex === 'L' ? 'P' : 'L',
      },
      context,
    );
    expect(result.ok).toBe(false);
    const rules = !result.ok ? result.reasons.map((r) => r.rule) : [];
    expect(rules).toEqual(expect.arrayContaining(['nik.serial', 'enrollment.outsideRegion']));
    expect(checkNomination({ ...person, villageCode: '9999999999' }, context)).toMatchObject({
      ok: false,
      reasons: [{ rule: 'villageCode.unknown' }],
    });
    expect(checkNomination({}, context)).toMatchObject({ ok: false });
  });

  it('refuses workers above the age cap and occupations outside the program', () => {
    const old = people.next({ villageCode: '1303032001', minAge: 70, maxAge: 75 });
    expect(checkNomination(old, context)).toMatchObject({
      ok: false,
      reasons: [{ rule: 'enrollment.ageCap' }],
    });
    const fisher = people.next({ villageCode: '1303032001', occupation: 'nelayan' });
    const farmersOnly = { ...context, program: program({ eligibleOccupations: ['petani'] }) };
    expect(checkNomination(fisher, farmersOnly)).toMatchObject({
      ok: false,
      reasons: [{ rule: 'enrollment.occupation' }],
    });
  });

  const candidate = (key: number, nikKey: string): AllocationCandidate => ({
    key,
    nikKey,
    enrollmentId: `e${key}`,
    newParticipantId: `u${key}`,
  });

  it('holds the quota, refuses a NIK twice in a request and one covered by an overlapping program', () => {
    const covered = initialNikRegistry();
    covered.participantId = 'u-old';
    covered.claims.set('e-old', { programId: 'p-other' });
    const result = allocateNominations(
      [candidate(2, 'a'), candidate(3, 'a'), candidate(4, 'b'), candidate(5, 'c')],
      {
        program: program(),
        quota: 10,
        seatsInUse: 9,
        registries: new Map([['b', covered]]),
        programs: new Map([
          [
            'p-other',
            {
              programId: 'p-other',
              name: 'Program Provinsi',
              from: '2026-06-01',
              end: '2026-12-31',
              visible: true,
            },
          ],
        ]),
        erased: new Set(),
      },
    );
    expect(result.map((r) => (r.accepted ? 'ok' : r.reasons[0].rule))).toEqual([
      'ok',
      'nik.duplicateInRequest',
      'participant.alreadyCovered',
      'enrollment.quota',
    ]);
    expect(!result[2].accepted && result[2].reasons[0].message).toContain('Program Provinsi');
    expect(result[2]).not.toHaveProperty('coveredOutOfScope');
  });

  it("refuses a NIK covered by a program outside the caller's scope without naming it, marked as a probe", () => {
    const covered = initialNikRegistry();
    covered.participantId = 'u-old';
    covered.claims.set('e-old', { programId: 'p-far' });
    const [result] = allocateNominations([candidate(2, 'a')], {
      program: program(),
      quota: 10,
      seatsInUse: 0,
      registries: new Map([['a', covered]]),
      programs: new Map([
        [
          'p-far',
          { programId: 'p-far', name: 'Program Jauh', from: '2026-01-01', end: '2026-12-31', visible: false },
        ],
      ]),
      erased: new Set(),
    });
    expect(result).toEqual({
      key: 2,
      accepted: false,
      coveredOutOfScope: true,
      reasons: [{ field: 'nik', rule: 'participant.alreadyCovered', message: COVERED_ELSEWHERE_MESSAGE }],
    });
    expect(JSON.stringify(result)).not.toMatch(/Program Jauh|p-far/);
  });

  it('allows a NIK whose earlier program ended before this one starts, keeping the participant', () => {
    const earlier = initialNikRegistry();
    earlier.participantId = 'u-old';
    earlier.claims.set('e-old', { programId: 'p-2025' });
    const [result] = allocateNominations([candidate(2, 'a')], {
      program: program(),
      quota: 10,
      seatsInUse: 0,
      registries: new Map([['a', earlier]]),
      programs: new Map([
        [
          'p-2025',
          { programId: 'p-2025', name: '2025', from: '2025-01-01', end: '2025-12-31', visible: true },
        ],
      ]),
      erased: new Set(),
    });
    expect(result).toMatchObject({ accepted: true, participantId: 'u-old', newParticipant: false });
  });
});
