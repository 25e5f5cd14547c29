import { regions } from '../regions/region-directory';
import { checkNikConsistency, maskNik, Nik, NikParseResult, parseNik } from './nik';

const TODAY = '2025-06-30';
const parse = (nik: string, today = TODAY) => parseNik(nik, regions(), today);

function valueOf(result: NikParseResult): Nik {
  if (!result.ok) throw new Error(`expected a valid NIK, got ${JSON.stringify(result.errors)}`);
  return result.value;
}
function rulesOf(result: NikParseResult): string[] {
  return result.ok ? [] : result.errors.map((e) => e.rule);
}

describe('parseNik', () => {
  it('splits a man’s NIK into region, birth date, sex and serial', () => {
    expect(parse('1603011505900001')).toEqual({
      ok: true,
      value: {
        nik: '1603011505900001',
        provinceCode: '16',
        regencyCode: '1603',
        districtCode: '160301',
        birthDate: '1990-05-15',
        sex: 'L',
        serial: '0001',
      },
      warnings: [],
    });
  });

  it('reads a woman’s birth day as the stored day minus 40', () => {
    expect(valueOf(parse('1603015505900002'))).toMatchObject({
      birthDate: '1990-05-15',
      sex: 'P',
      serial: '0002',
    });
    expect(valueOf(parse('1603014101900001'))).toMatchObject({ birthDate: '1990-01-01', sex: 'P' });
    expect(valueOf(parse('1603017112900001'))).toMatchObject({ birthDate: '1990-12-31', sex: 'P' });
    expect(valueOf(parse('1603013112900001'))).toMatchObject({ birthDate: '1990-12-31', sex: 'L' });
  });

  describe('nik.length and nik.digits', () => {
    it.each([
      ['15 digits', '160301150590001', ['nik.length']],
      ['17 digits', '16030115059000011', ['nik.length']],
      ['empty', '', ['nik.length']],
      ['a letter', '16030115059000A1', ['nik.digits']],
      ['spaces kept by the caller', ' 603011505900001', ['nik.digits']],
      ['separators', '16.03.01.150590.0001', ['nik.length', 'nik.digits']],
      ['non-ASCII digits', '١٦٠٣٠١١٥٠٥٩٠٠٠٠١', ['nik.digits']],
    ])('rejects %s', (_case, nik, rules) => {
      expect(rulesOf(parse(nik))).toEqual(rules);
    });

    it('says so in Bahasa Indonesia', () => {
      expect(parse('160301150590001')).toEqual({
        ok: false,
        errors: [{ rule: 'nik.length', message: 'NIK harus 16 digit angka, bukan 15 karakter' }],
      });
    });
  });

  describe('nik.province', () => {
    it('rejects a province prefix that does not exist', () => {
      expect(parse('0003011505900001')).toEqual({
        ok: false,
        errors: [{ rule: 'nik.province', message: 'Kode provinsi 00 pada NIK tidak dikenal' }],
      });
      expect(rulesOf(parse('2003011505900001'))).toEqual(['nik.province']);
    });

    it('accepts an unknown regency or district with a warning: the NIK keeps its issuing district', () => {
      const unknownRegency = parse('1699011505900001');
      expect(unknownRegency.ok).toBe(true);
      expect(unknownRegency.ok && unknownRegency.warnings.map((w) => w.rule)).toEqual([
        'nik.regency.unknown',
      ]);
      const unknownDistrict = parse('1603991505900001');
      expect(unknownDistrict.ok).toBe(true);
      expect(unknownDistrict.ok && unknownDistrict.warnings.map((w) => w.rule)).toEqual([
        'nik.district.unknown',
      ]);
      expect(unknownDistrict.ok && unknownDistrict.warnings[0]?.message).toContain('160399');
    });
  });

  describe('nik.date', () => {
    it.each([
      ['day 00', '1603010005900001'],
      ['day 32', '1603013205900001'],
      ['day 40', '1603014005900001'],
      ['day 72', '1603017205900001'],
      ['day 99', '1603019905900001'],
      ['month 00', '1603011500900001'],
      ['month 13', '1603011513900001'],
      ['31 April', '1603013104900001'],
      ['31 April for a woman', '1603017104900001'],
      ['30 February', '1603013002920001'],
    ])('rejects %s', (_case, nik) => {
      expect(rulesOf(parse(nik))).toEqual(['nik.date']);
    });

    it('reports a bad day and a bad month separately', () => {
      expect(rulesOf(parse('1603013513900001'))).toEqual(['nik.date', 'nik.date']);
    });

    it('accepts 29 February in 2000, a leap year (divisible by 400)', () => {
      expect(valueOf(parse('1603012902000001'))).toMatchObject({ birthDate: '2000-02-29', sex: 'L' });
      expect(valueOf(parse('1603016902000001'))).toMatchObject({ birthDate: '2000-02-29', sex: 'P' });
      expect(valueOf(parse('1603012902960001'))).toMatchObject({ birthDate: '1996-02-29' });
    });

    it('rejects 29 February in 1900 (divisible by 100) and in 2001', () => {
      // Before 2000-02-29 happened, YY=00 can only mean 1900.
      expect(rulesOf(parse('1603012902000001', '1999-12-31'))).toEqual(['nik.date']);
      expect(rulesOf(parse('1603012902010001'))).toEqual(['nik.date']);
      expect(rulesOf(parse('1603016902010001'))).toEqual(['nik.date']);
    });

    it('picks the century that puts the birth date on or before today', () => {
      expect(valueOf(parse('1603013006250001')).birthDate).toBe('2025-06-30'); // born today
      expect(valueOf(parse('1603010107250001')).birthDate).toBe('1925-07-01'); // tomorrow in 2025 → 1925
      expect(valueOf(parse('1603010101000001')).birthDate).toBe('2000-01-01');
      expect(valueOf(parse('1603010101990001')).birthDate).toBe('1999-01-01');
      expect(valueOf(parse('1603010101240001', '2024-12-31')).birthDate).toBe('2024-01-01');
      expect(valueOf(parse('1603010101240001', '2023-12-31')).birthDate).toBe('1924-01-01');
    });

    it('rejects a birth date after today when today is before 2000', () => {
      expect(rulesOf(parse('1603010101990001', '1998-06-30'))).toEqual(['nik.date']);
    });

    it('keeps the birth date out of its messages', () => {
      const result = parse('1603013104900001');
      expect(result.ok).toBe(false);
      for (const error of result.ok ? [] : result.errors) expect(error.message).not.toMatch(/1990|310490/);
    });
  });

  describe('nik.serial', () => {
    it('rejects serial 0000 and accepts 0001 and 9999', () => {
      expect(parse('1603011505900000')).toEqual({
        ok: false,
        errors: [{ rule: 'nik.serial', message: 'Nomor urut NIK (4 digit terakhir) tidak boleh 0000' }],
      });
      expect(valueOf(parse('1603011505909999')).serial).toBe('9999');
    });
  });

  it('collects every error of a 16-digit NIK at once', () => {
    expect(rulesOf(parse('0003013513900000'))).toEqual([
      'nik.province',
      'nik.date',
      'nik.date',
      'nik.serial',
    ]);
  });

  it('refuses a malformed today: that is a programming error, not bad input', () => {
    expect(() => parse('1603011505900001', '30/06/2025')).toThrow(RangeError);
    expect(() => parse('1603011505900001', '2025-02-29')).toThrow(RangeError);
  });
});

