/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against the whole
 * ledger listening on a loopback port: sign-in and lock-out, every screen of every role with
 * no console error and no serious accessibility violation (axe-core), a list uploaded by a
 * village operator and approved by the program admin, a viewer's missing write controls and
 * refused forgery, a foreign region's 403 page, the English switch and the 360 px layout.
 * Screenshots of every screen per role go to test-output/screens/ (not committed).
 */
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { Browser, Page } from 'playwright-core';
import { seedAccounts } from '../support/accounts';
import { multipartFile, startLedgerApp, todayWib, type LedgerApp } from '../support/ledger-app';
import { EMBAWANG, MUARA_ENIM, nominationCsv, nominationRow, programBody } from '../support/ledger-fixtures';
import { browserUnavailable, launchChromium, openPage, screenshot, seriousViolations } from './browser';

jest.setTimeout(180_000);

const PASSWORD = 'sandi-uji-coba-1';
type Account = { username: string; role: string; regions: string[] };
const ACCOUNTS: Record<string, Account> = {
  village_operator: { username: 'op.embawang', role: 'village_operator', regions: [EMBAWANG] },
  program_admin: { username: 'admin.sumsel', role: 'program_admin', regions: ['16'] },
  finance: { username: 'keuangan.me', role: 'finance', regions: [MUARA_ENIM] },
  auditor: { username: 'auditor.sumsel', role: 'auditor', regions: ['16'] },
  viewer: { username: 'pembaca.me', role: 'viewer', regions: [MUARA_ENIM] },
  administrator: { username: 'admin.akun', role: 'administrator', regions: ['ID'] },
};
const LOCKED = { username: 'korban.kunci', role: 'viewer', regions: [MUARA_ENIM] };

