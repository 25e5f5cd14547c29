/**
 * The claims screens in a real browser (Debian's Chromium through playwright-core) against the
 * whole ledger on a loopback port: a program admin files a death claim from the participant's
 * page (a bad account number refused beside its field, changing nothing), completes its
 * documents, submits it and records BPJS's approval at the benefit table's Rp42.000.000;
 * finance records the payment; another claim is rejected with a code; the list's filters and
 * the report with its chart; heirs only for the roles that read them; no menu and the 403 page
 * for the others; 360 px. No console error but the refusals caused on purpose, no serious
 * accessibility violation; screenshots to test-output/screens/.
 */
import { addDays, maxDate } from '@ledger/ledger/shared/dates';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { Browser, Page } from 'playwright-core';
import { seedAccounts } from '../support/accounts';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from '../support/ledger-app';
import { EMBAWANG, MUARA_ENIM, currentPeriod, programBody, proposal } from '../support/ledger-fixtures';
import {
  browserUnavailable,
  checkedScreen,
  launchChromium,
  screenshot,
  settled,
  signInPage,
} from './browser';

jest.setTimeout(300_000);

const PASSWORD = 'sandi-uji-coba-1';
const ACCOUNTS = {
  program_admin: { username: 'admin.me', role: 'program_admin', regions: [MUARA_ENIM] },
  finance: { username: 'keuangan.me', role: 'finance', regions: [MUARA_ENIM] },
  auditor: { username: 'auditor.sumsel', role: 'auditor', regions: ['16'] },
  viewer: { username: 'pembaca.me', role: 'viewer', regions: [MUARA_ENIM] },
  village_operator: { username: 'op.embawang', role: 'village_operator', regions: [EMBAWANG] },
  foreign: { username: 'admin.sarolangun', role: 'program_admin', regions: ['1503'] },
} as const;
type Role = keyof typeof ACCOUNTS;

const HEIR = {
  name: 'Siti Aminah',
  nik: '1603014508850002',
  bankName: 'Bank Sumsel Babel',
  accountNumber: '9876543210123',
};
const DOCUMENTS = [
  'Kartu peserta',
  'KTP peserta dan ahli waris',
  'Akta kematian',
  'Kartu keluarga',
  'Surat keterangan ahli waris',
  'Buku tabungan',
];

