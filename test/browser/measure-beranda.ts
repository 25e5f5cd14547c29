/**
 * First render of Beranda on a large ledger, in Chromium over loopback: from the start of the
 * navigation until the figures, the trend and the ranking are all on screen.
 *
 *   npm run cli -- generate --participants 1000000        # into LEDGER_DATA_DIR
 *   node -r ./scripts/register.js test/browser/measure-beranda.ts
 *
 * Uses LEDGER_DATA_DIR (embedded mode); adds one program admin account for the regency of the
 * ledger's first program (and a national viewer), then measures each five times.
 */
import { loadConfig } from '@ledger/platform/config';
import { signToken } from '@ledger/platform/auth';
import { ledgerProjections } from '@ledger/read-models/projections';
import { openRuntime } from '@ledger/runtime';
import { createApp } from '../../apps/api/src/create-app';
import { CredentialStore } from '../../apps/api/src/accounts/credential-store';
import { seedAccounts } from '../support/accounts';
import { launchChromium } from './browser';

async function main() {
  const runtime = await openRuntime(loadConfig(), { projections: ledgerProjections() });
  const app = await createApp(runtime);
  runtime.startProjections();
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const token = await signToken(runtime.secrets.jwtSecret, {
    sub: 'measure',
    role: 'viewer',
    regions: ['ID'],
    ttlSeconds: 600,
  });
  const programs = (await (
    await fetch(`${base}/api/programs`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as {
    programs: { ownerRegion: string }[];
  };
  const regency = programs.programs[0].ownerRegion.slice(0, 4);
  const credentials = await CredentialStore.open(runtime.config);
  const existing = new Set((await credentials.accounts()).map((a) => a.username));
  await credentials.close();
  const accounts = [
    {
      username: `ukur.${regency}`,
      role: 'program_admin',
      regions: [regency],
      password: 'sandi-pengukuran-1',
    },
    { username: 'ukur.nasional', role: 'viewer', regions: ['ID'], password: 'sandi-pengukuran-1' },
  ];
  await seedAccounts(
    runtime,
    accounts.filter((a) => !existing.has(a.username)),
  );

  const browser = await launchChromium();
  for (const account of accounts) {
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await page.goto('/masuk');
    await page.getByLabel('Nama pengguna').fill(account.username);
    await page.getByLabel('Kata sandi').fill(account.password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL('**/beranda');
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      await page.goto('/beranda');
      await page.waitForSelector('[data-testid=active]');
      await page.waitForSelector('.chart canvas');
      await page.waitForSelector('.loading', { state: 'detached' });
      times.push(Date.now() - started);
    }
    console.log(
      `${account.username} (${account.regions.join(',')}): Beranda rendered in ${times.join(', ')} ms`,
    );
    await context.close();
  }
  await browser.close();
  await app.close();
  await runtime.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
