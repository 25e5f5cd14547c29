import type { RegionDirectory } from '../regions/region-directory';
import type { Sex } from '../shared/sex';
import { daysInMonth, pad2, parseIsoDate } from '../shared/dates';

/**
 * NIK (Nomor Induk Kependudukan), the 16-digit national ID: `PP KK CC DDMMYY SSSS`.
 *
 * - PP KK CC: province, regency and district where the NIK was first issued. The NIK never
 *   changes, so the district may since have been split or renamed: only an unknown
 *   province is an error, an unknown regency or district is a warning.
 * - DDMMYY: birth date; women's day is stored +40 (41–71). The century is not stored.
 * - SSSS: serial from 0001.
 *
 * Messages are Bahasa Indonesia for village operators, rule ids English for code. They
 * never repeat the NIK or the birth date: they end up in logs and API errors, and both are
 * personal data (UU 27/2022). Region codes are not personal and are shown.
 */

export type NikErrorRule = 'nik.length' | 'nik.digits' | 'nik.province' | 'nik.date' | 'nik.serial';
export type NikWarningRule = 'nik.regency.unknown' | 'nik.district.unknown';
export type NikConsistencyRule = 'nik.birthDate.mismatch' | 'nik.sex.mismatch';

export interface NikIssue<R extends string = NikErrorRule | NikWarningRule | NikConsistencyRule> {
  readonly rule: R;
  readonly message: string;
}

export interface Nik {
  readonly nik: string;
  readonly provinceCode: string;
  /** 4 digits, province included (as in the region directory). */
  readonly regencyCode: string;
  /** 6 digits, province and regency included. */
  readonly districtCode: string;
  /** 'YYYY-MM-DD'; the century is inferred (see parseNik). */
  readonly birthDate: string;
  readonly sex: Sex;
  /** The 4-digit serial as written, leading zeros kept. */
  readonly serial: string;
}

export type NikParseResult =
  | { readonly ok: true; readonly value: Nik; readonly warnings: NikIssue<NikWarningRule>[] }
  | { readonly ok: false; readonly errors: NikIssue<NikErrorRule>[] };

/** What parseNik needs from the region directory (a stub with these three will do). */
export type NikRegions = Pick<RegionDirectory, 'hasProvince' | 'hasRegency' | 'hasDistrict'>;

/** Women's birth day is written with 40 added. */
const FEMALE_DAY_OFFSET = 40;

/**
 * Checks a NIK and splits it into its parts.
 *
 * `today` ('YYYY-MM-DD') decides the century: the birth year is 20YY unless that date
 * would lie after `today`, then 19YY. It is a parameter so the result does not depend on
 * when the code runs. The NIK is taken as given: trim or strip separators before calling.
 */
export function parseNik(nik: string, regions: NikRegions, today: string): NikParseResult {
  const now = parseIsoDate(today);
  if (!now) throw new RangeError(`parseNik: today must be a date as YYYY-MM-DD, got "${today}"`);

  const errors: NikIssue<NikErrorRule>[] = [];
  if (nik.length !== 16) {
    errors.push({ rule: 'nik.length', message: `NIK harus 16 digit angka, bukan ${nik.length} karakter` });
  }
  if (!/^[0-9]*$/.test(nik)) {
    errors.push({ rule: 'nik.digits', message: 'NIK hanya boleh berisi angka 0–9' });
  }
  // Without 16 digits the positions of the parts are unknown; checking them would only add noise.
  if (errors.length > 0) return { ok: false, errors };

  const provinceCode = nik.slice(0, 2);
  const regencyCode = nik.slice(0, 4);
  const districtCode = nik.slice(0, 6);
  const serial = nik.slice(12, 16);

  if (!regions.hasProvince(provinceCode)) {
    errors.push({
      rule: 'nik.province',
      message: `Kode provinsi ${provinceCode} pada NIK tidak dikenal`,
    });
  }

  const birth = birthDateOf(nik.slice(6, 12), today);
  if ('errors' in birth) errors.push(...birth.errors);

  if (serial === '0000') {
    errors.push({ rule: 'nik.serial', message: 'Nomor urut NIK (4 digit terakhir) tidak boleh 0000' });
  }

  if (errors.length > 0 || 'errors' in birth) return { ok: false, errors };

  const warnings: NikIssue<NikWarningRule>[] = [];
  if (!regions.hasRegency(regencyCode)) {
    warnings.push({
      rule: 'nik.regency.unknown',
      message: `Kode kabupaten/kota ${regencyCode} pada NIK tidak ada dalam daftar wilayah saat ini (mungkin sudah dimekarkan atau berganti kode)`,
    });
  } else if (!regions.hasDistrict(districtCode)) {
    warnings.push({
      rule: 'nik.district.unknown',
      message: `Kode kecamatan ${districtCode} pada NIK tidak ada dalam daftar wilayah saat ini (mungkin sudah dimekarkan atau berganti kode)`,
    });
  }

  return {
    ok: true,
    value: { nik, provinceCode, regencyCode, districtCode, birthDate: birth.date, sex: birth.sex, serial },
    warnings,
  };
}

