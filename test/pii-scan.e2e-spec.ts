/**
 * Personal data (UU 27/2022) never reaches the disk or the logs in clear (SQLite mode).
 *
 * The demo (when the CLI has one) loads its regencies into a fresh data directory; then the
 * API runs as a child process with LOG_LEVEL=debug and is driven over real HTTP: a program,
 * 50 single proposals, a 200-row CSV import (plus rows the rules refuse), approvals. Every
 * person is kept: NIK, name, birth date, phone. The demo's people are read back from the
 * ledger with the key store, so the list is what the ledger holds, however the demo drew it.
 *
 * Then the raw bytes of ledger.db, read.db (and their WAL files) and everything the demo and
 * the API printed must contain none of them; keys.db (wrapped keys by design) no NIK or name.
 * After erasing one participant, their key row is gone, their sealed data cannot be opened,
 * and their NIK and name appear in no file of the data directory.
 */
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { signToken } from '@ledger/platform/auth';
import { loadOrCreateSecrets, SqlitePersonKeyStore } from '@ledger/crypto';
import type { SealedPersonalData } from '@ledger/ledger/participants/participant.events';
import { openPersonal } from '@ledger/ledger/participants/personal-data.deps';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { regions } from '@ledger/ledger/regions/region-directory';
import { streams } from '@ledger/ledger/shared/streams';
import { Needles, scanFile, scanText, type Hit, type Person } from './support/pii-scanner';
import { freePort, ROOT } from './support/processes';

/** Ogan Komering Ulu: a regency the demo does not load, so no NIK of ours collides with one of its. */
const OKU = '1601';
const DEMO = join(ROOT, 'apps', 'cli', 'src', 'commands', 'demo.ts');
const REGISTER = join(ROOT, 'scripts', 'register.js');
/** An heir's account number: specific personal data, searched for as it is. */
const HEIR_ACCOUNT = '7310042219985';
const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

interface Output {
  child: ChildProcess;
  text: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(entry: string, args: string[], env: NodeJS.ProcessEnv): Output {
  const child = spawn(process.execPath, ['-r', REGISTER, join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (d: Buffer) => chunks.push(d));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, text: () => Buffer.concat(chunks).toString('utf8'), exited };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const describeHits = (hits: Hit[]) =>
  hits.slice(0, 20).map((h) => `${h.kind} ${JSON.stringify(h.value)} in ${h.file.split('/').pop()} @${h.offset}: …${h.context}…`);

describe('personal data in files and logs (SQLite, API as a child process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-pii-'));
  const dataDir = join(dir, 'data');
  let demoLog = '';
  let api: Output | undefined;
  let base = '';
  let admin = '';
  let auditor = '';
  /** Everyone whose data went in over HTTP, accepted or refused. */
  const sent: Person[] = [];
  /** The demo's people, read back from the ledger. */
  let demoPeople: Person[] = [];
  const singles: { person: SyntheticPerson; participantId: string; enrollmentId: string }[] = [];
  let lastToken = 0;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (method: 'GET' | 'POST' | 'PUT', path: string, token: string, body?: unknown, contentType?: string): Promise<{ status: number; text: string; body: any }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    let payload: string | undefined;
    if (typeof body === 'string') {
      payload = body;
      headers['content-type'] = contentType ?? 'text/plain';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    // The file scans between requests block this process for long stretches, during which the
    // API may close the idle keep-alive socket; a request sent on it fails before reaching the
    // API. It is sent once more, and writes carry an idempotency key so that can never apply twice.
    if (method !== 'GET') headers['idempotency-key'] = randomUUID();
    const send = () => fetch(`${base}${path}`, { method, headers, body: payload });
    const response = await send().catch(send);
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const written = (parsed as { consistencyToken?: unknown } | undefined)?.consistencyToken;
    if (typeof written === 'number') lastToken = Math.max(lastToken, written);
    return { status: response.status, text, body: parsed };
  };

  const asPerson = (p: { nik: string; name: string; birthDate: string; phone: string | null }): Person => ({
    nik: p.nik,
    name: p.name,
    birthDate: p.birthDate,
    phone: p.phone,
  });

