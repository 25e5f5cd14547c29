/**
 * Malformed requests against every write endpoint (SQLite mode).
 *
 * One program, one single proposal and a one-row import are set up; then a deterministic
 * (seeded) set of ~1,500 malformed requests is sent: broken JSON, wrong types, huge values,
 * deep nesting, unicode and control characters, prototype-pollution keys, wrong or unknown
 * region codes and ids, impossible dates, extra fields, empty bodies, wrong content types,
 * garbage uploads, a header-only CSV, and forged or foreign tokens. Each request carries at
 * least one defect, so none may succeed.
 *
 * Every answer must be a 4xx problem+json (type, title, status); a validation 400 lists
 * `errors` naming the field and the rule; no request may append an event; and after the run
 * the projection head and the read models are what they were before it.
 *
 * A failure lists the violations grouped by endpoint, category and problem, with the first
 * request of each group, so one run shows every distinct defect.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { JWT_AUDIENCE, JWT_ISSUER } from '@ledger/platform/auth/jwt';
import type { Role } from '@ledger/platform/auth';
import { DEREGISTRATION_REASONS } from '@ledger/ledger/enrollment/enrollment.events';
import { createPeopleGenerator, mulberry32, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { BENEFIT_PACKAGES } from '@ledger/ledger/programs/contribution';
import { FUNDING_SOURCES } from '@ledger/ledger/programs/program.events';
import { regions } from '@ledger/ledger/regions/region-directory';
import { OCCUPATION_CODES } from '@ledger/ledger/shared/occupations';
import { multipartFile, startLedgerApp, todayWib, XLSX_TYPE, type ApiResponse, type LedgerApp } from './support/ledger-app';

const SEED = 0x5eed_f022;
const RANDOM_CASES = 820; // on top of ~680 systematic ones: ~1,500 requests in all
const MUARA_ENIM = '1603';
const EMBAWANG = '1603012011';
const PAGAR_DEWA = '1603012012';
const SAROLANGUN = '1503';
const MB10 = 10 * 1024 * 1024;

// ─── The cases ──────────────────────────────────────────────────────────────────────────────

type Method = 'POST' | 'PUT';

/** What a case must get back, beyond "a 4xx problem+json that wrote nothing". */
type Expect =
  /** 400 whose `errors` name `field` (or a field inside it); without field, any named field. */
  | { kind: 'validation'; field?: string }
  /** 400 of any shape (unparseable JSON, poisoned prototype keys, empty JSON body). */
  | { kind: 'syntax' }
  | { kind: 'status'; status: number }
  /** Any 4xx: several answers are right (an unknown region may be 403, 404 or 422). */
  | { kind: 'client' };

interface Case {
  endpoint: string;
  category: string;
  method: Method;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  expect: Expect;
  /** What was broken, when the payload alone does not show it (a field's value). */
  note?: string;
}

interface Field {
  name: string;
  required: boolean;
  /** Values this field refuses whatever the rest of the body holds. */
  invalid: unknown[];
  /** Free text: may carry unicode noise when another field is the defect. */
  text?: boolean;
}

interface Endpoint {
  label: string;
  method: Method;
  /** The target kind of each path segment the endpoint takes. */
  target?: 'program' | 'enrollment' | 'import' | 'participant' | 'region';
  url: (id: string, year?: string) => string;
  fields: Field[];
  body: () => Record<string, unknown>;
  /** Roles the endpoint admits; the others get 403. */
  roles: Role[];
  upload?: boolean;
  /** Bodies that are well-formed but refused by a rule (period reversed, quota below use…). */
  semantic?: () => Record<string, unknown>[];
  /** A region endpoint whose second path segment is a date (`:date`) rather than a year. */
  pathDate?: boolean;
}

const WRONG_FOR_STRING: unknown[] = [0, 123, -1, 1.5, 1e308, true, false, [], {}, ['x'], { value: 'x' }, [[]]];
const WRONG_FOR_NUMBER: unknown[] = ['', '100', '1e3', 'NaN', 'Infinity', '0x10', ' 1', true, false, [], {}, [1], { n: 1 }];
const BAD_DATES: unknown[] = [
  '2026-02-30', '2025-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-32', '0000-00-00',
  '9999-99-99', '2026-1-1', '26-01-01', '2026/01/01', '01/01/2026', '30/02/2026', '2026-01-01T00:00:00Z',
  ' 2026-01-01', '2026-01-01 ', '2026-01-01\n', '2026-01-01\u0000', '\uFF12\uFF10\uFF12\uFF16-01-01', '٢٠٢٦-٠١-٠١',
  '+002026-01-01', '-2026-01-01', '2026-W01', 'tomorrow', '', 20260101, ...WRONG_FOR_STRING,
];
const BIG_NUMBERS: unknown[] = [1e308, -1e308, 2 ** 63, 2 ** 64, -(2 ** 63), 4.9e-324, 1.5, -1, -0.5];

const int = (name: string, min: number, max: number, required: boolean): Field => ({
  name,
  required,
  invalid: [min - 1, max + 1, min + 0.5, ...BIG_NUMBERS, ...WRONG_FOR_NUMBER, ...(required ? [null] : [])].filter(
    (v) => typeof v !== 'number' || !(Number.isInteger(v) && v >= min && v <= max),
  ),
});
const text = (name: string, min: number, max: number, required: boolean): Field => ({
  name,
  required,
  text: true,
  invalid: [
    'x'.repeat(max + 1),
    '\u{1F525}'.repeat(max + 1),
    ...(min > 0 ? [''] : []),
    ...(min > 1 ? ['x'.repeat(min - 1)] : []),
    ...WRONG_FOR_STRING,
    ...(required ? [null] : []),
  ],
});
const date = (name: string, required = true): Field => ({ name, required, invalid: [...BAD_DATES, ...(required ? [null] : [])] });
const oneOf = (name: string, values: readonly string[], required = true): Field => {
  const first = values[0];
  const twisted = [
    '', 'x', first.toLowerCase(), first.toUpperCase(), ` ${first}`, `${first} `, `${first}\u0000`, `${first}\u200b`,
    `${first}\n`, [first], { value: first }, 1, true, ...(required ? [null] : []),
  ];
  return { name, required, invalid: twisted.filter((v) => typeof v !== 'string' || !values.includes(v)) };
};
const pattern = (name: string, re: RegExp, samples: string[], required = true): Field => ({
  name,
  required,
  invalid: [...samples, ...WRONG_FOR_STRING, ...(required ? [null] : [])].filter((v) => typeof v !== 'string' || !re.test(v)),
});

/**
 * Strings that are not malformed on their own; they ride along in other fields of a malformed
 * body. (Control characters are malformed in free text; the last test covers them.)
 */