describe('checkNikConsistency', () => {
  const man = valueOf(parse('1603011505900001'));
  const woman = valueOf(parse('1603015505900002'));

  it('finds nothing when birth date and sex match', () => {
    expect(checkNikConsistency(man, { birthDate: '1990-05-15', sex: 'L' })).toEqual([]);
    expect(checkNikConsistency(woman, { birthDate: '1990-05-15', sex: 'P' })).toEqual([]);
  });

  it('reports a different birth date', () => {
    expect(checkNikConsistency(man, { birthDate: '1990-05-16', sex: 'L' })).toEqual([
      { rule: 'nik.birthDate.mismatch', message: 'Tanggal lahir tidak sesuai dengan tanggal lahir pada NIK' },
    ]);
    expect(checkNikConsistency(man, { birthDate: '1991-05-15', sex: 'L' }).map((i) => i.rule)).toEqual([
      'nik.birthDate.mismatch',
    ]);
    expect(checkNikConsistency(man, { birthDate: '15-05-1990', sex: 'L' }).map((i) => i.rule)).toEqual([
      'nik.birthDate.mismatch',
    ]);
  });

  it('reports a different sex, e.g. a woman’s NIK given for a man', () => {
    expect(checkNikConsistency(woman, { birthDate: '1990-05-15', sex: 'L' })).toEqual([
      {
        rule: 'nik.sex.mismatch',
        message: 'Jenis kelamin tidak sesuai dengan NIK: NIK ini milik perempuan (tanggal lahir +40)',
      },
    ]);
    expect(checkNikConsistency(man, { birthDate: '1991-01-01', sex: 'P' }).map((i) => i.rule)).toEqual([
      'nik.birthDate.mismatch',
      'nik.sex.mismatch',
    ]);
  });

  it('accepts a birth date a century away: the NIK stores only two year digits', () => {
    const born1925 = valueOf(parse('1603010106250001')); // read as 2025-06-01
    expect(born1925.birthDate).toBe('2025-06-01');
    expect(checkNikConsistency(born1925, { birthDate: '1925-06-01', sex: 'L' })).toEqual([]);
  });
});

describe('maskNik', () => {
  it('shows the first 4 and the last 2 digits only', () => {
    expect(maskNik('1603011505900001')).toBe('1603**********01');
  });

  it('masks short input completely, so a fragment is never half shown', () => {
    expect(maskNik('16030115059')).toBe('***********');
    expect(maskNik('')).toBe('');
    expect(maskNik('160301150590001')).toBe('1603*********01');
  });
});