  /** Every participant the ledger holds, opened with the key store (closed again before returning). */
  async function peopleInLedger(): Promise<Map<string, Person>> {
    const secrets = loadOrCreateSecrets(dataDir);
    const db = new Database(join(dataDir, 'ledger.db'), { readonly: true });
    const keys = new SqlitePersonKeyStore(join(dataDir, 'keys.db'), secrets.kek);
    try {
      const rows = db.prepare(`SELECT data FROM events WHERE type = 'ParticipantRegistered'`).all() as { data: string }[];
      const registered = rows.map((row) => JSON.parse(row.data) as { participantId: string; personal: SealedPersonalData });
      const found = await keys.getMany(registered.map((r) => r.participantId));
      const people = new Map<string, Person>();
      for (const r of registered) {
        const opened = openPersonal(found.get(r.participantId), r.participantId, r.personal);
        if (opened) people.set(r.participantId, asPerson(opened));
      }
      return people;
    } finally {
      await keys.close();
      db.close();
    }
  }

  const logs = () => `${demoLog}\n${api?.text() ?? ''}`;
  const district = (token: string) => regions().has(token);
  /**
   * Raw-byte scans: short single-word names are left to the decoded scan (see scanStoreText),
   * and so are the bare DDMMYY birth dates of the whole population. Tens of thousands of
   * people cover nearly every six-digit date, and a page's unused space keeps fragments of
   * old cells: a hex id whose first letters a cell pointer overwrote reads as "…·200501·".
   * NIKs, ISO and DD/MM/YYYY dates and names are still searched in the raw bytes, and the
   * bare DDMMYY in every text value the stores hold. One person's DDMMYY (an erasure) is
   * searched raw too: a single needle does not collide by chance.
   */
  const RAW = { minSingleNameLength: 5, notADate: district };
  /** ledger.db, read.db and their WAL (and shared-memory) files, as they are on disk now. */
  const storeFiles = () =>
    readdirSync(dataDir)
      .filter((name) => /^(ledger|read)\.db(-wal|-shm)?$/.test(name))
      .map((name) => join(dataDir, name));
  const keyFiles = () =>
    readdirSync(dataDir)
      .filter((name) => /^keys\.db(-wal|-shm)?$/.test(name))
      .map((name) => join(dataDir, name));

  /**
   * The stores' raw bytes hold binary pages and the sealed blobs' base64, where a short
   * single-word name ("Eni") turns up by chance. Raw scans therefore skip those (RAW), and
   * this decoded scan covers them: every text value of read.db, and every event of ledger.db
   * with its sealed `personal` blob taken out.
   */
  function scanStoreText(needles: Needles): Hit[] {
    const texts: string[] = [];
    const read = new Database(join(dataDir, 'read.db'), { readonly: true });
    try {
      const tables = read.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      for (const { name } of tables) {
        for (const row of read.prepare(`SELECT * FROM "${name}"`).iterate() as Iterable<Record<string, unknown>>) {
          texts.push(Object.values(row).filter((v) => typeof v === 'string').join(' '));
        }
      }
    } finally {
      read.close();
    }
    const ledger = new Database(join(dataDir, 'ledger.db'), { readonly: true });
    try {
      for (const row of ledger.prepare('SELECT stream_id, data, metadata FROM events').iterate() as Iterable<{
        stream_id: string;
        data: string;
        metadata: string;
      }>) {
        const data = JSON.parse(row.data) as Record<string, unknown>;
        delete data.personal;
        texts.push(`${row.stream_id} ${JSON.stringify(data)} ${row.metadata}`);
      }
    } finally {
      ledger.close();
    }
    return scanText(texts.join('\n'), 'decoded ledger.db and read.db', needles, { notADate: district });
  }

  /** keys.db: raw bytes for NIKs and longer names (random wrapped keys can spell "Eko"), every text column for all names. */
  function scanKeyStore(needles: Needles): Hit[] {
    const hits = keyFiles().flatMap((file) => scanFile(file, needles, { minSingleNameLength: 5, notADate: district }));
    const db = new Database(join(dataDir, 'keys.db'), { readonly: true });
    try {
      const texts = [
        ...(db.prepare('SELECT subject_id, created_at FROM person_keys').all() as Record<string, string>[]),
        ...(db.prepare('SELECT subject_id, destroyed_at FROM person_key_tombstones').all() as Record<string, string>[]),
        ...(db.prepare('SELECT name FROM person_key_meta').all() as Record<string, string>[]),
      ]
        .map((row) => Object.values(row).join(' '))
        .join('\n');
      hits.push(...scanText(texts, 'keys.db text columns', needles, { notADate: district }));
    } finally {
      db.close();
    }
    return hits;
  }

