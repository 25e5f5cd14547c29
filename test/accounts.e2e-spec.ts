import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { seedAccounts } from './support/accounts';
import { startLedgerApp, type ApiResponse, type LedgerApp, type LedgerMode } from './support/ledger-app';

const ADMIN_PASSWORD = 'rahasia-admin-123';

/** What the browser keeps: the session cookie (from Set-Cookie) and the CSRF token (from the body). */
interface Browser {
  cookie: string;
  csrf: string;
}

function sessionCookie(response: ApiResponse): string {
  const header = response.headers['set-cookie'];
  const value = Array.isArray(header) ? header[0] : String(header);
  return value.split(';')[0];
}

async function seedAdmin(ledger: LedgerApp, username = 'admin.pusat'): Promise<void> {
  await seedAccounts(ledger.runtime, [
    { username, role: 'administrator', regions: ['ID'], password: ADMIN_PASSWORD },
  ]);
}

function accountsSuite(mode: LedgerMode) {
  let ledger: LedgerApp;

  const signIn = (username: string, password: string, headers: Record<string, string> = {}) =>
    ledger.request('POST', '/api/session', { payload: { username, password }, headers });
  const as = (browser: Browser, withCsrf = true) => ({
    cookie: browser.cookie,
    ...(withCsrf ? { 'x-csrf-token': browser.csrf } : {}),
  });
  async function browserOf(username: string, password: string): Promise<Browser> {
    const response = await signIn(username, password);
    expect(response.status).toBe(200);
    return { cookie: sessionCookie(response), csrf: response.body.csrfToken };
  }
  const events = async (streamId: string) => ledger.runtime.store.readStream(streamId);

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    await seedAdmin(ledger);
  });
  afterAll(async () => ledger?.close());

  it('signs in with an HTTP-only SameSite=Strict cookie and returns the user and a CSRF token', async () => {
    const response = await signIn('admin.pusat', ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^ledger_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // plain HTTP under inject; LEDGER_COOKIE_SECURE=always adds it
    expect(response.body.user).toMatchObject({
      username: 'admin.pusat',
      role: 'administrator',
      regions: ['ID'],
    });
    expect(response.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const current = await ledger.request('GET', '/api/session', {
      headers: { cookie: sessionCookie(response) },
    });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({
      user: { username: 'admin.pusat' },
      csrfToken: response.body.csrfToken,
    });
  });

  it('creates accounts, and every write from a session needs the CSRF token', async () => {
    const admin = await browserOf('admin.pusat', ADMIN_PASSWORD);
    const body = {
      username: 'op.desa',
      password: 'kata-sandi-op-1',
      role: 'village_operator',
      regions: ['1603052001'],
    };
    const forged = await ledger.request('POST', '/api/accounts', {
      payload: body,
      headers: as(admin, false),
    });
    expect(forged.status).toBe(403);
    expect(forged.body.type).toMatch(/auth\.csrf$/);
    const wrong = await ledger.request('POST', '/api/accounts', {
      payload: body,
      headers: { cookie: admin.cookie, 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.status).toBe(403);
    expect((await ledger.get('/api/accounts', undefined, as(admin))).body.items).toHaveLength(1);

    const created = await ledger.request('POST', '/api/accounts', { payload: body, headers: as(admin) });
    expect(created.status).toBe(201);
    expect(created.body.accountId).toMatch(/^[0-9a-f-]{36}$/);
    const list = await ledger.get('/api/accounts', undefined, as(admin));
    expect(list.body.items.map((a: { username: string }) => a.username)).toEqual(['admin.pusat', 'op.desa']);

    const again = await ledger.request('POST', '/api/accounts', { payload: body, headers: as(admin) });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([expect.objectContaining({ field: 'username', rule: 'unique' })]);

    // The event names the account, its role and scope, and the administrator; never the password.
    const [createdEvent] = await events(`account-${created.body.accountId}`);
    expect(createdEvent.type).toBe('AccountCreated');
    expect(createdEvent.metadata.actor?.id).toBe('admin.pusat');
    expect((createdEvent.data as { address: string }).address).toBe('127.0.0.1');
    expect(JSON.stringify(createdEvent)).not.toContain('kata-sandi-op-1');
    expect(JSON.stringify(createdEvent)).not.toContain('argon2');
  });

  it('refuses bad account fields with 400 naming each field, and changes nothing', async () => {
    const admin = await browserOf('admin.pusat', ADMIN_PASSWORD);
    const before = await ledger.runtime.store.headPosition();
    const response = await ledger.request('POST', '/api/accounts', {
      payload: { username: 'X', password: 'short', role: 'boss', regions: ['16'] },
      headers: as(admin),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'password',
      'role',
      'username',
    ]);
    const operatorWide = await ledger.request('POST', '/api/accounts', {
      payload: {
        username: 'op.luas',
        password: 'kata-sandi-op-1',
        role: 'village_operator',
        regions: ['1603'],
      },
      headers: as(admin),
    });
    expect(operatorWide.status).toBe(400);
    expect(operatorWide.body.errors).toEqual([
      expect.objectContaining({ field: 'regions', rule: 'villageOnly' }),
    ]);
    expect(await ledger.runtime.store.headPosition()).toBe(before);
  });

  it('a viewer session reads, cannot administer, and its forged writes are refused', async () => {
    const admin = await browserOf('admin.pusat', ADMIN_PASSWORD);
    await ledger.request('POST', '/api/accounts', {
      payload: { username: 'pembaca.16', password: 'kata-sandi-pembaca', role: 'viewer', regions: ['16'] },
      headers: as(admin),
    });
    const viewer = await browserOf('pembaca.16', 'kata-sandi-pembaca');
    expect((await ledger.get('/api/programs', undefined, as(viewer))).status).toBe(200);
    expect((await ledger.get('/api/accounts', undefined, as(viewer))).status).toBe(403);
    // A write without the token is refused before any rule is looked at.
    const forged = await ledger.request('POST', '/api/programs', { payload: {}, headers: as(viewer, false) });
    expect(forged.status).toBe(403);
    expect(forged.body.type).toMatch(/auth\.csrf$/);
    // Another region is refused as for a token.
    expect((await ledger.get('/api/coverage?region=31', undefined, as(viewer))).status).toBe(403);
  });

  it('the administrator reads no ledger data', async () => {
    const admin = await browserOf('admin.pusat', ADMIN_PASSWORD);
    const response = await ledger.get('/api/programs', undefined, as(admin));
    expect(response.status).toBe(403);
    expect(response.body.type).toMatch(/auth\.role$/);
  });

  it('answers an unknown name and a wrong password alike, records both, and locks out after 5 failures', async () => {
    const unknown = await signIn('tidak.ada', 'apa-saja-123');
    const wrong = await signIn('op.desa', 'salah-salah-123');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.title).toBe(wrong.body.title);
    expect(unknown.body.type).toBe(wrong.body.type);

    for (let i = 0; i < 4; i++) expect((await signIn('op.desa', `salah-${i}-12345`)).status).toBe(401);
    // The sixth attempt is locked, even with the right password.
    const locked = await signIn('op.desa', 'kata-sandi-op-1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    expect(locked.body.type).toMatch(/auth\.locked$/);
    // An unknown name locks the same way, so a lock tells nothing about which names exist.
    for (let i = 0; i < 4; i++) await signIn('tidak.ada', `salah-${i}-12345`);
    expect((await signIn('tidak.ada', 'apa-saja-123')).status).toBe(429);

    const accounts = (
      await ledger.get('/api/accounts', undefined, as(await browserOf('admin.pusat', ADMIN_PASSWORD)))
    ).body.items as { username: string; accountId: string }[];
    const operator = accounts.find((a) => a.username === 'op.desa')!;
    const recorded = (await events(`account-${operator.accountId}`)).filter(
      (e) => e.type === 'AccountSignInFailed',
    );
    expect(recorded.map((e) => (e.data as { reason: string }).reason)).toEqual([
      'password',
      'password',
      'password',
      'password',
      'password',
      'locked',
    ]);
    expect((recorded[0].data as { address: string }).address).toBe('127.0.0.1');
    const unknownEvents = await events('signin-unknown');
    expect(unknownEvents.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(unknownEvents)).not.toContain('tidak.ada');
  });

  it('signs out: the cookie is cleared, the session no longer works, and it is recorded', async () => {
    const viewer = await browserOf('pembaca.16', 'kata-sandi-pembaca');
    expect((await ledger.request('DELETE', '/api/session', { headers: as(viewer, false) })).status).toBe(403);
    const out = await ledger.request('DELETE', '/api/session', { headers: as(viewer) });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^ledger_session=; .*Max-Age=0/);
    const after = await ledger.get('/api/programs', undefined, as(viewer));
    expect(after.status).toBe(401);
    expect(after.body.type).toMatch(/auth\.session$/);
    expect((await ledger.get('/api/session', undefined, as(viewer))).body.user).toBeNull();
  });

  it('disabling an account ends its sessions at once and it cannot sign in', async () => {
    const admin = await browserOf('admin.pusat', ADMIN_PASSWORD);
    const viewer = await browserOf('pembaca.16', 'kata-sandi-pembaca');
    const accounts = (await ledger.get('/api/accounts', undefined, as(admin))).body.items as {
      username: string;
      accountId: string;
    }[];
    const target = accounts.find((a) => a.username === 'pembaca.16')!;
    const disabled = await ledger.request('POST', `/api/accounts/${target.accountId}/disabling`, {
      payload: { reason: 'pindah tugas' },
      headers: as(admin),
    });
    expect(disabled.status).toBe(200);
    expect((await ledger.get('/api/programs', undefined, as(viewer))).status).toBe(401);
    expect((await signIn('pembaca.16', 'kata-sandi-pembaca')).status).toBe(401);
    const self = accounts.find((a) => a.username === 'admin.pusat')!;
    const selfDisable = await ledger.request('POST', `/api/accounts/${self.accountId}/disabling`, {
      payload: {},
      headers: as(admin),
    });
    expect(selfDisable.status).toBe(409);
    const types = (await events(`account-${target.accountId}`)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['AccountCreated', 'AccountSignedIn', 'AccountSignedOut', 'AccountDisabled']),
    );
    const enabled = await ledger.request('POST', `/api/accounts/${target.accountId}/enabling`, {
      payload: {},
      headers: as(admin),
    });
    expect(enabled.status).toBe(200);
    expect((await signIn('pembaca.16', 'kata-sandi-pembaca')).status).toBe(200);
  });

  it('issues API tokens with an expiry that work as bearer tokens', async () => {
    const admin = await browserOf('admin.pusat', ADMIN_PASSWORD);
    const bad = await ledger.request('POST', '/api/tokens', {
      payload: { subject: 'laporan', role: 'administrator', regions: ['16'], days: 400 },
      headers: as(admin),
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['days', 'role']);
    const issued = await ledger.request('POST', '/api/tokens', {
      payload: { subject: 'pembuat-laporan.16', role: 'viewer', regions: ['16'], days: 30 },
      headers: as(admin),
    });
    expect(issued.status).toBe(201);
    const days = (Date.parse(issued.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect((await ledger.get('/api/programs', issued.body.token)).status).toBe(200);
    expect((await ledger.get('/api/coverage?region=31', issued.body.token)).status).toBe(403);
    // Bearer tokens work exactly as before, and a token beats a cookie sent with it.
    const token = await ledger.token('program_admin', ['16']);
    expect((await ledger.get('/api/programs', token, { cookie: 'ledger_session=nonsense' })).status).toBe(
      200,
    );
    // A token-authenticated write needs no CSRF token (no cookie is involved).
    expect((await ledger.post('/api/programs', token, {})).status).toBe(400);
  });

  it('the read models follow a log holding account events without failing', async () => {
    const head = await ledger.runtime.store.headPosition();
    const names = (await ledger.runtime.runner.status()).map((s) => s.name);
    expect(await ledger.runtime.runner.waitFor(names, head, 30_000)).toBe(true);
    expect(ledger.runtime.projectionFailure()).toBeUndefined();
  });

  it('refuses a malformed sign-in with 400 naming the fields', async () => {
    const response = await ledger.request('POST', '/api/session', { payload: { username: 5 } });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['username', 'password']);
  });
}

describe('SQLite e2e: accounts and sessions', () => accountsSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: accounts and sessions',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => accountsSuite('postgres'),
);