const NOISE: string[] = [
  '\u202eKANAN-KE-KIRI\u202c',
  '\uFEFFbom di depan',
  'zero\u200bwidth\u200djoiner',
  '\u{1D518}\u{1D52B}\u{1D526}\u{1D520}\u{1D52C}\u{1D521}\u{1D522}',
  'emoji \u{1F525}\u{1F44D}\u{1F3FD}',
  'a\u0301\u0302\u0303\u0304 combining',
  'lone \ud800 surrogate',
  'İstanbul ß ﬃ',
  "Robert'); DROP TABLE events;--",
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '%00%2e%2e%2f',
];

/** A pseudo-random v4 UUID from the seeded generator. */
const uuidFrom = (random: () => number) => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
};

const NOT_UUIDS = [
  '1', 'abc', 'null', 'undefined', '{id}', '00000000-0000-0000-0000-00000000000g', '00000000000000000000000000000000',
  '{8b7f3c2e-1d4a-4f5b-9c6d-7e8f9a0b1c2d}', '8b7f3c2e-1d4a-4f5b-9c6d-7e8f9a0b1c2', '8b7f3c2e_1d4a_4f5b_9c6d_7e8f9a0b1c2d',
  '\u0000', '%', ' ', '1 OR 1=1', "'; DROP TABLE events;--", '\u{1F525}', '-1', '0', '1e308', 'true', '[]',
];
const NOT_IMPORT_IDS = ['1', 'abc', 'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ', 'e257aeb3a2b47a95d03cfb8ea69c751', 'E257AEB3A2B47A95D03CFB8EA69C7511', '\u0000', '%', '{id}'];
const WRONG_REGIONS = ['9999', '0000', '1699', '16030', '1603999999', '160399', '16', '13', '1503', 'ID', 'abcd', '%00', '\u0000', '1603 ', '１６０３'];
const BAD_YEARS = ['abc', '1999', '2101', '-1', '0', '1e3', '2026.5', '99999999999999999999', '0x7E9', '2026abc', ' ', '%00'];

