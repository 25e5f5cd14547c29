import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { ReadDb } from '../read-db';
import { ProjectionRunner } from '../runner/projection-runner';
import { attributes, enrollment, person, programEstablished } from '../testing/ledger-events';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import { outsideOfficeHours } from './audit-actions';
import { auditProjection } from './audit.projection';
import { auditSummary, auditTrail, type AuditFilter } from './audit.query';

const A = '0197b000-0000-7000-8000-0000000000a1'; // Muara Enim (1603)
const B = '0197b000-0000-7000-8000-0000000000b1'; // Kerinci (1501)
const I1 = '0197b000-0000-7000-8000-0000000001a1';
const VILLAGE_A = '1603012011';
const VILLAGE_B = '1501012001';

const ACTORS = {
  adminMe: { id: 'admin-muara-enim', role: 'program_admin', region: '1603' },
  op1: { id: 'operator-embawang', role: 'village_operator', region: VILLAGE_A },
  adminJb: { id: 'admin-kerinci', role: 'program_admin', region: '1501' },
  opJb: { id: 'operator-kerinci', role: 'village_operator', region: VILLAGE_B },
};
type ActorName = keyof typeof ACTORS;

/** What the test expects of each audited step, declared by hand beside the step. */
interface Expected {
  actor: ActorName;
  action: string;
  region: string;
  day: string;
  sensitive: boolean;
  offHours: boolean;
}

const program = (programId: string, ownerRegion: string) =>
  programEstablished({ programId, name: `Program ${ownerRegion}`, ownerRegion }).data;

/**
 * Two regencies' March and April: a program each, an upload of four rows (one refused at
 * import) whose list is approved at night, a rejection, a quota change, a deregistration on
 * a Saturday, an erasure, and the other regency's own work.
 */
