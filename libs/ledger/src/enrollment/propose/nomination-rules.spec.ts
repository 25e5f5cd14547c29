import { initialNikRegistry } from '../../participants/participant.events';
import { createPeopleGenerator } from '../../participants/synthetic-people';
import { regions } from '../../regions/region-directory';
import { program } from '../enrollment.examples';
import { allocateNominations, COVERED_ELSEWHERE_MESSAGE, type AllocationCandidate } from './allocate';
import { checkNomination } from './check-row';

describe('nominations', () => {
  const people = createPeopleGenerator({ seed: 7, today: '2026-01-05' });
  const context = { program: program(), today: '2026-01-05', coverageFrom: '2026-01-05', regions: regions() };

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
        program: program({ quota: 10 }),
        coverageFrom: '2026-01-05',
        seats: { inUse: 9, released: {} },
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
      program: program({ quota: 10 }),
      coverageFrom: '2026-01-05',
      seats: { inUse: 0, released: {} },
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
      program: program({ quota: 10 }),
      coverageFrom: '2026-01-05',
      seats: { inUse: 0, released: {} },
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

  describe('one coverage per NIK over overlapping periods', () => {
    // The NIK was covered in another program until it was deregistered on 2026-03-15.
    const ended = (visible: boolean) => {
      const registry = initialNikRegistry();
      registry.participantId = 'u-old';
      registry.ended.set('e-old', { programId: 'p-old', from: '2026-01-01', to: '2026-03-15' });
      return {
        program: program({ quota: 10 }),
        seats: { inUse: 0, released: {} },
        registries: new Map([['a', registry]]),
        programs: new Map([
          [
            'p-old',
            { programId: 'p-old', name: 'Program Lama', from: '2026-01-01', end: '2026-12-31', visible },
          ],
        ]),
        erased: new Set<string>(),
      };
    };

    it('refuses a coverage starting on or before the last day of an ended one (409)', () => {
      const [result] = allocateNominations([candidate(2, 'a')], {
        ...ended(true),
        coverageFrom: '2026-03-15',
      });
      expect(result).toMatchObject({ accepted: false, reasons: [{ rule: 'nik.coverageOverlap' }] });
      expect(!result.accepted && result.reasons[0].message).toContain('2026-03-15');
    });

    it('names nothing of a program out of scope, and marks the refusal as a probe', () => {
      const [result] = allocateNominations([candidate(2, 'a')], {
        ...ended(false),
        coverageFrom: '2026-03-01',
      });
      expect(result).toEqual({
        key: 2,
        accepted: false,
        coveredOutOfScope: true,
        reasons: [{ field: 'nik', rule: 'nik.coverageOverlap', message: COVERED_ELSEWHERE_MESSAGE }],
      });
    });

    it('accepts a start after that day, and remembers the day for the approval', () => {
      const [result] = allocateNominations([candidate(2, 'a')], {
        ...ended(true),
        coverageFrom: '2026-03-16',
      });
      expect(result).toMatchObject({
        accepted: true,
        participantId: 'u-old',
        previousCoverageEnd: '2026-03-15',
      });
    });

    it('a release written before coverage ends were kept counts as no coverage', () => {
      const [result] = allocateNominations([candidate(2, 'a')], {
        ...ended(true),
        registries: new Map([['a', initialNikRegistry()]]),
        coverageFrom: '2026-02-01',
      });
      expect(result).toMatchObject({ accepted: true, previousCoverageEnd: null });
    });
  });
});
