import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REGION_DATA_DIR, RegionDirectory, regions } from './region-directory';

describe('RegionDirectory with the shipped data', () => {
  const dir = regions();

  it('loads every region of the 2025 Kemendagri code list', () => {
    expect(dir.codes('province')).toHaveLength(38);
    expect(dir.codes('regency')).toHaveLength(514);
    expect(dir.codes('district')).toHaveLength(7285);
    expect(dir.codes('village')).toHaveLength(83762);
    const regencyKinds = dir.codes('regency').map((code) => dir.get(code)?.kind);
    expect(regencyKinds.filter((k) => k === 'kabupaten')).toHaveLength(416);
    expect(regencyKinds.filter((k) => k === 'kota')).toHaveLength(98);
    expect(dir.children('')).toHaveLength(38);
    expect(dir.children('ID')).toEqual(dir.codes('province'));
  });

  it('a fresh load reads every village again, apart from the shared directory', () => {
    const fresh = RegionDirectory.load();
    expect(fresh).not.toBe(dir);
    expect(fresh.codes('village')).toHaveLength(83762);
    expect(fresh.get('1603012011')?.name).toBe(dir.get('1603012011')?.name);
  });

  it('counts the villages of the program regions', () => {
    expect(dir.villagesOf('1303')).toHaveLength(62); // Sijunjung: 62 nagari
    expect(dir.villagesOf('1603')).toHaveLength(256); // Muara Enim
    expect(dir.villagesOf('1612')).toHaveLength(71); // Penukal Abab Lematang Ilir
    expect(dir.villagesOf('1503')).toHaveLength(158); // Sarolangun
    expect(dir.villagesOf('160301')).toHaveLength(14);
    expect(dir.villagesOf('1603012011')).toEqual(['1603012011']);
    expect(dir.villagesOf('ID')).toHaveLength(83762);
  });

  it('describes a region with its level, kind and parent', () => {
    expect(dir.get('16')).toEqual({
      code: '16',
      name: 'Sumatera Selatan',
      level: 'province',
      kind: 'provinsi',
      parentCode: null,
    });
    expect(dir.get('1603')).toEqual({
      code: '1603',
      name: 'Kabupaten Muara Enim',
      level: 'regency',
      kind: 'kabupaten',
      parentCode: '16',
    });
    expect(dir.get('1671')).toMatchObject({ name: 'Kota Palembang', kind: 'kota' });
    expect(dir.get('160301')).toMatchObject({ name: 'Tanjung Agung', level: 'district', kind: 'kecamatan' });
    expect(dir.get('1603021006')).toMatchObject({ name: 'Tungkal', level: 'village', kind: 'kelurahan' });
    expect(dir.get('1603012011')).toMatchObject({ name: 'Embawang', kind: 'desa', parentCode: '160301' });
    expect(dir.get('9103013007')).toMatchObject({ name: 'Desa Adat Yoboi', kind: 'desa_adat' });
  });

  it('reads quoted names that contain commas', () => {
    expect(dir.get('1207281007')?.name).toBe('Lubuk Pakam I,II');
    expect(dir.get('1402092010')?.name).toBe('Lambang Sari I, II, III');
    expect(dir.get('1402092010')?.kind).toBe('desa');
  });

  it('matches the README: regency number and village seventh digit tell the kind', () => {
    for (const code of dir.codes('regency')) {
      expect([code, dir.get(code)?.kind]).toEqual([code, Number(code.slice(2)) < 70 ? 'kabupaten' : 'kota']);
    }
    const kindByDigit = { '1': 'kelurahan', '2': 'desa', '3': 'desa_adat' } as Record<string, string>;
    const mismatches = dir
      .codes('village')
      .filter((code) => dir.get(code)?.kind !== kindByDigit[code[6] as string]);
    expect(mismatches).toEqual([]);
  });

  it('gives the level of a code by its shape, known or not', () => {
    expect(dir.levelOf('16')).toBe('province');
    expect(dir.levelOf('1603')).toBe('regency');
    expect(dir.levelOf('160301')).toBe('district');
    expect(dir.levelOf('1603012011')).toBe('village');
    expect(dir.levelOf('999999')).toBe('district');
    expect(dir.levelOf('16030')).toBeUndefined();
    expect(dir.levelOf('16.03')).toBeUndefined();
    expect(dir.levelOf('')).toBeUndefined();
  });

  it('walks the parent chain upwards from the region to its province', () => {
    expect(dir.parentChain('1603012011').map((r) => r.code)).toEqual(['1603012011', '160301', '1603', '16']);
    expect(dir.parentChain('1303').map((r) => r.name)).toEqual(['Kabupaten Sijunjung', 'Sumatera Barat']);
    expect(dir.parentChain('16').map((r) => r.code)).toEqual(['16']);
    expect(dir.parentChain('1699')).toEqual([]);
  });

  it('lists direct children in code order', () => {
    const muaraEnimDistricts = dir.children('1603');
    expect(muaraEnimDistricts).toHaveLength(22);
    expect(muaraEnimDistricts[0]).toBe('160301');
    expect([...muaraEnimDistricts].sort()).toEqual(muaraEnimDistricts);
    expect(dir.childrenCount('16')).toBe(17);
    expect(dir.childrenCount('160301')).toBe(14);
    expect(dir.children('1603012011')).toEqual([]);
    expect(dir.childrenCount('99')).toBe(0);
  });

  it('tells whether a region lies within another', () => {
    expect(dir.isWithin('1603012011', '1603')).toBe(true);
    expect(dir.isWithin('1603012011', '16')).toBe(true);
    expect(dir.isWithin('1603012011', '1603012011')).toBe(true);
    expect(dir.isWithin('1603', 'ID')).toBe(true);
    expect(dir.isWithin('1603', '1603012011')).toBe(false); // ancestor below the region
    expect(dir.isWithin('1603012011', '1612')).toBe(false);
    expect(dir.isWithin('1612', '16')).toBe(true);
    expect(dir.isWithin('1503', '16')).toBe(false);
    // Both must exist, even when the prefix would fit.
    expect(dir.isWithin('1699', '16')).toBe(false);
    expect(dir.isWithin('1603', '160')).toBe(false);
    expect(dir.isWithin('ID', 'ID')).toBe(false);
  });

  it('finds the province, regency and district of a region', () => {
    expect(dir.provinceOf('1603012011')?.name).toBe('Sumatera Selatan');
    expect(dir.regencyOf('1603012011')?.name).toBe('Kabupaten Muara Enim');
    expect(dir.districtOf('1603012011')?.name).toBe('Tanjung Agung');
    expect(dir.provinceOf('16')?.code).toBe('16');
    expect(dir.regencyOf('16')).toBeUndefined();
    expect(dir.districtOf('1603')).toBeUndefined();
    expect(dir.districtOf('160301')?.code).toBe('160301');
    expect(dir.provinceOf('1699')).toBeUndefined();
  });

  it('gives population for the nation, provinces and regencies only', () => {
    expect(dir.population('ID')).toEqual({ male: 143863392, female: 141110251, total: 284973643 });
    expect(dir.population('')).toEqual(dir.population('ID'));
    expect(dir.population('16')).toEqual({ male: 4616445, female: 4448245, total: 9064690 });
    expect(dir.population('1303')).toEqual({ male: 124672, female: 122651, total: 247323 });
    expect(dir.population('160301')).toBeUndefined();
    expect(dir.population('1699')).toBeUndefined();
    for (const code of [...dir.codes('province'), ...dir.codes('regency')]) {
      expect([code, dir.population(code) !== undefined]).toEqual([code, true]);
    }
  });

  it('answers unknown and malformed codes without throwing', () => {
    for (const code of ['00', '1699', '169901', '1699012001', 'abc', '16 03', '0']) {
      expect(dir.get(code)).toBeUndefined();
      expect(dir.has(code)).toBe(false);
      expect(dir.villagesOf(code)).toEqual([]);
      expect(dir.children(code)).toEqual([]);
    }
    expect(dir.has('1603')).toBe(true);
    expect(dir.hasProvince('16')).toBe(true);
    expect(dir.hasProvince('00')).toBe(false);
    expect(dir.hasProvince('1603')).toBe(false);
    expect(dir.hasRegency('1612')).toBe(true);
    expect(dir.hasDistrict('160301')).toBe(true);
    expect(dir.hasDistrict('160399')).toBe(false);
    expect(dir.hasDistrict('1603')).toBe(false);
  });

  it('shares one directory through regions()', () => {
    expect(regions()).toBe(dir);
  });
});