function scenario(): { steps: { streamId: string; events: NewEvent[] }[]; expected: Expected[] } {
  const steps: { streamId: string; events: NewEvent[] }[] = [];
  const expected: Expected[] = [];
  const step = (
    actor: ActorName,
    at: string,
    streamId: string,
    type: string,
    data: Record<string, unknown>,
    audit?: Omit<Expected, 'actor' | 'day' | 'offHours'> & { offHours: boolean },
    extra: Record<string, unknown> = {},
  ) => {
    const metadata = {
      eventId: randomUUID(),
      occurredAt: at,
      actor: ACTORS[actor],
      correlationId: `corr-${steps.length}`,
      causationId: `corr-${steps.length}`,
      schemaVersion: 1,
      ...extra,
    };
    steps.push({ streamId, events: [{ type, data, metadata }] });
    if (audit) expected.push({ ...audit, actor, day: at.slice(0, 10) });
  };
  const sensitive = false;
  step('adminMe', '2026-03-02T02:00:00.000Z', `program-${A}`, 'ProgramEstablished', program(A, '1603'), {
    action: 'program.establish',
    region: '1603',
    sensitive,
    offHours: false,
  });
  step('adminJb', '2026-03-02T02:30:00.000Z', `program-${B}`, 'ProgramEstablished', program(B, '1501'), {
    action: 'program.establish',
    region: '1501',
    sensitive,
    offHours: false,
  });
  step(
    'adminMe',
    '2026-03-02T02:45:00.000Z',
    'baseline-1603-2026',
    'WorkforceBaselineSet',
    {
      regionCode: '1603',
      year: 2026,
      workingPopulation: 300_000,
      informalWorkers: 200_000,
      vulnerableWorkers: 90_000,
      source: 'BPS Sakernas',
    },
    { action: 'baseline.set', region: '1603', sensitive, offHours: false },
  );
  step(
    'op1',
    '2026-03-02T03:00:00.000Z',
    `import-${I1}`,
    'NominationImportStarted',
    {
      importId: I1,
      programId: A,
      fileSha256: 'f'.repeat(64),
      fileName: 'embawang.csv',
      format: 'csv',
    },
    { action: 'import.upload', region: '1603', sensitive, offHours: false },
  );
  for (const n of [1, 2, 3]) {
    step('op1', '2026-03-02T03:00:01.000Z', `participant-${person(n)}`, 'ParticipantRegistered', {
      participantId: person(n),
      personal: { v: 1, kid: 'k', iv: 'i', ct: 'c', tag: 't' },
      ...attributes(VILLAGE_A),
    });
    step(
      'op1',
      '2026-03-02T03:00:01.000Z',
      `enrollment-${enrollment(n)}`,
      'EnrollmentProposed',
      {
        enrollmentId: enrollment(n),
        programId: A,
        participantId: person(n),
        nikKey: 'a'.repeat(64),
        ...attributes(VILLAGE_A),
        proposedOn: '2026-03-02',
        importId: I1,
      },
      { action: 'enrollment.propose', region: VILLAGE_A, sensitive, offHours: false },
    );
  }
  step('op1', '2026-03-02T03:00:02.000Z', `import-${I1}`, 'NominationImportCompleted', {
    importId: I1,
    programId: A,
    total: 4,
    accepted: 3,
    rejected: 1,
  });
  // 19:30 WIB: the whole list approved in the evening.
  step(
    'adminMe',
    '2026-03-03T12:30:00.000Z',
    `enrollment-${enrollment(1)}`,
    'EnrollmentApproved',
    {
      enrollmentId: enrollment(1),
      programId: A,
      participantId: person(1),
      coverageFrom: '2026-04-01',
      approvedOn: '2026-03-03',
      ...attributes(VILLAGE_A),
    },
    { action: 'import.approve', region: VILLAGE_A, sensitive: true, offHours: true },
    { importApproval: I1 },
  );
  step(
    'adminMe',
    '2026-03-04T03:00:00.000Z',
    `enrollment-${enrollment(2)}`,
    'EnrollmentRejected',
    {
      enrollmentId: enrollment(2),
      programId: A,
      participantId: person(2),
      reason: 'data_error',
      rejectedOn: '2026-03-04',
    },
    { action: 'enrollment.reject', region: VILLAGE_A, sensitive, offHours: false },
  );
  step('opJb', '2026-03-05T04:00:00.000Z', `participant-${person(9)}`, 'ParticipantRegistered', {
    participantId: person(9),
    personal: { v: 1, kid: 'k', iv: 'i', ct: 'c', tag: 't' },
    ...attributes(VILLAGE_B),
  });
  step(
    'opJb',
    '2026-03-05T04:00:00.000Z',
    `enrollment-${enrollment(9)}`,
    'EnrollmentProposed',
    {
      enrollmentId: enrollment(9),
      programId: B,
      participantId: person(9),
      nikKey: 'b'.repeat(64),
      ...attributes(VILLAGE_B),
      proposedOn: '2026-03-05',
      importId: null,
    },
    { action: 'enrollment.propose', region: VILLAGE_B, sensitive, offHours: false },
  );
  step(
    'adminJb',
    '2026-03-06T05:00:00.000Z',
    `enrollment-${enrollment(9)}`,
    'EnrollmentApproved',
    {
      enrollmentId: enrollment(9),
      programId: B,
      participantId: person(9),
      coverageFrom: '2026-04-01',
      approvedOn: '2026-03-06',
      ...attributes(VILLAGE_B),
    },
    { action: 'enrollment.approve', region: VILLAGE_B, sensitive, offHours: false },
  );
  step(
    'adminMe',
    '2026-04-01T01:00:00.000Z',
    `program-${A}`,
    'ProgramQuotaAmended',
    {
      programId: A,
      quota: 150,
      reason: 'APBD-P 2026',
    },
    { action: 'program.amend_quota', region: '1603', sensitive: true, offHours: false },
  );
  // Saturday 11 April 2026.
  step(
    'adminMe',
    '2026-04-11T02:00:00.000Z',
    `enrollment-${enrollment(1)}`,
    'EnrollmentDeregistered',
    {
      enrollmentId: enrollment(1),
      programId: A,
      participantId: person(1),
      reason: 'moved_away',
      note: null,
      coverageFrom: '2026-04-01',
      effectiveDate: '2026-04-10',
      ...attributes(VILLAGE_A),
    },
    { action: 'enrollment.deregister', region: VILLAGE_A, sensitive, offHours: true },
  );
  step(
    'adminMe',
    '2026-04-15T03:00:00.000Z',
    `participant-${person(3)}`,
    'ParticipantErased',
    {
      participantId: person(3),
      erasedOn: '2026-04-15T03:00:00.000Z',
      reason: 'permintaan peserta',
    },
    { action: 'participant.erase', region: VILLAGE_A, sensitive: true, offHours: false },
  );
  return { steps, expected };
}

