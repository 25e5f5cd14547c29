/**
 * UCJ as regions report it, over HTTP through the real app on SQLite and PostgreSQL: the
 * participants BPJS Ketenagakerjaan counts outside the ledger are set per region and date
 * (`PUT /api/regions/:code/outside-participants/:date`), refused with a problem detail naming
 * the field and rule when wrong (and nothing written), listed, audited, and added to the
 * ledger's own program-funded participants in the coverage report (JSON, CSV, XLSX).
 *
 * A Muara Enim-like example, checked by hand: "44%, about 93,000 workers" covered of a working
 * population near 211,000. Here the ledger funds 3 workers, so BPJS's figure of participants
 * outside the programs is 93,000 − 3 = 92,997; UCJ = (3 + 92,997) ÷ 211,000 = 44.0758…% →
 * 44.08. District Gunung Megang (160301, where the 3 live): (3 + 497) ÷ 2,000 = 25%.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { regions } from '@ledger/ledger/regions/region-directory';
import {
  startLedgerApp,
  todayWib,
  XLSX_TYPE,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, programBody, proposal, SAROLANGUN } from './support/ledger-fixtures';

const directory = regions();
const DISTRICT = EMBAWANG.slice(0, 6);
const SOURCE = 'BPJS Ketenagakerjaan Cabang Muara Enim, laporan';

function expectProblem(response: ApiResponse, status: number, rule: string, field?: string) {
  expect(response.status).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  if (field === undefined) expect(response.body.type).toBe(`https://ledger.example.id/problems/${rule}`);
  else
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
}

function suite(mode: LedgerMode) {
  let app: LedgerApp;
  let admin: string;
  const today = todayWib();
  const year = today.slice(0, 4);
  const firstDay = `${year}-01-01`;
  const people = createPeopleGenerator({ seed: 4408, today, regions: directory });
  let lastToken = 0;

  const put = async (code: string, date: string, body: unknown, token = admin) => {
    const response = await app.put(`/api/regions/${code}/outside-participants/${date}`, token, body);
    if (response.status === 200) lastToken = response.body.consistencyToken;
    return response;
  };

  beforeAll(async () => {
    app = await startLedgerApp(mode);
    admin = await app.token('program_admin', [MUARA_ENIM], 'admin-ucj');
    const program = await app.post('/api/programs', admin, programBody({ quota: 100 }));
    expect(program.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const proposed = await app.post(
        `/api/programs/${program.body.programId}/enrollments`,
        admin,
        proposal(people.next({ villageCode: EMBAWANG })),
      );
      expect(proposed.status).toBe(201);
      const approved = await app.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, admin, {
        coverageFrom: today,
      });
      expect(approved.status).toBe(200);
    }
    for (const [code, workingPopulation] of [
      [MUARA_ENIM, 211_000],
      [DISTRICT, 2_000],
    ] as const) {
      const set = await app.put(`/api/regions/${code}/baselines/${year}`, admin, {
        workingPopulation,
        source: 'BPS Sakernas Agustus 2025',
      });
      expect(set.status).toBe(200);
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a wrong figure with a problem naming the field and rule, and writes nothing', async () => {
    const before = await app.runtime.store.headPosition();
    const good = { participants: 92_997, source: `${SOURCE} ${today}` };
    const viewer = await app.token('viewer', [MUARA_ENIM]);
    const elsewhere = await app.token('program_admin', [SAROLANGUN]);
    expectProblem(await put(MUARA_ENIM, today, { ...good, participants: -1 }), 400, 'min', 'participants');
    expectProblem(await put(MUARA_ENIM, today, { ...good, participants: 1.5 }), 400, 'isInt', 'participants');
    expectProblem(
      await put(MUARA_ENIM, today, { ...good, participants: '92997' }),
      400,
      'isInt',
      'participants',
    );
    expectProblem(await put(MUARA_ENIM, today, { participants: 1 }), 400, 'required', 'source');
    expectProblem(await put(MUARA_ENIM, today, { ...good, source: '   ' }), 400, 'isCleanText', 'source');
    expectProblem(
      await put(MUARA_ENIM, today, { ...good, source: 'laporan NIK 1603015708900001' }),
      400,
      'noNik',
      'source',
    );
    expectProblem(await put(MUARA_ENIM, `${year}-02-30`, good), 400, 'isCalendarDate', 'date');
    expectProblem(await put(MUARA_ENIM, '30-11-2025', good), 400, 'isCalendarDate', 'date');
    const future = await put(MUARA_ENIM, `${Number(year) + 1}-12-31`, good);
    expectProblem(future, 422, 'baseline.outsideFuture');
    expect(future.body.title).toContain('setelah hari ini');
    expectProblem(await put('9999', today, good), 404, 'region.unknown');
    expect((await put(MUARA_ENIM, today, good, viewer)).status).toBe(403);
    expect((await put(MUARA_ENIM, today, good, elsewhere)).status).toBe(403);
    expect(await app.runtime.store.headPosition()).toBe(before);
  });

  it('sets, lists and audits the figures; the same day set again replaces that day’s figure', async () => {
    expect(
      (await put(MUARA_ENIM, firstDay, { participants: 90_000, source: `${SOURCE} ${firstDay}` })).status,
    ).toBe(200);
    expect(
      (await put(MUARA_ENIM, today, { participants: 93_000, source: `${SOURCE} ${today}` })).status,
    ).toBe(200);
    // The first count of today held the program's 3 too; corrected to those outside the programs.
    const set = await put(MUARA_ENIM, today, {
      participants: 92_997,
      source: `${SOURCE} ${today} (dikoreksi)`,
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ regionCode: MUARA_ENIM, asOf: today, consistencyToken: expect.any(Number) });
    expect((await put(DISTRICT, today, { participants: 497, source: `${SOURCE} ${today}` })).status).toBe(
      200,
    );

    const list = await app.get(
      `/api/regions/${MUARA_ENIM}/outside-participants?consistentWith=${lastToken}`,
      admin,
    );
    expect(list.status).toBe(200);
    const figure = (participants: number, asOf: string, source: string, settings: number) => ({
      participants,
      asOf,
      source,
      setBy: 'admin-ucj',
      setAt: expect.any(String),
      settings,
    });
    expect(list.body).toEqual({
      regionCode: MUARA_ENIM,
      figures:
        firstDay === today
          ? [figure(92_997, today, `${SOURCE} ${today} (dikoreksi)`, 3)]
          : [
              figure(90_000, firstDay, `${SOURCE} ${firstDay}`, 1),
              figure(92_997, today, `${SOURCE} ${today} (dikoreksi)`, 2),
            ],
    });
    const foreign = await app.token('viewer', [SAROLANGUN]);
    expect((await app.get(`/api/regions/${MUARA_ENIM}/outside-participants`, foreign)).status).toBe(403);

    const auditor = await app.token('auditor', [MUARA_ENIM]);
    const audit = await app.get(
      `/api/audit?consistentWith=${lastToken}&action=baseline.set&limit=100`,
      auditor,
    );
    expect(audit.status).toBe(200);
    const outside = audit.body.entries.filter(
      (e: { eventType: string }) => e.eventType === 'OutsideParticipantsSet',
    );
    expect(outside).toHaveLength(4);
    expect(outside[2]).toMatchObject({
      action: 'baseline.set',
      actor: { id: 'admin-ucj', role: 'program_admin' },
      regionCode: MUARA_ENIM,
      effectiveDate: today,
      reason: `${SOURCE} ${today} (dikoreksi)`,
      detail: { asOf: today, outsideParticipants: 92_997 },
    });
  });

  it('the coverage report shows the funded, the outside participants and UCJ, each with its source', async () => {
    const report = await app.get(
      `/api/coverage?region=${MUARA_ENIM}&date=${today}&consistentWith=${lastToken}`,
      admin,
    );
    expect(report.status).toBe(200);
    expect(report.body.active).toBe(3);
    // The ledger's own share of the working population: 3 ÷ 211,000, shown as the smallest percent.
    expect(report.body.coverage).toMatchObject({ ofWorkingPopulation: 0.01, denominator: 211_000 });
    expect(report.body.ucj).toEqual({
      percent: 44.08,
      participants: 93_000,
      funded: {
        participants: 3,
        date: today,
        source: `Ledger ini: peserta aktif program daerah per ${today}`,
      },
      outside: {
        participants: 92_997,
        asOf: today,
        source: `${SOURCE} ${today} (dikoreksi)`,
        setBy: 'admin-ucj',
        setAt: expect.any(String),
      },
      workingPopulation: { count: 211_000, year: Number(year), source: 'BPS Sakernas Agustus 2025' },
      missing: [],
      note: null,
    });
    const district = report.body.below.find((b: { code: string }) => b.code === DISTRICT);
    expect(district).toEqual({
      code: DISTRICT,
      name: directory.get(DISTRICT)!.name,
      level: 'district',
      active: 3,
      workingPopulation: 2_000,
      coverage: 0.15,
      outsideParticipants: 497,
      outsideAsOf: today,
      outsideSource: `${SOURCE} ${today}`,
      ucj: 25,
    });
    // Another district: neither a figure nor a baseline.
    expect(report.body.below.find((b: { code: string }) => b.code !== DISTRICT)).toMatchObject({
      outsideParticipants: null,
      ucj: null,
    });

    // Sarolangun has neither the outside figure nor a baseline: both named as missing.
    const jambi = await app.get(
      `/api/coverage?region=${SAROLANGUN}&date=${today}`,
      await app.token('viewer', [SAROLANGUN]),
    );
    expect(jambi.body.ucj).toMatchObject({
      percent: null,
      participants: null,
      funded: { participants: 0 },
      outside: null,
      workingPopulation: null,
      missing: ['outsideParticipants', 'workingPopulation'],
      note: expect.stringMatching(
        /peserta BPJS Ketenagakerjaan di luar program.*penduduk bekerja.*UCJ tidak dihitung$/,
      ),
    });

    const csv = await app.get(`/api/coverage?region=${MUARA_ENIM}&date=${today}&format=csv`, admin);
    const [header, first] = parseCsv(csv.text, { bom: true, delimiter: ';' }) as string[][];
    expect(header).toEqual([
      'Kode',
      'Nama',
      'Tingkat',
      'Peserta aktif',
      'Penduduk bekerja',
      'Cakupan (%)',
      'Peserta di luar program',
      'Tanggal data di luar program',
      'Sumber data di luar program',
      'UCJ (%)',
    ]);
    expect(first).toEqual([
      MUARA_ENIM,
      'Kabupaten Muara Enim',
      'Kabupaten/Kota',
      '3',
      '211000',
      '0,01',
      '92997',
      today,
      `${SOURCE} ${today} (dikoreksi)`,
      '44,08',
    ]);

    const xlsx = await app.get(`/api/coverage?region=${MUARA_ENIM}&date=${today}`, admin, {
      accept: XLSX_TYPE,
    });
    expect(xlsx.headers['content-type']).toBe(XLSX_TYPE);
    const workbook = new ExcelJS.Workbook();
    const raw = await app.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url: `/api/coverage?region=${MUARA_ENIM}&date=${today}&format=xlsx`,
        headers: { authorization: `Bearer ${admin}` },
      });
    await workbook.xlsx.load(raw.rawPayload);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Wilayah', 'Rincian', 'UCJ']);
    const rows: unknown[][] = [];
    const sheet = workbook.getWorksheet('UCJ')!;
    const headerRow = (sheet.views[0] as { ySplit: number }).ySplit;
    sheet.eachRow((row, n) => n >= headerRow && rows.push((row.values as unknown[]).slice(1)));
    // Days are real dates in the workbook.
    const day = new Date(`${today}T00:00:00Z`);
    expect(rows).toEqual([
      ['Butir', 'Nilai', 'Per', 'Sumber / catatan'],
      ['Peserta program (ledger)', 3, day, `Ledger ini: peserta aktif program daerah per ${today}`],
      ['Peserta di luar program', 92_997, day, `${SOURCE} ${today} (dikoreksi)`],
      ['Jumlah peserta', 93_000, day],
      ['Penduduk bekerja', 211_000, Number(year), 'BPS Sakernas Agustus 2025'],
      ['UCJ (%)', 44.08, day],
    ]);
  });

  it('on a day before any figure, UCJ is null and says the outside figure is missing', async () => {
    const dayBefore = `${Number(year) - 1}-12-31`;
    const report = await app.get(`/api/coverage?region=${MUARA_ENIM}&date=${dayBefore}`, admin);
    expect(report.status).toBe(200);
    expect(report.body.ucj).toMatchObject({
      percent: null,
      participants: null,
      funded: { participants: 0 },
      outside: null,
      missing: ['outsideParticipants', 'workingPopulation'],
    });
  });
}

describe('SQLite e2e: UCJ with participants outside the ledger', () => suite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: UCJ with participants outside the ledger',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite('postgres'),
);