describe('the shipped region data', () => {
  it('matches SHA256SUMS byte for byte and keeps its licence beside it', () => {
    const sums = readFileSync(join(DEFAULT_REGION_DATA_DIR, 'SHA256SUMS'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [hash, file] = line.split(/\s+\*?/);
        return { hash, file };
      });
    expect(sums.map((s) => s.file).sort()).toEqual([
      'districts.csv',
      'population_2024s2.csv',
      'provinces.csv',
      'regencies.csv',
      'villages.csv',
    ]);
    for (const { hash, file } of sums) {
      const actual = createHash('sha256')
        .update(readFileSync(join(DEFAULT_REGION_DATA_DIR, file as string)))
        .digest('hex');
      expect([file, actual]).toEqual([file, hash]);
    }
    expect(readFileSync(join(DEFAULT_REGION_DATA_DIR, 'LICENSE'), 'utf8')).toMatch(
      /MIT License[\s\S]*Cahya DSN/,
    );
  });
});

describe('RegionDirectory.load checks the files it reads', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'regions-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (files: Record<string, string>) => {
    const base: Record<string, string> = {
      'provinces.csv': 'code,name\r\n16,Sumatera Selatan\r\n',
      'regencies.csv': 'code,province_code,name,type\r\n1603,16,Kabupaten Muara Enim,kabupaten\r\n',
      'districts.csv': 'code,regency_code,name\r\n160301,1603,Tanjung Agung\r\n',
      'villages.csv': 'code,district_code,name,type\r\n1603012011,160301,"Embawang ""Lama"", Ulu",desa\r\n',
      'population_2024s2.csv':
        'code,name,male,female,total\r\n0,INDONESIA,3,2,5\r\n1603,Kabupaten Muara Enim,2,1,3\r\n',
    };
    for (const [file, text] of Object.entries({ ...base, ...files })) writeFileSync(join(dir, file), text);
  };

  it('loads a small directory, escaped quotes included', () => {
    write({});
    const small = RegionDirectory.load(dir);
    expect(small.get('1603012011')?.name).toBe('Embawang "Lama", Ulu');
    expect(small.population('ID')).toEqual({ male: 3, female: 2, total: 5 });
    expect(small.villagesOf('16')).toEqual(['1603012011']);
  });

  it.each([
    [
      'a parent that does not exist',
      { 'districts.csv': 'code,regency_code,name\r\n160301,1604,X\r\n' },
      /unknown parent 1604/,
    ],
    [
      'a code not under its parent',
      { 'districts.csv': 'code,regency_code,name\r\n160401,1603,X\r\n' },
      /not a code directly under 1603/,
    ],
    [
      'a code of the wrong level',
      { 'districts.csv': 'code,regency_code,name\r\n16030,1603,X\r\n' },
      /not a region code/,
    ],
    [
      'an unknown type',
      { 'regencies.csv': 'code,province_code,name,type\r\n1603,16,X,kotamadya\r\n' },
      /unknown type "kotamadya"/,
    ],
    ['a duplicate', { 'provinces.csv': 'code,name\r\n16,A\r\n16,B\r\n' }, /duplicate code 16/],
    [
      'population that does not add up',
      { 'population_2024s2.csv': 'code,name,male,female,total\r\n16,X,1,1,3\r\n' },
      /male \+ female/,
    ],
    [
      'population of a district',
      { 'population_2024s2.csv': 'code,name,male,female,total\r\n160301,X,1,1,2\r\n' },
      /not a known province or regency/,
    ],
  ])('rejects %s', (_case, files, error) => {
    write(files);
    expect(() => RegionDirectory.load(dir)).toThrow(error);
  });
});