function suite(target: ReadDbTarget) {
  const fixture = readFixture(target, 'ledger-audit-');
  let store: EventStore;
  let read: ReadDb;
  beforeEach(() => ({ store, read } = fixture));

  async function seed(batchSize?: number) {
    const { steps, expected } = scenario();
    for (const s of steps) await store.append([{ streamId: s.streamId, expected: 'any', events: s.events }]);
    const runner = new ProjectionRunner(store, read, [auditProjection], batchSize ? { batchSize } : {});
    await runner.install();
    await runner.catchUp();
    return { expected, runner };
  }

  const matches = (e: Expected, f: Partial<AuditFilter>) =>
    (f.actor === undefined || ACTORS[e.actor].id === f.actor) &&
    (f.role === undefined || ACTORS[e.actor].role === f.role) &&
    (!f.actions?.length || f.actions.includes(e.action)) &&
    (!f.sensitive || e.sensitive) &&
    (!f.from || e.day >= f.from) &&
    (!f.to || e.day <= f.to) &&
    (f.region === undefined || e.region.startsWith(f.region)) &&
    (f.scope === undefined || f.scope === 'all' || f.scope.some((c) => e.region.startsWith(c)));
  const shape = (e: Expected) => [ACTORS[e.actor].id, e.action, e.region, e.sensitive, e.offHours];

  it('counts office hours in the local time of the region', () => {
    expect(outsideOfficeHours('2026-03-03T12:30:00.000Z', VILLAGE_A)).toBe(true); // 19:30 WIB
    expect(outsideOfficeHours('2026-03-03T09:30:00.000Z', '7371011001')).toBe(true); // 17:30 WITA
    expect(outsideOfficeHours('2026-03-03T08:30:00.000Z', VILLAGE_A)).toBe(false); // 15:30 WIB
    expect(outsideOfficeHours('2026-03-03T23:30:00.000Z', '9171011001')).toBe(false); // 08:30 WIT
    expect(outsideOfficeHours('2026-04-11T02:00:00.000Z', VILLAGE_A)).toBe(true); // Saturday
  });

  it('every filter combination returns exactly the expected actions, in log order', async () => {
    const { expected } = await seed();
    const filters: Partial<AuditFilter>[] = [
      {},
      { actor: 'admin-muara-enim' },
      { actor: 'admin-muara-enim', from: '2026-03-01', to: '2026-03-31' },
      { role: 'village_operator' },
      { actions: ['enrollment.propose'] },
      { actions: ['enrollment.approve', 'import.approve'], from: '2026-03-03' },
      { sensitive: true },
      { region: '1603' },
      { region: VILLAGE_B },
      { region: '160301' },
      { scope: ['1603'] },
      { scope: ['1501'], actions: ['enrollment.propose'] },
      { scope: ['16', '15'], to: '2026-03-04' },
      { from: '2026-04-02', to: '2026-04-14' },
      { from: '2027-01-01' },
    ];
    for (const f of filters) {
      const { entries } = await auditTrail(read.query, { scope: 'all', ...f }, { limit: 1000 });
      const got = entries.map((e) => [e.actor.id, e.action, e.regionCode, e.sensitive, e.outsideOfficeHours]);
      expect({ f, got }).toEqual({ f, got: expected.filter((e) => matches(e, f)).map(shape) });
      const positions = entries.map((e) => e.position);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  });

  it('a regency scope sees nothing of another regency, and an empty scope sees nothing', async () => {
    await seed();
    const jambi = await auditTrail(read.query, { scope: ['1501'] }, { limit: 1000 });
    expect(jambi.entries.length).toBeGreaterThan(0);
    for (const e of jambi.entries) expect(e.regionCode!.startsWith('1501')).toBe(true);
    expect((await auditTrail(read.query, { scope: [] }, { limit: 1000 })).entries).toEqual([]);
  });

  it('pages by position return each action once', async () => {
    const { expected } = await seed();
    const seen: number[] = [];
    let after: number | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await auditTrail(read.query, { scope: 'all' }, { after, limit: 2 });
      seen.push(...page.entries.map((e) => e.position));
      if (page.nextCursor === null) break;
      after = page.nextCursor;
    }
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen).size).toBe(expected.length);
  });

  it('carries the details an auditor asks for and nothing personal', async () => {
    await seed();
    const { entries } = await auditTrail(read.query, { scope: 'all' }, { limit: 1000 });
    const upload = entries.find((e) => e.action === 'import.upload')!;
    expect(upload).toMatchObject({
      importId: I1,
      programId: A,
      upload: { rows: 4, refusedAtImport: 1, laterRejected: 1 },
      actionName: { id: 'mengunggah daftar', en: 'upload a nomination list' },
    });
    const reject = entries.find((e) => e.action === 'enrollment.reject')!;
    expect(reject).toMatchObject({
      importId: I1,
      reason: 'data_error',
      effectiveDate: '2026-03-04',
      regionCode: VILLAGE_A,
    });
    const quota = entries.find((e) => e.action === 'program.amend_quota')!;
    expect(quota).toMatchObject({ reason: 'APBD-P 2026', detail: { quota: 150 }, regionCode: '1603' });
    const erase = entries.find((e) => e.action === 'participant.erase')!;
    expect(erase).toMatchObject({
      participantId: person(3),
      regionCode: VILLAGE_A,
      effectiveDate: '2026-04-15',
    });
    const text = JSON.stringify(entries);
    for (const secret of ['embawang.csv', '"ct"', 'nikKey', 'a'.repeat(64)])
      expect(text).not.toContain(secret);
  });

  it('sums per actor and per region and month, with upload rejection rates and off-hours counts', async () => {
    await seed();
    const byActor = await auditSummary(read.query, { scope: 'all' }, 'actor');
    const row = (month: string, key: string) => byActor.rows.find((r) => r.month === month && r.key === key);
    expect(row('2026-03', 'operator-embawang')).toMatchObject({
      role: 'village_operator',
      total: 4,
      byAction: { 'import.upload': 1, 'enrollment.propose': 3 },
      uploads: 1,
      rowsUploaded: 4,
      rowsRefusedAtImport: 1,
      enrollmentsLaterRejected: 1,
      uploadRejectionRate: 0.5,
    });
    expect(row('2026-03', 'admin-muara-enim')).toMatchObject({
      total: 4,
      outsideOfficeHours: 1,
      uploadRejectionRate: null,
    });
    expect(row('2026-04', 'admin-muara-enim')).toMatchObject({ total: 3, outsideOfficeHours: 1 });

    const byRegion = await auditSummary(read.query, { scope: 'all', region: '16' }, 'region');
    expect(byRegion.rows.map((r) => [r.month, r.key, r.total])).toEqual([
      ['2026-03', '1603', 8],
      ['2026-04', '1603', 3],
    ]);
    const national = await auditSummary(
      read.query,
      { scope: 'all', from: '2026-03-01', to: '2026-03-31' },
      'region',
    );
    expect(national.rows.map((r) => [r.key, r.total])).toEqual([
      ['15', 3],
      ['16', 8],
    ]);
  });

  it('one event per batch, or a rebuild, gives the same trail as one batch', async () => {
    const { runner } = await seed(1);
    const small = await auditTrail(read.query, { scope: 'all' }, { limit: 1000 });
    await runner.rebuild('audit_trail');
    const rebuilt = await auditTrail(read.query, { scope: 'all' }, { limit: 1000 });
    expect(rebuilt).toEqual(small);
    expect(small.entries.find((e) => e.action === 'import.upload')!.upload).toEqual({
      rows: 4,
      refusedAtImport: 1,
      laterRejected: 1,
    });
    expect(small.entries.find((e) => e.action === 'enrollment.reject')!.regionCode).toBe(VILLAGE_A);
  });
}

