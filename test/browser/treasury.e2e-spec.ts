/**
 * The treasury screens in a real browser (Debian's Chromium through playwright-core) against the
 * whole ledger on a loopback port: a finance officer sets a budget line and records an SPP, its
 * SPM and an SP2D (one above its SPM refused beside its field, changing nothing), reads the
 * ceiling, what was disbursed and what is left, cancels a document, and reads the year's
 * reconciliation with its coded differences in Indonesian; auditors read without write forms;
 * other roles have no menu and the 403 page, as does a foreign regency; 360 px.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { Browser, Page } from 'playwright-core';
import { seedAccounts } from '../support/accounts';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from '../support/ledger-app';
import { MUARA_ENIM, programBody } from '../support/ledger-fixtures';
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
  finance: { username: 'keuangan.me', role: 'finance', regions: [MUARA_ENIM] },
  auditor: { username: 'auditor.sumsel', role: 'auditor', regions: ['16'] },
  viewer: { username: 'pembaca.me', role: 'viewer', regions: [MUARA_ENIM] },
  foreign: { username: 'keuangan.sarolangun', role: 'finance', regions: ['1503'] },
} as const;
type Role = keyof typeof ACCOUNTS;
const ACCOUNT = '5.1.02.01.01.0001';

function treasuryScreens(mode: LedgerMode) {
  let ledger: LedgerApp;
  let baseUrl: string;
  let browser: Browser;
  let programId: string;
  const year = todayWib().slice(0, 4);
  const day = todayWib();

  const signedIn = (role: Role, width = 1280) =>
    signInPage(browser, baseUrl, { username: ACCOUNTS[role].username, password: PASSWORD }, width);
  const checked = (page: Page, name: string) => checkedScreen(page, `${mode}-${name}`);

  /** Fills one of the treasury forms, found by its heading, and sends it. */
  async function fill(
    page: Page,
    form: string,
    values: Record<string, string>,
    select: Record<string, string> = {},
  ) {
    const scope = page.getByRole('form', { name: form });
    for (const [label, value] of Object.entries(values))
      await scope.getByLabel(label, { exact: true }).fill(value);
    for (const [label, value] of Object.entries(select))
      await scope.getByLabel(label, { exact: true }).selectOption(value);
    await scope.getByRole('button').click();
    return scope;
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
    const established = await ledger.post('/api/programs', admin, programBody());
    programId = established.body.programId;
    await ledger.get(`/api/programs/${programId}?consistentWith=${established.body.consistencyToken}`, admin);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.close();
  });

  it('a finance officer sets a budget line, records SPP, SPM and SP2D, is refused an SP2D above its SPM beside the field, and cancels a document', async () => {
    const { page, context, errors } = await signedIn('finance');
    await page.getByRole('link', { name: 'Kas', exact: true }).click();
    await page.getByRole('link', { name: programBody().name }).click();
    await page.waitForURL(`**/kas/${programId}/${year}`);
    await page.getByText('Belum ada baris anggaran untuk tahun ini.').waitFor();
    await checked(page, 'finance-kas-kosong');

    await fill(
      page,
      'Tetapkan baris anggaran',
      { 'Kode rekening': ACCOUNT, 'Sumber dana': 'PAD', 'Jumlah (rupiah)': '900000000' },
      { Dokumen: 'DPA' },
    );
    await page.getByTestId('treasury-ceiling').getByText('Rp900.000.000').waitFor();
    await fill(page, 'Catat SPP', { Nomor: 'SPP-UJI-1', Tanggal: day, 'Jumlah (rupiah)': '300000' });
    await page.locator('[data-testid="treasury-spp"] tr[data-number="SPP-UJI-1"]').waitFor();
    await fill(page, 'Catat SPM', {
      'Nomor SPP': 'SPP-UJI-1',
      Nomor: 'SPM-UJI-1',
      Tanggal: day,
      'Jumlah (rupiah)': '300000',
    });
    await page.locator('[data-testid="treasury-spm"] tr[data-number="SPM-UJI-1"]').waitFor();

    // Above its SPM: refused beside the amount, and nothing is recorded.
    const before = await ledger.runtime.store.headPosition();
    const sp2d = {
      'Nomor SPM': 'SPM-UJI-1',
      Tanggal: day,
      Penerima: 'BPJS Ketenagakerjaan Cabang Prabumulih',
      Bank: 'Bank Sumsel Babel',
    };
    const form = await fill(page, 'Catat SP2D', {
      ...sp2d,
      Nomor: 'SP2D-UJI-1',
      'Jumlah (rupiah)': '300001',
    });
    await form.locator('.field-error[data-field="amount"]').waitFor();
    expect(await ledger.runtime.store.headPosition()).toBe(before);
    await checked(page, 'finance-kas-sp2d-ditolak');

    await fill(page, 'Catat SP2D', { ...sp2d, Nomor: 'SP2D-UJI-1', 'Jumlah (rupiah)': '250000' });
    await page.getByTestId('treasury-disbursed').getByText('Rp250.000').waitFor();
    expect(await page.getByTestId('treasury-remaining').textContent()).toBe('Rp899.750.000');

    await fill(
      page,
      'Batalkan dokumen',
      { Nomor: 'SPP-UJI-1', Alasan: 'Salah nilai' },
      { 'Jenis dokumen': 'spp' },
    );
    // The SPP has a live SPM: refused, shown above the form or beside a field.
    await page
      .getByRole('form', { name: 'Batalkan dokumen' })
      .locator('.problem, .field-error')
      .first()
      .waitFor();
    await fill(
      page,
      'Batalkan dokumen',
      { Nomor: 'SP2D-UJI-1', Alasan: 'Salah nilai' },
      { 'Jenis dokumen': 'sp2d' },
    );
    await page
      .locator('[data-testid="treasury-sp2d"] tr[data-number="SP2D-UJI-1"]')
      .getByText(/^Dibatalkan /)
      .waitFor();
    await page.getByTestId('treasury-disbursed').getByText('Rp0').waitFor();
    await checked(page, 'finance-kas-dibatalkan');

    // The treasury system's export: one row recorded, one refused (its SPM is unknown).
    const header = [
      'nomor_sp_2_d',
      'tanggal_sp_2_d',
      'nilai_sp_2_d',
      'jenis_sp_2_d',
      'jenis_ls_sp_2_d',
      'nomor_spm',
      'kode_rekening',
      'nama_pihak_ketiga',
      'nama_bank',
    ];
    const row = (number: string, spm: string) => [
      number,
      day,
      '100000',
      'LS',
      '',
      spm,
      ACCOUNT,
      'BPJS Ketenagakerjaan',
      'Bank Sumsel Babel',
    ];
    const csv = [header, row('SP2D-UJI-3', 'SPM-UJI-1'), row('SP2D-UJI-4', 'SPM-TIDAK-ADA')]
      .map((l) => l.join(';'))
      .join('\r\n');
    await page.getByLabel('Berkas ekspor SP2D (CSV atau XLSX)').setInputFiles({
      name: 'sp2d.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Unggah dan catat' }).click();
    await page
      .getByTestId('sp2d-import-totals')
      .getByText('2 baris: 1 dicatat, 0 sudah tercatat, 1 ditolak')
      .waitFor();
    const statuses = await page
      .locator('[data-testid="sp2d-import-report"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(statuses).toEqual(['recorded', 'refused']);
    await page.locator('[data-testid="treasury-sp2d"] tr[data-number="SP2D-UJI-3"]').waitFor();
    await page.getByTestId('treasury-disbursed').getByText('Rp100.000').waitFor();
    await checked(page, 'finance-kas-impor-sp2d');
    expect(errors.filter((e) => !/status of (409|422)/.test(e))).toEqual([]);
    await context.close();
  });

  it("reads the year's reconciliation with its differences explained in Indonesian", async () => {
    const finance = await ledger.token('finance', [MUARA_ENIM]);
    // A live SP2D linked to no invoice, then the reconciliation once it holds it.
    const spp = { date: day, amount: 100_000, accountCode: ACCOUNT };
    await ledger.post(`/api/programs/${programId}/spp`, finance, { ...spp, number: 'SPP-UJI-2' });
    await ledger.post(`/api/programs/${programId}/spm`, finance, {
      ...spp,
      number: 'SPM-UJI-2',
      sppNumber: 'SPP-UJI-2',
    });
    const paid = await ledger.post(`/api/programs/${programId}/sp2d`, finance, {
      ...spp,
      number: 'SP2D-UJI-2',
      spmNumber: 'SPM-UJI-2',
      sp2dType: 'LS',
      recipient: 'BPJS Ketenagakerjaan',
      bank: 'Bank Sumsel Babel',
    });
    expect(paid.status).toBe(201);
    const reconciled = await ledger.get(
      `/api/reconciliation?program=${programId}&year=${year}&consistentWith=${paid.body.consistencyToken}`,
      finance,
    );
    expect(reconciled.status).toBe(200);
    const codes = reconciled.body.lines.map((l: { code: string }) => l.code);
    expect(codes).toContain('DISBURSED_WITHOUT_INVOICE');

    const { page, context, errors } = await signedIn('auditor');
    await page.goto(`/kas/${programId}/${year}`);
    await settled(page);
    // Both live SP2Ds (the one recorded here and the imported one) are linked to no invoice.
    const line = page
      .locator('[data-testid="reconciliation-lines"] tr[data-code="DISBURSED_WITHOUT_INVOICE"]')
      .first();
    await line.waitFor();
    expect(await line.textContent()).toContain('SP2D dicairkan tanpa tagihan');
    expect(await page.locator('[data-testid="reconciliation-lines"] tbody tr').count()).toBe(codes.length);
    // The auditor reads; the only form is the year picker (a search).
    expect(await page.locator('main form:not([role=search])').count()).toBe(0);
    await checked(page, 'auditor-kas');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a viewer has no treasury menu and gets the 403 page; so does finance of another regency', async () => {
    for (const role of ['viewer', 'foreign'] as const) {
      const { page, context } = await signedIn(role);
      if (role === 'viewer') expect(await page.locator('header nav').textContent()).not.toContain('Kas');
      await page.goto(`/kas/${programId}/${year}`);
      await page.getByRole('heading', { name: 'Akses ditolak (403)' }).waitFor();
      await screenshot(page, `${mode}-${role}-kas-403`);
      await context.close();
    }
  });

  it('lays the treasury out at 360 px without horizontal scrolling', async () => {
    const { page, context, errors } = await signedIn('finance', 360);
    await page.goto(`/kas/${programId}/${year}`);
    await settled(page);
    await page.getByTestId('budget-lines').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(360);
    await screenshot(page, `${mode}-finance-360-kas`);
    expect(errors).toEqual([]);
    await context.close();
  });
}

describeIfAvailable('Browser e2e: the treasury screens in Chromium (SQLite)', browserUnavailable(), () =>
  treasuryScreens('sqlite'),
);
describeIfAvailable(
  'Browser e2e: the treasury screens in Chromium (PostgreSQL)',
  browserUnavailable() ?? (process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set'),
  () => treasuryScreens('postgres'),
);
