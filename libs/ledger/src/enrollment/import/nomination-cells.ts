import { OCCUPATIONS, OCCUPATION_CODES, type Occupation } from '../../shared/occupations';
import type { Sex } from '../../shared/sex';
import { COLUMN_LABELS, REQUIRED_FIELDS } from './nomination-columns';
import type { NominationField, NominationValues, RowProblem } from './nomination-row';

/**
 * One cell as a reader hands it over. CSV gives only strings; XLSX also gives numbers (number
 * cells) and Dates (cells with a date format). Readers turn everything else (rich text, formula
 * results, booleans) into one of these.
 */
export type RawCell = string | number | Date | undefined;

export interface CellOptions {
  /** The workbook counts dates from 1904 (old Mac Excel); affects plain serial numbers only. */
  date1904?: boolean;
}

type Result<T> = { value: T } | { problem: Omit<RowProblem, 'field'> };

/**
 * Normalises the cells of one data row. Never throws: every cell that cannot be read becomes
 * a problem, so the operator gets all of a row's mistakes at once.
 */
export function normaliseRow(
  cells: readonly RawCell[],
  columns: ReadonlyMap<NominationField, number>,
  options: CellOptions = {},
): { values: NominationValues; problems: RowProblem[] } {
  const values: NominationValues = {};
  const problems: RowProblem[] = [];

  const apply = <F extends NominationField>(
    field: F,
    normalise: (cell: Exclude<RawCell, undefined>) => Result<NonNullable<NominationValues[F]>>,
  ): void => {
    const index = columns.get(field);
    const cell = index === undefined ? undefined : cells[index];
    if (cell === undefined || isBlank(cell)) {
      if (REQUIRED_FIELDS.includes(field)) {
        problems.push({ field, rule: `${field}.required`, message: `${COLUMN_LABELS[field]} wajib diisi.` });
      }
      return;
    }
    const result = normalise(cell);
    if ('value' in result) values[field] = result.value;
    else problems.push({ field, ...result.problem });
  };

  apply('nik', normaliseNik);
  apply('name', normaliseName);
  apply('sex', normaliseSex);
  apply('birthDate', (cell) => normaliseBirthDate(cell, options));
  apply('occupation', normaliseOccupation);
  apply('villageCode', normaliseVillageCode);
  apply('phone', normalisePhone);
  return { values, problems };
}

/**
 * Empty, whitespace, or a lone dash: operators type '-' for "none", and an empty phone must not
 * turn into a phone problem nor an empty name into a name that is just '-'.
 */
export function isBlank(cell: RawCell): boolean {
  if (cell === undefined) return true;
  if (typeof cell !== 'string') return false;
  const text = cell.trim();
  return text === '' || /^[-\u2013\u2014]$/.test(text);
}

/** Text of a cell for the fields that are text. Integers are written out in full, never as 1e+21. */
function cellText(cell: Exclude<RawCell, undefined>): string {
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'number') return Number.isInteger(cell) ? BigInt(cell).toString() : String(cell);
  return isoDate(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate()) ?? '';
}

// ---------------------------------------------------------------------------------------------
// NIK

const NIK_EXCEL_NUMBER = {
  rule: 'nik.excelNumber',
  message:
    'NIK tersimpan sebagai angka di Excel sehingga digit terakhirnya bisa berubah. ' +
    'Format kolom NIK sebagai Teks, lalu ketik ulang NIK-nya.',
};

/**
 * Only the form of the NIK is handled here (length, checksum, birth date and region prefix are
 * checked by the domain). The danger is Excel: it keeps 15 significant digits, so a 16-digit NIK
 * typed into a General cell silently becomes ...0 in its last digit, and a CSV export of such a
 * cell reads '1.60301E+15'.
 */
