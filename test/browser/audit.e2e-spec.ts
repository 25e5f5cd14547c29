/**
 * The audit trail screen in a real browser (Debian's Chromium through playwright-core) against
 * the whole ledger on a loopback port, after a program, an uploaded and approved list and a
 * quota change by three actors: every page walked by cursor shows each action once and all of
 * them; the sensitive-only and actor filters list exactly what the API lists for them; the
 * exports and the oversight summary; the roles without it see no menu and the 403 page, as does
 * a region outside the scope; 360 px. No console error but the refusal caused on purpose, no
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
import { EMBAWANG, MUARA_ENIM, nominationCsv, nominationRow, programBody } from '../support/ledger-fixtures';
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
  auditor: { username: 'auditor.me', role: 'auditor', regions: [MUARA_ENIM] },
  program_admin: { username: 'admin.me', role: 'program_admin', regions: [MUARA_ENIM] },
  finance: { username: 'keuangan.me', role: 'finance', regions: [MUARA_ENIM] },
  viewer: { username: 'pembaca.me', role: 'viewer', regions: [MUARA_ENIM] },
  village_operator: { username: 'op.embawang', role: 'village_operator', regions: [EMBAWANG] },
} as const;
type Role = keyof typeof ACCOUNTS;

interface Entry {
  position: number;
  action: string;
  sensitive: boolean;
  actor: { id: string };
}

function auditScreens(mode: LedgerMode) {
  let ledger: LedgerApp;
  let baseUrl: string;
  let browser: Browser;
  let auditorToken: string;
  const people = createPeopleGenerator({ seed: 2020, today: todayWib() });

  const signedIn = (role: Role, width = 1280) =>
    signInPage(browser, baseUrl, { username: ACCOUNTS[role].username, password: PASSWORD }, width);
  const checked = (page: Page, name: string) => checkedScreen(page, `${mode}-${name}`);

  /** Every entry the API lists for a query, in log order. */
  async function listed(query: string): Promise<Entry[]> {
    const answer = await ledger.get(`/api/audit?region=${MUARA_ENIM}&limit=10000${query}`, auditorToken);
    expect(answer.status).toBe(200);
    return answer.body.entries;
  }

  /**
   * Signs in (itself an audited action) and opens the screen once the trail holds everything the
   * log holds, so the screen and the API answer over the same entries.
   */
  async function openedAfterSignIn(role: Role, width = 1280) {
    const watched = await signedIn(role, width);
    const head = await ledger.runtime.store.headPosition();
    await ledger.get(`/api/audit?region=${MUARA_ENIM}&limit=1&consistentWith=${head}`, auditorToken);
    await watched.page.goto('/audit');
    await watched.page.getByTestId('audit').waitFor();
    return watched;
  }

  /** The positions of the rows the screen shows, walking every page with "Berikutnya". */
  async function walked(page: Page): Promise<number[]> {
    const positions: number[] = [];
    for (let pageNo = 1; pageNo < 20; pageNo++) {
      await page
        .getByTestId('audit-shown')
        .getByText(new RegExp(`^Halaman ${pageNo} `))
        .waitFor();
      const shown = await page
        .locator('[data-testid="audit"] tbody tr')
        .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-position'))));
      positions.push(...shown);
      const next = page.getByRole('button', { name: 'Berikutnya' });
      if (await next.isDisabled()) break;
      await next.click();
    }
    return positions;
  }

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    await ledger.app.listen(0, '127.0.0.1');
    baseUrl = (await ledger.app.getUrl()).replace('[::1]', '127.0.0.1');
    await seedAccounts(
      ledger.runtime,
      Object.values(ACCOUNTS).map((a) => ({ ...a, regions: [...a.regions], password: PASSWORD })),
    );
    auditorToken = await ledger.token('auditor', [MUARA_ENIM], 'auditor-muara-enim');
    const admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    const operator = await ledger.token('village_operator', [EMBAWANG], 'op-embawang');
    const programId = (await ledger.post('/api/programs', admin, programBody())).body.programId;
    const workers: SyntheticPerson[] = [];
    for (let i = 0; i < 30; i++) workers.push(people.next({ villageCode: EMBAWANG, maxAge: 50 }));
    const file = multipartFile(
      'bnba.csv',
      'text/csv',
      Buffer.from(nominationCsv(workers.map((w) => nominationRow(w)))),
    );
    const upload = await ledger.request('POST', `/api/programs/${programId}/enrollments/import`, {
      token: operator,
      payload: file.payload,
      headers: file.headers,
    });
    expect(upload.body.accepted).toBe(30);
    await ledger.post(`/api/imports/${upload.body.importId}/approval`, admin, { coverageFrom: todayWib() });
    const quota = await ledger.post(`/api/programs/${programId}/quota`, admin, {
      quota: 90,
      reason: 'APBD Perubahan',
    });
    expect(quota.status).toBe(201);
    // The screens read the audit read model: once it holds the quota change.
    await ledger.get(
      `/api/audit?region=${MUARA_ENIM}&consistentWith=${quota.body.consistencyToken}`,
      auditorToken,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.close();
  });

  it('an auditor walks every page by cursor and sees each action of the region once', async () => {
    const { page, context, errors } = await openedAfterSignIn('auditor');
    expect(await page.getByRole('link', { name: 'Audit', exact: true }).getAttribute('class')).toBe(
      'current',
    );
    const all = await listed('');
    expect(all.length).toBeGreaterThan(50); // more than one page
    await checked(page, 'auditor-audit');
    expect(await page.locator('[data-testid="audit"] tbody tr').count()).toBe(50);
    const positions = await walked(page);
    expect(positions).toEqual(all.map((e) => e.position));
    // One page back from the last.
    const pages = Math.ceil(all.length / 50);
    await page.getByRole('button', { name: 'Sebelumnya' }).click();
    await page
      .getByTestId('audit-shown')
      .getByText(new RegExp(`^Halaman ${pages - 1} `))
      .waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the sensitive-only and actor filters list what the API lists; the exports and the summary follow the filters', async () => {
    const { page, context, errors } = await openedAfterSignIn('auditor');
    await page.getByLabel('Hanya tindakan sensitif').check();
    await page.getByRole('button', { name: 'Terapkan' }).click();
    const sensitive = await listed('&sensitive=true');
    // The list's approvals, the quota change, and the accounts' creations and sign-ins.
    expect(sensitive.every((e) => e.sensitive)).toBe(true);
    expect(new Set(sensitive.map((e) => e.action.split('.')[0]))).toEqual(
      new Set(['account', 'import', 'program']),
    );
    expect(sensitive.filter((e) => e.action === 'program.amend_quota')).toHaveLength(1);
    await page.locator('[data-testid="audit"] tbody tr[data-action="program.amend_quota"]').waitFor();
    expect(await walked(page)).toEqual(sensitive.map((e) => e.position));
    expect(await page.locator('tr[data-action="program.amend_quota"]').textContent()).toContain(
      'APBD Perubahan',
    );
    await checked(page, 'auditor-audit-sensitif');
    const csv = await page.getByRole('link', { name: 'Unduh CSV' }).getAttribute('href');
    expect(csv).toBe(`/api/audit?region=${MUARA_ENIM}&sensitive=true&format=csv`);
    const download = await page.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      return {
        status: response.status,
        type: response.headers.get('content-type') ?? '',
        text: await response.text(),
      };
    }, csv!);
    expect(download.status).toBe(200);
    expect(download.type).toContain('text/csv');
    expect(download.text.trim().split(/\r?\n/)).toHaveLength(1 + sensitive.length);

    // The operator's actions: by clicking their id in a row.
    await page.getByLabel('Hanya tindakan sensitif').uncheck();
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.getByRole('button', { name: 'Saring pelaku op-embawang' }).first().click();
    await page.getByLabel('Pelaku (ID)').and(page.locator('input')).waitFor();
    expect(await page.getByLabel('Pelaku (ID)').and(page.locator('input')).inputValue()).toBe('op-embawang');
    const byOperator = await listed('&actor=op-embawang');
    expect(byOperator.length).toBeGreaterThan(0);
    expect(byOperator.every((e) => e.actor.id === 'op-embawang')).toBe(true);
    await page
      .getByTestId('audit-shown')
      .getByText(`Halaman 1 · ${Math.min(50, byOperator.length)} tindakan`)
      .waitFor();
    const operatorRows = await walked(page);
    expect(operatorRows).toEqual(byOperator.map((e) => e.position));
    // The summary per actor for the same filters: one actor, their total.
    const row = page.locator('[data-testid="audit-summary"] tr[data-key="op-embawang"]');
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe(String(byOperator.length));
    expect(await page.locator('[data-testid="audit-summary"] tbody tr').count()).toBe(1);
    await checked(page, 'auditor-audit-pelaku');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a program admin reads it too; finance, viewers and village operators have no menu entry and get the 403 page; a region outside the scope is refused with the 403 page', async () => {
    const admin = await signedIn('program_admin');
    await admin.page.getByRole('link', { name: 'Audit', exact: true }).click();
    await admin.page.getByTestId('audit').waitFor();
    // The log's signing key and its latest checkpoint, as the integrity API gives them.
    const key = await ledger.get('/api/integrity/public-key', auditorToken);
    await admin.page.getByTestId('integrity-key-id').getByText(key.body.keyId, { exact: true }).waitFor();
    // The checkpoint shown is one the API signed (a later one may have been signed since).
    const note = admin.page.getByTestId('integrity-note');
    const shown = (await note.count()) > 0 ? await note.textContent() : null;
    const signed = (await ledger.get('/api/integrity/checkpoints', auditorToken)).body.checkpoints as {
      note: string;
    }[];
    if (shown === null) await admin.page.getByText('Belum ada titik periksa.').waitFor();
    else expect(signed.map((c) => c.note)).toContain(shown);
    await checked(admin.page, 'program_admin-audit');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
    for (const role of ['finance', 'viewer', 'village_operator'] as const) {
      const { page, context } = await signedIn(role);
      expect(await page.locator('header nav').textContent()).not.toContain('Audit');
      await page.goto('/audit');
      await page.getByRole('heading', { name: 'Akses ditolak (403)' }).waitFor();
      await context.close();
    }
    const { page, context, errors } = await signedIn('auditor');
    await page.goto('/audit');
    await page.getByTestId('audit').waitFor();
    await page.getByLabel('Kode wilayah').fill('1503');
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.getByRole('heading', { name: 'Akses ditolak (403)' }).waitFor();
    await checked(page, 'auditor-audit-403');
    expect(errors.every((e) => e.includes('status of 403'))).toBe(true);
    await context.close();
  });

  it('lays the audit trail out at 360 px without horizontal scrolling', async () => {
    const { page, context, errors } = await signedIn('auditor', 360);
    await page.goto('/audit');
    await page.getByTestId('audit').waitFor();
    await settled(page);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(360);
    await screenshot(page, `${mode}-auditor-360-audit`);
    expect(errors).toEqual([]);
    await context.close();
  });
}

describeIfAvailable('Browser e2e: the audit trail screen in Chromium (SQLite)', browserUnavailable(), () =>
  auditScreens('sqlite'),
);
describeIfAvailable(
  'Browser e2e: the audit trail screen in Chromium (PostgreSQL)',
  browserUnavailable() ?? (process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set'),
  () => auditScreens('postgres'),
);
