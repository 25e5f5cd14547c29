/**
 * The web app's accounts in the audit trail, and a user's change of their own password, over
 * HTTP on SQLite and PostgreSQL: a day of sign-ins, failures, account changes, a token and
 * password changes, then the trail against the list the test kept while acting — in order,
 * sensitive alone, per actor, per regency scope — with nothing secret in it or in its export.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { seedAccounts } from './support/accounts';
import { EMBAWANG, MUARA_ENIM, SAROLANGUN } from './support/ledger-fixtures';
import { startLedgerApp, type LedgerApp, type LedgerMode } from './support/ledger-app';

const ADMIN = { username: 'admin.pusat', password: 'sandi-admin-pusat-1' };
const OPERATOR = { username: 'op.embawang', password: 'sandi-operator-lama-1' };
const NEW_PASSWORD = 'sandi operator baru 2027';
const KERINCI = { username: 'viewer.sarolangun', password: 'sandi-pembaca-sar-1' };
const LOCKED = { username: 'op.kunci', password: 'sandi-operator-kunci-1' };
const TAMBAK_RATU = '1503012001';

interface Session {
  cookie: string;
  csrf: string;
}
/** What the test did, in order: who, which action, which region it concerns. */
type Done = [actor: string, action: string, region: string | null];

function accountAuditSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let auditorNat: string;
  let auditorMe: string;
  const done: Done[] = [];
  const secrets: string[] = [];
  let opAccountId = '';

  const signIn = (username: string, password: string) =>
    ledger.request('POST', '/api/session', { payload: { username, password } });
  async function session(username: string, password: string): Promise<Session> {
    const response = await signIn(username, password);
    expect(response.status).toBe(200);
    const cookie = String(response.headers['set-cookie']).split(';')[0];
    secrets.push(cookie.split('=')[1], response.body.csrfToken);
    return { cookie, csrf: response.body.csrfToken };
  }
  const headers = (s: Session, csrf = true) => ({
    cookie: s.cookie,
    ...(csrf ? { 'x-csrf-token': s.csrf } : {}),
  });
  const changePassword = (s: Session, payload: unknown, csrf = true) =>
    ledger.request('POST', '/api/session/password', { payload, headers: headers(s, csrf) });
  const whoIs = async (s: Session) =>
    (await ledger.request('GET', '/api/session', { headers: { cookie: s.cookie } })).body.user?.username ??
    null;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    auditorNat = await ledger.token('auditor', ['ID'], 'auditor-bpk');
    auditorMe = await ledger.token('auditor', [MUARA_ENIM], 'auditor-muara-enim');
    await seedAccounts(ledger.runtime, [{ ...ADMIN, role: 'administrator', regions: ['ID'] }]);
    done.push(['cli', 'account.create', 'ID']);

    const admin = await session(ADMIN.username, ADMIN.password);
    done.push([ADMIN.username, 'account.sign_in', 'ID']);
    for (const [account, role, regions] of [
      [OPERATOR, 'village_operator', [EMBAWANG]],
      [KERINCI, 'viewer', [SAROLANGUN]],
      [LOCKED, 'village_operator', [EMBAWANG]],
    ] as const) {
      const created = await ledger.request('POST', '/api/accounts', {
        payload: { ...account, role, regions },
        headers: headers(admin),
      });
      expect(created.status).toBe(201);
      if (account === OPERATOR) opAccountId = created.body.accountId;
      done.push([ADMIN.username, 'account.create', regions[0]]);
    }
    const token = await ledger.request('POST', '/api/tokens', {
      payload: { subject: 'dashboard.muaraenim', role: 'viewer', regions: [MUARA_ENIM], days: 30 },
      headers: headers(admin),
    });
    expect(token.status).toBe(201);
    secrets.push(token.body.token);
    done.push([ADMIN.username, 'account.issue_token', MUARA_ENIM]);

    expect((await signIn(OPERATOR.username, 'bukan-sandinya-123')).status).toBe(401);
    done.push(['anonymous', 'account.sign_in_failed', EMBAWANG]);
    expect((await signIn('tidak.ada', 'bukan-sandinya-123')).status).toBe(401);
    done.push(['anonymous', 'account.sign_in_failed', null]);
    await session(KERINCI.username, KERINCI.password);
    done.push([KERINCI.username, 'account.sign_in', SAROLANGUN]);
    const kerinciId = (await ledger.get('/api/accounts', undefined, headers(admin))).body.items.find(
      (a: { username: string }) => a.username === KERINCI.username,
    ).accountId;
    for (const [change, action] of [
      ['disabling', 'account.disable'],
      ['enabling', 'account.enable'],
    ] as const) {
      const response = await ledger.request('POST', `/api/accounts/${kerinciId}/${change}`, {
        payload: change === 'disabling' ? { reason: 'pindah tugas' } : {},
        headers: headers(admin),
      });
      expect(response.status).toBe(200);
      done.push([ADMIN.username, action, SAROLANGUN]);
    }
  }, 120_000);
  afterAll(async () => ledger?.close());

  it('a user changes their own password: the other session ends, the old password is refused, the new one works', async () => {
    const here = await session(OPERATOR.username, OPERATOR.password);
    const elsewhere = await session(OPERATOR.username, OPERATOR.password);
    done.push(
      [OPERATOR.username, 'account.sign_in', EMBAWANG],
      [OPERATOR.username, 'account.sign_in', EMBAWANG],
    );

    // Without the session's CSRF token: refused before anything is looked at.
    const before = await ledger.runtime.store.headPosition();
    const forged = await changePassword(
      here,
      { currentPassword: OPERATOR.password, newPassword: NEW_PASSWORD },
      false,
    );
    expect(forged.status).toBe(403);
    expect(forged.body.type).toMatch(/auth\.csrf$/);
    // A weak new password: 422 naming the field and each rule, nothing recorded, no failure counted.
    const weak = await changePassword(here, { currentPassword: OPERATOR.password, newPassword: 'pendek' });
    expect(weak.status).toBe(422);
    expect(weak.body.errors).toEqual([expect.objectContaining({ field: 'newPassword', rule: 'length' })]);
    const guessable = await changePassword(here, {
      currentPassword: OPERATOR.password,
      newPassword: `${OPERATOR.username}-aaaa`,
    });
    expect(guessable.status).toBe(422);
    expect(guessable.body.errors.map((e: { rule: string }) => e.rule)).toEqual(['notUsername']);
    const missing = await changePassword(here, { newPassword: NEW_PASSWORD });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ field: 'currentPassword', rule: 'isString' });
    expect(await ledger.runtime.store.headPosition()).toBe(before);

    // A wrong current password: refused, recorded, and the session stays.
    const wrong = await changePassword(here, {
      currentPassword: 'bukan-sandinya-123',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.errors[0]).toMatchObject({ field: 'currentPassword', rule: 'matches' });
    done.push([OPERATOR.username, 'account.change_password_failed', EMBAWANG]);

    const changed = await changePassword(here, {
      currentPassword: OPERATOR.password,
      newPassword: NEW_PASSWORD,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ accountId: opAccountId, sessionsEnded: 1 });
    done.push([OPERATOR.username, 'account.change_password', EMBAWANG]);
    expect(await whoIs(here)).toBe(OPERATOR.username);
    expect(await whoIs(elsewhere)).toBeNull();

    const events = await ledger.runtime.store.readStream(`account-${opAccountId}`);
    const recorded = events.find((e) => e.type === 'AccountPasswordChanged')!;
    expect(recorded.data).toEqual({ accountId: opAccountId, address: '127.0.0.1', sessionsEnded: 1 });
    for (const secret of [OPERATOR.password, NEW_PASSWORD, 'argon2', 'bukan-sandinya'])
      expect(JSON.stringify(events)).not.toContain(secret);

    const signedOut = await ledger.request('DELETE', '/api/session', { headers: headers(here) });
    expect(signedOut.status).toBe(204);
    done.push([OPERATOR.username, 'account.sign_out', EMBAWANG]);
    expect((await signIn(OPERATOR.username, OPERATOR.password)).status).toBe(401);
    done.push(['anonymous', 'account.sign_in_failed', EMBAWANG]);
    await session(OPERATOR.username, NEW_PASSWORD);
    done.push([OPERATOR.username, 'account.sign_in', EMBAWANG]);

    // An API client has no password of its own to change.
    const bearer = await ledger.post('/api/session/password', auditorNat, {
      currentPassword: 'x'.repeat(12),
      newPassword: NEW_PASSWORD,
    });
    expect(bearer.status).toBe(400);
    expect(bearer.body.type).toMatch(/auth\.noSession$/);
  });

  it('wrong current passwords count towards the sign-in lock-out', async () => {
    const s = await session(LOCKED.username, LOCKED.password);
    done.push([LOCKED.username, 'account.sign_in', EMBAWANG]);
    for (let i = 0; i < 5; i++) {
      const wrong = await changePassword(s, {
        currentPassword: `salah-${i}-123456`,
        newPassword: NEW_PASSWORD,
      });
      expect(wrong.status).toBe(403);
      done.push([LOCKED.username, 'account.change_password_failed', EMBAWANG]);
    }
    const locked = await changePassword(s, { currentPassword: LOCKED.password, newPassword: NEW_PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.body.retryAfterSeconds)).toBeGreaterThan(0);
    expect(locked.headers['retry-after']).toBe(String(locked.body.retryAfterSeconds));
    done.push([LOCKED.username, 'account.change_password_failed', EMBAWANG]);
    const signInLocked = await signIn(LOCKED.username, LOCKED.password);
    expect(signInLocked.status).toBe(429);
    done.push(['anonymous', 'account.sign_in_failed', EMBAWANG]);
  });

  const trail = async (query: string, token = auditorNat) => {
    const head = await ledger.runtime.store.headPosition();
    const response = await ledger.get(`/api/audit?consistentWith=${head}&limit=1000&${query}`, token);
    expect(response.status).toBe(200);
    return response.body.entries as {
      actor: { id: string; role: string; scope: string | null };
      action: string;
      regionCode: string | null;
      sensitive: boolean;
      detail: Record<string, unknown> | null;
    }[];
  };
  const shape = (entries: Awaited<ReturnType<typeof trail>>): Done[] =>
    entries.map((e) => [e.actor.id, e.action, e.regionCode]);
  const SENSITIVE = new Set([
    'account.create',
    'account.disable',
    'account.enable',
    'account.sign_in',
    'account.sign_in_failed',
    'account.issue_token',
    'account.change_password',
    'account.change_password_failed',
  ]);

  it('every account action is in the audit trail in the order it was done, sensitive ones listed alone', async () => {
    expect(shape(await trail(''))).toEqual(done);
    expect(shape(await trail('sensitive=true'))).toEqual(done.filter(([, action]) => SENSITIVE.has(action)));
    expect(shape(await trail(`actor=${OPERATOR.username}`))).toEqual(
      done.filter(([a]) => a === OPERATOR.username),
    );
    expect(shape(await trail('action=account.sign_in,account.sign_in_failed'))).toEqual(
      done.filter(([, action]) => action.startsWith('account.sign_in')),
    );
    expect(shape(await trail(`region=${SAROLANGUN}`))).toEqual(
      done.filter(([, , r]) => r?.startsWith(SAROLANGUN)),
    );
  });

  it('each row tells who, from where, with which role and scope — and nothing secret', async () => {
    const entries = await trail('');
    const signIn = entries.find((e) => e.action === 'account.sign_in' && e.actor.id === OPERATOR.username)!;
    expect(signIn).toMatchObject({
      actor: { id: OPERATOR.username, role: 'village_operator', scope: EMBAWANG },
      regionCode: EMBAWANG,
      sensitive: true,
      detail: { account: OPERATOR.username, address: '127.0.0.1' },
    });
    const change = entries.find((e) => e.action === 'account.change_password')!;
    expect(change.detail).toEqual({ account: OPERATOR.username, address: '127.0.0.1', sessionsEnded: 1 });
    const failures = entries.filter((e) => e.action === 'account.sign_in_failed').map((e) => e.detail);
    expect(failures[0]).toEqual({ account: OPERATOR.username, address: '127.0.0.1', failure: 'password' });
    expect(failures[1]).toEqual({ account: null, address: '127.0.0.1', failure: 'unknown_user' });
    const csv = await ledger.get('/api/audit?format=csv', auditorNat);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('gagal masuk');
    for (const text of [JSON.stringify(entries), csv.text]) {
      for (const secret of [
        ...secrets,
        OPERATOR.password,
        NEW_PASSWORD,
        ADMIN.password,
        'argon2',
        'tidak.ada',
        'usernameKey',
        '"session"',
      ])
        expect(text).not.toContain(secret);
    }
  });

  it("a regency's auditor sees its own accounts' actions, nothing of another regency's nor the national administrator's", async () => {
    const mine = await trail('', auditorMe);
    expect(shape(mine)).toEqual(done.filter(([, , region]) => region?.startsWith(MUARA_ENIM)));
    expect(JSON.stringify(mine)).not.toContain(KERINCI.username);
    expect(JSON.stringify(mine)).not.toContain(TAMBAK_RATU);
    const foreign = await ledger.get(`/api/audit?region=${SAROLANGUN}`, auditorMe);
    expect(foreign.status).toBe(403);
  });

  it('a rebuild of the audit trail from the log gives back the live rows, account rows included', async () => {
    const tables = async () => {
      const out: Record<string, unknown[]> = {};
      for (const [table, key] of [
        ['audit_trail', 'position'],
        ['audit_subjects', 'id'],
        ['audit_days', 'day'],
      ] as const)
        out[table] = await ledger.runtime.read.query.selectFrom(table).selectAll().orderBy(key).execute();
      return out;
    };
    await trail('');
    const live = await tables();
    expect(
      live.audit_subjects.filter((s) => (s as { username: string | null }).username !== null),
    ).toHaveLength(4);
    await ledger.runtime.runner.rebuild('audit_trail');
    expect(await tables()).toEqual(live);
  });
}

describe('SQLite: accounts in the audit trail, own password change', () => accountAuditSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL: accounts in the audit trail, own password change',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => accountAuditSuite('postgres'),
);
