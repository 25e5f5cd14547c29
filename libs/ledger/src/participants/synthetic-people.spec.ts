import { regions } from '../regions/region-directory';
import { OCCUPATION_CODES, type Occupation } from '../shared/occupations';
import { completedYears as ageOn, parseIsoDate } from '../shared/dates';
import { checkNikConsistency, parseNik } from './nik';
import {
  createPeopleGenerator,
  FEMALE_GIVEN_NAMES,
  MALE_GIVEN_NAMES,
  mulberry32,
  type PersonRequest,
  type SyntheticPerson,
} from './synthetic-people';

const TODAY = '2025-06-30';
const MUARA_ENIM_VILLAGE = '1603012011';

function generate(count: number, request: (i: number) => PersonRequest, seed = 42, today = TODAY) {
  const generator = createPeopleGenerator({ seed, today, regions: regions() });
  return Array.from({ length: count }, (_, i) => generator.next(request(i)));
}

/** Every 7th village in the country, so each province and many districts take part. */
const spreadVillages = regions()
  .codes('village')
  .filter((_, i) => i % 7 === 0);
const anywhere = (i: number): PersonRequest => ({
  villageCode: spreadVillages[i % spreadVillages.length] as string,
});

describe('createPeopleGenerator', () => {
  it('gives every person a NIK that parses, matches birth date and sex, and names a real district', () => {
    for (const today of [TODAY, '2024-02-29', '2000-01-01']) {
      const people = generate(
        30_000,
        (i) => ({ ...anywhere(i), minAge: i % 3 === 0 ? 0 : 18, maxAge: 99 }),
        7,
        today,
      );
      // Collect the problems and assert once: an expect per person would dominate the run time.
      const problems: string[] = [];
      for (const person of people) {
        const parsed = parseNik(person.nik, regions(), today);
        if (!parsed.ok) problems.push(`${person.nik}: ${parsed.errors.map((e) => e.rule).join()}`);
        else if (parsed.warnings.length > 0) problems.push(`${person.nik}: ${parsed.warnings[0]!.rule}`);
        // The right century, not just the right two year digits.
        else if (parsed.value.birthDate !== person.birthDate)
          problems.push(`${person.nik}: ${person.birthDate}`);
        else if (parsed.value.districtCode !== person.villageCode.slice(0, 6))
          problems.push(`${person.nik}: district`);
        else if (checkNikConsistency(parsed.value, person).length > 0)
          problems.push(`${person.nik}: inconsistent`);
      }
      expect([today, problems.slice(0, 5)]).toEqual([today, []]);
    }
  });

  it('encodes women’s birth day +40', () => {
    const [woman] = generate(200, () => ({ villageCode: MUARA_ENIM_VILLAGE })).filter((p) => p.sex === 'P');
    expect(woman).toBeDefined();
    const day = Number(woman!.nik.slice(6, 8));
    expect(day).toBe(Number(woman!.birthDate.slice(8, 10)) + 40);
  });

  it('is deterministic: the same seed and calls give the same people, another seed others', () => {
    const a = generate(1_000, anywhere, 2025);
    const b = generate(1_000, anywhere, 2025);
    const c = generate(1_000, anywhere, 2026);
    expect(b).toEqual(a);
    expect(c.map((p) => p.nik)).not.toEqual(a.map((p) => p.nik));
    expect(generate(1, () => ({ villageCode: MUARA_ENIM_VILLAGE }), 1)[0]).toEqual({
      nik: expect.stringMatching(/^160301\d{6}0001$/),
      name: expect.any(String),
      sex: expect.stringMatching(/^[LP]$/),
      birthDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      occupation: expect.any(String),
      villageCode: MUARA_ENIM_VILLAGE,
      phone: expect.stringMatching(/^08\d{9,11}$/),
    });
  });

  it('never repeats a NIK in 100,000 people, even when crowded into one village and age', () => {
    const spread = generate(100_000, anywhere);
    expect(new Set(spread.map((p) => p.nik)).size).toBe(100_000);

    // ~3,000 birth dates × 2 sexes for 20,000 people: serials must climb past 0001.
    const crowded = generate(20_000, () => ({ villageCode: MUARA_ENIM_VILLAGE, minAge: 30, maxAge: 37 }));
    expect(new Set(crowded.map((p) => p.nik)).size).toBe(20_000);
    const serialsByPrefix = new Map<string, number[]>();
    for (const { nik } of crowded) {
      const list = serialsByPrefix.get(nik.slice(0, 12)) ?? [];
      list.push(Number(nik.slice(12)));
      serialsByPrefix.set(nik.slice(0, 12), list);
    }
    // 1, 2, 3 … in issue order within each prefix.
    const gaps = [...serialsByPrefix].filter(([, serials]) => serials.some((serial, i) => serial !== i + 1));
    expect(gaps).toEqual([]);
    expect(Math.max(...[...serialsByPrefix.values()].map((s) => s.length))).toBeGreaterThan(1);
  });

  it('keeps ages within the bounds asked for and uses the whole range', () => {
    const today = parseIsoDate(TODAY)!;
    const ageOf = (p: SyntheticPerson) => ageOn(parseIsoDate(p.birthDate)!, today);
    const adults = generate(50_000, anywhere).map(ageOf);
    expect(Math.min(...adults)).toBe(18);
    expect(Math.max(...adults)).toBe(64);
    const seniors = generate(5_000, (i) => ({ ...anywhere(i), minAge: 60, maxAge: 65 })).map(ageOf);
    expect(new Set(seniors)).toEqual(new Set([60, 61, 62, 63, 64, 65]));
    expect(new Set(generate(2_000, (i) => ({ ...anywhere(i), minAge: 40, maxAge: 40 })).map(ageOf))).toEqual(
      new Set([40]),
    );
  });

  it('respects a leap-day today at the age bounds', () => {
    const today = parseIsoDate('2024-02-29')!;
    const people = generate(20_000, (i) => ({ ...anywhere(i), minAge: 18, maxAge: 18 }), 3, '2024-02-29');
    expect(new Set(people.map((p) => ageOn(parseIsoDate(p.birthDate)!, today)))).toEqual(new Set([18]));
    const births = people.map((p) => p.birthDate).sort();
    expect(births[0]).toBe('2005-03-01');
    expect(births[births.length - 1]).toBe('2006-02-28');
  });

  it('keeps an occupation asked for and otherwise draws a mix dominated by farmers', () => {
    expect(
      new Set(generate(500, (i) => ({ ...anywhere(i), occupation: 'marbot' })).map((p) => p.occupation)),
    ).toEqual(new Set(['marbot']));
    const counts = new Map<Occupation, number>();
    for (const p of generate(100_000, anywhere))
      counts.set(p.occupation, (counts.get(p.occupation) ?? 0) + 1);
    expect(new Set(counts.keys())).toEqual(new Set(OCCUPATION_CODES));
    const [mostCommon] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    expect(mostCommon).toBe('petani');
  });

  it('gives plausible Indonesian names of 1–3 parts that fit the sex', () => {
    const people = generate(100_000, anywhere);
    const names = new Set(people.map((p) => p.name));
    for (const name of ['Siti Aminah', 'Muhammad Rizki', 'Dedi Kurniawan', 'Nurhayati', 'Asep']) {
      expect([name, names.has(name)]).toEqual([name, true]);
    }
    const partCounts = new Set(people.map((p) => p.name.split(' ').length));
    expect(partCounts).toEqual(new Set([1, 2, 3]));
    const misfits = people.filter((p) => {
      const parts = p.name.split(' ');
      const given = p.sex === 'L' ? MALE_GIVEN_NAMES : FEMALE_GIVEN_NAMES;
      return parts.length < 1 || parts.length > 3 || !parts.some((part) => given.includes(part));
    });
    expect(misfits.slice(0, 5)).toEqual([]);
    expect(names.has('Nur Nurhayati')).toBe(false);
  });

  it('keeps its name lists varied and free of duplicates', () => {
    expect(MALE_GIVEN_NAMES.length).toBeGreaterThanOrEqual(60);
    expect(FEMALE_GIVEN_NAMES.length).toBeGreaterThanOrEqual(60);
    expect(new Set([...MALE_GIVEN_NAMES, ...FEMALE_GIVEN_NAMES]).size).toBe(
      MALE_GIVEN_NAMES.length + FEMALE_GIVEN_NAMES.length,
    );
  });

  it('gives Indonesian mobile numbers: 08 and 9–11 more digits', () => {
    const lengths = new Set(generate(5_000, anywhere).map((p) => p.phone.length));
    expect(lengths).toEqual(new Set([11, 12, 13]));
    expect(generate(1_000, anywhere).filter((p) => !/^08\d{9,11}$/.test(p.phone))).toEqual([]);
  });

  it('refuses requests it cannot honour', () => {
    const generator = createPeopleGenerator({ seed: 1, today: TODAY, regions: regions() });
    expect(() => generator.next({ villageCode: '160301' })).toThrow(/not a 10-digit village code/);
    expect(() => generator.next({ villageCode: '1603019999' })).toThrow(/does not exist/);
    expect(() => generator.next({ villageCode: MUARA_ENIM_VILLAGE, minAge: 30, maxAge: 20 })).toThrow(
      RangeError,
    );
    expect(() => generator.next({ villageCode: MUARA_ENIM_VILLAGE, minAge: -1 })).toThrow(RangeError);
    expect(() => generator.next({ villageCode: MUARA_ENIM_VILLAGE, maxAge: 100 })).toThrow(/unambiguously/);
    expect(() =>
      generator.next({ villageCode: MUARA_ENIM_VILLAGE, occupation: 'dokter' as Occupation }),
    ).toThrow(/unknown occupation/);
    expect(() => createPeopleGenerator({ seed: 1, today: '2025-02-30' })).toThrow(RangeError);
    expect(() => createPeopleGenerator({ seed: 1.5, today: TODAY })).toThrow(RangeError);
  });

  it('without a region directory checks only the shape of the village code', () => {
    const generator = createPeopleGenerator({ seed: 1, today: TODAY });
    expect(generator.next({ villageCode: '1603019999' }).nik.slice(0, 6)).toBe('160301');
  });
});

describe('mulberry32', () => {
  it('is a pure function of its seed with values in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(values);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});
