import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRecords } from './csv';

/**
 * Indonesian administrative regions (kode wilayah Kemendagri), read from the CSV files
 * shipped in ./data (see data/README.md for source, columns and licence).
 *
 * Codes carry their own hierarchy: a region's code starts with the codes of all its
 * ancestors (village 1603012001 → district 160301 → regency 1603 → province 16). Loading
 * checks that this holds, so the queries below can work on prefixes.
 *
 * The national level has no record of its own; '' and 'ID' both name it where a query
 * accepts it (children, childrenCount, isWithin as ancestor, population, villagesOf).
 */

export type RegionLevel = 'province' | 'regency' | 'district' | 'village';
export type RegionKind = 'provinsi' | 'kabupaten' | 'kota' | 'kecamatan' | 'desa' | 'kelurahan' | 'desa_adat';

export interface Region {
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  readonly kind: RegionKind;
  /** null for a province: the national level is not a region record. */
  readonly parentCode: string | null;
}

export interface Population {
  readonly male: number;
  readonly female: number;
  readonly total: number;
}

export const NATIONAL_CODES: readonly string[] = ['', 'ID'];
export const DEFAULT_REGION_DATA_DIR = join(__dirname, 'data');

const LEVEL_BY_LENGTH: Readonly<Record<number, RegionLevel>> = {
  2: 'province',
  4: 'regency',
  6: 'district',
  10: 'village',
};
const ALL_DIGITS = /^[0-9]+$/;
const REGENCY_KINDS: readonly RegionKind[] = ['kabupaten', 'kota'];
const VILLAGE_KINDS: readonly RegionKind[] = ['desa', 'kelurahan', 'desa_adat'];
/** The population file writes the national total under code 0. */
const POPULATION_NATIONAL_CODE = '0';
/** Internal key of the national level in the children and population maps. */
const NATIONAL = '';

export class RegionDirectory {
  private constructor(
    private readonly byCode: ReadonlyMap<string, Region>,
    /** Direct children by parent code; NATIONAL → provinces. Leaves have no entry. */
    private readonly childCodes: ReadonlyMap<string, readonly string[]>,
    /** Sorted, so all villages under a prefix form one contiguous run. */
    private readonly villageCodes: readonly string[],
    private readonly codesByLevel: Readonly<Record<RegionLevel, readonly string[]>>,
    private readonly populationByCode: ReadonlyMap<string, Population>,
  ) {}

  /**
   * Reads and checks the five CSV files in `dir` (synchronously: it runs once, at start-up
   * or on first use). Throws on any inconsistency
   * (bad code, unknown or mismatching parent, unknown type, duplicate) rather than
   * serving a directory whose prefix queries would silently be wrong.
   */
  static load(dir: string = DEFAULT_REGION_DATA_DIR): RegionDirectory {
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    const byCode = new Map<string, Region>();
    const childCodes = new Map<string, string[]>();
    const codesByLevel: Record<RegionLevel, string[]> = {
      province: [],
      regency: [],
      district: [],
      village: [],
    };

    const add = (file: string, code: string, name: string, kind: RegionKind, parentCode: string | null) => {
      const level = levelOf(code);
      if (!level) throw new Error(`${file}: "${code}" is not a region code`);
      if (level !== EXPECTED_LEVEL[file]) throw new Error(`${file}: ${code} is a ${level} code`);
      if (byCode.has(code)) throw new Error(`${file}: duplicate code ${code}`);
      if (name.trim() === '') throw new Error(`${file}: ${code} has no name`);
      if (parentCode !== null) {
        // Files are read top-down, so a parent not seen yet does not exist.
        if (!byCode.has(parentCode)) throw new Error(`${file}: ${code} has unknown parent ${parentCode}`);
        if (parentCode.length !== PARENT_LENGTH[level] || !code.startsWith(parentCode)) {
          throw new Error(`${file}: ${code} is not a code directly under ${parentCode}`);
        }
      }
      byCode.set(code, { code, name, level, kind, parentCode });
      codesByLevel[level].push(code);
      const siblings = childCodes.get(parentCode ?? NATIONAL);
      if (siblings) siblings.push(code);
      else childCodes.set(parentCode ?? NATIONAL, [code]);
    };

    for (const r of parseCsvRecords(read('provinces.csv'), ['code', 'name'], 'provinces.csv')) {
      add('provinces.csv', r.code, r.name, 'provinsi', null);
    }
    for (const r of parseCsvRecords(
      read('regencies.csv'),
      ['code', 'province_code', 'name', 'type'],
      'regencies.csv',
    )) {
      add(
        'regencies.csv',
        r.code,
        r.name,
        kindOf('regencies.csv', r.code, r.type, REGENCY_KINDS),
        r.province_code,
      );
    }
    for (const r of parseCsvRecords(
      read('districts.csv'),
      ['code', 'regency_code', 'name'],
      'districts.csv',
    )) {
      add('districts.csv', r.code, r.name, 'kecamatan', r.regency_code);
    }
    for (const r of parseCsvRecords(
      read('villages.csv'),
      ['code', 'district_code', 'name', 'type'],
      'villages.csv',
    )) {
      add(
        'villages.csv',
        r.code,
        r.name,
        kindOf('villages.csv', r.code, r.type, VILLAGE_KINDS),
        r.district_code,
      );
    }

    const populationByCode = new Map<string, Population>();
    for (const r of parseCsvRecords(
      read('population_2024s2.csv'),
      ['code', 'name', 'male', 'female', 'total'],
      'population_2024s2.csv',
    )) {
      const code = r.code === POPULATION_NATIONAL_CODE ? NATIONAL : r.code;
      const level = byCode.get(code)?.level;
      if (code !== NATIONAL && level !== 'province' && level !== 'regency') {
        throw new Error(`population_2024s2.csv: ${r.code} is not a known province or regency`);
      }
      const population = { male: count(r.male), female: count(r.female), total: count(r.total) };
      if (population.male + population.female !== population.total) {
        throw new Error(`population_2024s2.csv: male + female ≠ total for ${r.code}`);
      }
      populationByCode.set(code, population);
    }

    for (const list of Object.values(codesByLevel)) list.sort();
    for (const list of childCodes.values()) Object.freeze(list.sort());
    return new RegionDirectory(byCode, childCodes, codesByLevel.village, codesByLevel, populationByCode);
  }

