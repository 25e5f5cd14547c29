import type { RegionDirectory } from '../regions/region-directory';
import { Occupation, OCCUPATION_CODES, isOccupation } from '../shared/occupations';
import type { Sex } from '../shared/sex';
import {
  fromEpochDay,
  pad2,
  parseIsoDate,
  toEpochDay,
  yearsBefore,
  type CalendarDate,
} from '../shared/dates';

/**
 * Plausible, entirely made-up Indonesian people for demos, tests and benchmarks.
 *
 * Deterministic: the same seed, `today` and sequence of `next` calls give the same people,
 * so a benchmark or a demo can be reproduced and a failing test replayed. All randomness
 * comes from a seeded mulberry32; nothing reads the clock or Math.random.
 *
 * Every NIK is valid under parseNik: its region prefix is the real district of the
 * village, the birth date is encoded with the +40 rule for women, and the serial counts up
 * per NIK prefix (district + encoded birth date), so no NIK repeats within one generator.
 * Different generators know nothing of each other: two of them can hand out the same NIK.
 */

export interface PeopleGeneratorOptions {
  /** Any integer; only its low 32 bits are used. */
  readonly seed: number;
  /** 'YYYY-MM-DD': ages are counted up to this day. */
  readonly today: string;
  /** When given, village codes are checked against it; otherwise only their shape is. */
  readonly regions?: Pick<RegionDirectory, 'get'>;
}

export interface PersonRequest {
  /** 10-digit village code; the NIK is issued in its district. */
  readonly villageCode: string;
  /** Drawn from a mix typical of the programs when omitted. */
  readonly occupation?: Occupation;
  /** Completed years on `today`, inclusive; default 18. */
  readonly minAge?: number;
  /** Completed years on `today`, inclusive; default 64 (programs commonly cap enrolment at 65). */
  readonly maxAge?: number;
}

export interface SyntheticPerson {
  readonly nik: string;
  readonly name: string;
  readonly sex: Sex;
  readonly birthDate: string;
  readonly occupation: Occupation;
  readonly villageCode: string;
  readonly phone: string;
}

export interface PeopleGenerator {
  next(request: PersonRequest): SyntheticPerson;
}

export const DEFAULT_MIN_AGE = 18;
export const DEFAULT_MAX_AGE = 64;
/**
 * The NIK stores two year digits and parseNik places a birth date within the 100 years up
 * to today, so older people would come back with the wrong century.
 */
const MAX_SUPPORTED_AGE = 99;
const MAX_SERIAL = 9999;
/** Fresh birth dates to try once all 9,999 serials of a NIK prefix are used up. */
const SERIAL_RETRIES = 100;
const VILLAGE_CODE = /^[0-9]{10}$/;

export function createPeopleGenerator(options: PeopleGeneratorOptions): PeopleGenerator {
  const today = parseIsoDate(options.today);
  if (!today) throw new RangeError(`createPeopleGenerator: today must be YYYY-MM-DD, got "${options.today}"`);
  if (!Number.isInteger(options.seed)) throw new RangeError('createPeopleGenerator: seed must be an integer');

  const random = mulberry32(options.seed);
  const { regions } = options;
  /** Last serial handed out per NIK prefix (district + DDMMYY, the +40 making it per sex). */
  const lastSerial = new Map<string, number>();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

  return {
    next(request) {
      const { villageCode } = request;
      const minAge = request.minAge ?? DEFAULT_MIN_AGE;
      const maxAge = request.maxAge ?? DEFAULT_MAX_AGE;
      checkRequest(request, minAge, maxAge, regions);

      // Born on or after `first` ⇔ at most maxAge; on or before `last` ⇔ at least minAge.
      const first = toEpochDay(yearsBefore(today, maxAge + 1)) + 1;
      const last = toEpochDay(yearsBefore(today, minAge));

      const sex: Sex = random() < 0.5 ? 'L' : 'P';
      const district = villageCode.slice(0, 6);
      let birth: CalendarDate;
      let prefix: string;
      let serial: number;
      let attempts = 0;
      do {
        if (attempts++ > SERIAL_RETRIES) {
          throw new Error(
            `createPeopleGenerator: no NIK serials left in district ${district} for these ages`,
          );
        }
        birth = fromEpochDay(first + Math.floor(random() * (last - first + 1)));
        const encodedDay = sex === 'P' ? birth.day + 40 : birth.day;
        prefix = district + pad2(encodedDay) + pad2(birth.month) + pad2(birth.year % 100);
        serial = (lastSerial.get(prefix) ?? 0) + 1;
      } while (serial > MAX_SERIAL);
      lastSerial.set(prefix, serial);

      return {
        nik: prefix + String(serial).padStart(4, '0'),
        name: nameFor(sex, random, pick),
        sex,
        birthDate: `${birth.year}-${pad2(birth.month)}-${pad2(birth.day)}`,
        occupation: request.occupation ?? occupationFor(random()),
        villageCode,
        phone: phoneFor(random, pick),
      };
    },
  };
}