const OP_ACCOUNT = '0197b000-0000-7000-8000-0000000000c1';
const ADMIN_ACCOUNT = '0197b000-0000-7000-8000-0000000000c2';
const SESSION_REF = '5e551045e551045e';
const NAME_HMAC = 'c'.repeat(64);

/**
 * A day of the web app's accounts: the national administrator creates a village operator's
 * account, who signs in, mistypes a password, changes it and signs out; a stranger tries a
 * name that belongs to no account; the administrator issues a regency's token, disables the
 * operator and enables them again. Each step with the row it must give.
 */
function accountScenario() {
  const admin = { id: 'admin.pusat', role: 'administrator', region: 'ID' };
  const operator = { id: 'op.embawang', role: 'village_operator' };
  const anonymous = { id: 'anonymous', role: 'none' };
  const steps: {
    streamId: string;
    type: string;
    data: Record<string, unknown>;
    actor: { id: string; role: string; region?: string };
    at: string;
  }[] = [];
  const expected: [string, string, string | null, boolean][] = [];
  const step = (
    actor: { id: string; role: string; region?: string },
    at: string,
    streamId: string,
    type: string,
    data: Record<string, unknown>,
    action?: string,
    region?: string | null,
    sensitive = true,
  ) => {
    steps.push({ streamId, type, data, actor, at });
    if (action) expected.push([actor.id, action, region ?? null, sensitive]);
  };
  const op = `account-${OP_ACCOUNT}`;
  step(
    admin,
    '2026-05-04T01:00:00.000Z',
    `account-${ADMIN_ACCOUNT}`,
    'AccountCreated',
    {
      accountId: ADMIN_ACCOUNT,
      username: 'admin.pusat',
      role: 'administrator',
      regions: ['ID'],
      address: 'cli',
    },
    'account.create',
    'ID',
  );
  step(admin, '2026-05-04T01:05:00.000Z', 'accountname-x', 'AccountNameClaimed', { accountId: OP_ACCOUNT });
  step(
    admin,
    '2026-05-04T01:05:00.000Z',
    op,
    'AccountCreated',
    {
      accountId: OP_ACCOUNT,
      username: 'op.embawang',
      role: 'village_operator',
      regions: [VILLAGE_A],
      address: '10.1.1.1',
    },
    'account.create',
    VILLAGE_A,
  );
  step(
    anonymous,
    '2026-05-04T02:00:00.000Z',
    op,
    'AccountSignInFailed',
    {
      accountId: OP_ACCOUNT,
      usernameKey: NAME_HMAC,
      address: '10.2.2.2',
      reason: 'password',
    },
    'account.sign_in_failed',
    VILLAGE_A,
  );
  // Recorded before sign-ins carried the actor's scope: the account's regions stand in.
  step(
    operator,
    '2026-05-04T02:01:00.000Z',
    op,
    'AccountSignedIn',
    {
      accountId: OP_ACCOUNT,
      address: '10.2.2.2',
      session: SESSION_REF,
    },
    'account.sign_in',
    VILLAGE_A,
  );
  step(
    operator,
    '2026-05-04T02:10:00.000Z',
    op,
    'AccountPasswordChangeFailed',
    {
      accountId: OP_ACCOUNT,
      address: '10.2.2.2',
      reason: 'password',
    },
    'account.change_password_failed',
    VILLAGE_A,
  );
  step(
    operator,
    '2026-05-04T02:11:00.000Z',
    op,
    'AccountPasswordChanged',
    {
      accountId: OP_ACCOUNT,
      address: '10.2.2.2',
      sessionsEnded: 1,
    },
    'account.change_password',
    VILLAGE_A,
  );
  step(
    operator,
    '2026-05-04T02:30:00.000Z',
    op,
    'AccountSignedOut',
    {
      accountId: OP_ACCOUNT,
      address: '10.2.2.2',
      session: SESSION_REF,
    },
    'account.sign_out',
    VILLAGE_A,
    false,
  );
  step(
    anonymous,
    '2026-05-04T03:00:00.000Z',
    'signin-unknown',
    'AccountSignInFailed',
    {
      accountId: null,
      usernameKey: NAME_HMAC,
      address: '10.9.9.9',
      reason: 'unknown_user',
    },
    'account.sign_in_failed',
    null,
  );
  step(
    admin,
    '2026-05-04T04:00:00.000Z',
    `account-${ADMIN_ACCOUNT}`,
    'ApiTokenIssued',
    {
      accountId: ADMIN_ACCOUNT,
      tokenId: '0197b000-0000-7000-8000-0000000000d1',
      subject: 'dashboard.me',
      role: 'viewer',
      regions: ['1603'],
      expiresAt: '2026-08-02T04:00:00.000Z',
      address: '10.1.1.1',
    },
    'account.issue_token',
    '1603',
  );
  step(
    admin,
    '2026-05-04T05:00:00.000Z',
    op,
    'AccountDisabled',
    {
      accountId: OP_ACCOUNT,
      reason: 'pindah tugas',
      address: '10.1.1.1',
    },
    'account.disable',
    VILLAGE_A,
  );
  step(
    admin,
    '2026-05-04T05:30:00.000Z',
    op,
    'AccountEnabled',
    {
      accountId: OP_ACCOUNT,
      address: '10.1.1.1',
    },
    'account.enable',
    VILLAGE_A,
  );
  return { steps, expected };
}

