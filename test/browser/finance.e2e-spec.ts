/**
 * The contributions screens in a real browser (Debian's Chromium through playwright-core)
 * against the whole ledger on a loopback port: a finance officer issues the month's invoice,
 * records a partial payment and reads exactly the remainder outstanding on Iuran; a payment
 * reference used before is refused beside its field (in both languages) and changes nothing;
 * the BPJS bill is uploaded and its differences shown; auditors and viewers read without a
 * single write control; the 360 px layout. No console error but the refusals caused on
 * purpose, no serious accessibility violation; screenshots to test-output/screens/.
 */
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { Browser, Page } from 'playwright-core';
import { seedAccounts } from '../support/accounts';
import {
  multipartFile,
  startLedgerApp,
  todayWib,
  type LedgerApp,
  type LedgerMode,
} from '../support/ledger-app';
import { EMBAWANG, MUARA_ENIM, nominationCsv, nominationRow, programBody } from '../support/ledger-fixtures';
import {
  browserUnavailable,
  checkedScreen,
  launchChromium,
  screenshot,
  settled,
  signInPage,
} from './browser';

jest.setTimeout(240_000);

const PASSWORD = 'sandi-uji-coba-1';
const ACCOUNTS = {
  finance: { username: 'keuangan.me', role: 'finance', regions: [MUARA_ENIM] },
  auditor: { username: 'auditor.sumsel', role: 'auditor', regions: ['16'] },
  viewer: { username: 'pembaca.me', role: 'viewer', regions: [MUARA_ENIM] },
} as const;
type Role = keyof typeof ACCOUNTS;

/** Money and months as the screens write them (id-ID): Rp50.400; Desember 2026. */
const rupiah = (n: number) => `Rp${new Intl.NumberFormat('id-ID').format(n)}`;
const monthName = (month: string) =>
  new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