  get(code: string): Region | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** The level a code has by its shape (2/4/6/10 digits), whether or not the region exists. */
  levelOf(code: string): RegionLevel | undefined {
    return levelOf(code);
  }

  /** All codes of one level, sorted. */
  codes(level: RegionLevel): readonly string[] {
    return this.codesByLevel[level];
  }

  /**
   * The region followed by its ancestors, upwards: [village, district, regency, province].
   * Empty for an unknown code.
   */
  parentChain(code: string): Region[] {
    const chain: Region[] = [];
    for (let region = this.byCode.get(code); region;) {
      chain.push(region);
      region = region.parentCode === null ? undefined : this.byCode.get(region.parentCode);
    }
    return chain;
  }

  /** Codes of the direct children, sorted; the national level ('' or 'ID') → provinces. Empty for a village or an unknown code. */
  children(code: string): readonly string[] {
    return this.childCodes.get(isNational(code) ? NATIONAL : code) ?? EMPTY;
  }

  childrenCount(code: string): number {
    return this.children(code).length;
  }

  /**
   * True when `code` is `ancestorCode` itself or lies below it. Both must exist; any
   * existing region lies within the national level ('' or 'ID').
   */
  isWithin(code: string, ancestorCode: string): boolean {
    if (!this.byCode.has(code)) return false;
    if (isNational(ancestorCode)) return true;
    // Prefix test is enough: loading checked every code extends its parent's code.
    return this.byCode.has(ancestorCode) && code.startsWith(ancestorCode);
  }

  /** The province of a region (itself for a province); undefined for an unknown code. */
  provinceOf(code: string): Region | undefined {
    return this.ancestorAt(code, 2);
  }

  /** The regency of a regency, district or village; undefined above that level or for an unknown code. */
  regencyOf(code: string): Region | undefined {
    return this.ancestorAt(code, 4);
  }

  /** The district of a district or village; undefined above that level or for an unknown code. */
  districtOf(code: string): Region | undefined {
    return this.ancestorAt(code, 6);
  }

  /**
   * Population (Dukcapil, second half of 2024) of the nation ('' or 'ID'), a province or a
   * regency. Undefined for districts and villages: the source has no figures for them.
   */
  population(code: string): Population | undefined {
    return this.populationByCode.get(isNational(code) ? NATIONAL : code);
  }

  /** Codes of all villages in a region, sorted (the village itself for a village; all for national). */
  villagesOf(code: string): string[] {
    if (isNational(code)) return this.villageCodes.slice();
    if (!this.byCode.has(code)) return [];
    const codes = this.villageCodes;
    // Binary search for the first code ≥ the prefix; the matches follow contiguously.
    let lo = 0;
    let hi = codes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((codes[mid] as string) < code) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < codes.length && (codes[end] as string).startsWith(code)) end++;
    return codes.slice(lo, end);
  }

  hasProvince(code: string): boolean {
    return code.length === 2 && this.byCode.has(code);
  }

  hasRegency(code: string): boolean {
    return code.length === 4 && this.byCode.has(code);
  }

  hasDistrict(code: string): boolean {
    return code.length === 6 && this.byCode.has(code);
  }

  private ancestorAt(code: string, length: number): Region | undefined {
    if (!this.byCode.has(code) || code.length < length) return undefined;
    return this.byCode.get(code.slice(0, length));
  }
}

let shared: RegionDirectory | undefined;

/** The directory of the shipped data, loaded on first use and shared by the whole process. */
export function regions(): RegionDirectory {
  return (shared ??= RegionDirectory.load());
}

function levelOf(code: string): RegionLevel | undefined {
  return ALL_DIGITS.test(code) ? LEVEL_BY_LENGTH[code.length] : undefined;
}

function isNational(code: string): boolean {
  return NATIONAL_CODES.includes(code);
}

function kindOf(file: string, code: string, type: string, allowed: readonly RegionKind[]): RegionKind {
  const kind = allowed.find((k) => k === type);
  if (!kind) throw new Error(`${file}: ${code} has unknown type "${type}"`);
  return kind;
}

function count(text: string): number {
  if (!ALL_DIGITS.test(text)) throw new Error(`population_2024s2.csv: "${text}" is not a count`);
  return Number(text);
}

const PARENT_LENGTH: Readonly<Record<RegionLevel, number>> = {
  province: 0,
  regency: 2,
  district: 4,
  village: 6,
};
const EXPECTED_LEVEL: Readonly<Record<string, RegionLevel>> = {
  'provinces.csv': 'province',
  'regencies.csv': 'regency',
  'districts.csv': 'district',
  'villages.csv': 'village',
};
const EMPTY: readonly string[] = Object.freeze([]);