  beforeAll(async () => {
    const env = { LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'debug', LEDGER_STORE: 'sqlite' };

    // 1. The demo, when there is one: its whole output is log output too.
    if (existsSync(DEMO)) {
      const demo = run('apps/cli/src/main.ts', ['demo'], env);
      const timer = setTimeout(() => demo.child.kill('SIGKILL'), 240_000);
      const { code } = await demo.exited;
      clearTimeout(timer);
      demoLog = demo.text();
      expect({ code, tail: demoLog.slice(-500) }).toMatchObject({ code: 0 });
      demoPeople = [...(await peopleInLedger()).values()];
      expect(demoPeople.length).toBeGreaterThan(0);
    }

    // 2. The API with debug logging, over real HTTP.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = run('apps/api/src/main.ts', [], { ...env, PORT: String(port) });
    await until(() => api!.text().includes('ledger listening on') || api!.child.exitCode !== null, 60_000, 'the API to listen');
    expect(api.text()).toContain('ledger listening on');
    const { jwtSecret } = loadOrCreateSecrets(dataDir);
    admin = await signToken(jwtSecret, { sub: 'admin-oku', role: 'program_admin', regions: [OKU], ttlSeconds: 3600 });
    auditor = await signToken(jwtSecret, { sub: 'auditor-oku', role: 'auditor', regions: [OKU], ttlSeconds: 3600 });

    const year = Number(today().slice(0, 4));
    const program = await call('POST', '/api/programs', admin, {
      name: 'Perlindungan Pekerja Rentan Ogan Komering Ulu (uji PII)',
      ownerRegion: OKU,
      payer: 'Pemerintah Kabupaten Ogan Komering Ulu',
      fundingSource: 'APBD',
      benefitPackage: 'JKK_JKM',
      period: { from: `${year}-01-01`, to: `${year + 1}-12-31` },
      quota: 1_000,
      // Started on 1 January: recorded later without being a backfill.
      backfillToleranceDays: 730,
    });
    expect(program.status).toBe(201);
    const programId: string = program.body.programId;

    const villages = regions().villagesOf(OKU).slice(0, 12);
    const generator = createPeopleGenerator({ seed: 0x0b1d_2027, today: today(), regions: regions() });
    let n = 0;
    const next = () => generator.next({ villageCode: villages[n++ % villages.length] });

    for (let i = 0; i < 50; i++) {
      const person = next();
      sent.push(asPerson(person));
      const proposed = await call('POST', `/api/programs/${programId}/enrollments`, admin, {
        nik: person.nik,
        name: person.name,
        sex: person.sex,
        birthDate: person.birthDate,
        occupation: person.occupation,
        villageCode: person.villageCode,
        phone: person.phone,
      });
      expect({ status: proposed.status, body: proposed.body }).toMatchObject({ status: 201 });
      singles.push({ person, participantId: proposed.body.participantId, enrollmentId: proposed.body.enrollmentId });
    }

    // 200 good rows and rows the rules refuse, whose data must not be kept either.
    const rows: string[][] = [];
    const row = (p: { nik: string; name: string; sex: string; birthDate: string; occupation: string; villageCode: string; phone: string }) => {
      const [y, m, d] = p.birthDate.split('-');
      sent.push(asPerson(p));
      rows.push([p.nik, p.name, p.sex, `${d}/${m}/${y}`, p.occupation, p.villageCode, p.phone]);
    };
    for (let i = 0; i < 200; i++) row(next());
    const refused = [
      (p: SyntheticPerson) => ({ ...p, nik: `${p.nik.slice(0, 6)}35${p.nik.slice(8)}` }), // day 35
      (p: SyntheticPerson) => ({ ...p, nik: `${p.nik.slice(0, 8)}13${p.nik.slice(10)}` }), // month 13
      (p: SyntheticPerson) => ({ ...p, birthDate: `${Number(p.birthDate.slice(0, 4)) - 1}${p.birthDate.slice(4)}` }), // not the NIK's date
      (p: SyntheticPerson) => ({ ...p, sex: p.sex === 'L' ? 'P' : 'L' }),
      (p: SyntheticPerson) => ({ ...p, villageCode: '1601999999' }),
      (p: SyntheticPerson) => ({ ...p, nik: `${p.nik.slice(0, 12)}0000` }),
    ];
    for (const change of refused) row(change(next()));
    const csv = [['NIK', 'Nama', 'Jenis Kelamin', 'Tanggal Lahir', 'Pekerjaan', 'Kode Desa', 'No HP'], ...rows]
      .map((cells) => cells.join(';'))
      .join('\r\n');
    const imported = await call('POST', `/api/programs/${programId}/enrollments/import`, admin, csv, 'text/csv');
    expect({ status: imported.status, body: imported.body }).toMatchObject({
      status: 200,
      body: { status: 'completed', accepted: 200, rejected: refused.length },
    });

    for (const single of singles) {
      const approved = await call('POST', `/api/enrollments/${single.enrollmentId}/approval`, admin, { coverageFrom: today() });
      expect({ status: approved.status, body: approved.body }).toMatchObject({ status: 200 });
    }
    const approvedImport = await call('POST', `/api/imports/${imported.body.importId}/approval`, admin, { coverageFrom: today() });
    expect({ status: approvedImport.status, body: approvedImport.body }).toMatchObject({ status: 200, body: { approved: 200 } });

    // Reads that open the sealed data (auditor) and the import report, while debug logging is on.
    for (const single of singles.slice(0, 5)) {
      const read = await call('GET', `/api/participants/${single.participantId}?consistentWith=${lastToken}`, auditor);
      expect(read.status).toBe(200);
      expect(read.body.personal).toMatchObject({ nik: single.person.nik, name: single.person.name });
    }
    const report = await call('GET', `/api/imports/${imported.body.importId}/report?consistentWith=${lastToken}`, admin);
    expect(report.status).toBe(200);
    expect(describeHits(scanText(report.text, 'import report', new Needles(sent), { notADate: district }))).toEqual([]);

    // The bill BPJS sent for this month: the imported rows, a NIK the ledger does not hold, then
    // the same bill with a row it refuses. Neither the refusal nor the report repeats anyone.
    const month = today().slice(0, 7);
    const invoice = await call('POST', `/api/programs/${programId}/invoices`, admin, { month });
    expect(invoice.status).toBe(201);
    const stranger = next();
    sent.push(asPerson(stranger));
    const billLines = [['NIK', 'Nama', 'Periode', 'Iuran'], ...rows.slice(0, 200).map((r) => [r[0], r[1], month, '16800'])];
    billLines.push([stranger.nik, stranger.name, month, '16800']);
    const bill = billLines.map((cells) => cells.join(';')).join('\r\n');
    const billed = await call('POST', `/api/invoices/${invoice.body.invoiceId}/bpjs-bill`, admin, bill, 'text/csv');
    expect({ status: billed.status, body: billed.body }).toMatchObject({ status: 201, body: { differenceCounts: { tidak_tercakup: 1 } } });
    const broken = await call('POST', `/api/invoices/${invoice.body.invoiceId}/bpjs-bill`, admin, `${bill}\r\n${stranger.nik};${stranger.name};${month};16.800,5`, 'text/csv');
    expect(broken.status).toBe(422);
    expect(describeHits(scanText(broken.text, 'bill refusal', new Needles(sent), { notADate: district }))).toEqual([]);
    for (const format of ['json', 'csv']) {
      const billReport = await call('GET', `/api/invoices/${invoice.body.invoiceId}/bpjs-bill?format=${format}&limit=1000`, admin);
      expect(billReport.status).toBe(200);
      expect(describeHits(scanText(billReport.text, 'bill report', new Needles(sent), { notADate: district }))).toEqual([]);
    }

    // A death claim with an heir: sealed in the log, masked for a viewer, in no log or read model.
    const heir = next();
    sent.push(asPerson(heir));
    const died = singles[singles.length - 1];
    const claim = await call('POST', `/api/participants/${died.participantId}/claims`, admin, {
      enrollmentId: died.enrollmentId,
      kind: 'JKM',
      benefit: 'death',
      eventDate: today(),
      heirs: [{ name: heir.name, nik: heir.nik, relationship: 'child', bankName: 'Bank Sumsel Babel', accountNumber: HEIR_ACCOUNT, phone: heir.phone }],
    });
    expect({ status: claim.status, body: claim.body }).toMatchObject({ status: 201, body: { eligible: true } });
    const viewer = await signToken(jwtSecret, { sub: 'viewer-oku', role: 'viewer', regions: [OKU], ttlSeconds: 3600 });
    const masked = await call('GET', `/api/claims/${claim.body.claimId}`, viewer);
    expect(masked.status).toBe(200);
    expect(describeHits(scanText(masked.text, 'claim (viewer)', new Needles(sent), { notADate: district }))).toEqual([]);
    expect(masked.text).not.toContain(HEIR_ACCOUNT);
    const listed = await call('GET', `/api/claims?region=${OKU}&consistentWith=${lastToken}`, viewer);
    expect(listed.body.claims).toHaveLength(1);
    expect(describeHits(scanText(listed.text, 'claims list', new Needles(sent), { notADate: district }))).toEqual([]);
    const opened = await call('GET', `/api/claims/${claim.body.claimId}`, auditor);
    expect(opened.body.heirs).toEqual([expect.objectContaining({ nik: heir.nik, accountNumber: HEIR_ACCOUNT })]);

    // A death reported without a claim: the reporter's name and phone sealed, in no response or history.
    const reporter = next();
    sent.push(asPerson(reporter));
    const reportedDead = singles[singles.length - 2];
    const death = await call('POST', `/api/participants/${reportedDead.participantId}/death`, admin, {
      dateOfDeath: today(),
      reporter: { name: reporter.name, relationship: 'parent', phone: reporter.phone },
      certificate: { number: 'KM-PII-0001', issuedOn: today() },
    });
    expect({ status: death.status, body: death.body }).toMatchObject({ status: 201, body: { coverageEnded: true } });
    expect(describeHits(scanText(death.text, 'death report', new Needles(sent), { notADate: district }))).toEqual([]);
    const history = await call('GET', `/api/participants/${reportedDead.participantId}/history?consistentWith=${death.body.consistencyToken}`, auditor);
    expect(history.body.deathReport).toMatchObject({ reporterRelationship: 'parent' });
    expect(history.text).not.toContain(reporter.name);
  }, 420_000);

