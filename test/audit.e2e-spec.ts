/**
 * The audit trail over HTTP, on SQLite and PostgreSQL: a scripted day of work by several
 * actors in two regencies, then every filter against the list the test kept itself while
 * acting, paging, scope, exports read back, the oversight summary and the CLI.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { finished, spawnTs } from './support/processes';
import { startLedgerApp, todayWib, XLSX_TYPE, type LedgerApp, type LedgerMode } from './support/ledger-app';
import {
  EMBAWANG,
  MUARA_ENIM,
  PAGAR_DEWA,
  SAROLANGUN,
  nominationCsv,
  nominationRow,
  programBody,
  proposal,
} from './support/ledger-fixtures';

const TAMBAK_RATU = '1503012001'; // a village of Sarolangun

/** What the test did, in order: who, which action code, which region, which program. */
interface Done {
  actor: string;
  role: string;
  action: string;
  region: string;
  program: string | null;
}

function auditSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  const done: Done[] = [];
  let lastToken = 0;
  const tokens: Record<string, string> = {};
  const ids: { p: string; q: string; importId: string; erased: string } = {
    p: '',
    q: '',
    importId: '',
    erased: '',
  };

  const people = createPeopleGenerator({ seed: 2020, today: todayWib() });
  const person = (villageCode: string): SyntheticPerson => people.next({ villageCode });
  const track = (response: { status: number; body: { consistencyToken?: number } }, status: number) => {
    expect(response.status).toBe(status);
    lastToken = Math.max(lastToken, response.body.consistencyToken ?? 0);
    return response.body as Record<string, unknown> & { consistencyToken: number };
  };
  const who = {
    adminMe: { id: 'admin-muara-enim', role: 'program_admin' as const, regions: [MUARA_ENIM] },
    adminSar: { id: 'admin-sarolangun', role: 'program_admin' as const, regions: [SAROLANGUN] },
    opEmbawang: { id: 'operator-embawang', role: 'village_operator' as const, regions: [EMBAWANG] },
    opPagar: { id: 'operator-pagar-dewa', role: 'village_operator' as const, regions: [PAGAR_DEWA] },
  };
  const did = (
    actor: keyof typeof who,
    action: string,
    region: string,
    program: string | null,
    times = 1,
  ) => {
    for (let i = 0; i < times; i++)
      done.push({ actor: who[actor].id, role: who[actor].role, action, region, program });
  };

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    for (const [name, w] of Object.entries(who)) tokens[name] = await ledger.token(w.role, w.regions, w.id);
    tokens.auditorMe = await ledger.token('auditor', [MUARA_ENIM], 'auditor-muara-enim');
    tokens.auditorNat = await ledger.token('auditor', ['ID'], 'auditor-bpk');
    tokens.viewer = await ledger.token('viewer', ['ID'], 'viewer');

    // The day's work.
    ids.p = track(await ledger.post('/api/programs', tokens.adminMe, programBody({ quota: 50 })), 201)
      .programId as string;
    did('adminMe', 'program.establish', MUARA_ENIM, ids.p);
    ids.q = track(
      await ledger.post(
        '/api/programs',
        tokens.adminSar,
        programBody({ name: 'Program Sarolangun', ownerRegion: SAROLANGUN, payer: 'Pemkab Sarolangun' }),
      ),
      201,
    ).programId as string;
    did('adminSar', 'program.establish', SAROLANGUN, ids.q);

    const single = [];
    for (let i = 0; i < 2; i++) {
      single.push(
        track(
          await ledger.post(
            `/api/programs/${ids.p}/enrollments`,
            tokens.opEmbawang,
            proposal(person(EMBAWANG)),
          ),
          201,
        ),
      );
      did('opEmbawang', 'enrollment.propose', EMBAWANG, ids.p);
    }

    const rows = [
      nominationRow(person(PAGAR_DEWA)),
      nominationRow(person(PAGAR_DEWA)),
      nominationRow(person(PAGAR_DEWA)),
    ];
    rows[2][2] = 'X'; // sex neither L nor P: refused at import
    const imported = track(
      await ledger.post(`/api/programs/${ids.p}/enrollments/import`, tokens.opPagar, nominationCsv(rows), {
        'content-type': 'text/csv',
        'x-file-name': 'usulan-pagar-dewa.csv',
      }),
      200,
    );
    ids.importId = imported.importId as string;
    did('opPagar', 'import.upload', MUARA_ENIM, ids.p);
    did('opPagar', 'enrollment.propose', PAGAR_DEWA, ids.p, 2);

    const coverageFrom = todayWib();
    track(
      await ledger.post(`/api/enrollments/${single[0].enrollmentId}/approval`, tokens.adminMe, {
        coverageFrom,
      }),
      200,
    );
    did('adminMe', 'enrollment.approve', EMBAWANG, ids.p);
    track(
      await ledger.post(`/api/enrollments/${single[1].enrollmentId}/rejection`, tokens.adminMe, {
        reason: 'dokumen tidak lengkap',
      }),
      200,
    );
    did('adminMe', 'enrollment.reject', EMBAWANG, ids.p);
    const whole = track(
      await ledger.post(`/api/imports/${ids.importId}/approval`, tokens.adminMe, { coverageFrom }),
      200,
    );
    expect(whole.approved).toBe(2);
    did('adminMe', 'import.approve', PAGAR_DEWA, ids.p, 2);

    track(
      await ledger.post(`/api/programs/${ids.p}/quota`, tokens.adminMe, {
        quota: 60,
        reason: 'APBD Perubahan',
      }),
      201,
    );
    did('adminMe', 'program.amend_quota', MUARA_ENIM, ids.p);

    const sarolangun = person(TAMBAK_RATU);
    track(
      await ledger.post(`/api/programs/${ids.q}/enrollments`, tokens.adminSar, proposal(sarolangun)),
      201,
    );
    did('adminSar', 'enrollment.propose', TAMBAK_RATU, ids.q);
    // The same NIK proposed in Muara Enim: refused without naming Sarolangun's program, and kept.
    const probe = await ledger.post(`/api/programs/${ids.p}/enrollments`, tokens.opEmbawang, {
      ...proposal(sarolangun),
      villageCode: EMBAWANG,
    });
    expect(probe.status).toBe(409);
    did('opEmbawang', 'enrollment.refused_elsewhere', MUARA_ENIM, ids.p);

    ids.erased = single[1].participantId as string;
    track(
      await ledger.post(`/api/participants/${ids.erased}/erasure`, tokens.adminMe, {
        reason: 'permintaan peserta',
      }),
      200,
    );
    did('adminMe', 'participant.erase', EMBAWANG, null);
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const audit = async (query: string, token = tokens.auditorNat) => {
    const response = await ledger.get(`/api/audit?consistentWith=${lastToken}&limit=1000&${query}`, token);
    expect(response.status).toBe(200);
    return response.body.entries as {
      position: number;
      actor: { id: string; role: string };
      action: string;
      regionCode: string;
      programId: string | null;
      [k: string]: unknown;
    }[];
  };
  const shape = (entries: Awaited<ReturnType<typeof audit>>) =>
    entries.map((e) => [e.actor.id, e.action, e.regionCode]);
  const expected = (keep: (d: Done) => boolean) =>
    done.filter(keep).map((d) => [d.actor, d.action, d.region]);

  it('a national auditor sees every action of the day, in the order it was done', async () => {
    expect(shape(await audit(''))).toEqual(expected(() => true));
  });

  it('each filter returns exactly the actions the test did that match it', async () => {
    const cases: [string, (d: Done) => boolean][] = [
      ['actor=admin-muara-enim', (d) => d.actor === 'admin-muara-enim'],
      ['role=village_operator', (d) => d.role === 'village_operator'],
      [`program=${ids.p}`, (d) => d.program === ids.p],
      [
        `program=${ids.q}&action=enrollment.propose`,
        (d) => d.program === ids.q && d.action === 'enrollment.propose',
      ],
      [
        'action=enrollment.propose,import.upload',
        (d) => ['enrollment.propose', 'import.upload'].includes(d.action),
      ],
      [
        'sensitive=true',
        (d) =>
          [
            'import.approve',
            'program.amend_quota',
            'participant.erase',
            'enrollment.refused_elsewhere',
          ].includes(d.action),
      ],
      [`region=${PAGAR_DEWA}`, (d) => d.region === PAGAR_DEWA],
      ['region=15', (d) => d.region.startsWith('15')],
      [
        `actor=operator-pagar-dewa&from=${todayWib()}&to=${todayWib()}`,
        (d) => d.actor === 'operator-pagar-dewa',
      ],
      ['from=2000-01-01&to=2000-12-31', () => false],
    ];
    for (const [query, keep] of cases)
      expect({ query, got: shape(await audit(query)) }).toEqual({ query, got: expected(keep) });
  });

  it('a regency auditor sees nothing of another regency; other roles are refused', async () => {
    const mine = await audit('', tokens.auditorMe);
    expect(shape(mine)).toEqual(expected((d) => d.region.startsWith(MUARA_ENIM)));
    expect(mine.filter((e) => e.regionCode?.startsWith(SAROLANGUN) || e.programId === ids.q)).toEqual([]);
    expect(JSON.stringify(mine)).not.toContain(ids.q);
    const foreign = await ledger.get(`/api/audit?region=${SAROLANGUN}`, tokens.auditorMe);
    expect(foreign.status).toBe(403);
    expect(foreign.body.type).toMatch(/auth\.scope$/);
    // A program admin is the head's office of its own region: it reads its own trail only.
    expect(shape(await audit('', tokens.adminSar))).toEqual(expected((d) => d.region.startsWith(SAROLANGUN)));
    for (const token of [tokens.viewer, tokens.opEmbawang])
      expect((await ledger.get('/api/audit', token)).status).toBe(403);
  });

  it('pages by cursor return each action once', async () => {
    const seen: number[] = [];
    let url = `/api/audit?consistentWith=${lastToken}&limit=3`;
    for (let page = 0; page < 20; page++) {
      const response = await ledger.get(url, tokens.auditorNat);
      expect(response.status).toBe(200);
      seen.push(...response.body.entries.map((e: { position: number }) => e.position));
      if (response.body.nextCursor === null) break;
      expect(response.headers['x-next-cursor']).toBe(String(response.body.nextCursor));
      url = `/api/audit?limit=3&after=${response.body.nextCursor}`;
    }
    expect(seen).toHaveLength(done.length);
    expect(new Set(seen).size).toBe(done.length);
  });

  it('CSV and XLSX exports read back equal the JSON', async () => {
    const json = await audit('');
    const csv = await ledger.get(`/api/audit?format=csv`, tokens.auditorNat);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(csv.text, { bom: true, delimiter: ';' }) as string[][];
    const col = (name: string) => header.indexOf(name);
    expect(
      rows.map((r) => [
        Number(r[col('Posisi')]),
        r[col('Pelaku')],
        r[col('Kode tindakan')],
        r[col('Wilayah')],
      ]),
    ).toEqual(json.map((e) => [e.position, e.actor.id, e.action, e.regionCode]));

    const xlsx = await ledger.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url: '/api/audit',
        headers: { authorization: `Bearer ${tokens.auditorNat}`, accept: XLSX_TYPE },
      });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    // The header is the frozen row, under the title block (title, filters, log position, time).
    const headerRow = (sheet.views[0] as { ySplit: number }).ySplit;
    expect(sheet.getCell('A1').value).toBe('Jejak audit');
    expect(sheet.getCell(headerRow - 2, 1).value).toMatch(
      /^Dibuat: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} WIB$/,
    );
    const heads = (sheet.getRow(headerRow).values as unknown[]).map(String);
    const at = (name: string) => heads.indexOf(name);
    const read: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n <= headerRow) return;
      const v = row.values as unknown[];
      read.push([Number(v[at('Posisi')]), v[at('Pelaku')], v[at('Kode tindakan')], v[at('Wilayah')]]);
    });
    expect(read).toEqual(json.map((e) => [e.position, e.actor.id, e.action, e.regionCode]));
  });

  it('the oversight summary counts uploads, their refusals and each action per actor', async () => {
    const response = await ledger.get(
      `/api/audit/summary?by=actor&consistentWith=${lastToken}`,
      tokens.auditorNat,
    );
    expect(response.status).toBe(200);
    const month = todayWib().slice(0, 7);
    const pagar = response.body.rows.find((r: { key: string }) => r.key === 'operator-pagar-dewa');
    expect(pagar).toMatchObject({
      month,
      role: 'village_operator',
      total: 3,
      byAction: { 'import.upload': 1, 'enrollment.propose': 2 },
      uploads: 1,
      rowsUploaded: 3,
      rowsRefusedAtImport: 1,
      enrollmentsLaterRejected: 0,
      uploadRejectionRate: 0.3333,
    });
    const admin = response.body.rows.find((r: { key: string }) => r.key === 'admin-muara-enim');
    expect(admin.total).toBe(done.filter((d) => d.actor === 'admin-muara-enim').length);

    const regions = await ledger.get('/api/audit/summary?by=region&region=16', tokens.auditorNat);
    expect(regions.body.rows.map((r: { key: string; total: number }) => [r.key, r.total])).toEqual([
      [MUARA_ENIM, done.filter((d) => d.region.startsWith(MUARA_ENIM)).length],
    ]);
  });

  it('bad filters are 400 problem details naming each field and rule', async () => {
    const response = await ledger.get(
      '/api/audit?from=2026-02-30&action=menghapus&limit=0&program=abc&region=123&sensitive=ya',
      tokens.auditorNat,
    );
    expect(response.status).toBe(400);
    const fields = response.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'from:isCalendarDate',
        'action:isIn',
        'limit:isInt',
        'program:isUuid',
        'region:isRegionCode',
        'sensitive:isBoolean',
      ]),
    );
    expect(
      (await ledger.get('/api/audit?from=2026-03-02&to=2026-03-01', tokens.auditorNat)).body.errors[0],
    ).toMatchObject({
      field: 'to',
      rule: 'notBeforeFrom',
    });
    expect((await ledger.get('/api/audit/summary?by=month', tokens.auditorNat)).status).toBe(400);
  });

  if (mode === 'sqlite') {
    it('the CLI answers from the same query', async () => {
      const json = await audit('actor=admin-muara-enim');
      const child = spawnTs(
        'apps/cli/src/main.ts',
        { LEDGER_DATA_DIR: ledger.runtime.config.dataDir, LOG_LEVEL: 'silent' },
        ['audit', '--actor', 'admin-muara-enim', '--json'],
      );
      const result = await finished(child, 120_000);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).entries).toEqual(json);

      const bad = await finished(
        spawnTs('apps/cli/src/main.ts', { LEDGER_DATA_DIR: ledger.runtime.config.dataDir }, [
          'audit',
          '--from',
          'kemarin',
        ]),
        120_000,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('from: from harus tanggal YYYY-MM-DD');
    }, 240_000);
  }
}

describe('SQLite: audit trail over HTTP', () => auditSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL: audit trail over HTTP',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => auditSuite('postgres'),
);