function normaliseNik(cell: Exclude<RawCell, undefined>): Result<string> {
  if (cell instanceof Date) return { problem: NIK_EXCEL_NUMBER };
  if (typeof cell === 'number') {
    // A safe integer that does not end in 0 cannot have been cut by Excel (it would end in 0),
    // so it was written by a program that kept every digit; anything else may be damaged.
    const digits = Number.isSafeInteger(cell) && cell > 0 ? String(cell) : undefined;
    if (!digits || (digits.length >= 16 && digits.endsWith('0'))) return { problem: NIK_EXCEL_NUMBER };
    return { value: digits };
  }
  // A leading apostrophe is how operators force text in Excel; some exports keep it.
  const text = cell.trim().replace(/^'/, '');
  if (/^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i.test(text)) return { problem: NIK_EXCEL_NUMBER };
  // Operators group the NIK for readability: '1603 0101 9000 0001' or '16.03.01.010190.0001'.
  return { value: text.replace(/[\s.]/g, '') };
}

// ---------------------------------------------------------------------------------------------
// Name

const MAX_NAME_LENGTH = 100;

function normaliseName(cell: Exclude<RawCell, undefined>): Result<string> {
  const name = cellText(cell).replace(/\s+/g, ' ');
  if (name.length > MAX_NAME_LENGTH) {
    return {
      problem: {
        rule: 'name.invalid',
        message: `Nama terlalu panjang (lebih dari ${MAX_NAME_LENGTH} karakter).`,
      },
    };
  }
  // A number or a date in the name column means the columns are shifted, not a name.
  if (!/\p{L}/u.test(name)) {
    return { problem: { rule: 'name.invalid', message: 'Nama harus memuat huruf.' } };
  }
  return { value: name };
}

// ---------------------------------------------------------------------------------------------
// Sex

const SEX_BY_KEY: Readonly<Record<string, Sex>> = {
  l: 'L',
  lk: 'L',
  lakilaki: 'L',
  laki: 'L',
  lelaki: 'L',
  pria: 'L',
  m: 'L',
  male: 'L',
  p: 'P',
  pr: 'P',
  perempuan: 'P',
  wanita: 'P',
  f: 'P',
  female: 'P',
};

function normaliseSex(cell: Exclude<RawCell, undefined>): Result<Sex> {
  const text = cellText(cell);
  const sex = SEX_BY_KEY[text.toLowerCase().replace(/[^a-z]/g, '')];
  if (sex) return { value: sex };
  return {
    problem: {
      rule: 'sex.invalid',
      message: 'Jenis kelamin tidak dikenali; isi L (laki-laki) atau P (perempuan).',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Birth date

const BIRTH_DATE_FORMAT = {
  rule: 'birthDate.invalid',
  message: 'Format tanggal lahir tidak dikenali; gunakan DD/MM/YYYY (misalnya 17/05/1990) atau YYYY-MM-DD.',
};
const BIRTH_DATE_CALENDAR = {
  rule: 'birthDate.invalid',
  message: 'Tanggal lahir tidak ada di kalender (periksa tanggal dan bulannya).',
};

/** Serial 2958465 is 9999-12-31, the last day Excel can show. */
const MAX_EXCEL_SERIAL = 2958465;

function normaliseBirthDate(cell: Exclude<RawCell, undefined>, options: CellOptions): Result<string> {
  if (cell instanceof Date) {
    // exceljs turns a date serial into a Date at 00:00 UTC; the local parts would shift it
    // to the previous day on any server west of Greenwich.
    const iso = isNaN(cell.getTime())
      ? undefined
      : isoDate(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
    return iso ? { value: iso } : { problem: BIRTH_DATE_CALENDAR };
  }
  if (typeof cell === 'number') return fromSerial(cell, options);

  const text = cell.trim();
  // An ISO date may carry a time when it comes from a database export: '1990-05-17 00:00:00'.
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(text);
  if (match) return fromParts(match[1], match[2], match[3]);
  // Day first, as written in Indonesia; '.' is the separator some Excel locales use.
  match = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(text);
  if (match) return fromParts(match[4], match[3], match[1]);
  // A date column formatted as General in Excel shows (and exports) the serial number.
  if (/^\d{1,7}$/.test(text)) return fromSerial(Number(text), options);
  return { problem: BIRTH_DATE_FORMAT };
}

function fromParts(year: string, month: string, day: string): Result<string> {
  const iso = isoDate(Number(year), Number(month), Number(day));
  return iso ? { value: iso } : { problem: BIRTH_DATE_CALENDAR };
}

function fromSerial(serial: number, options: CellOptions): Result<string> {
  // A time of day in the serial does not matter for a birth date.
  const days = Math.floor(serial);
  if (!Number.isFinite(serial) || days < 1 || days > MAX_EXCEL_SERIAL) return { problem: BIRTH_DATE_FORMAT };
  let epoch: number;
  if (options.date1904) epoch = Date.UTC(1904, 0, 1);
  // Excel counts the non-existent 29 Feb 1900 as day 60 (a Lotus 1-2-3 bug it kept).
  else if (days === 60) return { problem: BIRTH_DATE_CALENDAR };
  else epoch = days > 60 ? Date.UTC(1899, 11, 30) : Date.UTC(1899, 11, 31);
  const date = new Date(epoch + days * 86_400_000);
  return { value: isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())! };
}

/** YYYY-MM-DD, or undefined if there is no such day (31/02, month 13, ...). */
function isoDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
    return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day > daysInMonth) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Occupation

/**
 * Words operators write for the program's occupations. Keys are in {@link occupationKey} form.
 * Only unambiguous words belong here: a wrong guess would enrol someone under the wrong
 * occupation, while an unknown word only asks the operator to pick one.
 */
const OCCUPATION_SYNONYMS: Readonly<Record<string, Occupation>> = {
  tani: 'petani',
  pekebun: 'petani',
  'petani karet': 'petani',
  'petani padi': 'petani',
  'pekebun sawit': 'petani_sawit',
  'petani kelapa sawit': 'petani_sawit',
  sawit: 'petani_sawit',
  'nelayan tradisional': 'nelayan',
  ojol: 'ojek',
  'ojek online': 'ojek',
  'tukang ojek': 'ojek',
  'ojek pangkalan': 'ojek',
  'driver ojol': 'ojek',
  'driver ojek online': 'ojek',
  'pengemudi ojek online': 'ojek',
  'kuli bangunan': 'buruh_bangunan',
  'tukang bangunan': 'buruh_bangunan',
  'pekerja bangunan': 'buruh_bangunan',
  buruh: 'buruh_harian_lepas',
  'buruh harian': 'buruh_harian_lepas',
  bhl: 'buruh_harian_lepas',
  pedagang: 'pedagang_kecil',
  'pedagang kaki lima': 'pedagang_kecil',
  'pedagang keliling': 'pedagang_kecil',
  'pedagang pasar': 'pedagang_kecil',
  kades: 'kepala_desa',
  'wali nagari': 'kepala_desa',
  'kepala kampung': 'kepala_desa',
  perangkat: 'perangkat_desa',
  'perangkat nagari': 'perangkat_desa',
  'aparat desa': 'perangkat_desa',
  'aparatur desa': 'perangkat_desa',
  sekdes: 'perangkat_desa',
  'sekretaris desa': 'perangkat_desa',
  'kepala dusun': 'perangkat_desa',
  kadus: 'perangkat_desa',
  'kaur desa': 'perangkat_desa',
  'kasi desa': 'perangkat_desa',
  'anggota bpd': 'bpd',
  'badan permusyawaratan desa': 'bpd',
  hansip: 'linmas',
  satlinmas: 'linmas',
  'anggota linmas': 'linmas',
  rt: 'ketua_rt_rw',
  rw: 'ketua_rt_rw',
  'ketua rt': 'ketua_rt_rw',
  'ketua rw': 'ketua_rt_rw',
  'rt rw': 'ketua_rt_rw',
  'guru mengaji': 'guru_ngaji',
  'guru ngaji': 'guru_ngaji',
  'guru tpa': 'guru_ngaji',
  'guru tpq': 'guru_ngaji',
  marbut: 'marbot',
  'penjaga masjid': 'marbot',
  'garin masjid': 'marbot',
  garin: 'marbot',
  'pemandi jenazah': 'pengurus_jenazah',
  'petugas pemilu': 'petugas_pemilu',
  'petugas ad hoc': 'petugas_pemilu',
  kpps: 'petugas_pemilu',
  pps: 'petugas_pemilu',
  pantarlih: 'petugas_pemilu',
  ptps: 'petugas_pemilu',
  'pengawas tps': 'petugas_pemilu',
  panwascam: 'petugas_pemilu',
  'lain lain': 'lainnya',
};

function occupationKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const OCCUPATION_BY_KEY: ReadonlyMap<string, Occupation> = (() => {
  const map = new Map<string, Occupation>();
  const add = (text: string, occupation: Occupation): void => {
    const key = occupationKey(text);
    const taken = map.get(key);
    if (taken && taken !== occupation) throw new Error(`occupation word '${text}' is ambiguous`);
    map.set(key, occupation);
  };
  for (const code of OCCUPATION_CODES) {
    add(code, code);
    add(OCCUPATIONS[code], code);
  }
  for (const [word, code] of Object.entries(OCCUPATION_SYNONYMS)) add(word, code);
  return map;
})();

const OCCUPATION_LIST = Object.values(OCCUPATIONS).join(', ');

function normaliseOccupation(cell: Exclude<RawCell, undefined>): Result<Occupation> {
  const text = cellText(cell);
  const occupation = OCCUPATION_BY_KEY.get(occupationKey(text));
  if (occupation) return { value: occupation };
  return {
    problem: {
      rule: 'occupation.unknown',
      message: `Pekerjaan tidak dikenali; isi salah satu: ${OCCUPATION_LIST}.`,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Village code

function normaliseVillageCode(cell: Exclude<RawCell, undefined>): Result<string> {
  const text = cellText(cell);
  // Kode wilayah is published with dots between the levels: '16.03.01.2001'.
  const code = text.replace(/[\s.]/g, '');
  if (/^\d{10}$/.test(code)) return { value: code };
  return {
    problem: {
      rule: 'villageCode.format',
      message: 'Kode desa harus 10 digit angka, misalnya 1603012001 atau 16.03.01.2001.',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Phone

function normalisePhone(cell: Exclude<RawCell, undefined>): Result<string> {
  let phone = cellText(cell).replace(/[\s\-().]/g, '');
  if (phone.startsWith('+62')) phone = `0${phone.slice(3)}`;
  // '62 8…' without the plus is the same mobile number in international form.
  else if (/^628/.test(phone)) phone = `0${phone.slice(2)}`;
  // A number cell drops the leading zero: 81234567890 was 081234567890.
  else if (/^8\d{8,12}$/.test(phone)) phone = `0${phone}`;
  if (/^\d{9,14}$/.test(phone)) return { value: phone };
  return {
    problem: { rule: 'phone.invalid', message: 'No HP harus 9–14 digit angka, misalnya 081234567890.' },
  };
}