describeIfAvailable('Browser e2e: the web app in Chromium', browserUnavailable(), () => {
  let ledger: LedgerApp;
  let baseUrl: string;
  let browser: Browser;
  let programId: string;
  let participantId: string;
  const people = createPeopleGenerator({ seed: 1717, today: todayWib() });

  /** The screens of each role's menu, with a real program and regions to open. */
  const screensOf = (role: string): [string, string][] => {
    const program: [string, string][] = [
      ['program', '/program'],
      ['program-rincian', `/program/${programId}`],
    ];
    const people: [string, string][] = [
      ['peserta', '/peserta'],
      ['peserta-riwayat', `/peserta/${participantId}`],
    ];
    switch (role) {
      case 'village_operator':
        return [['beranda', '/beranda'], ...program, ['unggah', '/unggah'], ...people];
      case 'program_admin':
        return [
          ['beranda', '/beranda'],
          ['wilayah', `/wilayah/${MUARA_ENIM}`],
          ...program,
          ['iuran', '/iuran'],
          ['unggah', '/unggah'],
          ...people,
          ['operasi', '/operasi'],
        ];
      case 'finance':
        return [
          ['beranda', '/beranda'],
          ['wilayah', '/wilayah/160301'],
          ...program,
          ['iuran', '/iuran'],
          ['operasi', '/operasi'],
        ];
      case 'auditor':
        return [
          ['beranda', '/beranda'],
          ['wilayah', '/wilayah/160301'],
          ...program,
          ['iuran', '/iuran'],
          ...people,
          ['operasi', '/operasi'],
        ];
      case 'viewer':
        return [['beranda', '/beranda'], ['wilayah', '/wilayah/160301'], ...program, ['iuran', '/iuran']];
      default:
        return [['akun', '/akun']];
    }
  };

  async function settled(page: Page): Promise<void> {
    await page.waitForSelector('main h1');
    await page.waitForSelector('.loading', { state: 'detached' });
  }

  async function signIn(page: Page, account: { username: string }, password = PASSWORD): Promise<void> {
    await page.goto('/masuk');
    await page.getByLabel('Nama pengguna').fill(account.username);
    await page.getByLabel('Kata sandi').fill(password);
    await page.getByRole('button', { name: 'Masuk' }).click();
  }

  async function signedIn(role: string, width = 1280) {
    const watched = await openPage(browser, baseUrl, width);
    await signIn(watched.page, ACCOUNTS[role]);
    await watched.page.waitForURL(role === 'administrator' ? '**/akun' : '**/beranda');
    await settled(watched.page);
    return watched;
  }

  beforeAll(async () => {
    ledger = await startLedgerApp('sqlite');
    await ledger.app.listen(0, '127.0.0.1');
    baseUrl = await ledger.app.getUrl();
    baseUrl = baseUrl.replace('[::1]', '127.0.0.1');
    await seedAccounts(
      ledger.runtime,
      [...Object.values(ACCOUNTS), LOCKED].map((a) => ({ ...a, password: PASSWORD })),
    );

    // A program in Muara Enim with three covered workers and the denominators of the year.
    const admin = await ledger.token('program_admin', ['16']);
    const operator = await ledger.token('village_operator', [EMBAWANG]);
    programId = (await ledger.post('/api/programs', admin, programBody())).body.programId;
    const year = todayWib().slice(0, 4);
    for (const [code, workingPopulation] of [
      ['16', 2000],
      [MUARA_ENIM, 400],
      ['160301', 100],
      [EMBAWANG, 40],
    ] as const) {
      expect(
        (
          await ledger.put(`/api/regions/${code}/baselines/${year}`, admin, {
            workingPopulation,
            source: 'BPS',
          })
        ).status,
      ).toBe(200);
    }
    const rows = [0, 1, 2].map(() => nominationRow(people.next({ villageCode: EMBAWANG })));
    const file = multipartFile('awal.csv', 'text/csv', Buffer.from(nominationCsv(rows)));
    const upload = await ledger.request('POST', `/api/programs/${programId}/enrollments/import`, {
      token: operator,
      payload: file.payload,
      headers: file.headers,
    });
    expect(upload.body.accepted).toBe(3);
    const approval = await ledger.post(`/api/imports/${upload.body.importId}/approval`, admin, {
      coverageFrom: todayWib(),
    });
    expect(approval.body.approved).toBe(3);
    const report = await ledger.get(`/api/imports/${upload.body.importId}/report?format=json`, operator);
    participantId = (await ledger.get(`/api/enrollments/${report.body.rows[0].enrollmentId}`, admin)).body
      .participantId;
    expect(participantId).toMatch(/^[0-9a-f-]{36}$/);
    await ledger.get(`/api/coverage?region=16&consistentWith=${approval.body.consistencyToken}`, admin);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.close();
  });

  it('signs in, refuses a wrong password in Indonesian, and locks out after five failures', async () => {
    const { page, context } = await openPage(browser, baseUrl);
    await page.goto('/');
    await page.waitForURL('**/masuk');
    expect(await page.locator('h1').textContent()).toBe('Masuk');
    await screenshot(page, 'anonim-masuk');
    expect(await seriousViolations(page)).toEqual([]);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await signIn(page, LOCKED, `salah-${attempt}-123456`);
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('Nama pengguna atau kata sandi salah');
    }
    // The right password now meets the lock, and the page says how long to wait.
    await signIn(page, LOCKED);
    await page.getByText('Terlalu banyak percobaan masuk yang gagal').waitFor();
    await screenshot(page, 'anonim-terkunci');
    expect(page.url()).toMatch(/\/masuk$/);
    await context.close();
  });

  for (const role of Object.keys(ACCOUNTS)) {
    it(`renders every screen of ${role} with no console error and no serious accessibility violation`, async () => {
      const { page, context, errors } = await signedIn(role);
      for (const [name, path] of screensOf(role)) {
        await page.goto(path);
        await settled(page);
        expect(await page.locator('main h1').count()).toBe(1);
        expect({ screen: name, violations: await seriousViolations(page) }).toEqual({
          screen: name,
          violations: [],
        });
        await screenshot(page, `${role}-${name}`);
      }
      expect(errors).toEqual([]);
      // The menu offers exactly the role's screens.
      const menu = await page.locator('header nav a').allTextContents();
      expect(menu).toHaveLength(new Set(screensOf(role).map(([name]) => name.split('-')[0])).size);
      await context.close();
    });

    it(`lays out ${role}'s first screen at 360 px without horizontal scrolling`, async () => {
      const { page, context, errors } = await signedIn(role, 360);
      const [name, path] = screensOf(role)[0];
      await page.goto(path);
      await settled(page);
      const width = await page.evaluate('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(360);
      await screenshot(page, `${role}-360-${name}`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('shows programs with id-ID money and dates', async () => {
    const { page, context } = await signedIn('program_admin');
    await page.goto(`/program/${programId}`);
    await settled(page);
    expect(await page.getByTestId('liability').textContent()).toMatch(/^Rp\d{1,3}(\.\d{3})*$/);
    expect(await page.locator('main').textContent()).toContain('Rp16.800');
    expect(await page.locator('main').textContent()).toMatch(/1 Januari \d{4} – 31 Desember \d{4}/);
    await context.close();
  });

  it('a village operator uploads a list and sees the row report; the program admin approves it and Beranda changes', async () => {
    const operator = await signedIn('village_operator');
    await operator.page.goto('/unggah');
    await settled(operator.page);
    const rows = [0, 1, 2, 3].map(() => nominationRow(people.next({ villageCode: EMBAWANG })));
    rows.push(['123', 'Tanpa NIK', 'L', '01/01/1990', 'petani', EMBAWANG, '081234567890']);
    await operator.page.getByLabel('Berkas daftar (CSV atau XLSX)').setInputFiles({
      name: 'bnba-embawang.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(nominationCsv(rows)),
    });
    await operator.page.getByRole('button', { name: 'Unggah' }).click();
    const counts = operator.page.getByTestId('report-counts');
    await counts.waitFor();
    expect(await counts.textContent()).toBe('Jumlah baris: 5 · Diterima: 4 · Ditolak: 1');
    await operator.page.getByText('NIK harus 16 digit').waitFor();
    // An operator does not approve.
    expect(await operator.page.getByRole('button', { name: /Setujui/ }).count()).toBe(0);
    await screenshot(operator.page, 'village_operator-laporan-baris');
    const reportPath = await operator.page
      .getByRole('link', { name: /Alamat laporan ini/ })
      .getAttribute('href');
    expect(reportPath).toMatch(/^\/unggah\/[0-9a-f]{32}$/);
    // A row leads to the person's history.
    await operator.page.getByRole('link', { name: '2 riwayat' }).click();
    await operator.page.getByRole('heading', { name: 'Riwayat peserta' }).waitFor();
    await operator.page.getByText('Diusulkan ke program').first().waitFor();
    expect(operator.errors).toEqual([]);
    await operator.context.close();

    const admin = await signedIn('program_admin');
    const before = await admin.page.getByTestId('active').textContent();
    const coverageBefore = await admin.page.getByTestId('coverage').textContent();
    await admin.page.goto(reportPath!);
    await admin.page.getByTestId('report-counts').waitFor();
    await admin.page.getByRole('button', { name: 'Setujui semua baris yang diterima' }).click();
    await admin.page.getByText('4 usulan disetujui').waitFor();
    await screenshot(admin.page, 'program_admin-disetujui');
    // Beranda reads the read models; they follow the log within moments (bounded generously).
    let after = before;
    for (let i = 0; i < 60 && after === before; i++) {
      await admin.page.goto('/beranda');
      await settled(admin.page);
      after = await admin.page.getByTestId('active').textContent();
      if (after === before) await admin.page.waitForTimeout(500);
    }
    expect(Number(after!.replace(/\./g, ''))).toBe(Number(before!.replace(/\./g, '')) + 4);
    expect(await admin.page.getByTestId('coverage').textContent()).not.toBe(coverageBefore);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  it('a viewer sees no write control, and a forged write from their session is refused', async () => {
    const { page, context } = await signedIn('viewer');
    expect(await page.locator('header nav').textContent()).not.toContain('Unggah');
    for (const [name, path] of screensOf('viewer')) {
      await page.goto(path);
      await settled(page);
      expect({
        name,
        controls: await page.locator('main form, main button, main input[type=file]').count(),
      }).toEqual({
        name,
        controls: 0,
      });
    }
    await page.goto('/unggah');
    await settled(page);
    expect(await page.locator('main h1').textContent()).toBe('Akses ditolak (403)');
    // A script running with the viewer's cookie but without the session's CSRF token.
    const forged = await page.evaluate(async () => {
      const response = await fetch('/api/programs', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'palsu' }),
      });
      return { status: response.status, body: (await response.json()) as { type: string } };
    });
    expect(forged.status).toBe(403);
    expect(forged.body.type).toMatch(/auth\.csrf$/);
    await context.close();
  });

  it('a foreign region in the URL shows the 403 page', async () => {
    const { page, context } = await signedIn('viewer');
    await page.goto('/wilayah/31');
    await page.getByRole('heading', { name: 'Akses ditolak (403)' }).waitFor();
    await screenshot(page, 'viewer-403');
    await context.close();
  });

  it('switches to English and back, keeping id-ID numbers', async () => {
    const { page, context, errors } = await signedIn('viewer');
    await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
    await page.getByRole('heading', { name: /^Home/ }).waitFor();
    expect(await page.locator('header nav').textContent()).toContain('Programs');
    await page.reload();
    await settled(page);
    expect(await page.locator('main h1').textContent()).toMatch(/^Home/);
    expect(await page.locator('main').textContent()).toContain('Covered workers');
    await page.goto('/wilayah/31');
    await page.getByRole('heading', { name: 'Access denied (403)' }).waitFor();
    await screenshot(page, 'viewer-english-403');
    await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();
    await page.getByRole('heading', { name: 'Akses ditolak (403)' }).waitFor();
    expect(errors.every((e) => e.includes('403'))).toBe(true);
    await context.close();
  });
});