function accountSuite(target: ReadDbTarget) {
  const fixture = readFixture(target, 'ledger-audit-accounts-');
  let store: EventStore;
  let read: ReadDb;
  beforeEach(() => ({ store, read } = fixture));

  async function seed(batchSize?: number) {
    const { steps, expected } = accountScenario();
    for (const [i, s] of steps.entries()) {
      const metadata = {
        eventId: randomUUID(),
        occurredAt: s.at,
        actor: s.actor,
        correlationId: `corr-${i}`,
        causationId: `corr-${i}`,
        schemaVersion: 1,
      };
      await store.append([
        { streamId: s.streamId, expected: 'any', events: [{ type: s.type, data: s.data, metadata }] },
      ]);
    }
    const runner = new ProjectionRunner(store, read, [auditProjection], batchSize ? { batchSize } : {});
    await runner.install();
    await runner.catchUp();
    return { expected, runner };
  }
  const shape = (
    entries: { actor: { id: string }; action: string; regionCode: string | null; sensitive: boolean }[],
  ) => entries.map((e) => [e.actor.id, e.action, e.regionCode, e.sensitive]);

  it("records every account action with who, the account, the address and the account's region", async () => {
    const { expected } = await seed();
    const { entries } = await auditTrail(read.query, { scope: 'all' }, { limit: 1000 });
    expect(shape(entries)).toEqual(expected);
    const of = (action: string) => entries.filter((e) => e.action === action);
    expect(of('account.create')[1]).toMatchObject({
      actor: { id: 'admin.pusat', role: 'administrator', scope: 'ID' },
      actionName: { id: 'membuat akun', en: 'create an account' },
      detail: { account: 'op.embawang', role: 'village_operator', regions: [VILLAGE_A], address: '10.1.1.1' },
    });
    expect(of('account.sign_in')[0]).toMatchObject({
      actor: { id: 'op.embawang', role: 'village_operator', scope: VILLAGE_A },
      actionName: { id: 'masuk', en: 'sign in' },
      detail: { account: 'op.embawang', address: '10.2.2.2' },
    });
    expect(of('account.sign_in_failed').map((e) => e.detail)).toEqual([
      { account: 'op.embawang', address: '10.2.2.2', failure: 'password' },
      { account: null, address: '10.9.9.9', failure: 'unknown_user' },
    ]);
    expect(of('account.change_password')[0].detail).toEqual({
      account: 'op.embawang',
      address: '10.2.2.2',
      sessionsEnded: 1,
    });
    expect(of('account.disable')[0]).toMatchObject({
      reason: 'pindah tugas',
      detail: { account: 'op.embawang' },
    });
    expect(of('account.issue_token')[0].detail).toMatchObject({ subject: 'dashboard.me', regions: ['1603'] });
    // Neither the session reference nor the HMAC of a user name reaches the trail.
    const text = JSON.stringify(entries);
    for (const secret of [SESSION_REF, NAME_HMAC, 'usernameKey', '"session"'])
      expect(text).not.toContain(secret);
  });

  it('sign-ins and account changes are listed among the sensitive actions; filters by action and actor', async () => {
    const { expected } = await seed();
    const sensitive = await auditTrail(read.query, { scope: 'all', sensitive: true }, { limit: 1000 });
    expect(shape(sensitive.entries)).toEqual(expected.filter((e) => e[3]));
    const signIns = await auditTrail(
      read.query,
      { scope: 'all', actions: ['account.sign_in', 'account.sign_in_failed'] },
      { limit: 1000 },
    );
    expect(signIns.entries.map((e) => e.action)).toEqual([
      'account.sign_in_failed',
      'account.sign_in',
      'account.sign_in_failed',
    ]);
    const own = await auditTrail(read.query, { scope: 'all', actor: 'op.embawang' }, { limit: 1000 });
    expect(shape(own.entries)).toEqual(expected.filter((e) => e[0] === 'op.embawang'));
  });

  it("a regency's scope sees its own accounts and tokens only: not the national administrator, not unknown names", async () => {
    const { expected } = await seed();
    const mine = await auditTrail(read.query, { scope: ['1603'] }, { limit: 1000 });
    expect(shape(mine.entries)).toEqual(expected.filter((e) => e[2]?.startsWith('1603')));
    expect(mine.entries.some((e) => e.regionCode === 'ID' || e.regionCode === null)).toBe(false);
    expect((await auditTrail(read.query, { scope: ['1501'] }, { limit: 1000 })).entries).toEqual([]);
  });

  it('one event per batch, or a rebuild, gives the same trail as one batch', async () => {
    const { runner } = await seed(1);
    const small = await auditTrail(read.query, { scope: 'all' }, { limit: 1000 });
    await runner.rebuild('audit_trail');
    expect(await auditTrail(read.query, { scope: 'all' }, { limit: 1000 })).toEqual(small);
    expect(small.entries.find((e) => e.action === 'account.enable')!.detail).toEqual({
      account: 'op.embawang',
      address: '10.1.1.1',
    });
  });
}

describe('SQLite: audit trail', () => suite(readDbTargets.sqlite));
describeIfAvailable(
  'PostgreSQL: audit trail',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite(readDbTargets.postgres),
);

describe('SQLite: accounts in the audit trail', () => accountSuite(readDbTargets.sqlite));
describeIfAvailable(
  'PostgreSQL: accounts in the audit trail',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => accountSuite(readDbTargets.postgres),
);