function financeScreens(mode: LedgerMode) {
  let ledger: LedgerApp;
  let baseUrl: string;
  let browser: Browser;
  let programId: string;
  let lineAmount: number;
  let invoiceId = '';
  const workers: SyntheticPerson[] = [];
  const people = createPeopleGenerator({ seed: 1313, today: todayWib() });
  const month = todayWib().slice(0, 7);
  const partial = { amount: 0, reference: `TRF-UJI-${mode.toUpperCase()}-0001` };

  const signedIn = (role: Role, width = 1280) =>
    signInPage(browser, baseUrl, { username: ACCOUNTS[role].username, password: PASSWORD }, width);
  const checked = (page: Page, name: string) => checkedScreen(page, `${mode}-${name}`);

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    await ledger.app.listen(0, '127.0.0.1');
    baseUrl = (await ledger.app.getUrl()).replace('[::1]', '127.0.0.1');
    await seedAccounts(
      ledger.runtime,
      Object.values(ACCOUNTS).map((a) => ({ ...a, regions: [...a.regions], password: PASSWORD })),
    );
    // A Muara Enim program with three workers covered from today: this month owes three lines.
    const admin = await ledger.token('program_admin', ['16']);
    const operator = await ledger.token('village_operator', [EMBAWANG]);
    const established = await ledger.post('/api/programs', admin, programBody());
    programId = established.body.programId;
    // The program is read from its read model: after it has reached the write.
    const read = `/api/programs/${programId}?consistentWith=${established.body.consistencyToken}`;
    lineAmount = (await ledger.get(read, admin)).body.monthlyContribution.total;
    for (let i = 0; i < 3; i++) workers.push(people.next({ villageCode: EMBAWANG, maxAge: 50 }));
    const file = multipartFile(
      'awal.csv',
      'text/csv',
      Buffer.from(nominationCsv(workers.map((w) => nominationRow(w)))),
    );
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
    partial.amount = lineAmount + 1_000; // more than a line, less than the invoice: a partial payment
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.close();
  });

  it("a finance officer issues the month's invoice, records a partial payment and sees exactly the remainder outstanding on Iuran", async () => {
    const { page, context, errors } = await signedIn('finance');
    await page.getByRole('link', { name: 'Iuran', exact: true }).click();
    await page.getByRole('heading', { name: /^Iuran/ }).waitFor();
    await checked(page, 'finance-iuran-sebelum');
    await page.getByRole('link', { name: programBody().name }).click();
    await page.waitForURL(`**/iuran/program/${programId}`);
    await checked(page, 'finance-iuran-program');

    await page.getByRole('button', { name: `Terbitkan tagihan ${monthName(month)}` }).click();
    await page.waitForURL('**/iuran/tagihan/**');
    await page.getByRole('heading', { name: `Tagihan ${monthName(month)}` }).waitFor();
    invoiceId = decodeURIComponent(page.url().split('/').pop()!);
    expect(invoiceId).toBe(`${programId}_${month}`);
    const total = 3 * lineAmount;
    expect(await page.getByTestId('issued-totals').textContent()).toBe(`3 peserta · ${rupiah(total)}`);
    expect(await page.getByTestId('invoice-status').textContent()).toBe('Belum dibayar');
    await checked(page, 'finance-tagihan-terbit');

    await page.getByLabel('Jumlah (rupiah)').fill(String(partial.amount));
    await page.getByLabel('Referensi transfer atau nomor VA').fill(partial.reference);
    // An SP2D the regency never recorded is refused beside its field, and nothing is paid.
    await page.getByLabel('Nomor SP2D (tidak wajib)').fill('0001/SP2D/LS/UJI');
    await page.getByRole('button', { name: 'Catat pembayaran' }).click();
    const sp2dError = page.locator('.field-error[data-field="sp2dNumber"]');
    await sp2dError.waitFor();
    expect(await sp2dError.textContent()).toBe('SP2D ini tidak tercatat di kas daerah wilayah ini');
    expect(await page.getByTestId('invoice-status').textContent()).toBe('Belum dibayar');
    await page.getByLabel('Nomor SP2D (tidak wajib)').fill('');
    await page.getByRole('button', { name: 'Catat pembayaran' }).click();
    const remainder = total - partial.amount;
    await page
      .getByRole('status')
      .getByText(`Belum dibayar: ${rupiah(remainder)}`)
      .waitFor();
    await page.getByTestId('invoice-outstanding').getByText(rupiah(remainder)).waitFor();
    expect(await page.getByTestId('invoice-paid').textContent()).toBe(rupiah(partial.amount));
    expect(await page.getByTestId('invoice-status').textContent()).toBe('Dibayar sebagian');
    expect(await page.locator('main table').first().textContent()).toContain(partial.reference);
    await checked(page, 'finance-tagihan-dibayar-sebagian');

    // Iuran reads the read models, after the payment (the screen passes its consistency token).
    await page.getByRole('link', { name: 'Iuran', exact: true }).click();
    await page.getByTestId('dues-outstanding').waitFor();
    await settled(page);
    expect(await page.getByTestId('dues-owed').textContent()).toBe(rupiah(total));
    expect(await page.getByTestId('dues-paid').textContent()).toBe(rupiah(partial.amount));
    expect(await page.getByTestId('dues-outstanding').textContent()).toBe(rupiah(remainder));
    // Owed against paid as a Chart.js bar chart (a canvas named for screen readers), beside the table.
    const chart = page.getByRole('img', { name: /^Grafik batang terutang dan dibayar per bulan/ });
    expect(await chart.evaluate((canvas) => canvas.tagName)).toBe('CANVAS');
    const row = page.locator(`tr[data-program="${programId}"]`);
    expect(await row.textContent()).toContain(rupiah(remainder));
    const csv = await page.getByRole('link', { name: /^Unduh CSV/ }).getAttribute('href');
    expect(csv).toMatch(
      /^\/api\/finance\/summary\?region=1603&year=\d{4}&asOf=\d{4}-\d{2}-\d{2}&format=csv$/,
    );
    const download = await page.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      return { status: response.status, type: response.headers.get('content-type') ?? '' };
    }, csv!);
    expect(download.status).toBe(200);
    expect(download.type).toContain('text/csv');
    await checked(page, 'finance-iuran-sesudah');

    // The program's months say the same for the month.
    await page.getByRole('link', { name: programBody().name }).click();
    const monthRow = page.locator(`tr[data-month="${month}"]`);
    await monthRow.waitFor();
    expect(await monthRow.textContent()).toContain('Dibayar sebagian');
    expect(await monthRow.textContent()).toContain(rupiah(remainder));
    // The only console error is the unknown SP2D's refusal.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/status of 422/);
    await context.close();
  });

  it('a payment reference used before is refused beside its field, in both languages, and changes nothing', async () => {
    expect(invoiceId).not.toBe('');
    const { page, context, errors } = await signedIn('finance');
    await page.goto(`/iuran/tagihan/${invoiceId}`);
    await settled(page);
    const paidBefore = await page.getByTestId('invoice-paid').textContent();

    await page.getByLabel('Jumlah (rupiah)').fill('1000');
    // Written otherwise, the same reference once normalised (trimmed, upper-cased).
    await page.getByLabel('Referensi transfer atau nomor VA').fill(` ${partial.reference.toLowerCase()} `);
    await page.getByRole('button', { name: 'Catat pembayaran' }).click();
    const beside = page.locator('.field-error[data-field="reference"]');
    await beside.waitFor();
    expect(await beside.textContent()).toBe('Referensi ini sudah dipakai untuk pembayaran lain');
    expect(await page.getByLabel('Referensi transfer atau nomor VA').getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await page.locator('.field-error').count()).toBe(1);
    await checked(page, 'finance-referensi-ganda');

    // A non-integer amount: refused beside the amount.
    await page.getByLabel('Jumlah (rupiah)').fill('1000,5');
    await page.getByLabel('Referensi transfer atau nomor VA').fill(`TRF-UJI-${mode.toUpperCase()}-0002`);
    await page.getByRole('button', { name: 'Catat pembayaran' }).click();
    await page.locator('.field-error[data-field="amount"]').waitFor();
    expect(await page.locator('.field-error[data-field="reference"]').count()).toBe(0);

    await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
    await page.getByLabel('Amount (rupiah)').fill('1000');
    await page.getByLabel('Transfer reference or VA number').fill(partial.reference);
    await page.getByRole('button', { name: 'Record the payment' }).click();
    await page
      .locator('.field-error[data-field="reference"]')
      .getByText('This reference was already used for another payment')
      .waitFor();
    await screenshot(page, `${mode}-finance-referensi-ganda-en`);
    await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();

    // Nothing was recorded by the refusals.
    await page.reload();
    await settled(page);
    expect(await page.getByTestId('invoice-paid').textContent()).toBe(paidBefore);
    const invoice = await ledger.get(
      `/api/invoices/${invoiceId}`,
      await ledger.token('finance', [MUARA_ENIM]),
    );
    expect(invoice.body.payments).toHaveLength(1);
    expect(invoice.body.paid).toBe(partial.amount);
    // The only console errors are the three refusals' responses (409, 400, 409).
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => /status of (409|400)/.test(e))).toBe(true);
    await context.close();
  });

  it("uploads the BPJS bill and shows its differences from the invoice's roster", async () => {
    const { page, context, errors } = await signedIn('finance');
    await page.goto(`/iuran/tagihan/${invoiceId}`);
    await settled(page);
    await page.getByText('Belum ada tagihan BPJS untuk bulan ini.').waitFor();
    const stranger = people.next({ villageCode: EMBAWANG, maxAge: 50 });
    const rows = [
      ['NIK', 'Nama', 'Periode', 'Iuran'],
      [workers[0].nik, workers[0].name, month, String(lineAmount)],
      [workers[1].nik, workers[1].name, month, String(lineAmount)],
      [stranger.nik, stranger.name, month, String(lineAmount)],
    ];
    await page.getByLabel('Berkas tagihan BPJS (CSV atau XLSX)').setInputFiles({
      name: 'tagihan-bpjs.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.map((r) => r.join(';')).join('\r\n')),
    });
    await page.getByRole('button', { name: 'Unggah dan bandingkan' }).click();
    await page.getByText('Tagihan BPJS dicatat dan dibandingkan.').waitFor();
    const notCovered = page.locator('tr[data-difference="tidak_tercakup"]');
    await notCovered.waitFor();
    expect(await notCovered.textContent()).toBe('Ditagih tetapi tidak tercakup1');
    expect(await page.locator('tr[data-difference="tidak_ditagih"]').textContent()).toBe(
      'Tercakup tetapi tidak ditagih1',
    );
    expect(await page.getByTestId('bill-difference-participants').textContent()).toBe('0');
    expect(
      await page.getByRole('link', { name: /^Unduh XLSX — Laporan baris tagihan BPJS/ }).getAttribute('href'),
    ).toBe(`/api/invoices/${invoiceId}/bpjs-bill?format=xlsx`);
    // No NIK and no name of the bill reaches the page.
    const text = (await page.locator('main').textContent()) ?? '';
    for (const person of [...workers, stranger]) {
      expect(text).not.toContain(person.nik);
      expect(text).not.toContain(person.name);
    }
    await checked(page, 'finance-tagihan-bpjs');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an auditor reads the finance figures and a viewer the invoices, neither with a write control', async () => {
    for (const role of ['auditor', 'viewer'] as const) {
      const { page, context, errors } = await signedIn(role);
      expect(await page.locator('header nav').textContent()).toContain('Iuran');
      const paths: [string, string][] = [
        ['iuran', '/iuran'],
        ['iuran-program', `/iuran/program/${programId}`],
        ['iuran-tagihan', `/iuran/tagihan/${invoiceId}`],
      ];
      for (const [name, path] of paths) {
        await page.goto(path);
        await checked(page, `${role}-${name}`);
        expect({
          role,
          name,
          controls: await page.locator('main form, main button, main input[type=file], main select').count(),
        }).toEqual({ role, name, controls: 0 });
      }
      // Both read the invoice and its payment; only the auditor reads the finance reports.
      expect(await page.getByTestId('invoice-paid').textContent()).toBe(rupiah(partial.amount));
      if (role === 'auditor') {
        await page.goto('/iuran');
        await settled(page);
        expect(await page.getByTestId('dues-paid').textContent()).toBe(rupiah(partial.amount));
      }
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('an over-payment of the rest is listed as refundable, and its refund is recorded', async () => {
    const { page, context, errors } = await signedIn('finance');
    await page.goto(`/iuran/tagihan/${invoiceId}`);
    await settled(page);
    await page.getByText('Tidak ada iuran yang dapat dikembalikan pada tagihan ini.').waitFor();
    const rest = 3 * lineAmount - partial.amount;
    await page.getByLabel('Jumlah (rupiah)').fill(String(rest + 5_000));
    await page.getByLabel('Referensi transfer atau nomor VA').fill(`TRF-UJI-${mode.toUpperCase()}-0003`);
    await page.getByRole('button', { name: 'Catat pembayaran' }).click();
    await page.getByRole('status').getByText('Belum dibayar: Rp0').waitFor();
    // The invoice is read again after the write: its new status follows the notice.
    await page.locator('[data-testid="invoice-status"]', { hasText: 'Lunas' }).waitFor();
    // The refundable figure comes from the finance read model, read after the payment.
    await page.getByText('Kelebihan bayar Rp5.000', { exact: true }).waitFor();
    await page.getByLabel('Alasan pengembalian').selectOption('overpaid');
    await page.getByLabel('Nomor berita acara (tidak wajib)').fill('BA-UJI/12/2026');
    await page.getByRole('button', { name: 'Catat pengembalian semua baris di atas' }).click();
    await page.getByText('Pengembalian Rp5.000 dicatat.').waitFor();
    await page.getByText('Tidak ada iuran yang dapat dikembalikan pada tagihan ini.').waitFor();
    await checked(page, 'finance-pengembalian');
    const invoice = await ledger.get(
      `/api/invoices/${invoiceId}`,
      await ledger.token('finance', [MUARA_ENIM]),
    );
    expect(invoice.body.refunded).toBe(5_000);
    expect(invoice.body.refundableOverpaid).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lays out Iuran and the invoice at 360 px without horizontal scrolling', async () => {
    const { page, context, errors } = await signedIn('finance', 360);
    for (const [name, path] of [
      ['iuran', '/iuran'],
      ['iuran-program', `/iuran/program/${programId}`],
      ['iuran-tagihan', `/iuran/tagihan/${invoiceId}`],
    ]) {
      await page.goto(path);
      await settled(page);
      expect({ name, width: await page.evaluate('document.documentElement.scrollWidth') }).toEqual({
        name,
        width: 360,
      });
      await screenshot(page, `${mode}-finance-360-${name}`);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
}

describeIfAvailable('Browser e2e: the contributions screens in Chromium (SQLite)', browserUnavailable(), () =>
  financeScreens('sqlite'),
);
describeIfAvailable(
  'Browser e2e: the contributions screens in Chromium (PostgreSQL)',
  browserUnavailable() ?? (process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set'),
  () => financeScreens('postgres'),
);