function checkRequest(
  request: PersonRequest,
  minAge: number,
  maxAge: number,
  regions: Pick<RegionDirectory, 'get'> | undefined,
): void {
  const { villageCode, occupation } = request;
  if (!VILLAGE_CODE.test(villageCode)) {
    throw new RangeError(`synthetic people: "${villageCode}" is not a 10-digit village code`);
  }
  if (regions && regions.get(villageCode)?.level !== 'village') {
    throw new RangeError(`synthetic people: village ${villageCode} does not exist`);
  }
  if (occupation !== undefined && !isOccupation(occupation)) {
    throw new RangeError(`synthetic people: unknown occupation "${String(occupation)}"`);
  }
  if (!Number.isInteger(minAge) || !Number.isInteger(maxAge) || minAge < 0 || minAge > maxAge) {
    throw new RangeError(
      `synthetic people: ages must be whole numbers with 0 ≤ minAge ≤ maxAge (${minAge}, ${maxAge})`,
    );
  }
  if (maxAge > MAX_SUPPORTED_AGE) {
    throw new RangeError(
      `synthetic people: maxAge above ${MAX_SUPPORTED_AGE} cannot be written in a NIK unambiguously`,
    );
  }
}

/**
 * mulberry32 (Tommy Ettinger): a 32-bit-state PRNG, fast and good enough for test data
 * (not for anything secret). Returns floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------
// Names. Given names from across the regions the programs run in: Javanese (Slamet,
// Sutrisno, Ngatini), Sundanese (Asep, Ujang, Euis, Neneng), Malay/Minang/Sumatran
// (Afrizal, Syafrizal, Yusnidar), and Arabic-derived Muslim names (Yusuf, Aisyah). Many
// people have a single name; otherwise a religious prefix (Muhammad, Siti) and/or a
// second name (Kurniawan, Lestari) is common. Indonesian names have no fixed surname.

// prettier-ignore
export const MALE_GIVEN_NAMES: readonly string[] = [
  'Agus', 'Budi', 'Dedi', 'Eko', 'Joko', 'Slamet', 'Bambang', 'Sutrisno', 'Wahyu', 'Rizki',
  'Fajar', 'Hendra', 'Asep', 'Ujang', 'Cecep', 'Dadang', 'Yayan', 'Iwan', 'Rudi', 'Andi',
  'Hasan', 'Ilham', 'Arif', 'Yusuf', 'Ridwan', 'Irfan', 'Taufik', 'Syahrul', 'Zulkifli', 'Firdaus',
  'Rahmat', 'Suparman', 'Sukardi', 'Afrizal', 'Yusrizal', 'Hendri', 'Edi', 'Syamsul', 'Amiruddin', 'Khairul',
  'Fadli', 'Fauzi', 'Amran', 'Darwis', 'Marzuki', 'Jamaluddin', 'Rusli', 'Azhari', 'Syafrizal', 'Erwin',
  'Heru', 'Teguh', 'Sugeng', 'Supriyadi', 'Wawan', 'Nanang', 'Ikhsan', 'Reza', 'Bayu', 'Dimas',
];

// prettier-ignore
export const FEMALE_GIVEN_NAMES: readonly string[] = [
  'Aminah', 'Nurhayati', 'Wati', 'Suryani', 'Sumarni', 'Rina', 'Dewi', 'Ayu', 'Fitri', 'Yanti',
  'Lilis', 'Euis', 'Neneng', 'Enok', 'Imas', 'Cucu', 'Tuti', 'Yuliani', 'Ratna', 'Wulan',
  'Indah', 'Putri', 'Aisyah', 'Fatimah', 'Khadijah', 'Zainab', 'Maryam', 'Halimah', 'Rohani', 'Rosmawati',
  'Jumiati', 'Mariani', 'Rahmah', 'Nurlela', 'Erna', 'Yusnidar', 'Asmah', 'Juwita', 'Rini', 'Endang',
  'Sulastri', 'Suharti', 'Ngatini', 'Sukarsih', 'Murni', 'Kartini', 'Wahyuni', 'Anisa', 'Nabila', 'Salsabila',
  'Novita', 'Desi', 'Mega', 'Ika', 'Susi', 'Yulia', 'Eni', 'Nining', 'Darmi', 'Sumiati',
];

const MALE_PREFIXES: readonly string[] = ['Muhammad', 'Muhammad', 'Ahmad', 'Mohammad'];
const FEMALE_PREFIXES: readonly string[] = ['Siti', 'Siti', 'Sri', 'Nur'];

// prettier-ignore
export const MALE_SECOND_NAMES: readonly string[] = [
  'Kurniawan', 'Saputra', 'Pratama', 'Setiawan', 'Hidayat', 'Santoso', 'Wibowo', 'Susanto', 'Gunawan', 'Hermawan',
  'Nugroho', 'Firmansyah', 'Ramadhan', 'Hakim', 'Syahputra', 'Maulana', 'Prasetyo', 'Wijaya', 'Effendi', 'Hidayatullah',
  'Nasution', 'Harahap', 'Lubis', 'Tanjung',
];

// prettier-ignore
export const FEMALE_SECOND_NAMES: readonly string[] = [
  'Lestari', 'Wulandari', 'Rahmawati', 'Susanti', 'Handayani', 'Sari', 'Puspitasari', 'Safitri', 'Anggraini', 'Permatasari',
  'Kurniasih', 'Ningsih', 'Yuliana', 'Oktaviani', 'Maharani', 'Ramadhani', 'Hartati', 'Agustina', 'Fitriani', 'Utami',
];

function nameFor(sex: Sex, random: () => number, pick: <T>(list: readonly T[]) => T): string {
  const given = pick(sex === 'L' ? MALE_GIVEN_NAMES : FEMALE_GIVEN_NAMES);
  // Shape, 1–3 parts: given (30%), given + second (35%), prefix + given (20%), all three (15%).
  const shape = random();
  const withPrefix = shape >= 0.65;
  const withSecond = (shape >= 0.3 && shape < 0.65) || shape >= 0.85;
  let name = given;
  if (withPrefix) {
    const prefix = pick(sex === 'L' ? MALE_PREFIXES : FEMALE_PREFIXES);
    // "Nur Nurhayati" is not a name people are given.
    if (!given.startsWith(prefix)) name = `${prefix} ${given}`;
  }
  if (withSecond) name += ` ${pick(sex === 'L' ? MALE_SECOND_NAMES : FEMALE_SECOND_NAMES)}`;
  return name;
}

// ---------------------------------------------------------------------------------------
// Occupations: farming and casual labour dominate the nomination lists, village apparatus
// is a large share where the village budget pays (Muara Enim: 24,651 village workers of
// 26,775), the rest are small groups. Rough shares in percent; a Record so that a new
// occupation code fails to compile until it gets a weight here.

const OCCUPATION_WEIGHTS: Readonly<Record<Occupation, number>> = {
  petani: 26,
  petani_sawit: 8,
  nelayan: 5,
  ojek: 5,
  buruh_bangunan: 6,
  buruh_harian_lepas: 11,
  pedagang_kecil: 9,
  kepala_desa: 1,
  perangkat_desa: 8,
  bpd: 3,
  linmas: 4,
  ketua_rt_rw: 4,
  guru_ngaji: 3,
  marbot: 2,
  pengurus_jenazah: 1,
  petugas_pemilu: 1,
  lainnya: 3,
};

const OCCUPATION_THRESHOLDS: readonly number[] = (() => {
  const total = OCCUPATION_CODES.reduce((sum, code) => sum + OCCUPATION_WEIGHTS[code], 0);
  let cumulative = 0;
  return OCCUPATION_CODES.map((code) => (cumulative += OCCUPATION_WEIGHTS[code]) / total);
})();

function occupationFor(r: number): Occupation {
  for (let i = 0; i < OCCUPATION_THRESHOLDS.length; i++) {
    if (r < (OCCUPATION_THRESHOLDS[i] as number)) return OCCUPATION_CODES[i] as Occupation;
  }
  return OCCUPATION_CODES[OCCUPATION_CODES.length - 1] as Occupation;
}

// ---------------------------------------------------------------------------------------
// Phones: '08' + a mobile operator's two digits (Telkomsel 11–13/21–23/51–53, Indosat
// 14–16/55–58, XL 17–19/59/77–78, Axis 31–33/38, Tri 95–99, Smartfren 81–88) + 7–9 digits,
// 11–13 characters in all like real Indonesian mobile numbers.

// prettier-ignore
const OPERATOR_CODES: readonly string[] = [
  '11', '12', '13', '21', '22', '23', '51', '52', '53', '14', '15', '16', '55', '56', '57', '58',
  '17', '18', '19', '59', '77', '78', '31', '32', '33', '38', '95', '96', '97', '98', '99',
  '81', '82', '83', '85', '87', '88',
];

function phoneFor(random: () => number, pick: <T>(list: readonly T[]) => T): string {
  const digits = 7 + Math.floor(random() * 3);
  const subscriber = String(Math.floor(random() * 10 ** digits)).padStart(digits, '0');
  return `08${pick(OPERATOR_CODES)}${subscriber}`;
}
