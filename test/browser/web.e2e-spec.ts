/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against the whole
 * ledger listening on a loopback port: sign-in and lock-out, every screen of every role with
 * no console error and no serious accessibility violation (axe-core), a list uploaded by a
 * village operator and approved by the program admin, a viewer's missing write controls and
 * refused forgery, a foreign region's 403 page, the English switch, the 360 px layout, and a
 * user's change of their own password.
 * Screenshots of every screen per role go to test-output/screens/ (not committed).
 */
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
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
const CHANGER = { username: 'pengubah.sandi', role: 'finance', regions: [MUARA_ENIM] };
/** A program admin of another regency (Sarolangun, Jambi): the Muara Enim people are outside it. */
const FOREIGN_ADMIN = { username: 'admin.sarolangun', role: 'program_admin', regions: ['1503'] };

describeIfAvailable('Browser e2e: the web app in Chromium', browserUnavailable(), () => {
  let ledger: LedgerApp;
  let baseUrl: string;
  let browser: Browser;
  let programId: string;
  let participantId: string;
  /** The three people of the first list: the first is `participantId`. */
  let seeded: SyntheticPerson[];
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
    const claims: [string, string][] = [
      ['klaim', '/klaim'],
      ['klaim-laporan', '/klaim/laporan'],
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
          ...claims,
          ['unggah', '/unggah'],
          ...people,
          ['audit', '/audit'],
          ['operasi', '/operasi'],
        ];
      case 'finance':
        return [
          ['beranda', '/beranda'],
          ['wilayah', '/wilayah/160301'],
          ...program,
          ['iuran', '/iuran'],
          ['kas', '/kas'],
          ...claims,
          ['operasi', '/operasi'],
        ];
      case 'auditor':
        return [
          ['beranda', '/beranda'],
          ['wilayah', '/wilayah/160301'],
          ...program,
          ['iuran', '/iuran'],
          ['kas', '/kas'],
          ...claims,
          ...people,
          ['audit', '/audit'],
          ['operasi', '/operasi'],
        ];
      case 'viewer':
        return [
          ['beranda', '/beranda'],
          ['wilayah', '/wilayah/160301'],
          ...program,
          ['iuran', '/iuran'],
          ...claims,
        ];
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

  async function signedIn(role: string, width = 1280, account: Account = ACCOUNTS[role]) {
    const watched = await openPage(browser, baseUrl, width);
    await signIn(watched.page, account);
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
      [...Object.values(ACCOUNTS), LOCKED, CHANGER, FOREIGN_ADMIN].map((a) => ({ ...a, password: PASSWORD })),
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
    seeded = [0, 1, 2].map(() => people.next({ villageCode: EMBAWANG }));
    const rows = seeded.map(nominationRow);
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
        // Searches and page turns are not writes: a search form (role=search) and a pager may stay.
        controls: await page
          .locator(
            'main form:not([role=search]), main button:not([role=search] button):not(.pager button), main input[type=file]',
          )
          .count(),
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

  it('a user changes their own password, signs out, and signs in with the new one; the old one is refused', async () => {
    const NEW = 'sandi baru yang panjang 2027';
    const { page, context, errors } = await openPage(browser, baseUrl);
    await signIn(page, CHANGER);
    await page.waitForURL('**/beranda');
    await settled(page);
    // The place is reached from the user's name in the header, for every role.
    await page.getByRole('link', { name: /ubah kata sandi/ }).click();
    await page.waitForURL('**/kata-sandi');
    await page.getByRole('heading', { name: 'Ubah kata sandi' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'finance-kata-sandi');
    const fill = async (current: string, next: string, repeat = next) => {
      await page.getByLabel('Kata sandi sekarang', { exact: true }).fill(current);
      await page.getByLabel('Kata sandi baru', { exact: true }).fill(next);
      await page.getByLabel('Ulangi kata sandi baru', { exact: true }).fill(repeat);
      await page.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
    };
    await fill(PASSWORD, NEW, `${NEW}!`);
    await page.getByText('Kedua isian kata sandi baru tidak sama').waitFor();
    await fill(PASSWORD, 'pendek');
    await page.getByText('Kata sandi baru tidak memenuhi syarat').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('newPassword');
    await fill(PASSWORD, NEW);
    await page.getByText('Kata sandi diubah.').waitFor();
    await screenshot(page, 'finance-kata-sandi-diubah');
    // The 422 above is the only refusal the browser saw.
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);

    await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
    await page.getByRole('heading', { name: 'Change password' }).waitFor();
    expect(await page.getByLabel('Current password', { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();
    await page.getByRole('heading', { name: 'Ubah kata sandi' }).waitFor();

    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL('**/masuk');
    await signIn(page, CHANGER);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Nama pengguna atau kata sandi salah');
    await signIn(page, CHANGER, NEW);
    await page.waitForURL('**/beranda');
    await settled(page);
    expect(await page.locator('header .who').textContent()).toContain(CHANGER.username);
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
  /** Console errors other than Chromium's line for a request the test made the API refuse. */
  const besidesRefusals = (errors: string[], statuses: number[]) =>
    errors.filter((e) => !statuses.some((status) => e.includes(`status of ${status} `)));

  /** Looks a NIK up on the Peserta screen; the NIK is typed, never put in an address. */
  async function findByNik(page: Page, nik: string): Promise<void> {
    await page.goto('/peserta');
    await settled(page);
    await page.getByLabel('NIK', { exact: true }).fill(nik);
    await page.getByRole('button', { name: 'Cari' }).first().click();
  }

  it('finds a person by NIK on Peserta and opens their history; a wrong NIK is refused beside the field; out of scope reads as unknown', async () => {
    const { page, context, errors } = await signedIn('program_admin');
    const addresses: string[] = [];
    page.on('request', (request) => addresses.push(request.url()));
    // An invalid NIK: refused beside the field, in Indonesian, naming the rule's reason.
    await findByNik(page, '16030112');
    const fieldError = page.locator('.field-error[data-field="nik"]');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain('NIK harus 16 digit');
    expect(await page.getByLabel('NIK', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'program_admin-peserta-nik-salah');
    // The NIK as operators write it, grouped: the history opens, addressed by the participant id.
    const nik = seeded[0].nik;
    await findByNik(page, `${nik.slice(0, 4)} ${nik.slice(4, 8)} ${nik.slice(8, 12)} ${nik.slice(12)}`);
    await page.waitForURL(`**/peserta/${participantId}`);
    await page.getByRole('heading', { name: 'Riwayat peserta' }).waitFor();
    await settled(page);
    expect(await page.locator('main').textContent()).toContain(
      `${nik.slice(0, 4)}**********${nik.slice(-2)}`,
    );
    // A NIK never proposed answers that nobody is found.
    await findByNik(page, people.next({ villageCode: EMBAWANG }).nik);
    expect(await page.getByTestId('lookup-none').textContent()).toBe(
      'Tidak ada peserta dengan NIK ini di wilayah Anda.',
    );
    // In English the refusal reads in English, from the catalogue's text for the rule.
    await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
    await page.getByLabel('NIK', { exact: true }).fill('1603');
    await page.getByRole('button', { name: 'Find' }).first().click();
    await page.locator('.field-error[data-field="nik"]').getByText('A NIK has 16 digits').waitFor();
    await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();
    expect(besidesRefusals(errors, [422])).toEqual([]);
    expect(addresses.filter((url) => url.includes(nik) || /[?&]nik=/i.test(url))).toEqual([]);
    await context.close();

    // A program admin of another regency finds the same words for a person who exists in Muara Enim.
    const foreign = await signedIn('program_admin', 1280, FOREIGN_ADMIN);
    await findByNik(foreign.page, nik);
    expect(await foreign.page.getByTestId('lookup-none').textContent()).toBe(
      'Tidak ada peserta dengan NIK ini di wilayah Anda.',
    );
    expect(foreign.page.url()).toMatch(/\/peserta$/);
    expect(foreign.errors).toEqual([]);
    await foreign.context.close();
  });

  it('a program admin erases a person after a confirmation naming the consequences; the history shows the erased state; other roles see no erase control', async () => {
    for (const role of ['auditor', 'village_operator']) {
      const other = await signedIn(role);
      await other.page.goto(`/peserta/${participantId}`);
      await settled(other.page);
      expect({
        role,
        erase: await other.page.getByRole('button', { name: /Hapus data pribadi/ }).count(),
      }).toEqual({
        role,
        erase: 0,
      });
      await other.context.close();
    }

    const { page, context, errors } = await signedIn('program_admin');
    const person = seeded[1];
    await findByNik(page, person.nik);
    await page.getByRole('heading', { name: 'Riwayat peserta' }).waitFor();
    await settled(page);
    const historyPath = new URL(page.url()).pathname;
    const masked = `${person.nik.slice(0, 4)}**********${person.nik.slice(-2)}`;
    expect(await page.locator('main').textContent()).toContain(masked);
    await page.getByRole('button', { name: 'Hapus data pribadi…' }).click();
    const consequences = await page.getByTestId('erase-consequences').textContent();
    expect(consequences).toContain('permanen dan tidak dapat dibatalkan');
    expect(consequences).toContain('tetap tercatat untuk audit');
    expect(consequences).toContain('tidak dapat lagi dicari dengan NIK');
    expect(await page.getByLabel('Dasar hukum / alasan penghapusan').inputValue()).toContain('UU 27/2022');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'program_admin-peserta-hapus-konfirmasi');
    // Cancelling erases nothing.
    await page.getByRole('button', { name: 'Batal' }).click();
    expect(await page.getByTestId('erase-consequences').count()).toBe(0);
    await page.getByRole('button', { name: 'Hapus data pribadi…' }).click();
    await page.getByRole('button', { name: 'Ya, hapus permanen' }).click();
    await page.getByText('Data pribadi peserta telah dihapus.').waitFor();
    const main = await page.locator('main').textContent();
    expect(main).toContain('Dihapus');
    expect(main).toContain('DIHAPUS');
    expect(main).toContain('Data pribadi dihapus');
    expect(main).not.toContain(masked);
    expect(await page.locator('main dl').textContent()).not.toContain('NIK');
    expect(await page.getByRole('button', { name: /Hapus data pribadi/ }).count()).toBe(0);
    await screenshot(page, 'program_admin-peserta-dihapus');
    // The auditor sees the erased state too, and the NIK no longer finds the person.
    await findByNik(page, person.nik);
    await page.getByTestId('lookup-none').waitFor();
    expect(errors).toEqual([]);
    await context.close();
    const auditor = await signedIn('auditor');
    await auditor.page.goto(historyPath);
    await settled(auditor.page);
    expect(await auditor.page.locator('main').textContent()).toContain('DIHAPUS');
    expect(await auditor.page.locator('main').textContent()).not.toContain(person.name);
    await auditor.context.close();
  });

  it('a program admin establishes a program with the API’s field errors beside their fields, then amends its quota and period and closes it', async () => {
    const { page, context, errors } = await signedIn('program_admin');
    await page.goto('/program');
    await settled(page);
    await page.getByRole('button', { name: 'Buat program baru' }).click();
    const next = Number(todayWib().slice(0, 4)) + 1;
    const fieldError = (name: string) => page.locator(`.field-error[data-field="${name}"]`);
    // Refused by the API's validation: a name too short, no quota.
    await page.getByLabel('Nama program', { exact: true }).fill('AB');
    await page.getByLabel('Pembayar iuran').fill('Pemerintah Kabupaten Muara Enim');
    await page.getByLabel('Kode wilayah pemilik').fill(MUARA_ENIM);
    await page.getByRole('button', { name: 'Buat program', exact: true }).click();
    await fieldError('quota').waitFor();
    expect(await fieldError('quota').textContent()).toBe('Wajib diisi');
    expect(await fieldError('name').textContent()).toBe('Paling sedikit 3 karakter');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'program_admin-program-baru-salah');
    // Refused by the domain: the period ends before it starts, shown beside its end.
    await page.getByLabel('Nama program', { exact: true }).fill('Perlindungan Pekerja Rentan Uji Peramban');
    await page.getByLabel('Kuota (jumlah peserta)').fill('25');
    await page.getByLabel('Mulai periode').fill(`${next}-06-01`);
    await page.getByLabel('Akhir periode').fill(`${next}-01-31`);
    await page.getByLabel('Sumber dana').selectOption('DBHCHT');
    await page.getByLabel('Petani', { exact: true }).check();
    await page.getByLabel('Nelayan', { exact: true }).check();
    await page.getByRole('button', { name: 'Buat program', exact: true }).click();
    await fieldError('period.to').waitFor();
    expect(await fieldError('period.to').textContent()).toContain('Tanggal mulai periode harus sebelum');
    expect(await fieldError('quota').count()).toBe(0);
    // Corrected: the program is established and its detail opens.
    await page.getByLabel('Mulai periode').fill(`${next}-01-01`);
    await page.getByLabel('Akhir periode').fill(`${next}-12-31`);
    await page.getByRole('button', { name: 'Buat program', exact: true }).click();
    await page.getByRole('heading', { name: 'Perlindungan Pekerja Rentan Uji Peramban' }).waitFor();
    await settled(page);
    const programPath = new URL(page.url()).pathname;
    expect(programPath).toMatch(/^\/program\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('quota').textContent()).toContain('dari 25 kursi');
    expect(await page.locator('main').textContent()).toContain('DBHCHT');

    // Amending: a quota of 0 is refused beside the field; 40 is taken.
    await page.getByLabel('Kuota baru').fill('0');
    await page.getByRole('button', { name: 'Simpan kuota' }).click();
    await page.locator('.field-error[data-field="quota"]').waitFor();
    expect(await page.locator('.field-error[data-field="quota"]').textContent()).toBe('Paling sedikit 1');
    await page.getByLabel('Kuota baru').fill('40');
    await page.getByLabel('Alasan (tidak wajib)').first().fill('APBD Perubahan');
    await page.getByRole('button', { name: 'Simpan kuota' }).click();
    await page.getByText('Kuota diubah').waitFor();
    await page.getByTestId('quota').getByText('dari 40 kursi').waitFor();
    // The period, to the end of June.
    await page.locator('#amend-period-to').fill(`${next}-06-30`);
    await page.getByRole('button', { name: 'Simpan periode' }).click();
    await page.getByText('Periode diubah').waitFor();
    await page.getByTestId('period').getByText(`1 Januari ${next} – 30 Juni ${next}`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'program_admin-program-ubah');
    // Closing asks first, naming what it does.
    await page.locator('#amend-close-on').fill(`${next}-05-31`);
    await page.getByRole('button', { name: 'Tutup program' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('tidak dapat dibatalkan');
    await page.getByRole('button', { name: 'Ya, tutup program' }).click();
    await page.getByText('Program ditutup').waitFor();
    await page.getByTestId('status').getByText(`Ditutup per 31 Mei ${next}`, { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Ubah program' }).waitFor({ state: 'detached' });
    await screenshot(page, 'program_admin-program-ditutup');
    expect(besidesRefusals(errors, [400, 422])).toEqual([]);
    await context.close();

    // Finance reads the same screens without any of these controls.
    const finance = await signedIn('finance');
    for (const path of ['/program', programPath]) {
      await finance.page.goto(path);
      await settled(finance.page);
      expect({ path, controls: await finance.page.locator('main form, main button').count() }).toEqual({
        path,
        controls: 0,
      });
    }
    await finance.context.close();
  });
  it('lays out the new program form, the amendments and the erasure confirmation at 360 px without horizontal scrolling', async () => {
    const { page, context, errors } = await signedIn('program_admin', 360);
    const scrollWidth = () => page.evaluate('document.documentElement.scrollWidth');
    await page.goto('/program');
    await settled(page);
    await page.getByRole('button', { name: 'Buat program baru' }).click();
    await page.getByRole('heading', { name: 'Program baru' }).waitFor();
    expect({ screen: 'program-baru', width: await scrollWidth() }).toEqual({
      screen: 'program-baru',
      width: 360,
    });
    await screenshot(page, 'program_admin-360-program-baru');
    await page.goto(`/program/${programId}`);
    await settled(page);
    await page.getByRole('heading', { name: 'Ubah program' }).waitFor();
    expect({ screen: 'program-ubah', width: await scrollWidth() }).toEqual({
      screen: 'program-ubah',
      width: 360,
    });
    await screenshot(page, 'program_admin-360-program-ubah');
    await page.goto(`/peserta/${participantId}`);
    await settled(page);
    await page.getByRole('button', { name: 'Hapus data pribadi…' }).click();
    await page.getByTestId('erase-consequences').waitFor();
    expect({ screen: 'hapus', width: await scrollWidth() }).toEqual({ screen: 'hapus', width: 360 });
    await screenshot(page, 'program_admin-360-peserta-hapus');
    expect(errors).toEqual([]);
    await context.close();
  });
});
