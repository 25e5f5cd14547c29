/**
 * A program's roster in a real browser (Debian's Chromium through playwright-core) against the
 * whole ledger on a loopback port: masked NIKs, villages, statuses and coverage dates a page at
 * a time; the search by exact NIK (sent in a POST body, never in an address) and by village;
 * the roles that read it and those that do not (no menu, no section, 403 from the API); a
 * foreign region's 403 page; 360 px. No console error but the refusals caused on purpose, no
 * serious accessibility violation; screenshots to test-output/screens/.
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
import {
  EMBAWANG,
  MUARA_ENIM,
  PAGAR_DEWA,
  nominationCsv,
  nominationRow,
  programBody,
} from '../support/ledger-fixtures';
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
  village_operator: { username: 'op.embawang', role: 'village_operator', regions: [EMBAWANG] },
  auditor: { username: 'auditor.sumsel', role: 'auditor', regions: ['16'] },
  finance: { username: 'keuangan.me', role: 'finance', regions: [MUARA_ENIM] },
  viewer: { username: 'pembaca.me', role: 'viewer', regions: [MUARA_ENIM] },
  foreign: { username: 'admin.sarolangun', role: 'program_admin', regions: ['1503'] },
} as const;
type Role = keyof typeof ACCOUNTS;

/** A NIK as the roster shows it: the first four and last two digits. */
const masked = (nik: string) => `${nik.slice(0, 4)}${'*'.repeat(nik.length - 6)}${nik.slice(-2)}`;
const longDate = (iso: string) =>
  new Intl.DateTimeFormat('id-ID', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`));

function rosterScreens(mode: LedgerMode) {
  let ledger: LedgerApp;
  let baseUrl: string;
  let browser: Browser;
  let programId: string;
  const embawang: SyntheticPerson[] = [];
  const pagarDewa: SyntheticPerson[] = [];
  const people = createPeopleGenerator({ seed: 1717 + (mode === 'sqlite' ? 0 : 1), today: todayWib() });

  const signedIn = (role: Role, width = 1280) =>
    signInPage(browser, baseUrl, { username: ACCOUNTS[role].username, password: PASSWORD }, width);
  const checked = (page: Page, name: string) => checkedScreen(page, `${mode}-${name}`);

  async function upload(token: string, persons: SyntheticPerson[]) {
    const file = multipartFile(
      'bnba.csv',
      'text/csv',
      Buffer.from(nominationCsv(persons.map((p) => nominationRow(p)))),
    );
    const answer = await ledger.request('POST', `/api/programs/${programId}/enrollments/import`, {
      token,
      payload: file.payload,
      headers: file.headers,
    });
    expect(answer.body.accepted).toBe(persons.length);
    return answer.body.importId as string;
  }

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    await ledger.app.listen(0, '127.0.0.1');
    baseUrl = (await ledger.app.getUrl()).replace('[::1]', '127.0.0.1');
    await seedAccounts(
      ledger.runtime,
      Object.values(ACCOUNTS).map((a) => ({ ...a, regions: [...a.regions], password: PASSWORD })),
    );
    // 25 workers of Embawang and 2 of Pagar Dewa: more than a page of 25.
    const admin = await ledger.token('program_admin', [MUARA_ENIM]);
    programId = (await ledger.post('/api/programs', admin, programBody())).body.programId;
    for (let i = 0; i < 25; i++) embawang.push(people.next({ villageCode: EMBAWANG, maxAge: 50 }));
    for (let i = 0; i < 2; i++) pagarDewa.push(people.next({ villageCode: PAGAR_DEWA, maxAge: 50 }));
    const first = await upload(await ledger.token('village_operator', [EMBAWANG]), embawang);
    const second = await upload(await ledger.token('village_operator', [PAGAR_DEWA]), pagarDewa);
    let token = 0;
    for (const importId of [first, second]) {
      const approval = await ledger.post(`/api/imports/${importId}/approval`, admin, {
        coverageFrom: todayWib(),
      });
      token = approval.body.consistencyToken;
    }
    // The screens read the read models: once they hold the approvals.
    const read = await ledger.get(`/api/programs/${programId}/roster?consistentWith=${token}`, admin);
    expect(read.body.page.total).toBe(27);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.close();
  });

  it('the API pages the roster within the scope, masks every NIK and refuses bad paging and roles without it', async () => {
    const admin = await ledger.token('program_admin', [MUARA_ENIM]);
    const all = await ledger.get(`/api/programs/${programId}/roster?limit=100`, admin);
    expect(all.status).toBe(200);
    const niks = all.body.participants.map((p: { maskedNik: string }) => p.maskedNik).sort();
    expect(niks).toEqual([...embawang, ...pagarDewa].map((p) => masked(p.nik)).sort());
    expect(JSON.stringify(all.body)).not.toMatch(/\d{16}/);
    // The auditor too reads masked NIKs in a roster.
    const auditor = await ledger.get(
      `/api/programs/${programId}/roster?limit=5`,
      await ledger.token('auditor', ['16']),
    );
    expect(auditor.body.participants.every((p: { maskedNik: string }) => /\*{10}/.test(p.maskedNik))).toBe(
      true,
    );
    // Embawang's operator reads Embawang's 25 only.
    const operator = await ledger.get(
      `/api/programs/${programId}/roster?limit=100`,
      await ledger.token('village_operator', [EMBAWANG]),
    );
    expect(operator.body.page.total).toBe(25);
    const tooMany = await ledger.get(`/api/programs/${programId}/roster?limit=101`, admin);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.map((e: { field: string }) => e.field)).toEqual(['limit']);
    const viewer = await ledger.get(
      `/api/programs/${programId}/roster`,
      await ledger.token('viewer', [MUARA_ENIM]),
    );
    expect(viewer.status).toBe(403);
    const outside = await ledger.get(`/api/programs/${programId}/roster?region=1503`, admin);
    expect(outside.status).toBe(403);
  });

  it('a program admin pages the roster, finds a person by NIK without the NIK in any address, and narrows it to a village', async () => {
    const { page, context, errors } = await signedIn('program_admin');
    const addresses: string[] = [];
    page.on('request', (request) => addresses.push(request.url()));
    await page.getByRole('link', { name: 'Program', exact: true }).click();
    await page.getByRole('link', { name: programBody().name }).click();
    await page.getByRole('heading', { name: 'Daftar peserta' }).waitFor();
    await page.getByTestId('roster').waitFor();
    expect(await page.getByTestId('roster-shown').textContent()).toBe('1–25 dari 27 peserta');
    expect(await page.locator('[data-testid="roster"] tbody tr').count()).toBe(25);
    const firstRow = (await page.locator('[data-testid="roster"] tbody tr').first().textContent()) ?? '';
    expect(firstRow).toContain('Disetujui');
    expect(firstRow).toContain(longDate(todayWib()));
    await checked(page, 'program_admin-program-peserta');
    await page.getByRole('button', { name: 'Berikutnya' }).click();
    await page.getByTestId('roster-shown').getByText('26–27 dari 27 peserta').waitFor();
    expect(await page.getByRole('button', { name: 'Berikutnya' }).isDisabled()).toBe(true);

    // By exact NIK: one row, that person's, masked.
    const person = pagarDewa[1];
    await page.getByLabel('NIK peserta', { exact: true }).fill(person.nik);
    await page.getByRole('button', { name: 'Cari', exact: true }).click();
    await page.getByText('Menampilkan peserta dengan NIK yang dicari.').waitFor();
    await page.getByTestId('roster-shown').getByText('1–1 dari 1 peserta').waitFor();
    const row = page.locator('[data-testid="roster"] tbody tr');
    expect(await row.textContent()).toContain(masked(person.nik));
    expect(await row.textContent()).toContain(PAGAR_DEWA);
    expect(await page.locator('main').textContent()).not.toContain(person.nik);
    await checked(page, 'program_admin-program-peserta-nik');

    // A NIK that is on no roster, then one written wrong (refused beside the field).
    await page.getByLabel('NIK peserta', { exact: true }).fill(people.next({ villageCode: EMBAWANG }).nik);
    await page.getByRole('button', { name: 'Cari', exact: true }).click();
    await page.getByText('NIK ini tidak terdaftar pada program ini di wilayah Anda.').waitFor();
    await page.getByLabel('NIK peserta', { exact: true }).fill('160301');
    await page.getByRole('button', { name: 'Cari', exact: true }).click();
    await page
      .locator('.field-error[data-field="nik"]')
      .getByText('NIK harus 16 digit', { exact: false })
      .waitFor();
    expect(await page.getByLabel('NIK peserta', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    // By village: Pagar Dewa's two.
    await page.getByRole('button', { name: 'Tampilkan semua' }).click();
    await page.getByTestId('roster-shown').getByText('1–25 dari 27 peserta').waitFor();
    await page.getByLabel('Kode desa/kelurahan atau wilayah').fill(PAGAR_DEWA);
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.getByTestId('roster-shown').getByText('1–2 dari 2 peserta').waitFor();
    const villages = await page.locator('[data-testid="roster"] tbody tr td:nth-child(2)').allTextContents();
    expect(villages).toEqual([PAGAR_DEWA, PAGAR_DEWA]);
    await checked(page, 'program_admin-program-peserta-desa');

    const niks = [...embawang, ...pagarDewa].map((p) => p.nik);
    expect(addresses.filter((url) => niks.some((nik) => url.includes(nik)) || /[?&]nik=/i.test(url))).toEqual(
      [],
    );
    // The only console error is the refused NIK's 422.
    expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
    await context.close();
  });

  it("the village operator reads their village's people, the auditor the program's; finance and viewers see no roster", async () => {
    for (const [role, total] of [
      ['village_operator', '1–25 dari 25 peserta'],
      ['auditor', '1–25 dari 27 peserta'],
    ] as const) {
      const { page, context, errors } = await signedIn(role);
      await page.goto(`/program/${programId}`);
      await page.getByTestId('roster-shown').getByText(total).waitFor();
      await checked(page, `${role}-program-peserta`);
      expect(errors).toEqual([]);
      await context.close();
    }
    for (const role of ['finance', 'viewer'] as const) {
      const { page, context, errors } = await signedIn(role);
      await page.goto(`/program/${programId}`);
      await settled(page);
      await page.getByTestId('liability').waitFor();
      expect(await page.getByRole('heading', { name: 'Daftar peserta' }).count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("a program admin of another regency opening the program's address sees the 403 page", async () => {
    const { page, context } = await signedIn('foreign');
    await page.goto(`/program/${programId}`);
    await page.getByRole('heading', { name: 'Akses ditolak (403)' }).waitFor();
    await checked(page, 'foreign-program-403');
    await context.close();
  });

  it('lays the roster out at 360 px without horizontal scrolling', async () => {
    const { page, context, errors } = await signedIn('program_admin', 360);
    await page.goto(`/program/${programId}`);
    await page.getByTestId('roster').waitFor();
    await settled(page);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(360);
    await screenshot(page, `${mode}-program_admin-360-program-peserta`);
    expect(errors).toEqual([]);
    await context.close();
  });
}

describeIfAvailable('Browser e2e: the program roster in Chromium (SQLite)', browserUnavailable(), () =>
  rosterScreens('sqlite'),
);
describeIfAvailable(
  'Browser e2e: the program roster in Chromium (PostgreSQL)',
  browserUnavailable() ?? (process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set'),
  () => rosterScreens('postgres'),
);