function claimsScreens(mode: LedgerMode) {
  let ledger: LedgerApp;
  let baseUrl: string;
  let browser: Browser;
  let programId: string;
  const today = todayWib();
  const period = currentPeriod();
  const deathDay = maxDate(addDays(today, -5), period.from);
  const covered = { participantId: '', enrollmentId: '' };
  const second = { participantId: '', enrollmentId: '' };
  let claimId = '';
  let rejectedId = '';

  const signedIn = (role: Role, width = 1280) =>
    signInPage(browser, baseUrl, { username: ACCOUNTS[role].username, password: PASSWORD }, width);
  const checked = (page: Page, name: string) => checkedScreen(page, `${mode}-${name}`);

  /** Waits until the claims read model holds everything the log holds now. */
  async function claimsCaughtUp(): Promise<void> {
    const head = await ledger.runtime.store.headPosition();
    const token = await ledger.token('program_admin', [MUARA_ENIM]);
    expect((await ledger.get(`/api/claims?region=${MUARA_ENIM}&consistentWith=${head}`, token)).status).toBe(
      200,
    );
  }

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    await ledger.app.listen(0, '127.0.0.1');
    baseUrl = (await ledger.app.getUrl()).replace('[::1]', '127.0.0.1');
    await seedAccounts(
      ledger.runtime,
      Object.values(ACCOUNTS).map((a) => ({ ...a, regions: [...a.regions], password: PASSWORD })),
    );
    const admin = await ledger.token('program_admin', [MUARA_ENIM]);
    programId = (await ledger.post('/api/programs', admin, programBody({ name: 'Klaim Muara Enim', period })))
      .body.programId;
    const people = createPeopleGenerator({ seed: 1515, today });
    for (const who of [covered, second]) {
      const person = people.next({ villageCode: EMBAWANG, maxAge: 50 });
      const proposed = await ledger.post(`/api/programs/${programId}/enrollments`, admin, proposal(person));
      expect(proposed.status).toBe(201);
      const approved = await ledger.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, admin, {
        coverageFrom: period.from,
      });
      expect(approved.status).toBe(200);
      Object.assign(who, {
        participantId: proposed.body.participantId,
        enrollmentId: proposed.body.enrollmentId,
      });
    }
    // The second person's claim, filed over the API: the screens reject it.
    const filed = await ledger.post(`/api/participants/${second.participantId}/claims`, admin, {
      enrollmentId: second.enrollmentId,
      kind: 'JKK',
      benefit: 'medical',
      eventDate: deathDay,
      reportedOn: today,
      heirs: [{ ...HEIR, relationship: 'spouse' }],
    });
    expect(filed.status).toBe(201);
    rejectedId = filed.body.claimId;
    const documents = ['participant_card', 'id_cards', 'accident_report', 'doctors_letter', 'bank_book'].map(
      (type, i) => ({ type, number: `JKK-${i + 1}`, issuedOn: deathDay }),
    );
    expect((await ledger.post(`/api/claims/${rejectedId}/documents`, admin, { documents })).status).toBe(200);
    expect((await ledger.post(`/api/claims/${rejectedId}/submission`, admin, {})).status).toBe(200);
    // The participants read model holds both people before their pages are opened.
    await ledger.get(
      `/api/participants/${covered.participantId}?consistentWith=${filed.body.consistencyToken}`,
      admin,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.close();
  });

  it("a program admin files a death claim from the participant's page and takes it to BPJS's approval at Rp42.000.000; a bad account number is refused beside its field", async () => {
    const { page, context, errors } = await signedIn('program_admin');
    await page.goto(`/peserta/${covered.participantId}`);
    await settled(page);
    await page.getByRole('link', { name: 'Ajukan klaim' }).click();
    await page.getByRole('heading', { name: 'Ajukan klaim', level: 1 }).waitFor();
    await checked(page, 'program_admin-klaim-baru');
    await page.getByLabel('Tanggal kejadian').fill(deathDay);
    await page.getByLabel('Nama', { exact: true }).fill(HEIR.name);
    await page.getByLabel('NIK', { exact: true }).fill(HEIR.nik);
    await page.getByLabel('Bank', { exact: true }).fill(HEIR.bankName);
    await page.getByLabel('Nomor rekening').fill('12AB34567');
    const before = await ledger.runtime.store.headPosition();
    await page.getByRole('button', { name: 'Ajukan klaim' }).click();
    const beside = page.locator('.field-error[data-field="heirs.0.accountNumber"]');
    await beside.waitFor();
    expect(await page.getByLabel('Nomor rekening').getAttribute('aria-invalid')).toBe('true');
    expect(await ledger.runtime.store.headPosition()).toBe(before);
    await checked(page, 'program_admin-klaim-baru-salah');

    await page.getByLabel('Nomor rekening').fill(HEIR.accountNumber);
    await page.getByRole('button', { name: 'Ajukan klaim' }).click();
    await page.waitForURL(/\/klaim\/[0-9a-f-]{36}$/);
    claimId = page.url().split('/').pop()!;
    await page.getByTestId('claim-status').getByText('Diajukan').waitFor();
    expect(await page.getByTestId('claim-eligible').textContent()).toBe('Layak');
    // The program admin reads the heir in full.
    expect(await page.getByTestId('heirs').textContent()).toContain(HEIR.nik);
    await checked(page, 'program_admin-klaim-diajukan');

    for (const [i, document] of DOCUMENTS.entries()) {
      await page.getByLabel(`Nomor ${document}`).fill(`DOK-${i + 1}`);
      await page.getByLabel(`Tanggal ${document}`).fill(deathDay);
    }
    await page.getByRole('button', { name: 'Tandai dokumen lengkap' }).click();
    await page.getByTestId('claim-status').getByText('Dokumen lengkap').waitFor();
    await page.getByRole('button', { name: 'Kirim klaim' }).click();
    await page.getByTestId('claim-status').getByText('Dikirim ke BPJS').waitFor();
    await checked(page, 'program_admin-klaim-dikirim');
    await page.getByRole('button', { name: 'Catat persetujuan' }).click();
    await page.getByTestId('claim-status').getByText('Disetujui').waitFor();
    expect(await page.getByTestId('claim-amount').textContent()).toBe('Rp42.000.000');
    const steps = await page.getByTestId('claim-steps').locator('li strong').allTextContents();
    expect(steps).toEqual(['Diajukan', 'Dokumen lengkap', 'Dikirim ke BPJS', 'Disetujui']);
    await checked(page, 'program_admin-klaim-disetujui');
    // The only console error is the refused filing.
    expect(errors.filter((e) => !/status of (400|422)/.test(e))).toEqual([]);
    expect(errors).toHaveLength(1);
    await context.close();
  });

  it('finance records the payment, without seeing the heirs; a missing reference is refused beside its field', async () => {
    expect(claimId).not.toBe('');
    const { page, context, errors } = await signedIn('finance');
    await page.getByRole('link', { name: 'Klaim', exact: true }).click();
    await page.getByRole('heading', { name: 'Klaim', level: 1 }).waitFor();
    await page.goto(`/klaim/${claimId}`);
    await settled(page);
    expect(await page.getByTestId('heirs-hidden').textContent()).toContain('1 ahli waris');
    expect(await page.locator('main').textContent()).not.toContain(HEIR.nik);
    await page.getByRole('button', { name: 'Catat pembayaran' }).click();
    await page.locator('.field-error[data-field="reference"]').waitFor();
    await page.getByLabel('Referensi transfer').fill('TRF-BPJS-UJI-01');
    await page.getByRole('button', { name: 'Catat pembayaran' }).click();
    await page.getByTestId('claim-status').getByText('Dibayar').waitFor();
    await page.getByRole('status').getByText('Langkah dicatat: Dibayar.').waitFor();
    await checked(page, 'finance-klaim-dibayar');
    expect(errors.filter((e) => !/status of (400|422)/.test(e))).toEqual([]);
    await context.close();
  });

  it('a program admin rejects a submitted claim with a coded reason', async () => {
    const { page, context, errors } = await signedIn('program_admin');
    await page.goto(`/klaim/${rejectedId}`);
    await settled(page);
    await page.getByLabel('Alasan penolakan').selectOption('not_work_related');
    await page.getByLabel('Catatan (tidak wajib)').fill('Kecelakaan di luar pekerjaan');
    await page.getByRole('button', { name: 'Catat penolakan' }).click();
    await page.getByTestId('claim-status').getByText('Ditolak').waitFor();
    const claim = await ledger.get(`/api/claims/${rejectedId}`, await ledger.token('auditor', ['16']));
    expect(claim.body.status).toBe('rejected');
    expect(claim.body.steps.at(-1)).toMatchObject({
      type: 'ClaimRejected',
      data: { code: 'not_work_related' },
    });
    await checked(page, 'program_admin-klaim-ditolak');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the list filters by kind and status, and the report shows the totals and the month chart', async () => {
    await claimsCaughtUp();
    const { page, context, errors } = await signedIn('auditor');
    await page.getByRole('link', { name: 'Klaim', exact: true }).click();
    await page.getByTestId('claims-shown').getByText('1–2 dari 2 klaim').waitFor();
    await checked(page, 'auditor-klaim');
    await page.getByLabel('Status').selectOption('paid');
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.getByTestId('claims-shown').getByText('1–1 dari 1 klaim').waitFor();
    expect(await page.locator(`tr[data-claim="${claimId}"]`).textContent()).toContain('Rp42.000.000');
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Jenis').selectOption('JKK');
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.getByTestId('claims-shown').getByText('1–1 dari 1 klaim').waitFor();
    expect(await page.locator(`tr[data-claim="${rejectedId}"]`).textContent()).toContain('Ditolak');

    // The auditor reads the heirs in full on the claim.
    await page.locator(`tr[data-claim="${rejectedId}"] a`).click();
    await page.getByTestId('heirs').waitFor();
    expect(await page.getByTestId('heirs').textContent()).toContain(HEIR.nik);

    await page.goto('/klaim/laporan');
    await settled(page);
    await page.getByTestId('report-claims').getByText('2').waitFor();
    expect(await page.getByTestId('report-paid').textContent()).toBe('Rp42.000.000');
    const chart = page.getByRole('img', { name: 'Grafik batang jumlah klaim per bulan kejadian' });
    expect(await chart.evaluate((canvas) => canvas.tagName)).toBe('CANVAS');
    expect(await page.getByTestId('payment-delay').textContent()).toContain(MUARA_ENIM);
    const csv = await page.getByRole('link', { name: 'Unduh CSV' }).getAttribute('href');
    const download = await page.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      return { status: response.status, type: response.headers.get('content-type') ?? '' };
    }, csv!);
    expect(download).toEqual({ status: 200, type: expect.stringContaining('text/csv') });
    await checked(page, 'auditor-klaim-laporan');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a viewer reads claims without write controls or heirs; a village operator has no claims menu; another regency gets the 403 page', async () => {
    const viewer = await signedIn('viewer');
    await viewer.page.goto(`/klaim/${claimId}`);
    await settled(viewer.page);
    expect(await viewer.page.locator('main form, main button').count()).toBe(0);
    expect(await viewer.page.locator('main').textContent()).not.toContain(HEIR.nik);
    await checked(viewer.page, 'viewer-klaim-rincian');
    expect(viewer.errors).toEqual([]);
    await viewer.context.close();

    const operator = await signedIn('village_operator');
    expect(await operator.page.locator('header nav').textContent()).not.toContain('Klaim');
    await operator.page.goto('/klaim');
    await operator.page.getByRole('heading', { name: 'Akses ditolak (403)' }).waitFor();
    await operator.context.close();

    const foreign = await signedIn('foreign');
    await foreign.page.goto(`/klaim/${claimId}`);
    await foreign.page.getByRole('heading', { name: 'Akses ditolak (403)' }).waitFor();
    await checked(foreign.page, 'foreign-klaim-403');
    await foreign.context.close();
  });

  it('lays out the claims, a claim and the report at 360 px without horizontal scrolling', async () => {
    const { page, context, errors } = await signedIn('program_admin', 360);
    for (const [name, path] of [
      ['klaim', '/klaim'],
      ['klaim-rincian', `/klaim/${claimId}`],
      ['klaim-laporan', '/klaim/laporan'],
      ['klaim-baru', `/klaim/baru/${second.participantId}`],
    ]) {
      await page.goto(path);
      await settled(page);
      expect({ name, width: await page.evaluate('document.documentElement.scrollWidth') }).toEqual({
        name,
        width: 360,
      });
      await screenshot(page, `${mode}-program_admin-360-${name}`);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
}

describeIfAvailable('Browser e2e: the claims screens in Chromium (SQLite)', browserUnavailable(), () =>
  claimsScreens('sqlite'),
);
describeIfAvailable(
  'Browser e2e: the claims screens in Chromium (PostgreSQL)',
  browserUnavailable() ?? (process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set'),
  () => claimsScreens('postgres'),
);
