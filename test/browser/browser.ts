/**
 * Debian's Chromium driven by playwright-core (no browser download): where it is, whether the
 * web app is built, and a page that records every console error and page error it sees.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LEDGER_CHROMIUM ?? '/usr/bin/chromium';
const WEB_INDEX = join(__dirname, '../../apps/web/dist/index.html');
export const SCREENS_DIR = join(__dirname, '../../test-output/screens');

/** Why the browser suite cannot run here, or undefined when it can. */
export function browserUnavailable(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  if (!existsSync(WEB_INDEX)) return 'the web app is not built (npm run build:web)';
  return undefined;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors since the page opened (or since `clear`). */
  errors: string[];
  clear(): void;
}

export async function openPage(browser: Browser, baseURL: string, width = 1280): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport: { width, height: 900 }, locale: 'id-ID' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  return { context, page, errors, clear: () => errors.splice(0) };
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is. The script is evaluated
 * through the DevTools protocol, which the page's Content-Security-Policy does not govern.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            o: unknown,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} at ${v.targets.join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
}

/** A screen is settled once its heading is there and nothing is loading any more. */
export async function settled(page: Page): Promise<void> {
  await page.waitForSelector('main h1');
  await page.waitForSelector('.loading', { state: 'detached' });
}

/** A new page signed in through the sign-in form, on Beranda and settled. */
export async function signInPage(
  browser: Browser,
  baseUrl: string,
  account: { username: string; password: string },
  width = 1280,
): Promise<WatchedPage> {
  const watched = await openPage(browser, baseUrl, width);
  await watched.page.goto('/masuk');
  await watched.page.getByLabel('Nama pengguna').fill(account.username);
  await watched.page.getByLabel('Kata sandi').fill(account.password);
  await watched.page.getByRole('button', { name: 'Masuk' }).click();
  await watched.page.waitForURL('**/beranda');
  await settled(watched.page);
  return watched;
}

/** The screen settled, with no serious or critical axe violation, then its screenshot. */
export async function checkedScreen(page: Page, name: string): Promise<void> {
  await settled(page);
  expect({ screen: name, violations: await seriousViolations(page) }).toEqual({
    screen: name,
    violations: [],
  });
  await screenshot(page, name);
}
