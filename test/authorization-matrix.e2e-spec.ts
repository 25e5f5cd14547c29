/**
 * The authorization matrix, over HTTP through the real app: every API operation × every role
 * × own / foreign / wider / narrower (and national) scope, each against the data of a regency
 * (Muara Enim, 1603) and of a province-wide program (Sumatera Selatan, 16), with a foreign
 * regency's data (Sarolangun, 1503) beside them.
 *
 * The expected answer comes from a model written here, independent of the code: a role the
 * route does not admit is 403; a token covers a region when one of its codes is the region or
 * a prefix of it ('ID' covers all); it reaches a program when it covers the owner region or
 * one of its codes lies inside it. Reads succeed when covered (or reached), writes when
 * covered; anything else is 403, whether or not the write would have changed anything.
 *
 * Every answer is searched for the ids, names and villages of what the token may not see: a
 * leak is any of them in a body (unless the request's own URL or body named it). Narrowed reads (a wider program
 * read by a token inside it) must count only the token's regions. 0 mismatches, 0 leaks.
 *
 * Import reports (GET /api/imports/{id} and …/report) are checked at the level of 403 for a
 * foreign token only; their row filtering is specified by the import suites.
 */
import type { Role } from '@ledger/platform/auth';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { regions } from '@ledger/ledger/regions/region-directory';
import {
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import {
  currentPeriod,
  EMBAWANG,
  MUARA_ENIM,
  nominationCsv,
  nominationRow,
  PAGAR_DEWA,
  programBody,
  proposal,
  SAROLANGUN,
} from './support/ledger-fixtures';

const directory = regions();
const SUMSEL = '16';
const DISTRICT = EMBAWANG.slice(0, 6); // Embawang's district, inside Muara Enim
/** A Muara Enim village outside Embawang's district. */
const OTHER_DISTRICT_VILLAGE = directory.villagesOf(MUARA_ENIM).find((v) => !v.startsWith(DISTRICT))!;
/** A village of another regency of Sumatera Selatan. */
const PROVINCE_VILLAGE = directory.villagesOf(directory.children(SUMSEL).find((r) => r !== MUARA_ENIM)!)[0];
const FOREIGN_VILLAGE = directory.villagesOf(SAROLANGUN)[0];

// ─── The model ──────────────────────────────────────────────────────────────────────────────

const ALL_ROLES: Role[] = ['village_operator', 'program_admin', 'finance', 'auditor', 'viewer'];

interface Principal {
  label: string;
  role: Role;
  regions: string[];
  token: string;
}

const covers = (p: Principal, code: string) => p.regions.some((r) => r === 'ID' || code.startsWith(r));
const reaches = (p: Principal, owner: string) =>
  covers(p, owner) || p.regions.some((r) => r.startsWith(owner));

/** Scopes relative to Muara Enim's data. Village operators hold village codes only. */
const SCOPES: Record<string, { operator?: string[]; other?: string[] }> = {
  own: { operator: [EMBAWANG], other: [MUARA_ENIM] },
  foreign: { operator: [FOREIGN_VILLAGE], other: [SAROLANGUN] },
  wider: { operator: [EMBAWANG, PAGAR_DEWA], other: [SUMSEL] },
  // For an operator, a village of the regency other than the one the data is in.
  narrower: { operator: [PAGAR_DEWA], other: [DISTRICT] },
  national: { other: ['ID'] },
};

interface Program {
  id: string;
  name: string;
  owner: string;
}
interface Enrollment {
  id: string;
  participantId: string;
  programId: string;
  village: string;
  status: 'proposed' | 'approved';
}

interface Operation {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  roles: Role[];
  /** Whether the model lets the principal through (role admitted). */
  allowed: (p: Principal) => boolean;
  /** Statuses an allowed call may get (a write repeated may find its work done: 409). */
  ok: number[];
  body?: () => unknown;
  headers?: Record<string, string>;
  /** Only "403 for a foreign token" is asserted (import reports). */
  foreignOnly?: boolean;
  /** Extra checks of an allowed answer: counts narrowed to the token's regions. */
  check?: (p: Principal, response: ApiResponse) => string | undefined;
}

function matrixSuite(mode: LedgerMode) {
  let app: LedgerApp;
  const today = todayWib();
  const people = createPeopleGenerator({ seed: 4004, today, regions: directory });
  const programs: Record<'reg' | 'prov' | 'foreign', Program> = {} as never;
  const enrollments: Record<string, Enrollment> = {};
  const imports: Record<'reg' | 'foreign', { id: string; programId: string }> = {} as never;
  /** This month's invoice of each program, issued in the setup. */
  const invoices: Record<'reg' | 'prov' | 'foreign', string> = {} as never;
  const principals: Principal[] = [];
  const mismatches: string[] = [];
  const leaks: string[] = [];
  let requests = 0;

  /** Everything that may leak, with who may see it. */
  const secrets = () => {
    const out: { value: string; visible: (p: Principal) => boolean; what: string }[] = [];
    for (const program of Object.values(programs)) {
      out.push({
        value: program.id,
        visible: (p) => reaches(p, program.owner),
        what: `program ${program.name}`,
      });
      out.push({ value: program.name, visible: (p) => reaches(p, program.owner), what: 'program name' });
    }
    for (const [key, e] of Object.entries(enrollments)) {
      out.push({ value: e.id, visible: (p) => covers(p, e.village), what: `enrollment ${key}` });
      out.push({
        value: e.participantId,
        visible: (p) => covers(p, e.village),
        what: `participant of ${key}`,
      });
      // Where a person lives is theirs too.
      out.push({ value: e.village, visible: (p) => covers(p, e.village), what: `village of ${key}` });
    }
    for (const [key, i] of Object.entries(imports)) {
      const owner = Object.values(programs).find((pr) => pr.id === i.programId)!.owner;
      out.push({ value: i.id, visible: (p) => reaches(p, owner), what: `import ${key}` });
    }
    return out;
  };

  const admin = () => principals.find((p) => p.role === 'program_admin' && p.regions[0] === 'ID')!;

  /** Sends the operation; `sent` is what the caller itself told (URL and body), which is no leak to echo. */
  async function call(op: Operation, p: Principal): Promise<{ response: ApiResponse; sent: string }> {
    requests += 1;
    const body = op.body?.();
    const response = await app.request(op.method, op.url, {
      token: p.token,
      headers: op.headers,
      ...(body === undefined ? {} : { payload: body }),
    });
    return { response, sent: `${op.url} ${typeof body === 'string' ? body : JSON.stringify(body)}` };
  }

  async function caughtUp() {
    const head = await app.runtime.store.headPosition();
    const names = (await app.runtime.runner.status()).map((s) => s.name);
    expect(await app.runtime.runner.waitFor(names, head, 30_000)).toBe(true);
  }

  async function establish(owner: string, name: string): Promise<Program> {
    const response = await app.post(
      '/api/programs',
      admin().token,
      programBody({ ownerRegion: owner, name }),
    );
    expect(response.status).toBe(201);
    return { id: response.body.programId, name, owner };
  }

  async function enroll(key: string, program: Program, village: string, approve = false) {
    const response = await app.post(
      `/api/programs/${program.id}/enrollments`,
      admin().token,
      proposal(people.next({ villageCode: village })),
    );
    expect(response.status).toBe(201);
    enrollments[key] = {
      id: response.body.enrollmentId,
      participantId: response.body.participantId,
      programId: program.id,
      village,
      status: 'proposed',
    };
    if (approve) {
      const approved = await app.post(
        `/api/enrollments/${response.body.enrollmentId}/approval`,
        admin().token,
        {
          coverageFrom: today,
        },
      );
      expect(approved.status).toBe(200);
      enrollments[key].status = 'approved';
    }
  }

  async function importOne(program: Program, village: string) {
    const response = await app.request('POST', `/api/programs/${program.id}/enrollments/import`, {
      token: admin().token,
      payload: nominationCsv([nominationRow(people.next({ villageCode: village }))]),
      headers: { 'content-type': 'text/csv', 'x-file-name': 'usulan.csv' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 1 });
    await caughtUp();
    const report = await app.get(`/api/imports/${response.body.importId}/report?format=json`, admin().token);
    const row = report.body.rows[0];
    return { importId: response.body.importId as string, enrollmentId: row.enrollmentId as string };
  }

  beforeAll(async () => {
    app = await startLedgerApp(mode);
    for (const role of ALL_ROLES) {
      for (const [scope, codes] of Object.entries(SCOPES)) {
        const regionCodes = role === 'village_operator' ? codes.operator : codes.other;
        if (!regionCodes) continue;
        const label = `${role}/${scope}`;
        principals.push({
          label,
          role,
          regions: regionCodes,
          token: await app.token(role, regionCodes, label),
        });
      }
    }
    programs.reg = await establish(MUARA_ENIM, 'Program Matriks Muara Enim');
    programs.prov = await establish(SUMSEL, 'Program Matriks Sumatera Selatan');
    programs.foreign = await establish(SAROLANGUN, 'Program Matriks Sarolangun');
    await enroll('regOwn', programs.reg, EMBAWANG, true);
    await enroll('regOtherDistrict', programs.reg, OTHER_DISTRICT_VILLAGE, true);
    await enroll('provOwn', programs.prov, EMBAWANG, true);
    await enroll('provOtherRegency', programs.prov, PROVINCE_VILLAGE, true);
    await enroll('foreign', programs.foreign, FOREIGN_VILLAGE, true);
    // Targets of the writes, one per write and program.
    for (const [key, program] of [
      ['Reg', programs.reg],
      ['Prov', programs.prov],
    ] as const) {
      await enroll(`approve${key}`, program, EMBAWANG);
      await enroll(`reject${key}`, program, EMBAWANG);
      await enroll(`deregister${key}`, program, EMBAWANG, true);
      await enroll(`erase${key}`, program, EMBAWANG);
    }
    for (const [key, program, village] of [
      ['reg', programs.reg, EMBAWANG],
      ['foreign', programs.foreign, FOREIGN_VILLAGE],
    ] as const) {
      const imported = await importOne(program, village);
      imports[key] = { id: imported.importId, programId: program.id };
      await caughtUp();
      const participant = await app.get(`/api/enrollments/${imported.enrollmentId}`, admin().token);
      enrollments[`imported${key}`] = {
        id: imported.enrollmentId,
        participantId: participant.body.participantId,
        programId: program.id,
        village,
        status: 'proposed',
      };
    }
    for (const code of [MUARA_ENIM, SAROLANGUN]) {
      const put = await app.put(`/api/regions/${code}/baselines/2026`, admin().token, {
        workingPopulation: 90_000,
        source: 'BPS uji matriks',
      });
      expect(put.status).toBe(200);
    }
    for (const key of ['reg', 'prov', 'foreign'] as const) {
      const issued = await app.post(`/api/programs/${programs[key].id}/invoices`, admin().token, {
        month: today.slice(0, 7),
      });
      expect(issued.status).toBe(201);
      invoices[key] = issued.body.invoiceId;
    }
    // Every read model caught up with the setup before the reads are judged.
    await caughtUp();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  /** Seats held (proposed or approved) by a program in the villages a token covers, per the model. */
  const seatsFor = (p: Principal | undefined, programId: string) =>
    Object.values(enrollments).filter((e) => e.programId === programId && (!p || covers(p, e.village)))
      .length;

  const programCheck = (program: Program) => (p: Principal, body: Record<string, unknown>) => {
    const narrowed = !covers(p, program.owner);
    const expected = seatsFor(narrowed ? p : undefined, program.id);
    if (body.seatsInUse !== expected) return `seatsInUse ${String(body.seatsInUse)}, expected ${expected}`;
    if (narrowed && JSON.stringify(body.countsScope) === undefined)
      return 'countsScope missing on a narrowed program';
    if (!narrowed && body.countsScope !== undefined) return 'countsScope on a program the token covers';
    return undefined;
  };

  function reads(): Operation[] {
    const all = (
      allowed: (p: Principal) => boolean,
      name: string,
      url: string,
      extra: Partial<Operation> = {},
    ) => ({ name, method: 'GET', url, roles: ALL_ROLES, allowed, ok: [200], ...extra }) as Operation;
    const ops: Operation[] = [
      all(() => true, 'GET /health', '/health'),
      all(() => true, 'GET /health/live', '/health/live'),
      all(() => true, 'GET /health/ready', '/health/ready'),
      all(() => true, 'GET /metrics', '/metrics'),
      all(() => true, 'GET /api/regions/:code', `/api/regions/${MUARA_ENIM}`),
      all(() => true, 'GET /api/regions/ID', '/api/regions/ID'),
      all(
        (p) => covers(p, MUARA_ENIM),
        'GET /api/regions/:code/baselines',
        `/api/regions/${MUARA_ENIM}/baselines`,
      ),
      all(
        (p) => covers(p, MUARA_ENIM),
        'GET /api/regions/:code/outside-participants',
        `/api/regions/${MUARA_ENIM}/outside-participants`,
      ),
      all(() => true, 'GET /api/programs', '/api/programs', {
        check: (p, response) => {
          const listed: Record<string, unknown>[] = response.body.programs;
          const expected = Object.values(programs).filter((program) => reaches(p, program.owner));
          const ids = listed.map((l) => l.id).sort();
          if (JSON.stringify(ids) !== JSON.stringify(expected.map((e) => e.id).sort()))
            return `lists ${listed.map((l) => l.name).join(', ')}`;
          for (const program of expected) {
            const problem = programCheck(program)(
              p,
              listed.find((l) => l.id === program.id)!,
            );
            if (problem) return `${program.name}: ${problem}`;
          }
          return undefined;
        },
      }),
      all(
        (p) => covers(p, MUARA_ENIM),
        'GET /api/coverage',
        `/api/coverage?region=${MUARA_ENIM}&date=${today}`,
      ),
      all(
        (p) => covers(p, MUARA_ENIM),
        'GET /api/coverage/series',
        `/api/coverage/series?region=${MUARA_ENIM}&from=${today.slice(0, 8)}01&to=${today}`,
      ),
      all(
        (p) => covers(p, MUARA_ENIM),
        'GET /api/rankings',
        `/api/rankings?regency=${MUARA_ENIM}&date=${today}`,
      ),
      all(
        (p) => covers(p, SUMSEL),
        'GET /api/rankings (province)',
        `/api/rankings?province=${SUMSEL}&date=${today}`,
      ),
      ...(['', `?region=${MUARA_ENIM}`] as const).map((query): Operation => ({
        name: `GET /api/audit${query ? ' (region)' : ''}`,
        method: 'GET',
        url: `/api/audit${query}`,
        roles: ['program_admin', 'auditor'],
        allowed: (p) => query === '' || covers(p, MUARA_ENIM),
        ok: [200],
        check: (p, response) => {
          const entries: { regionCode: string | null; action: string }[] = response.body.entries;
          const outside = entries.filter((e) => e.regionCode === null || !covers(p, e.regionCode));
          if (outside.length) return `lists ${outside.length} actions outside the scope`;
          return undefined;
        },
      })),
      {
        name: 'GET /api/audit/summary',
        method: 'GET',
        url: `/api/audit/summary?by=region&region=${MUARA_ENIM}`,
        roles: ['program_admin', 'auditor'],
        allowed: (p) => covers(p, MUARA_ENIM),
        ok: [200],
      },
      {
        name: 'GET /api/projections',
        method: 'GET',
        url: '/api/projections',
        roles: ['program_admin', 'auditor', 'finance'],
        allowed: () => true,
        ok: [200],
      },
    ];
    for (const program of Object.values(programs)) {
      ops.push(
        all(
          (p) => reaches(p, program.owner),
          `GET /api/programs/:id (${program.owner})`,
          `/api/programs/${program.id}`,
          {
            check: (p, response) => programCheck(program)(p, response.body),
          },
        ),
        all(
          (p) => reaches(p, program.owner),
          `GET /api/programs/:id/summary (${program.owner})`,
          `/api/programs/${program.id}/summary?date=${today}`,
          {
            check: (p, response) => {
              const narrowed = !covers(p, program.owner);
              const expected = seatsFor(narrowed ? p : undefined, program.id);
              if (response.body.proposed !== expected)
                return `proposed ${response.body.proposed}, expected ${expected}`;
              if (response.body.quotaUse.seats !== expected) return `seats ${response.body.quotaUse.seats}`;
              if (narrowed !== (response.body.countsScope !== undefined)) return 'countsScope';
              return undefined;
            },
          },
        ),
      );
    }
    const financeReaders: Role[] = ['finance', 'program_admin', 'auditor', 'viewer'];
    for (const [key, program] of Object.entries(programs) as ['reg' | 'prov' | 'foreign', Program][]) {
      ops.push(
        all(
          (p) => reaches(p, program.owner),
          `GET /api/programs/:id/invoices (${program.owner})`,
          `/api/programs/${program.id}/invoices`,
          { roles: financeReaders },
        ),
        all(
          (p) => reaches(p, program.owner),
          `GET /api/invoices/:id (${program.owner})`,
          `/api/invoices/${invoices[key]}`,
          {
            roles: financeReaders,
          },
        ),
      );
    }
    ops.push(
      all(
        () => true,
        'GET /api/calendar/:year/non-working-days',
        `/api/calendar/${today.slice(0, 4)}/non-working-days`,
      ),
    );
    for (const [key, e] of Object.entries(enrollments)) {
      ops.push(
        all((p) => covers(p, e.village), `GET /api/enrollments/:id (${key})`, `/api/enrollments/${e.id}`),
        all(
          (p) => covers(p, e.village),
          `GET /api/participants/:id (${key})`,
          `/api/participants/${e.participantId}`,
        ),
        all(
          (p) => covers(p, e.village),
          `GET /api/participants/:id/history (${key})`,
          `/api/participants/${e.participantId}/history`,
        ),
      );
    }
    for (const [key, i] of Object.entries(imports)) {
      const owner = Object.values(programs).find((pr) => pr.id === i.programId)!.owner;
      for (const suffix of ['', '/report?format=json']) {
        ops.push(
          all(
            (p) => reaches(p, owner),
            `GET /api/imports/:id${suffix.split('?')[0]} (${key})`,
            `/api/imports/${i.id}${suffix}`,
            {
              foreignOnly: true,
            },
          ),
        );
      }
    }
    return ops;
  }

  function writes(): Operation[] {
    const admins: Role[] = ['program_admin'];
    const ops: Operation[] = [
      {
        name: 'PUT /api/regions/:code/baselines/:year',
        method: 'PUT',
        url: `/api/regions/${MUARA_ENIM}/baselines/2026`,
        roles: admins,
        allowed: (p) => covers(p, MUARA_ENIM),
        ok: [200],
        body: () => ({ workingPopulation: 90_000, source: 'BPS uji matriks' }),
      },
      {
        name: 'PUT /api/regions/:code/outside-participants/:date',
        method: 'PUT',
        url: `/api/regions/${MUARA_ENIM}/outside-participants/${today}`,
        roles: admins,
        allowed: (p) => covers(p, MUARA_ENIM),
        ok: [200],
        body: () => ({ participants: 60_000, source: 'BPJS uji matriks' }),
      },
      {
        name: 'PUT /api/calendar/:year/non-working-days',
        method: 'PUT',
        url: `/api/calendar/${today.slice(0, 4)}/non-working-days`,
        roles: admins,
        allowed: () => true,
        ok: [200],
        body: () => ({ days: [], note: 'Uji matriks' }),
      },
      {
        name: 'POST /api/programs',
        method: 'POST',
        url: '/api/programs',
        roles: admins,
        allowed: (p) => covers(p, MUARA_ENIM),
        ok: [201],
        body: () => programBody({ name: `Program Matriks Baru ${requests}` }),
      },
    ];
    let quota = 200;
    const [year, month] = today.split('-').map(Number);
    const nextMonth = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
    for (const [key, program] of [
      ['Reg', programs.reg],
      ['Prov', programs.prov],
    ] as const) {
      const programUrl = `/api/programs/${program.id}`;
      const csv = () => nominationCsv([nominationRow(people.next({ villageCode: EMBAWANG }))]);
      ops.push(
        {
          name: `POST /api/programs/:id/quota (${program.owner})`,
          method: 'POST',
          url: `${programUrl}/quota`,
          roles: admins,
          allowed: (p) => covers(p, program.owner),
          ok: [201],
          body: () => ({ quota: (quota += 1) }),
        },
        {
          name: `POST /api/programs/:id/period (${program.owner})`,
          method: 'POST',
          url: `${programUrl}/period`,
          roles: admins,
          allowed: (p) => covers(p, program.owner),
          ok: [201],
          body: () => currentPeriod(),
        },
        {
          name: `POST /api/programs/:id/enrollments (${program.owner})`,
          method: 'POST',
          url: `${programUrl}/enrollments`,
          roles: ['village_operator', 'program_admin'],
          allowed: (p) => reaches(p, program.owner) && covers(p, EMBAWANG),
          ok: [201],
          body: () => proposal(people.next({ villageCode: EMBAWANG })),
        },
        {
          name: `POST /api/programs/:id/enrollments/import (${program.owner})`,
          method: 'POST',
          url: `${programUrl}/enrollments/import`,
          roles: ['village_operator', 'program_admin'],
          allowed: (p) => reaches(p, program.owner),
          ok: [200],
          body: csv,
          headers: { 'content-type': 'text/csv' },
        },
        {
          name: `POST /api/enrollments/:id/approval (${program.owner})`,
          method: 'POST',
          url: `/api/enrollments/${enrollments[`approve${key}`].id}/approval`,
          roles: admins,
          allowed: (p) => covers(p, program.owner),
          ok: [200, 409],
          body: () => ({ coverageFrom: today }),
        },
        {
          name: `POST /api/enrollments/:id/rejection (${program.owner})`,
          method: 'POST',
          url: `/api/enrollments/${enrollments[`reject${key}`].id}/rejection`,
          roles: admins,
          allowed: (p) => covers(p, program.owner),
          ok: [200, 409],
          body: () => ({ reason: 'Data tidak lengkap' }),
        },
        {
          name: `POST /api/enrollments/:id/deregistration (${program.owner})`,
          method: 'POST',
          url: `/api/enrollments/${enrollments[`deregister${key}`].id}/deregistration`,
          roles: admins,
          allowed: (p) => covers(p, program.owner),
          ok: [200, 409],
          body: () => ({ reason: 'moved_away', effectiveDate: today }),
        },
        {
          name: `POST /api/programs/:id/invoices (${program.owner})`,
          method: 'POST',
          url: `${programUrl}/invoices`,
          roles: ['finance', 'program_admin'],
          allowed: (p) => covers(p, program.owner),
          // The first admitted caller issues next month's invoice, the others get it.
          ok: [201, 200],
          body: () => ({ month: nextMonth }),
        },
        {
          name: `POST /api/invoices/:id/payments (${program.owner})`,
          method: 'POST',
          url: `/api/invoices/${invoices[key === 'Reg' ? 'reg' : 'prov']}/payments`,
          roles: ['finance', 'program_admin'],
          allowed: (p) => covers(p, program.owner),
          ok: [201],
          body: () => ({ amount: 1_000, paidOn: today, reference: `MATRIKS-${requests}` }),
        },
        {
          name: `POST /api/invoices/:id/adjustments (${program.owner})`,
          method: 'POST',
          url: `/api/invoices/${invoices[key === 'Reg' ? 'reg' : 'prov']}/adjustments`,
          roles: ['finance', 'program_admin'],
          allowed: (p) => covers(p, program.owner),
          ok: [200],
          body: () => ({ reason: 'Uji matriks', recompute: true }),
        },
        {
          name: `POST /api/participants/:id/erasure (${program.owner})`,
          method: 'POST',
          url: `/api/participants/${enrollments[`erase${key}`].participantId}/erasure`,
          roles: admins,
          allowed: (p) => covers(p, EMBAWANG),
          ok: [200, 409],
          body: () => ({ reason: 'Permintaan subjek data' }),
        },
      );
    }
    for (const [key, i] of Object.entries(imports)) {
      const owner = Object.values(programs).find((pr) => pr.id === i.programId)!.owner;
      ops.push({
        name: `POST /api/imports/:id/approval (${key})`,
        method: 'POST',
        url: `/api/imports/${i.id}/approval`,
        roles: admins,
        allowed: (p) => covers(p, owner),
        ok: [200],
        body: () => ({ coverageFrom: today }),
      });
    }
    // Closures last: a closed program refuses every later write with 409.
    for (const program of [programs.reg, programs.prov]) {
      ops.push({
        name: `POST /api/programs/:id/closure (${program.owner})`,
        method: 'POST',
        url: `/api/programs/${program.id}/closure`,
        roles: admins,
        allowed: (p) => covers(p, program.owner),
        ok: [201, 409],
        body: () => ({ closedOn: currentPeriod().to, reason: 'Anggaran habis' }),
      });
    }
    return ops;
  }

  const admits = (op: Operation, p: Principal) => op.roles.includes(p.role) && op.allowed(p);

  async function judge(op: Operation, p: Principal) {
    const { response, sent } = await call(op, p);
    const where = `${op.name} as ${p.label}`;
    const admitted = admits(op, p);
    if (op.foreignOnly) {
      // A token that does not reach the program at all; what a narrower one sees is not judged here.
      if (!admitted && response.status !== 403) mismatches.push(`${where}: ${response.status}, expected 403`);
      return;
    }
    if (!admitted) {
      if (response.status !== 403) mismatches.push(`${where}: ${response.status}, expected 403`);
      else if (!String(response.headers['content-type']).startsWith('application/problem+json'))
        mismatches.push(`${where}: 403 without problem details`);
      else if (!/\/auth\.(scope|role)$/.test(String(response.body?.type)))
        mismatches.push(`${where}: 403 of type ${response.body?.type}`);
    } else if (!op.ok.includes(response.status)) {
      mismatches.push(
        `${where}: ${response.status} ${response.text.slice(0, 200)}, expected ${op.ok.join('/')}`,
      );
    } else if (op.check && response.status === 200) {
      const problem = op.check(p, response);
      if (problem) mismatches.push(`${where}: ${problem}`);
    }
    for (const secret of secrets()) {
      if (secret.visible(p) || sent.includes(secret.value)) continue;
      if (response.text.includes(secret.value))
        leaks.push(`${where} (${response.status}) shows ${secret.what}`);
    }
  }

  beforeEach(() => {
    mismatches.length = 0;
    leaks.length = 0;
  });

  it('every read answers each role and scope as the model says, narrowed to the token, with 0 leaks', async () => {
    for (const op of reads()) for (const p of principals) await judge(op, p);
    expect(mismatches).toEqual([]);
    expect(leaks).toEqual([]);
    expect(requests).toBeGreaterThan(500);
  }, 300_000);

  it('every write answers each role and scope as the model says: out of scope is 403 even with nothing to change', async () => {
    const start = requests;
    // Refused callers go first on each operation, then those let through, then the refused
    // again: the second time the work is done (approved, closed…) and the answer must not change.
    for (const op of writes()) {
      const ordered = [...principals].sort((a, b) => Number(admits(op, a)) - Number(admits(op, b)));
      for (const p of ordered) await judge(op, p);
      for (const p of principals.filter((q) => !admits(op, q))) await judge(op, p);
    }
    expect(mismatches).toEqual([]);
    expect(leaks).toEqual([]);
    expect(requests - start).toBeGreaterThan(300);
  }, 300_000);
}

describe('SQLite e2e: authorization matrix', () => matrixSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: authorization matrix',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => matrixSuite('postgres'),
);