/** Reads DDMMYY (women +40) into a full date, choosing the century against `today`. */
function birthDateOf(
  ddmmyy: string,
  today: string,
): { date: string; sex: Sex } | { errors: NikIssue<'nik.date'>[] } {
  const errors: NikIssue<'nik.date'>[] = [];
  const encodedDay = Number(ddmmyy.slice(0, 2));
  const month = Number(ddmmyy.slice(2, 4));
  const yy = ddmmyy.slice(4, 6);

  let sex: Sex = 'L';
  let day = encodedDay;
  if (encodedDay >= 1 + FEMALE_DAY_OFFSET && encodedDay <= 31 + FEMALE_DAY_OFFSET) {
    sex = 'P';
    day = encodedDay - FEMALE_DAY_OFFSET;
  } else if (encodedDay < 1 || encodedDay > 31) {
    errors.push({
      rule: 'nik.date',
      message: 'Tanggal lahir pada NIK tidak valid: hari harus 01–31 (laki-laki) atau 41–71 (perempuan)',
    });
  }
  if (month < 1 || month > 12) {
    errors.push({ rule: 'nik.date', message: 'Bulan lahir pada NIK harus 01–12' });
  }
  if (errors.length > 0) return { errors };

  // ISO strings of equal shape compare like the dates they name, valid or not.
  const monthDay = `${pad2(month)}-${pad2(day)}`;
  const in2000s = `20${yy}-${monthDay}`;
  const year = in2000s <= today ? Number(`20${yy}`) : Number(`19${yy}`);
  const date = `${year}-${monthDay}`;

  if (day > daysInMonth(year, month)) {
    errors.push({
      rule: 'nik.date',
      message:
        'Tanggal lahir pada NIK tidak ada di kalender (misalnya 31 April, atau 29 Februari di tahun bukan kabisat)',
    });
  } else if (date > today) {
    // Only possible when `today` is before 2000: both centuries then lie ahead.
    errors.push({ rule: 'nik.date', message: 'Tanggal lahir pada NIK berada di masa depan' });
  }
  return errors.length > 0 ? { errors } : { date, sex };
}

/**
 * Birth date and sex as given elsewhere (the nomination list, the KK) against the NIK.
 * The NIK stores only two year digits, so a birth date 100 years from the NIK's inferred
 * one (1925 against 2025) is consistent: the check cannot tell the centuries apart.
 */
export function checkNikConsistency(
  parsed: Nik,
  given: { readonly birthDate: string; readonly sex: Sex },
): NikIssue<NikConsistencyRule>[] {
  const issues: NikIssue<NikConsistencyRule>[] = [];
  if (!parseIsoDate(given.birthDate)) {
    issues.push({
      rule: 'nik.birthDate.mismatch',
      message: 'Tanggal lahir tidak valid (format YYYY-MM-DD), tidak dapat dicocokkan dengan NIK',
    });
  } else if (given.birthDate.slice(2) !== parsed.birthDate.slice(2)) {
    issues.push({
      rule: 'nik.birthDate.mismatch',
      message: 'Tanggal lahir tidak sesuai dengan tanggal lahir pada NIK',
    });
  }
  if (given.sex !== parsed.sex) {
    issues.push({
      rule: 'nik.sex.mismatch',
      message:
        parsed.sex === 'P'
          ? 'Jenis kelamin tidak sesuai dengan NIK: NIK ini milik perempuan (tanggal lahir +40)'
          : 'Jenis kelamin tidak sesuai dengan NIK: NIK ini milik laki-laki',
    });
  }
  return issues;
}

/**
 * NIK for display, logs and error messages: the first 4 digits (the regency, not personal)
 * and the last 2 stay visible, `1603**********01`. Anything too short to hide at least
 * half of it is masked completely.
 */
export function maskNik(nik: string): string {
  if (nik.length < 12) return '*'.repeat(nik.length);
  return nik.slice(0, 4) + '*'.repeat(nik.length - 6) + nik.slice(-2);
}