const seg = (value: string) => encodeURIComponent(value);
const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…(${text.length} chars)` : text;
};

/**
 * Endpoints whose wrongly accepted request would change what the others answer (a closed
 * program refuses everything with 409) go last, so that one defect does not hide behind a
 * cascade of others.
 */
const RUN_ORDER = [
  'POST /api/programs',
  'POST /api/programs/:id/quota',
  'POST /api/programs/:id/period',
  'POST /api/programs/:id/enrollments',
  'POST /api/programs/:id/enrollments/import',
  'PUT /api/regions/:code/baselines/:year',
  'PUT /api/regions/:code/outside-participants/:date',
  'POST /api/enrollments/:id/approval',
  'POST /api/imports/:id/approval',
  'POST /api/enrollments/:id/deregistration',
  'POST /api/participants/:id/erasure',
  'POST /api/enrollments/:id/rejection',
  'POST /api/programs/:id/closure',
];

/** A ';' CSV with Indonesian headers, as the village templates are saved. */
const HEADERS = ['NIK', 'Nama', 'Jenis Kelamin', 'Tanggal Lahir', 'Pekerjaan', 'Kode Desa', 'No HP'];
function csvOf(people: SyntheticPerson[]): string {
  const rows = people.map((p) => {
    const [y, m, d] = p.birthDate.split('-');
    return [p.nik, p.name, p.sex, `${d}/${m}/${y}`, p.occupation, p.villageCode, p.phone].join(';');
  });
  return [HEADERS.join(';'), ...rows].join('\r\n') + '\r\n';
}

// ─── The run ────────────────────────────────────────────────────────────────────────────────

interface Violation {
  group: string;
  example: string;
}

interface Snapshot {
  head: number;
  storeHead: number;
  projections: unknown;
  tables: Record<string, string[]>;
  views: Record<string, unknown>;
}

describe('fuzzing every write endpoint with malformed requests (SQLite)', () => {
  let app: LedgerApp;
  let admin: string;
  let programId: string;
  let enrollmentId: string;
  let participantId: string;
  let importId: string;
  let period: { from: string; to: string };
  let before: Snapshot;
  const people = createPeopleGenerator({ seed: SEED, today: todayWib(), regions: regions() });
  const person = () => people.next({ villageCode: EMBAWANG });

  const snapshot = async (): Promise<Snapshot> => {
    const storeHead = await app.runtime.store.headPosition();
    const names = (await app.runtime.runner.status()).map((s) => s.name);
    expect(await app.runtime.runner.waitFor(names, storeHead, 10_000)).toBe(true);
    const status = await app.get('/api/projections', admin);
    expect(status.status).toBe(200);
    const tables: Record<string, string[]> = {};
    for (const table of ['programs', 'enrollments', 'participants', 'baselines', 'nomination_imports', 'nomination_import_rows']) {
      const rows = await app.runtime.read.query.selectFrom(table).selectAll().execute();
      tables[table] = rows.map((row) => JSON.stringify(row)).sort();
    }
    const views: Record<string, unknown> = {};
    for (const url of [
      `/api/programs/${programId}`,
      `/api/enrollments/${enrollmentId}`,
      `/api/participants/${participantId}`,
      `/api/imports/${importId}`,
      `/api/programs`,
      `/api/regions/${MUARA_ENIM}/baselines`,
    ]) {
      const response = await app.get(url, admin);
      views[url] = { status: response.status, body: response.body };
    }
    return {
      head: status.body.head,
      storeHead,
      projections: status.body.projections.map((p: { name: string; position: number }) => [p.name, p.position]),
      tables,
      views,
    };
  };

  beforeAll(async () => {
    app = await startLedgerApp('sqlite');
    admin = await app.token('program_admin', [MUARA_ENIM]);
    const year = Number(todayWib().slice(0, 4));
    period = { from: `${year}-01-01`, to: `${year + 1}-12-31` };
    const program = await app.post('/api/programs', admin, {
      name: 'Perlindungan Pekerja Rentan Muara Enim (uji fuzz)',
      ownerRegion: MUARA_ENIM,
      payer: 'Pemerintah Kabupaten Muara Enim',
      fundingSource: 'APBD',
      benefitPackage: 'JKK_JKM',
      period,
      quota: 100,
      // Started on 1 January: recorded later without being a backfill.
      backfillToleranceDays: 730,
    });
    expect(program.status).toBe(201);
    programId = program.body.programId;

    const proposed = await app.post(`/api/programs/${programId}/enrollments`, admin, proposalOf(person()));
    expect(proposed.status).toBe(201);
    ({ enrollmentId, participantId } = proposed.body);

    // A real import, so that /api/imports/:id/approval is fuzzed against one that exists.
    const imported = await app.request('POST', `/api/programs/${programId}/enrollments/import`, {
      token: admin,
      payload: csvOf([person()]),
      headers: { 'content-type': 'text/csv', 'x-file-name': 'usulan-embawang.csv' },
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ status: 'completed', accepted: 1 });
    importId = imported.body.importId;

    before = await snapshot();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  function proposalOf(p: SyntheticPerson): Record<string, unknown> {
    return { nik: p.nik, name: p.name, sex: p.sex, birthDate: p.birthDate, occupation: p.occupation, villageCode: p.villageCode, phone: p.phone };
  }

  function endpoints(): Endpoint[] {
    const today = todayWib();
    const year = today.slice(0, 4);
    const programs = (suffix: string) => (id: string) => `/api/programs/${id}${suffix}`;
    const period2 = { from: `${Number(year) + 5}-01-01`, to: `${Number(year) + 5}-12-31` };
    return [
      {
        label: 'POST /api/programs',
        method: 'POST',
        url: () => '/api/programs',
        roles: ['program_admin'],
        body: () => ({
          name: 'Program Uji Fuzz',
          ownerRegion: MUARA_ENIM,
          payer: 'Pemerintah Kabupaten Muara Enim',
          fundingSource: 'APBD',
          benefitPackage: 'JKK_JKM',
          declaredIncome: 1_000_000,
          period,
          quota: 100,
          ageCap: 65,
          eligibleOccupations: ['petani'],
          budgetCeiling: 1_000_000_000_000,
        }),
        fields: [
          text('name', 3, 200, true),
          pattern('ownerRegion', /^(\d{2}|\d{4}|\d{10})$/, ['', '1', '160', '16030', '160301', '1603 ', ' 1603', 'ID', '16-03', '１６０３', '1603\n']),
          text('payer', 2, 200, true),
          oneOf('fundingSource', FUNDING_SOURCES),
          oneOf('benefitPackage', BENEFIT_PACKAGES),
          int('declaredIncome', 1_000_000, 1_000_000_000, false),
          { name: 'period', required: true, invalid: [null, 'x', 5, [], true, [period], 'from=2026-01-01'] },
          { name: 'period.from', required: true, invalid: BAD_DATES.concat([null]) },
          { name: 'period.to', required: true, invalid: BAD_DATES.concat([null]) },
          int('quota', 1, 10_000_000, true),
          int('ageCap', 15, 100, false),
          {
            name: 'eligibleOccupations',
            required: false,
            invalid: ['petani', ['unknown'], ['petani', 'petani'], [1], [[]], [null], {}, 5, true, Array(200).fill('petani'), ['PETANI']],
          },
          int('budgetCeiling', 1, 1_000_000_000_000_000, false),
        ],
        semantic: () => [
          { ...endpointsBody0(), period: { from: period.to, to: period.from } },
          { ...endpointsBody0(), budgetCeiling: 1 },
          { ...endpointsBody0(), ownerRegion: '9999' },
          { ...endpointsBody0(), ownerRegion: '1603999999' },
          { ...endpointsBody0(), ownerRegion: SAROLANGUN },
        ],
      },
      {
        label: 'POST /api/programs/:id/quota',
        method: 'POST',
        target: 'program',
        url: programs('/quota'),
        roles: ['program_admin'],
        body: () => ({ quota: 150, reason: 'APBD Perubahan' }),
        fields: [int('quota', 1, 10_000_000, true), text('reason', 1, 500, false)],
        semantic: () => [{ quota: 1 }], // below the two seats in use
      },
      {
        label: 'POST /api/programs/:id/period',
        method: 'POST',
        target: 'program',
        url: programs('/period'),
        roles: ['program_admin'],
        body: () => ({ from: period.from, to: period.to, reason: 'Perpanjangan' }),
        fields: [date('from'), date('to'), text('reason', 1, 500, false)],
        semantic: () => [{ from: period.to, to: period.from }],
      },
      {
        label: 'POST /api/programs/:id/closure',
        method: 'POST',
        target: 'program',
        url: programs('/closure'),
        roles: ['program_admin'],
        body: () => ({ closedOn: period.to, reason: 'Anggaran habis' }),
        fields: [date('closedOn'), text('reason', 1, 500, false)],
      },
      {
        label: 'POST /api/programs/:id/enrollments',
        method: 'POST',
        target: 'program',
        url: programs('/enrollments'),
        roles: ['program_admin', 'village_operator'],
        body: () => proposalOf(person()),
        fields: [
          pattern('nik', /^\d{16}$/, ['', '160301570890000', '16030157089000011', '1603-0157-0890-0001', '160301570890000a', ' 1603015708900001', '1603015708900001\n', '١٦٠٣٠١٥٧٠٨٩٠٠٠٠١']),
          text('name', 1, 100, true),
          oneOf('sex', ['L', 'P']),
          date('birthDate'),
          oneOf('occupation', OCCUPATION_CODES),
          pattern('villageCode', /^\d{10}$/, ['', '1603', '160301201', '16030120111', '1603-01-2011', '160301201a', '1603012011\n']),
          pattern('phone', /^0\d{8,13}$/, ['', '81234567890', '+6281234567890', '0812', '0812345678901234', '0812-3456-7890', '0812345678x'], false),
        ],
        semantic: () => {
          const p = proposalOf(person());
          const nik = String(p.nik);
          return [
            { ...p, nik: `${nik.slice(0, 6)}35${nik.slice(8)}` }, // day 35 in the NIK
            { ...p, nik: `${nik.slice(0, 8)}13${nik.slice(10)}` }, // month 13
            { ...p, nik: `${nik.slice(0, 12)}0000` }, // serial 0000
            { ...p, nik: `99${nik.slice(2)}` }, // unknown province
            { ...p, birthDate: '1950-01-01' }, // not the NIK's date
            { ...p, sex: p.sex === 'L' ? 'P' : 'L' },
            { ...p, villageCode: '1603999999' },
            { ...p, villageCode: '1303032001' },
          ];
        },
      },
      {
        label: 'POST /api/programs/:id/enrollments/import',
        method: 'POST',
        target: 'program',
        url: programs('/enrollments/import'),
        roles: ['program_admin', 'village_operator'],
        body: () => ({}),
        fields: [],
        upload: true,
      },
      {
        label: 'POST /api/enrollments/:id/approval',
        method: 'POST',
        target: 'enrollment',
        url: (id) => `/api/enrollments/${id}/approval`,
        roles: ['program_admin'],
        body: () => ({ coverageFrom: today }),
        fields: [date('coverageFrom')],
        semantic: () => [{ coverageFrom: period2.from }, { coverageFrom: `${Number(year) - 5}-01-01` }],
      },
      {
        label: 'POST /api/enrollments/:id/rejection',
        method: 'POST',
        target: 'enrollment',
        url: (id) => `/api/enrollments/${id}/rejection`,
        roles: ['program_admin'],
        body: () => ({ reason: 'NIK tidak sesuai KK' }),
        fields: [text('reason', 3, 500, true)],
      },
      {
        label: 'POST /api/enrollments/:id/deregistration',
        method: 'POST',
        target: 'enrollment',
        url: (id) => `/api/enrollments/${id}/deregistration`,
        roles: ['program_admin'],
        body: () => ({ reason: 'moved_away', effectiveDate: period.to, note: 'pindah domisili' }),
        fields: [oneOf('reason', DEREGISTRATION_REASONS), date('effectiveDate'), text('note', 1, 500, false)],
        // The enrollment is only proposed: deregistering it is refused, however well-formed.
        semantic: () => [{ reason: 'deceased', effectiveDate: period.to }],
      },
      {
        label: 'POST /api/imports/:id/approval',
        method: 'POST',
        target: 'import',
        url: (id) => `/api/imports/${id}/approval`,
        roles: ['program_admin'],
        body: () => ({ coverageFrom: today }),
        fields: [date('coverageFrom')],
      },
      {
        label: 'POST /api/participants/:id/erasure',
        method: 'POST',
        target: 'participant',
        url: (id) => `/api/participants/${id}/erasure`,
        roles: ['program_admin'],
        body: () => ({ reason: 'Permintaan subjek data (UU 27/2022 Pasal 8)' }),
        fields: [text('reason', 1, 500, false)],
      },
      {
        label: 'PUT /api/regions/:code/baselines/:year',
        method: 'PUT',
        target: 'region',
        url: (code, y = year) => `/api/regions/${code}/baselines/${y}`,
        roles: ['program_admin'],
        body: () => ({ workingPopulation: 93_000, informalWorkers: 60_000, vulnerableWorkers: 48_838, source: 'BPS Sakernas Agustus' }),
        fields: [
          int('workingPopulation', 0, 300_000_000, true),
          int('informalWorkers', 0, 300_000_000, false),
          int('vulnerableWorkers', 0, 300_000_000, false),
          text('source', 2, 300, true),
        ],
        semantic: () => [
          { workingPopulation: 10, informalWorkers: 20, source: 'BPS' },
          { workingPopulation: 100, informalWorkers: 50, vulnerableWorkers: 60, source: 'BPS' },
        ],
      },
      {
        label: 'PUT /api/regions/:code/outside-participants/:date',
        method: 'PUT',
        target: 'region',
        pathDate: true,
        url: (code, d = today) => `/api/regions/${code}/outside-participants/${d}`,
        roles: ['program_admin'],
        body: () => ({ participants: 66_225, source: 'BPJS Ketenagakerjaan Cabang Muara Enim, laporan' }),
        fields: [int('participants', 0, 300_000_000, true), text('source', 2, 300, true)],
      },
    ];

    function endpointsBody0() {
      return {
        name: 'Program Uji Fuzz',
        ownerRegion: MUARA_ENIM,
        payer: 'Pemerintah Kabupaten Muara Enim',
        fundingSource: 'APBD',
        benefitPackage: 'JKK_JKM',
        period,
        quota: 100,
      };
    }
  }

  /** Tokens that must never get a write through, with the answer each must get. */
  async function hostileTokens(): Promise<{ name: string; header?: string; status: number; role?: Role; scope?: 'foreign' | 'otherVillage' }[]> {
    const secret = new Uint8Array(app.runtime.secrets.jwtSecret);
    const now = Math.floor(Date.now() / 1000);
    const claims = { role: 'program_admin', regions: [MUARA_ENIM] };
    const jwt = (payload: Record<string, unknown>, options: { alg?: string; typ?: string; iss?: string; aud?: string; exp?: number | null; nbf?: number; key?: Uint8Array } = {}) => {
      const token = new SignJWT(payload)
        .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: options.typ ?? 'JWT' })
        .setSubject('fuzz')
        .setIssuer(options.iss ?? JWT_ISSUER)
        .setAudience(options.aud ?? JWT_AUDIENCE)
        .setIssuedAt(now);
      if (options.exp !== null) token.setExpirationTime(options.exp ?? now + 3600);
      if (options.nbf) token.setNotBefore(options.nbf);
      return token.sign(options.key ?? secret);
    };
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const [head, body, signature] = admin.split('.');
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    const foreignVillage = regions().villagesOf(SAROLANGUN)[0];
    return [
      { name: 'no header', status: 401 },
      { name: 'empty bearer', header: 'Bearer ', status: 401 },
      { name: 'basic auth', header: 'Basic ZnV6ejpmdXp6', status: 401 },
      { name: 'other scheme', header: `Token ${admin}`, status: 401 },
      { name: 'two parts', header: `Bearer ${head}.${body}`, status: 401 },
      { name: 'garbage', header: 'Bearer a.b.c', status: 401 },
      { name: 'bad signature', header: `Bearer ${head}.${body}.${flipped}`, status: 401 },
      { name: 'trailing junk', header: `Bearer ${admin}x`, status: 401 },
      { name: 'other secret', header: `Bearer ${await jwt(claims, { key: new Uint8Array(randomBytes(32)) })}`, status: 401 },
      {
        name: 'alg none',
        header: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'fuzz', iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: now + 3600 })}.`,
        status: 401,
      },
      { name: 'HS512', header: `Bearer ${await jwt(claims, { alg: 'HS512', key: new Uint8Array(randomBytes(64)) })}`, status: 401 },
      { name: 'expired', header: `Bearer ${await jwt(claims, { exp: now - 60 })}`, status: 401 },
      { name: 'not yet valid', header: `Bearer ${await jwt(claims, { nbf: now + 3600 })}`, status: 401 },
      { name: 'no exp', header: `Bearer ${await jwt(claims, { exp: null })}`, status: 401 },
      { name: 'wrong issuer', header: `Bearer ${await jwt(claims, { iss: 'someone-else' })}`, status: 401 },
      { name: 'wrong audience', header: `Bearer ${await jwt(claims, { aud: 'another-api' })}`, status: 401 },
      { name: 'wrong typ', header: `Bearer ${await jwt(claims, { typ: 'at+jwt' })}`, status: 401 },
      { name: 'unknown role', header: `Bearer ${await jwt({ role: 'root', regions: ['ID'] })}`, status: 401 },
      { name: 'no regions', header: `Bearer ${await jwt({ role: 'program_admin', regions: [] })}`, status: 401 },
      { name: 'bad region shape', header: `Bearer ${await jwt({ role: 'program_admin', regions: ['16-03'] })}`, status: 401 },
      { name: 'viewer', header: `Bearer ${await app.token('viewer', [MUARA_ENIM])}`, status: 403, role: 'viewer' },
      { name: 'finance', header: `Bearer ${await app.token('finance', [MUARA_ENIM])}`, status: 403, role: 'finance' },
      { name: 'auditor', header: `Bearer ${await app.token('auditor', [MUARA_ENIM])}`, status: 403, role: 'auditor' },
      {
        name: 'village operator of another village',
        header: `Bearer ${await app.token('village_operator', [PAGAR_DEWA])}`,
        status: 403,
        role: 'village_operator',
        scope: 'otherVillage',
      },
      {
        name: 'program admin of 1503',
        header: `Bearer ${await app.token('program_admin', [SAROLANGUN])}`,
        status: 403,
        role: 'program_admin',
        scope: 'foreign',
      },
      {
        name: 'village operator in 1503',
        header: `Bearer ${await app.token('village_operator', [foreignVillage])}`,
        status: 403,
        role: 'village_operator',
        scope: 'foreign',
      },
    ];
  }

  function buildCases(list: Endpoint[], tokens: Awaited<ReturnType<typeof hostileTokens>>): Case[] {
    const random = mulberry32(SEED);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const chance = (p: number) => random() < p;
    const auth = { authorization: `Bearer ${admin}` };
    const json = { 'content-type': 'application/json' };
    const realId = (e: Endpoint) =>
      e.target === 'program' ? programId
      : e.target === 'enrollment' ? enrollmentId
      : e.target === 'import' ? importId
      : e.target === 'participant' ? participantId
      : MUARA_ENIM;
    const unknownId = (e: Endpoint) =>
      e.target === 'import' ? Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('') : uuidFrom(random);
    const cases: Case[] = [];
    const add = (e: Endpoint, category: string, c: Omit<Case, 'endpoint' | 'category' | 'method'> & { method?: Method }) =>
      cases.push({ endpoint: e.label, category, method: c.method ?? e.method, ...c });

    /** The endpoint's valid body with unicode noise in its other free-text fields (still valid on its own). */
    const noisyBody = (e: Endpoint, except?: string) => {
      const body = e.body();
      for (const field of e.fields) {
        if (field.text && field.name !== except && field.name in body && chance(0.5)) body[field.name] = pick(NOISE);
      }
      return body;
    };
    const withField = (body: Record<string, unknown>, name: string, value: unknown) => {
      const [outer, inner] = name.split('.');
      if (inner) body[outer] = { ...(body[outer] as object), [inner]: value };
      else body[outer] = value;
      return body;
    };
    const withoutField = (body: Record<string, unknown>, name: string) => {
      const [outer, inner] = name.split('.');
      if (inner) {
        const nested = { ...(body[outer] as Record<string, unknown>) };
        delete nested[inner];
        body[outer] = nested;
      } else delete body[outer];
      return body;
    };
    const validCsv = () => csvOf([person(), person()]);
    const upload = (content: string | Buffer, contentType = 'text/csv') => ({ payload: content, headers: { ...auth, 'content-type': contentType } });

    // Systematic: every hostile token against every endpoint, with an otherwise valid request.
    for (const e of list) {
      for (const token of tokens) {
        if (token.role && e.roles.includes(token.role) && !token.scope) continue;
        // A village operator may upload for a regency program (rows outside the village are refused one by one).
        if (e.upload && token.scope === 'otherVillage') continue;
        const headers: Record<string, string> = token.header ? { authorization: token.header } : {};
        if (e.upload) add(e, `token: ${token.name}`, { url: e.url(realId(e)), ...upload(validCsv()), headers: { ...headers, 'content-type': 'text/csv' }, expect: { kind: 'status', status: token.status } });
        else add(e, `token: ${token.name}`, { url: e.url(realId(e)), headers: { ...headers, ...json }, payload: JSON.stringify(e.body()), expect: { kind: 'status', status: token.status } });
      }
    }

    // Systematic: the upload endpoint's malformed files.
    const uploadEndpoint = list.find((e) => e.upload)!;
    const uploadUrl = uploadEndpoint.url(programId);
    const garbage = (n: number, min = 0) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = min + Math.floor(random() * (256 - min));
      return out;
    };
    /** Garbage without NUL bytes, so that it is taken for text. */
    const textGarbage = (n: number) => garbage(n, 1);
    const zipGarbage = (n: number) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), garbage(n)]);
    const uploads: [string, Partial<Case> & { payload?: string | Buffer; headers: Record<string, string> }, Expect][] = [
      ['binary garbage as CSV', upload(garbage(4096)), { kind: 'client' }],
      ['binary garbage (no NUL in the head) as CSV', upload(Buffer.concat([Buffer.from('abcdefgh'), textGarbage(4096)])), { kind: 'client' }],
      ['binary garbage as XLSX', upload(garbage(4096), XLSX_TYPE), { kind: 'client' }],
      ['zip-looking garbage as XLSX', upload(zipGarbage(4096), XLSX_TYPE), { kind: 'client' }],
      ['zip-looking garbage as CSV', upload(zipGarbage(512)), { kind: 'client' }],
      ['garbage as octet-stream', upload(garbage(1024), 'application/octet-stream'), { kind: 'client' }],
      ['garbage as .xls', upload(Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), garbage(512)]), 'application/vnd.ms-excel'), { kind: 'client' }],
      ['10 MB of garbage as CSV', upload(Buffer.concat([Buffer.from('x;y;z\n'), textGarbage(MB10)])), { kind: 'client' }],
      ['CSV text claiming to be XLSX', upload(validCsv(), XLSX_TYPE), { kind: 'client' }],
      ['UTF-16 CSV', upload(Buffer.from(`\ufeff${validCsv()}`, 'utf16le')), { kind: 'client' }],
      ['CSV with only the header row', upload(`${HEADERS.join(';')}\r\n`), { kind: 'client' }],
      ['CSV with only the header row (comma, English)', upload('nik,name,sex,birth date,occupation,village code,phone\n'), { kind: 'client' }],
      ['CSV with only blank rows', upload(';;;;;;\r\n;;;;;;\r\n'), { kind: 'client' }],
      ['CSV without the required columns', upload('foo;bar;baz\r\n1;2;3\r\n'), { kind: 'client' }],
      ['CSV with a duplicated column', upload(`${HEADERS.join(';')};NIK\r\n`), { kind: 'client' }],
      ['CSV of NUL bytes', upload(Buffer.alloc(256)), { kind: 'client' }],
      ['empty body (text/csv)', upload(''), { kind: 'status', status: 400 }],
      ['JSON instead of a file', { payload: JSON.stringify({ file: validCsv() }), headers: { ...auth, ...json } }, { kind: 'status', status: 400 }],
      ['no body at all', { headers: { ...auth } }, { kind: 'status', status: 400 }],
      ['multipart without a file', { ...multipartForm('note', 'x') }, { kind: 'status', status: 400 }],
      ['multipart without a boundary', { payload: 'xx', headers: { ...auth, 'content-type': 'multipart/form-data' } }, { kind: 'status', status: 400 }],
      ['multipart cut short', { payload: '--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nNIK;Na', headers: { ...auth, 'content-type': 'multipart/form-data; boundary=b' } }, { kind: 'client' }],
      ['multipart with garbage file', multipartUpload('usulan.csv', 'text/csv', garbage(2048)), { kind: 'client' }],
      ['multipart with header-only CSV', multipartUpload('kosong.csv', 'text/csv', Buffer.from(`${HEADERS.join(';')}\r\n`)), { kind: 'client' }],
      ['multipart with two files', twoFiles(), { kind: 'client' }],
      ['application/xml', upload('<usulan/>', 'application/xml'), { kind: 'status', status: 415 }],
    ];
    for (const [category, request, expect] of uploads) {
      add(uploadEndpoint, `upload: ${category}`, { url: uploadUrl, headers: request.headers, payload: request.payload, expect });
    }
    // A well-formed list sent to a program that does not exist, or with a malformed program id.
    for (let i = 0; i < 4; i++) add(uploadEndpoint, 'upload: unknown program', { url: uploadEndpoint.url(uuidFrom(random)), ...upload(validCsv()), expect: { kind: 'status', status: 404 } });
    for (const bad of NOT_UUIDS.slice(0, 8)) add(uploadEndpoint, 'upload: malformed program id', { url: uploadEndpoint.url(seg(bad)), ...upload(validCsv()), expect: { kind: 'validation', field: 'id' } });

    function multipartUpload(fileName: string, contentType: string, content: Buffer) {
      const form = multipartFile(fileName, contentType, content);
      return { payload: form.payload, headers: { ...auth, ...form.headers } };
    }
    function multipartForm(name: string, value: string) {
      const boundary = 'fuzzboundary';
      return {
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n--${boundary}--\r\n`,
        headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      };
    }
    function twoFiles() {
      const boundary = 'fuzzboundary2';
      const part = (n: number) => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a${n}.csv"\r\nContent-Type: text/csv\r\n\r\nfoo;bar\r\n`;
      return { payload: `${part(1)}${part(2)}--${boundary}--\r\n`, headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` } };
    }

    // Systematic: wrong content types and non-object JSON roots on every JSON endpoint.
    const jsonEndpoints = list.filter((e) => !e.upload);
    for (const e of jsonEndpoints) {
      const url = e.url(realId(e));
      const body = JSON.stringify(e.body());
      add(e, 'content type: application/xml', { url, headers: { ...auth, 'content-type': 'application/xml' }, payload: '<body/>', expect: { kind: 'status', status: 415 } });
      add(e, 'content type: application/yaml', { url, headers: { ...auth, 'content-type': 'application/yaml' }, payload: 'quota: 5', expect: { kind: 'status', status: 415 } });
      add(e, 'content type: JSON sent as text/plain', { url, headers: { ...auth, 'content-type': 'text/plain' }, payload: body, expect: { kind: 'client' } });
      add(e, 'content type: JSON sent as text/csv', { url, headers: { ...auth, 'content-type': 'text/csv' }, payload: body, expect: { kind: 'client' } });
      add(e, 'content type: JSON sent as octet-stream', { url, headers: { ...auth, 'content-type': 'application/octet-stream' }, payload: body, expect: { kind: 'client' } });
      const form = multipartFile('body.json', 'application/json', Buffer.from(body));
      add(e, 'content type: multipart to a JSON endpoint', { url, headers: { ...auth, ...form.headers }, payload: form.payload, expect: { kind: 'client' } });
      add(e, 'content type: multipart without boundary to a JSON endpoint', { url, headers: { ...auth, 'content-type': 'multipart/form-data' }, payload: body, expect: { kind: 'client' } });
      add(e, 'content type: form with unknown fields', { url, headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'foo=bar&__proto__[admin]=1', expect: { kind: 'status', status: 400 } });
      for (const root of ['null', '[]', '[{}]', '"text"', '0', '1e308', 'true', 'false']) {
        add(e, `body: JSON ${root} instead of an object`, { url, headers: { ...auth, ...json }, payload: root, expect: { kind: 'status', status: 400 } });
      }
      add(e, 'body: empty JSON body', { url, headers: { ...auth, ...json }, payload: '', expect: { kind: 'syntax' } });
      add(e, 'idempotency key too long', { url, headers: { ...auth, ...json, 'idempotency-key': 'k'.repeat(201) }, payload: body, expect: { kind: 'validation', field: 'Idempotency-Key' } });
      // Deep nesting: as a field's value and as an extra field.
      const target = e.fields[0].name.split('.')[0];
      for (const depth of [64, 512, 2_000, 10_000]) {
        const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
        const deepObject = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
        const placed = JSON.stringify({ ...e.body(), [target]: '\u0001DEEP' }).replace('"\\u0001DEEP"', deep);
        add(e, `huge: nesting ${depth} deep in a field`, { url, headers: { ...auth, ...json }, payload: placed, expect: { kind: 'validation', field: target } });
        add(e, `huge: nesting ${depth} deep in an extra field`, { url, headers: { ...auth, ...json }, payload: body.replace(/^\{/, `{"extra":${deepObject},`), expect: { kind: 'validation', field: 'extra' } });
      }
      add(e, 'huge: 3,000 extra fields', { url, headers: { ...auth, ...json }, payload: JSON.stringify({ ...e.body(), ...Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])) }), expect: { kind: 'validation', field: 'k0' } });
      for (const semantic of e.semantic?.() ?? []) {
        add(e, 'semantic: well-formed but refused by a rule', { url, headers: { ...auth, ...json }, payload: JSON.stringify(semantic), expect: { kind: 'client' } });
      }
    }

    // Systematic: one 10 MB string per free-text field.
    for (const e of jsonEndpoints) {
      for (const field of e.fields.filter((f) => f.text)) {
        add(e, `huge: 10 MB string in ${field.name}`, { url: e.url(realId(e)), headers: { ...auth, ...json }, payload: JSON.stringify({ ...e.body(), [field.name]: 'x'.repeat(MB10) }), expect: { kind: 'validation', field: field.name } });
      }
    }

    // Random: the rest, drawn by category.
    const categories = ['field', 'field', 'field', 'field', 'missing', 'extra', 'proto', 'syntax', 'path', 'path', 'unknown', 'token', 'unicode'] as const;
    for (let i = 0; i < RANDOM_CASES; i++) {
      const e = pick(jsonEndpoints);
      let category: (typeof categories)[number] = pick(categories);
      if ((category === 'path' || category === 'unknown') && !e.target) category = 'field';
      const url = e.url(realId(e));
      const headers = { ...auth, ...json };
      if (chance(0.1)) Object.assign(headers, { 'x-correlation-id': pick(['', 'x'.repeat(500), '../../etc', '<script>', 'ok-123']) });
      switch (category) {
        case 'field':
        case 'unicode': {
          const field = pick(e.fields);
          let value = pick(field.invalid);
          // A suffix keeps a refused date, code or enum value refused; on free text it could
          // lengthen a too-short value into a valid one, so free text only gets noisy neighbours.
          if (category === 'unicode' && !field.text && typeof value === 'string' && value.length < 1000) {
            value = `${value}${pick(['\u0000', '\u202e', '\u200b', '\ud800', '\u{1F525}', '\u0007'])}`;
          }
          const body = withField(category === 'unicode' ? noisyBody(e, field.name) : e.body(), field.name, value);
          add(e, `field: invalid ${field.name}`, { url, headers, payload: JSON.stringify(body), expect: { kind: 'validation', field: field.name }, note: `${field.name} = ${shown(value)}` });
          break;
        }
        case 'missing': {
          const required = e.fields.filter((f) => f.required);
          if (required.length === 0) {
            add(e, 'field: extra field', { url, headers, payload: JSON.stringify({ ...e.body(), unexpected: pick(NOISE) }), expect: { kind: 'validation', field: 'unexpected' } });
            break;
          }
          const field = pick(required);
          add(e, `field: missing ${field.name}`, { url, headers, payload: JSON.stringify(withoutField(e.body(), field.name)), expect: { kind: 'validation', field: field.name }, note: `no ${field.name}` });
          break;
        }
        case 'extra': {
          const name = pick(['isAdmin', 'role', 'id', 'programId', 'status', 'consistencyToken', '$where', '$gt', 'toString', 'hasOwnProperty', 'prototype', 'constructor', 'a'.repeat(1000), 'ключ', '\u{1F525}', ' ', 'quota\u0000', 'NaN']);
          const value = pick([true, 1, 'x', null, {}, [], { $ne: null }, pick(NOISE)]);
          add(e, 'field: extra field', { url, headers, payload: JSON.stringify({ ...noisyBody(e), [name]: value }), expect: { kind: 'validation', field: name }, note: `extra ${shown(name)}` });
          break;
        }
        case 'proto': {
          const body = JSON.stringify(e.body());
          const poison = pick([
            '"__proto__":{"isAdmin":true}',
            '"__proto__":{"role":"program_admin","regions":["ID"]}',
            '"constructor":{"prototype":{"isAdmin":true}}',
            '"__proto__":null',
          ]);
          const where = chance(0.5) ? body.replace(/^\{/, `{${poison},`) : body.replace(/\}$/, `,"nested":{${poison}}}`);
          add(e, 'prototype pollution key', { url, headers, payload: where, expect: { kind: 'syntax' } });
          break;
        }
        case 'syntax': {
          const body = JSON.stringify(e.body());
          const broken = pick([
            body.slice(0, Math.max(1, Math.floor(random() * body.length))),
            body.replace(/"/g, "'"),
            body.replace(/:/, '='),
            `${body},`,
            `${body}}`,
            body.replace(/\}$/, ',}'),
            `{${body}`,
            body.replace(/"([a-zA-Z]+)":/, '$1:'),
            '{"a":1 "b":2}',
            'nul',
            'undefined',
            'NaN',
            '{"a":NaN}',
            '{"a":Infinity}',
            '{"a":0x10}',
            '{"a":01}',
            '{"a":"\\x41"}',
            '{"a":"\\u00"}',
            '{"a":"line\nbreak"}',
            '\u0000',
            '\uFEFF{}',
            '/* comment */ {}',
            textGarbage(64).toString('latin1'),
          ]);
          add(e, 'malformed JSON', { url, headers, payload: broken, expect: { kind: 'syntax' } });
          break;
        }
        case 'path': {
          if (e.target === 'region' && e.pathDate) {
            const bad = pick(BAD_DATES.filter((d): d is string => typeof d === 'string' && d.trim() !== ''));
            if (chance(0.5)) add(e, 'path: malformed date', { url: e.url(MUARA_ENIM, seg(bad)), headers, payload: JSON.stringify(e.body()), expect: { kind: 'validation', field: 'date' } });
            else add(e, 'path: wrong or unknown region code', { url: e.url(seg(pick(WRONG_REGIONS))), headers, payload: JSON.stringify(e.body()), expect: { kind: 'client' } });
          } else if (e.target === 'region') {
            if (chance(0.5)) add(e, 'path: malformed year', { url: e.url(MUARA_ENIM, seg(pick(BAD_YEARS))), headers, payload: JSON.stringify(e.body()), expect: { kind: 'validation', field: 'year' } });
            else add(e, 'path: wrong or unknown region code', { url: e.url(seg(pick(WRONG_REGIONS))), headers, payload: JSON.stringify(e.body()), expect: { kind: 'client' } });
          } else if (e.target === 'import') {
            add(e, 'path: malformed import id', { url: e.url(seg(pick(NOT_IMPORT_IDS))), headers, payload: JSON.stringify(e.body()), expect: { kind: 'validation', field: 'id' } });
          } else {
            const bad = pick([...NOT_UUIDS, 'x'.repeat(101)]);
            // Fastify does not route a path parameter longer than 100 characters (404).
            add(e, 'path: malformed id', { url: e.url(seg(bad)), headers, payload: JSON.stringify(e.body()), expect: bad.length > 100 ? { kind: 'client' } : { kind: 'validation', field: 'id' } });
          }
          break;
        }
        case 'unknown': {
          if (e.target === 'region') add(e, 'path: wrong or unknown region code', { url: e.url(seg(pick(WRONG_REGIONS))), headers, payload: JSON.stringify(e.body()), expect: { kind: 'client' } });
          else add(e, 'path: random id', { url: e.url(unknownId(e)), headers, payload: JSON.stringify(e.body()), expect: { kind: 'status', status: 404 } });
          break;
        }
        case 'token': {
          const token = pick(tokens);
          if (token.role && e.roles.includes(token.role) && !token.scope) break;
          const tokenHeaders: Record<string, string> = { ...json, ...(token.header ? { authorization: token.header } : {}) };
          add(e, `token: ${token.name}`, { url, headers: tokenHeaders, payload: JSON.stringify(noisyBody(e)), expect: { kind: 'status', status: token.status } });
          break;
        }
      }
    }
    // Stable: the order within an endpoint stays the order of generation.
    return cases.sort((a, b) => RUN_ORDER.indexOf(a.endpoint) - RUN_ORDER.indexOf(b.endpoint));
  }

  function check(c: Case, response: ApiResponse, appended: number): string[] {
    const problems: string[] = [];
    const { status, body } = response;
    if (status >= 500) problems.push(`${status} server error`);
    else if (status < 400) problems.push(`${status}: a malformed request was accepted`);
    if (appended > 0) problems.push(`appended ${appended} event(s)`);
    if (status >= 400 && status < 500) {
      const type = String(response.headers['content-type'] ?? '');
      if (!type.startsWith('application/problem+json')) problems.push(`content-type ${type || '(none)'}, not problem+json`);
      if (!body || typeof body !== 'object') problems.push('body is not JSON');
      else {
        if (typeof body.type !== 'string' || body.type === '') problems.push('problem without type');
        if (typeof body.title !== 'string' || body.title === '') problems.push('problem without title');
        if (body.status !== status) problems.push(`problem status ${String(body.status)} ≠ ${status}`);
        const errors: unknown = body.errors;
        const named = Array.isArray(errors) && errors.length > 0 && errors.every((e) => e && typeof e.field === 'string' && typeof e.rule === 'string');
        if (status === 400 && errors !== undefined && !named) problems.push('400 errors entries without field and rule');
        if (status === 400 && String(body.type).endsWith('/request.invalid') && !named) problems.push('validation 400 without errors naming field and rule');
      }
    }
    const expect = c.expect;
    if (status >= 400 && status < 500) {
      if ((expect.kind === 'validation' || expect.kind === 'syntax') && status !== 400) problems.push(`expected 400, got ${status}`);
      if (expect.kind === 'status' && status !== expect.status) problems.push(`expected ${expect.status}, got ${status}`);
      if (expect.kind === 'validation' && status === 400) {
        const fields: string[] = Array.isArray(body?.errors) ? body.errors.map((e: { field?: string }) => String(e.field)) : [];
        if (fields.length === 0) problems.push('validation 400 without errors');
        else if (expect.field && !fields.some((f) => f === expect.field || f.startsWith(`${expect.field}.`))) {
          problems.push(`errors do not name ${expect.field} (named: ${[...new Set(fields)].slice(0, 5).join(', ')})`);
        }
      }
    }
    return problems;
  }

  const describeCase = (c: Case, response: ApiResponse) => {
    const payload = c.payload === undefined ? '' : Buffer.isBuffer(c.payload) ? `<${c.payload.length} bytes>` : JSON.stringify(c.payload.length > 160 ? `${c.payload.slice(0, 160)}…(${c.payload.length} chars)` : c.payload);
    const headers = Object.entries(c.headers)
      .map(([k, v]) => `${k}: ${k === 'authorization' ? `${v.slice(0, 20)}…` : v.slice(0, 60)}`)
      .join('; ');
    const note = c.note ? ` (${c.note})` : '';
    return `${c.method} ${c.url.slice(0, 140)} [${headers}] ${payload}${note} → ${response.status} ${response.text.slice(0, 240)}`;
  };

  it('answers ~1,500 malformed requests with 4xx problem details, writing nothing', async () => {
    const list = endpoints();
    const cases = buildCases(list, await hostileTokens());
    expect(cases.length).toBeGreaterThanOrEqual(1_400);
    // Every write endpoint is covered.
    expect(new Set(cases.map((c) => c.endpoint))).toEqual(new Set(list.map((e) => e.label)));

    expect(cases.map((c) => c.endpoint).every((label) => RUN_ORDER.includes(label))).toBe(true);

    const violations: Violation[] = [];
    let head = await app.runtime.store.headPosition();
    let firstWrite: string | undefined;
    const started = Date.now();
    for (const [index, c] of cases.entries()) {
      const response = await app.request(c.method, c.url, { headers: c.headers, payload: c.payload });
      const now = await app.runtime.store.headPosition();
      if (now !== head) firstWrite ??= `request #${index + 1} of ${cases.length}: ${describeCase(c, response)}`;
      for (const problem of check(c, response, now - head)) {
        violations.push({ group: `${c.endpoint} — ${c.category} — ${problem}`, example: describeCase(c, response) });
      }
      head = now;
    }
    const seconds = (Date.now() - started) / 1000;
    // Nothing leaked into this process's prototypes (the app runs in it).
    const probe = {} as Record<string, unknown>;
    expect([probe.isAdmin, probe.role, probe.regions, probe.polluted]).toEqual([undefined, undefined, undefined, undefined]);

    const groups = new Map<string, { count: number; example: string }>();
    for (const v of violations) {
      const group = groups.get(v.group) ?? { count: 0, example: v.example };
      group.count += 1;
      groups.set(v.group, group);
    }
    const report = [...groups].map(([group, { count, example }]) => `${group} (×${count})\n    e.g. ${example}`);
    // Later answers may follow from the first wrongly accepted write (a participant erased…).
    if (firstWrite) report.unshift(`first write to the ledger: ${firstWrite}`);
    console.log(`fuzz: ${cases.length} requests in ${seconds.toFixed(1)} s, ${violations.length} violation(s) in ${groups.size} group(s)`);
    expect(report).toEqual([]);
  }, 180_000);

  it('leaves the ledger unchanged: the projection head and the read models are what they were', async () => {
    const after = await snapshot();
    expect(after.storeHead).toBe(before.storeHead);
    expect(after.head).toBe(before.head);
    expect(after.projections).toEqual(before.projections);
    expect(after.tables).toEqual(before.tables);
    expect(after.views).toEqual(before.views);
    // The program and the enrollment read as they did, and nothing was erased.
    expect(after.views[`/api/participants/${participantId}`]).toMatchObject({ status: 200, body: { status: 'active' } });
  }, 60_000);

  /*
   * Free text that is well-formed JSON but not text a person or an office would write: NUL and
   * other C0 control characters, or nothing but blanks. Kept apart from the run above because
   * each of these would be the only defect of an otherwise valid request: accepted, it writes.
   */
  it('refuses control characters and blank-only values in names, payers, reasons and sources', async () => {
    const headBefore = await app.runtime.store.headPosition();
    const program = {
      name: 'Program Uji Teks',
      ownerRegion: MUARA_ENIM,
      payer: 'Pemerintah Kabupaten Muara Enim',
      fundingSource: 'APBD',
      benefitPackage: 'JKK_JKM',
      period,
      quota: 100,
    };
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['program name with NUL', '/api/programs', { ...program, name: 'Program\u0000Uji' }, 'name'],
      ['program name with ESC', '/api/programs', { ...program, name: '\u001b[2JProgram Uji' }, 'name'],
      ['program name of blanks', '/api/programs', { ...program, name: '     ' }, 'name'],
      ['payer with BEL', '/api/programs', { ...program, payer: 'Pemkab\u0007Muara Enim' }, 'payer'],
      ['quota reason with NUL', `/api/programs/${programId}/quota`, { quota: 100, reason: 'APBD\u0000Perubahan' }, 'reason'],
      ['person name with NUL', `/api/programs/${programId}/enrollments`, { ...proposalOf(person()), name: 'Siti\u0000Aminah' }, 'name'],
      ['person name of control characters', `/api/programs/${programId}/enrollments`, { ...proposalOf(person()), name: '\u0001\u0002' }, 'name'],
      ['person name of blanks', `/api/programs/${programId}/enrollments`, { ...proposalOf(person()), name: '   ' }, 'name'],
    ];
    const accepted: string[] = [];
    for (const [label, url, body, field] of cases) {
      const response = await app.post(url, admin, body);
      const named = response.status === 400 && (response.body?.errors ?? []).some((e: { field?: string }) => e.field === field);
      if (!named) accepted.push(`${label}: ${response.status} ${response.text.slice(0, 160)}`);
    }
    const baseline = await app.put(`/api/regions/${MUARA_ENIM}/baselines/2001`, admin, { workingPopulation: 1, source: 'BPS\u0000' });
    if (baseline.status !== 400) accepted.push(`baseline source with NUL: ${baseline.status} ${baseline.text.slice(0, 160)}`);
    expect(accepted).toEqual([]);
    expect(await app.runtime.store.headPosition()).toBe(headBefore);
  }, 30_000);
});