  afterAll(async () => {
    if (api && api.child.exitCode === null && api.child.signalCode === null) {
      api.child.kill('SIGKILL');
      await api.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the scanner finds each kind of personal data it looks for', () => {
    const person = sent[0];
    const [y, m, d] = person.birthDate.split('-');
    const sample = `{"a":"${person.nik}","b":"${person.name}","c":"${person.birthDate}","d":"${d}/${m}/${y}","e":"${d}${m}${y.slice(2)}","f":"${person.phone}"}`;
    const kinds = scanText(sample, 'sample', new Needles(sent, { ddmmyyFor: () => true })).map((h) => h.kind);
    expect(new Set(kinds)).toEqual(new Set(['nik', 'name', 'birthDate', 'birthDate DD/MM/YYYY', 'birthDate DDMMYY', 'phone']));
  });

  it('refuses a NIK with an impossible birth date with a 422 that does not repeat it', async () => {
    const generator = createPeopleGenerator({ seed: 0x422, today: today(), regions: regions() });
    const village = regions().villagesOf(OKU)[20];
    const programs = await call('GET', '/api/programs', admin);
    const programId: string = programs.body.programs[0].id;
    const broken = [
      (nik: string) => `${nik.slice(0, 6)}35${nik.slice(8)}`, // day 35: neither a man's (01–31) nor a woman's (41–71)
      (nik: string) => `${nik.slice(0, 6)}00${nik.slice(8)}`, // day 00
      (nik: string) => `${nik.slice(0, 8)}13${nik.slice(10)}`, // month 13
      (nik: string) => `${nik.slice(0, 6)}3002${nik.slice(10)}`, // 30 February
      (nik: string) => `${nik.slice(0, 6)}7102${nik.slice(10)}`, // a woman born on 31 February
    ];
    for (const breakNik of broken) {
      const person = generator.next({ villageCode: village });
      const nik = breakNik(person.nik);
      const [y, m, d] = person.birthDate.split('-');
      const response = await call('POST', `/api/programs/${programId}/enrollments`, admin, {
        nik,
        name: person.name,
        sex: person.sex,
        birthDate: person.birthDate,
        occupation: person.occupation,
        villageCode: person.villageCode,
        phone: person.phone,
      });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'nik.date' })]));
      for (const secret of [nik, nik.slice(6, 12), person.name, person.birthDate, `${d}/${m}/${y}`, person.phone]) {
        expect({ nik, leaked: secret, body: response.text.includes(secret) ? response.text : 'clean' }).toEqual({ nik, leaked: secret, body: 'clean' });
      }
    }
  }, 60_000);

  // Before the scan of the logs below: the NIKs looked up (found, grouped, invalid) must not reach them either.
  it('finds people by NIK in the body of a lookup, answering without the NIK', async () => {
    for (const person of sent.slice(0, 5)) {
      const found = await call('POST', '/api/participants/lookup', admin, { nik: person.nik });
      expect(found.status).toBe(200);
      expect(found.body.participants).toHaveLength(1);
      expect(found.text.includes(person.nik)).toBe(false);
    }
    const grouped = sent[5].nik.replace(/(\d{4})(?=\d)/g, '$1 ');
    expect((await call('POST', '/api/participants/lookup', admin, { nik: grouped })).body.participants).toHaveLength(1);
    const invalid = await call('POST', '/api/participants/lookup', admin, { nik: `${sent[6].nik.slice(0, 15)}` });
    expect(invalid.status).toBe(422);
    expect(invalid.text.includes(sent[6].nik.slice(0, 15))).toBe(false);
  }, 60_000);

  it('keeps every NIK, name, birth date and phone out of ledger.db, read.db, their WAL files and the logs', () => {
    const people = [...demoPeople, ...sent];
    const needles = new Needles(people, { ddmmyyFor: () => true });
    const files = storeFiles();
    expect(files.map((f) => f.split('/').pop())).toEqual(expect.arrayContaining(['ledger.db', 'read.db']));
    const hits = files.flatMap((file) => scanFile(file, new Needles(people), RAW));
    expect(describeHits([...hits, ...scanStoreText(needles)])).toEqual([]);
    // The API logged at debug level (requests included), so the logs were worth scanning.
    expect(api!.text()).toMatch(/"level":20|"msg":"request completed"/);
    expect(describeHits(scanText(logs(), 'logs', needles, { notADate: district }))).toEqual([]);
    // keys.db holds wrapped keys by design, but no NIK or name.
    expect(describeHits(scanKeyStore(new Needles(people)).filter((h) => h.kind === 'nik' || h.kind === 'name'))).toEqual([]);
  }, 120_000);

  it('keeps the heir’s bank account out of ledger.db, read.db, their WAL files and the logs', () => {
    for (const file of storeFiles()) expect({ file, found: readFileSync(file).includes(HEIR_ACCOUNT) }).toEqual({ file, found: false });
    expect(logs()).not.toContain(HEIR_ACCOUNT);
  });

  it('erases a participant: key row gone, sealed data unreadable, NIK and name in no file', async () => {
    // A name of several words, so that the raw-byte search cannot mistake random key bytes for it.
    const erased = singles.find((s) => s.person.name.includes(' '))!;
    const kept = singles.find((s) => s !== erased)!;
    const erasure = await call('POST', `/api/participants/${erased.participantId}/erasure`, admin, { reason: 'Permintaan subjek data (UU 27/2022)' });
    expect({ status: erasure.status, body: erasure.body }).toMatchObject({ status: 200, body: { erased: true } });
    const read = await call('GET', `/api/participants/${erased.participantId}?consistentWith=${lastToken}`, auditor);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'erased', personal: 'erased' });
    expect(read.text).not.toContain(erased.person.nik);
    expect(read.text).not.toContain(erased.person.name);

    // Stop the API (SIGTERM: the batch in flight finishes), so every log line is in.
    api!.child.kill('SIGTERM');
    const stopped = await api!.exited;
    expect(stopped.code ?? 0).toBe(0);

    // The key row is gone and a tombstone says why; the other participant keeps theirs.
    const keysDb = new Database(join(dataDir, 'keys.db'), { readonly: true });
    try {
      const keyRow = keysDb.prepare('SELECT subject_id FROM person_keys WHERE subject_id = ?');
      expect(keyRow.get(erased.participantId)).toBeUndefined();
      expect(keyRow.get(kept.participantId)).toEqual({ subject_id: kept.participantId });
      expect(keysDb.prepare('SELECT subject_id FROM person_key_tombstones WHERE subject_id = ?').get(erased.participantId)).toEqual({
        subject_id: erased.participantId,
      });
    } finally {
      keysDb.close();
    }

    // The sealed blob is still in the immutable log, and nothing opens it any more.
    const ledger = new Database(join(dataDir, 'ledger.db'), { readonly: true });
    const sealedOf = (participantId: string) => {
      const row = ledger
        .prepare(`SELECT data FROM events WHERE stream_id = ? AND type = 'ParticipantRegistered'`)
        .get(streams.participant(participantId)) as { data: string } | undefined;
      return (JSON.parse(row!.data) as { personal: SealedPersonalData }).personal;
    };
    let erasedBlob: SealedPersonalData;
    let keptBlob: SealedPersonalData;
    try {
      erasedBlob = sealedOf(erased.participantId);
      keptBlob = sealedOf(kept.participantId);
      const erasedEvent = ledger
        .prepare(`SELECT type FROM events WHERE stream_id = ? AND type = 'ParticipantErased'`)
        .get(streams.participant(erased.participantId));
      expect(erasedEvent).toEqual({ type: 'ParticipantErased' });
    } finally {
      ledger.close();
    }
    const secrets = loadOrCreateSecrets(dataDir);
    const keyStore = new SqlitePersonKeyStore(join(dataDir, 'keys.db'), secrets.kek);
    try {
      const keys = await keyStore.getMany([erased.participantId, kept.participantId]);
      expect(keys.has(erased.participantId)).toBe(false);
      expect(await keyStore.isDestroyed(erased.participantId)).toBe(true);
      expect(openPersonal(keys.get(erased.participantId), erased.participantId, erasedBlob)).toBeNull();
      // Another person's key does not open it either: the subject id is bound into every blob.
      expect(openPersonal(keys.get(kept.participantId), erased.participantId, erasedBlob)).toBeNull();
      // Control: the kept participant's blob still opens to exactly what was sent.
      expect(openPersonal(keys.get(kept.participantId), kept.participantId, keptBlob)).toEqual(asPerson(kept.person));
    } finally {
      await keyStore.close();
    }

    // The erased person appears in no file of the data directory (keys and secrets included).
    const theirs = new Needles([asPerson(erased.person)], { ddmmyyFor: () => true });
    const everyFile = (folder: string): string[] =>
      readdirSync(folder).flatMap((name) => {
        const path = join(folder, name);
        return statSync(path).isDirectory() ? everyFile(path) : [path];
      });
    const files = everyFile(dataDir);
    expect(files.length).toBeGreaterThanOrEqual(4);
    const theirHits = [...files.flatMap((file) => scanFile(file, theirs, RAW)), ...scanStoreText(theirs)];
    expect(describeHits(theirHits.filter((h) => h.kind === 'nik' || h.kind === 'name'))).toEqual([]);
    expect(describeHits(theirHits.filter((h) => !/keys\.db|secrets\.json/.test(h.file)))).toEqual([]);

    // And still nobody's data in the stores or in the complete logs.
    const everyone = new Needles([...demoPeople, ...sent], { ddmmyyFor: () => true });
    const rawNeedles = new Needles([...demoPeople, ...sent]);
    expect(
      describeHits([...storeFiles().flatMap((file) => scanFile(file, rawNeedles, RAW)), ...scanStoreText(everyone)]),
    ).toEqual([]);
    expect(describeHits(scanText(logs(), 'logs', everyone, { notADate: district }))).toEqual([]);
    expect(describeHits(scanKeyStore(new Needles([...demoPeople, ...sent])).filter((h) => h.kind === 'nik' || h.kind === 'name'))).toEqual([]);
    // The people still in the ledger are exactly those sent and accepted, minus the erased one.
    const remaining = await peopleInLedger();
    expect(remaining.has(erased.participantId)).toBe(false);
    expect(remaining.get(kept.participantId)).toEqual(asPerson(kept.person));
  }, 180_000);
});
